// How we name things in the machine's shell. Every name we put into a command is single-quoted (the
// one quoting POSIX sh has without exceptions), and every folder hangs off "$HOME", so a machine
// whose login user is not ubuntu works the same.
import * as l10n from '@vscode/l10n';

/** `it's` → `'it'\''s'`: one sh word, whatever the characters. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Why `remoteDir` (relative to the machine's home) is not a folder we may sync into, or undefined. */
export function remoteDirProblem(remoteDir: string): string | undefined {
  const parts = remoteDir.split('/');
  if (remoteDir === '' || remoteDir.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    return l10n.t('"{0}" is not a folder under the home folder', remoteDir);
  }
  return undefined;
}

/** The shell expression of a folder under the machine's home: `"$HOME"/'name'`. */
export function homeFolder(remoteDir: string): string {
  return `"$HOME"/${shellQuote(remoteDir)}`;
}

/**
 * The name every staging folder inside the machine's copy starts with (`.fal-sync-partial.XXXXXX`, one
 * per upload session): where a batch lands before it is moved in. Never synced either way.
 */
export const STAGING = '.fal-sync-partial';

/** Whether `path` (relative to the copy) is in a staging folder: an upload's files still in flight. */
export const inStaging = (path: string): boolean => (path.split('/')[0] ?? '').startsWith(STAGING);
