// Writing a file path as one ssh_config argument so that OpenSSH reads back exactly that path,
// or refusing with a message that says why. What OpenSSH does with an argument (OpenSSH 8.7+,
// read in openssh-portable misc.c 1.184 and readconf.c; checked against the real ssh in
// test/unit/ssh/configPath.test.ts with generated hostile paths):
//  1. misc.c argv_split() splits the line. Inside double quotes a backslash escapes only `\`, `"`
//     and `'` (`\\` → `\`); before any other character it stays a backslash. So a path ending in
//     `\` must be written `\\`, or `\"` would swallow the closing quote ("invalid quotes": ssh
//     then refuses the whole config, for every host).
//  2. IdentityFile / UserKnownHostsFile: `~` is expanded at the start only, then %-tokens and
//     ${ENV} (misc.c percent_dollar_expand): `%` is written `%%`; a literal `${` cannot be written.
//  3. Include: the argument is a glob(3) pattern (GLOB_TILDE; OpenSSH's own openbsd-compat glob
//     on Linux), where `\` quotes the next character. Every glob-special character (`\ * ? [`) and
//     `$` (newer OpenSSH expands ${ENV} in Include, 9.2 does not; `\$` means `$` to both) is
//     quoted with `\`, then the result is escaped as in 1. `%` is refused: 9.2 keeps it literal,
//     newer versions expand %-tokens in Include, so no spelling means the same to both.
// Windows (Win32-OpenSSH, Git for Windows' MSYS2 OpenSSH) is handled by windowsPath.ts.
import { posix } from 'node:path';
import { SshConfigError } from './errors';
import { windowsFileArg, windowsIncludeArg } from './windowsPath';

export type PathStyle = 'posix' | 'win32';

/** The path style of the OpenSSH this machine runs. */
export function localPathStyle(): PathStyle {
  return process.platform === 'win32' ? 'win32' : 'posix';
}

export interface FormattedPath {
  /** The text after the keyword, quoted and escaped: `"…"`. */
  readonly arg: string;
  /** What argv_split gives OpenSSH (before %-token expansion): what `ssh -G` prints for IdentityFile. */
  readonly split: string;
  /** The path OpenSSH finally opens (after %-tokens, Windows slashes turned to `/`). */
  readonly opened: string;
}

/** IdentityFile / UserKnownHostsFile argument for `path`; throws SshConfigError 'invalid-path'. */
export function formatFilePath(path: string, what: string, style: PathStyle = localPathStyle()): FormattedPath {
  const refuse = refuser(path, what);
  checkCommon(path, refuse);
  if (path.includes('${')) refuse('OpenSSH would expand ${…} in it, and there is no way to write it literally');
  if (style === 'win32') return windowsFileArg(path, refuse);
  if (!posix.isAbsolute(path)) refuse('it is not an absolute path');
  const split = path.replace(/%/g, '%%');
  return { arg: quoteArg(split), split, opened: path };
}

/**
 * Include argument for the managed file. `home` is the user's home folder: on Windows the path
 * is written relative to it (`~/.ssh/…`), the one form both Windows clients resolve.
 */
export function formatIncludePath(path: string, home: string, style: PathStyle = localPathStyle()): FormattedPath {
  const refuse = refuser(path, 'managed SSH config');
  checkCommon(path, refuse);
  if (style === 'win32') return windowsIncludeArg(path, home, refuse);
  if (!posix.isAbsolute(path)) refuse('it is not an absolute path');
  if (path.includes('%')) refuse(PERCENT_IN_INCLUDE);
  const split = path.replace(/[\\*?[$]/g, (c) => `\\${c}`);
  return { arg: quoteArg(split), split, opened: path };
}

/** `"…"` such that argv_split gives back exactly `value`. */
export function quoteArg(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** An Include argument (after argv_split) as the path glob reads it, or undefined if it is a real pattern. */
export function unglob(pattern: string): string | undefined {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) out += pattern[++i];
    else if ('*?['.includes(c)) return undefined;
    else out += c;
  }
  return out;
}

export const PERCENT_IN_INCLUDE = 'it contains %, which OpenSSH 9.2 reads literally but newer versions expand in an Include';

export type Refuse = (why: string) => never;

function refuser(path: string, what: string): Refuse {
  return (why: string) => {
    throw new SshConfigError('invalid-path', `The ${what} path ${shownPath(path)} cannot be written into an SSH config: ${why}.`);
  };
}

function checkCommon(path: string, refuse: Refuse): void {
  if (path === '') refuse('it is empty');
  if (/[\r\n\0]/.test(path)) refuse('it contains a line break or NUL');
}

export function shownPath(value: string): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…"` : text;
}
