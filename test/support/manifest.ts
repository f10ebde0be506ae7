// package.json as VS Code shows it: every `%key%` replaced by its English words from
// package.nls.json (the manifest's words live there, so a translation can replace them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const NLS_PLACEHOLDER = /^%([^%]+)%$/;

/** The raw manifest and its words, from the repository root. */
export function manifestFiles(root: string): { manifest: unknown; nls: Record<string, string> } {
  return {
    manifest: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')),
    nls: JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')),
  };
}

/** Replaces each `%key%` string with its words; a key without words throws (VS Code would show the key). */
export function localized<T>(value: T, nls: Record<string, string>): T {
  if (typeof value === 'string') {
    const key = NLS_PLACEHOLDER.exec(value)?.[1];
    if (key === undefined) return value;
    if (!Object.hasOwn(nls, key)) throw new Error(`package.nls.json has no "${key}"`);
    return nls[key] as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => localized(v, nls)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, localized(v, nls)])) as T;
  return value;
}

/** package.json with its words in place, as the extension host's `packageJSON` holds it. */
export function readManifest(root: string): any {
  const { manifest, nls } = manifestFiles(root);
  return localized(manifest, nls);
}
