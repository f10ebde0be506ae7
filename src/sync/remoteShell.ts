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

/** The folder inside the machine's copy where an upload lands before it is moved in (never synced). */
export const STAGING = '.fal-sync-partial';
