// Every file below a folder that matches, for tests that inspect what a run wrote.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function findFiles(dir: string, match: (path: string) => boolean): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return [];
    if (stat.isDirectory()) return findFiles(path, match);
    return stat.isFile() && match(path) ? [path] : [];
  });
}
