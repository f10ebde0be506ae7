// One error type for everything in src/ssh that refuses to write. The message is meant for the
// user as is (it names the file and line and says what to do); `code` lets callers branch.

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
  | 'locked';

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
