// One error type for everything in src/ssh that refuses to write. The message is meant for the
// user as is (it names the file and line and says what to do); `code` lets callers branch.
import * as l10n from '@vscode/l10n';

export type SshConfigErrorCode =
  /** A value for a Host block (id, IP, user, port, path) that could inject or break config. */
  | 'invalid-value'
  /** A path we would write into a config line that OpenSSH would read differently. */
  | 'invalid-path'
  /** Our marker comment appears more than once in the user's config. */
  | 'duplicate-marker'
  /** Our marker comment is not followed by our Include line. */
  | 'broken-marker'
  /** Our Include sits below a Host/Match line, where it would only apply inside that block. */
  | 'include-below-host'
  /** The file is not UTF-8 text (invalid bytes or NUL bytes). */
  | 'not-text'
  /** The file could not be parsed as an SSH config. */
  | 'unparsable'
  /** Another writer held the lock for too long. */
  | 'locked'
  /** The file system failed a write (full disk, read-only, permissions, I/O error): nothing was changed. */
  | 'io';

export class SshConfigError extends Error {
  override readonly name = 'SshConfigError';
  constructor(
    readonly code: SshConfigErrorCode,
    message: string,
    /** 1-based line number in the file concerned, when there is one. */
    readonly line?: number,
  ) {
    super(message);
  }
}

/** The cause of a failed write, worded when it is shown; undefined for a code that is not one of these. */
function ioReason(code: string): string | undefined {
  switch (code) {
    case 'ENOSPC':
      return l10n.t('the disk is full. Free some space, then try again');
    case 'EDQUOT':
      return l10n.t('the disk quota is used up. Free some space, then try again');
    case 'EROFS':
      return l10n.t('the file system is read-only');
    case 'EACCES':
      return l10n.t('permission denied');
    case 'EPERM':
      return l10n.t('the operation is not permitted');
    case 'EIO':
      return l10n.t('an input/output error (a failing disk or network drive)');
    default:
      return undefined;
  }
}

/**
 * A file-system error from a write under ~/.ssh as an SshConfigError('io') that names the file
 * and the cause; anything else is returned as is. Every writer replaces files atomically (a temp
 * file and a rename), so a failure leaves each file as it was.
 */
export function ioError(e: unknown, file: string): unknown {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  const reason = typeof code === 'string' ? ioReason(code) : undefined;
  if (typeof code !== 'string' || reason === undefined) return e;
  return new SshConfigError(
    'io',
    l10n.t`Could not update ${file}: ${reason} (${code}). Nothing of yours was changed: every file was left as it was.`,
  );
}
