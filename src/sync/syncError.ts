// One error type for both directions, by what the caller does about it: 'cancelled' says nothing,
// 'connection' offers to run it again (it resumes), 'remote' and 'localFile' say what failed where.
import * as l10n from '@vscode/l10n';
import { CommandTransportError } from '../connections/commandTransport';
import { errorText } from '../base/errorText';

export type SyncErrorKind =
  /** The caller's signal aborted it. */
  | 'cancelled'
  /** The connection dropped or stalled: running it again resumes where the machine's copy is. */
  | 'connection'
  /** A command on the machine failed (no tar, a full disk there); the message holds its stderr. */
  | 'remote'
  /** A local file could not be read or written (a full disk here). */
  | 'localFile'
  /** What the caller asked for cannot be done (the remote folder is not under home). */
  | 'badRequest';

export class SyncError extends Error {
  constructor(
    readonly kind: SyncErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

/** What a failure of a transfer step means, given the caller's signal. */
export function syncErrorOf(e: unknown, signal: AbortSignal | undefined): SyncError {
  if (signal?.aborted) return new SyncError('cancelled', l10n.t('cancelled'));
  if (e instanceof SyncError) return e;
  if (e instanceof CommandTransportError) {
    return new SyncError(e.kind === 'localFile' ? 'localFile' : 'connection', e.message);
  }
  return new SyncError('localFile', errorText(e));
}

/**
 * A failed command on the machine, in words: its stderr's last line, or why it could not start.
 * GNU tar reports a full disk as ENOSPC or, when a write was cut short, "Wrote only N of M bytes".
 */
export function remoteFailure(what: string, exitCode: number | undefined, stderr: string): SyncError {
  const lastLine = tellingLine(stderr);
  if (/No space left on device|Disk quota exceeded|Wrote only \d+ of \d+ bytes/i.test(lastLine))
    return new SyncError('remote', l10n.t("{0} failed: the machine's disk is full ({1})", what, lastLine));
  if (exitCode === 127)
    return new SyncError('remote', l10n.t('{0}: a command is missing on the machine ({1})', what, lastLine));
  return new SyncError(
    'remote',
    l10n.t('{0} failed on the machine (exit {1}): {2}', what, String(exitCode ?? '?'), lastLine),
  );
}

/**
 * The line of stderr that says why: tar's last line is only "Exiting with failure status due to
 * previous errors", so the first line naming a cause wins, else the last line that is not that.
 */
function tellingLine(stderr: string): string {
  const lines = stderr
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '');
  const cause = lines.find((l) =>
    /No space left|quota exceeded|Wrote only \d+ of \d+ bytes|Read-only file system|Permission denied/i.test(l),
  );
  return cause ?? lines.filter((l) => !/Exiting with failure status/.test(l)).pop() ?? lines.pop() ?? '';
}
