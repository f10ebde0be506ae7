// Which SSH configs we added our Include to (`~/.ssh/fal/included-from.json`). Cleaning up must
// find them all — including a remote.SSH.configFile set at the time — and the uninstall script
// runs in plain node without VS Code's settings, so the record is kept next to the managed file.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './atomicWrite';
import { errorCode } from './nodeErrors';

export const INCLUDERS_FILE = 'included-from.json';

export function includersPath(managedPath: string): string {
  return join(dirname(managedPath), INCLUDERS_FILE);
}

/** The recorded user configs (none when the record is missing or unreadable: it is only a hint). */
export async function readIncluders(managedPath: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(includersPath(managedPath), 'utf8');
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return [];
    throw e;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    const configs = (parsed as { configs?: unknown }).configs;
    return Array.isArray(configs) ? configs.filter((c): c is string => typeof c === 'string' && c !== '') : [];
  } catch {
    return [];
  }
}

/** Adds userConfig to the record (the caller holds the lock); no write when it is there already. */
export async function recordIncluder(managedPath: string, userConfig: string): Promise<void> {
  const configs = await readIncluders(managedPath);
  if (configs.includes(userConfig)) return;
  // l10n-exempt: a note in the record file ~/.ssh/fal/included-from.json, the same in every display language
  const text = `${JSON.stringify({ note: 'SSH configs the fal Compute extension added its Include line to (for removing it again)', configs: [...configs, userConfig] }, null, 2)}\n`;
  await writeFileAtomic(includersPath(managedPath), text, { newFileMode: 0o600 });
}
