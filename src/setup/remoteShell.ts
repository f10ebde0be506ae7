// The one thing setup needs from SSH: run a command, get its output. The GPU transport's
// CommandConnection satisfies it as it is, and so can the shared connection owner's borrowed
// connection: setup never opens, keeps or closes a connection itself.
import type { RunResult } from '../connections/types';

export type { RunResult };

export interface RemoteShell {
  /** Runs `command` with the login shell of the SSH user (`sh -c` semantics); rejects when the connection fails or the deadline passes. */
  run(command: string, timeoutMs: number): Promise<RunResult>;
}

/** `value` as one POSIX sh word, whatever it holds (spaces, quotes, `$`, newlines). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Where setup keeps its files on the machine: an absolute path, or a path relative to the SSH
 * user's home, expanded by the machine's shell (`$HOME`), never assumed here (fal's images log in
 * as `ubuntu`; the tests' sshd as whoever runs them).
 */
export const DEFAULT_SETUP_DIR = '.fal/setup';

/** The shell expression for `dir` (setup's, or the jobs dir): quoted, with `$HOME` in front of a relative path. */
export function setupDirExpression(dir: string): string {
  if (dir.length === 0 || dir.includes('\0'))
    // l10n-exempt: a programming error (the dir is ours, or a test's), never shown
    throw new Error('the setup or jobs dir must be a non-empty path without NUL');
  return dir.startsWith('/') ? shellQuote(dir) : `"$HOME"/${shellQuote(dir)}`;
}
