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
// Windows (Win32-OpenSSH, Git for Windows' MSYS2 OpenSSH): see the part below `Refuse`.
import { posix, win32 } from 'node:path';
import * as l10n from '@vscode/l10n';
import { SshConfigError } from './errors';

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
  if (path.includes('${')) refuse(l10n.t('OpenSSH would expand ${…} in it, and there is no way to write it literally'));
  if (style === 'win32') return windowsFileArg(path, refuse);
  if (!posix.isAbsolute(path)) refuse(l10n.t('it is not an absolute path'));
  const split = path.replace(/%/g, '%%');
  return { arg: quoteArg(split), split, opened: path };
}

/**
 * Include argument for the managed file. `home` is the user's home folder: on Windows the path
 * is written relative to it (`~/.ssh/…`), the one form both Windows clients resolve.
 */
export function formatIncludePath(path: string, home: string, style: PathStyle = localPathStyle()): FormattedPath {
  const refuse = refuser(path, l10n.t('managed SSH config'));
  checkCommon(path, refuse);
  if (style === 'win32') return windowsIncludeArg(path, home, refuse);
  if (!posix.isAbsolute(path)) refuse(l10n.t('it is not an absolute path'));
  if (path.includes('%')) refuse(percentInInclude());
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

export const percentInInclude = (): string =>
  l10n.t('it contains %, which OpenSSH 9.2 reads literally but newer versions expand in an Include');

export type Refuse = (why: string) => never;

function refuser(path: string, what: string): Refuse {
  return (why: string) => {
    throw new SshConfigError(
      'invalid-path',
      l10n.t`The ${what} path ${shownPath(path)} cannot be written into an SSH config: ${why}.`,
    );
  };
}

function checkCommon(path: string, refuse: Refuse): void {
  if (path === '') refuse(l10n.t('it is empty'));
  if (/[\r\n\0]/.test(path)) refuse(l10n.t('it contains a line break or NUL'));
}

export function shownPath(value: string): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…"` : text;
}

// Paths for the two OpenSSH clients found on Windows. What they do with a path:
//  - Win32-OpenSSH (C:\Windows\System32\OpenSSH, Remote-SSH's default) reads `C:\…` and `C:/…`
//    for files, but its Include check has read `Include C:\…` as relative to ~/.ssh
//    (PowerShell/Win32-OpenSSH#1511, 7.7; fixed by PowerShell/openssh-portable#414) and did so
//    again in 9.8.1 (Win32-OpenSSH#2312, fixed by openssh-portable#770); `/C:\…` worked in both.
//    Before glob it turns every `\` into `/` (convertToForwardslash in its readconf.c), so a
//    glob character in an Include path cannot be quoted there.
//  - Git for Windows' ssh is upstream OpenSSH on MSYS2: path_absolute() is `*path == '/'`, so
//    `C:\…` and `C:/…` in an Include are relative (→ ~/.ssh/C:…, "matched no files"), and MSYS
//    paths (/c/Users/…) mean nothing to Win32-OpenSSH.
// So an Include is written relative to the home folder (`~/.ssh/fal/config`), which both expand
// to the user's profile; file arguments are written with `/` (both open `C:/…`; no backslash
// is left for argv_split to misread, and OpenSSH before 8.7, which had no escapes, reads the same).

const DRIVE_ABSOLUTE = /^[A-Za-z]:[\\/]/;
const UNC = /^[\\/]{2}[^\\/?.][^\\/]*[\\/][^\\/]+/;

/** IdentityFile / UserKnownHostsFile on Windows: `C:/…` (or `//server/share/…`), `%` doubled. */
export function windowsFileArg(path: string, refuse: Refuse): FormattedPath {
  const slashed = checkedWindowsPath(path, refuse).replace(/\\/g, '/');
  const split = slashed.replace(/%/g, '%%');
  return { arg: `"${split}"`, split, opened: slashed };
}

/** Include on Windows: `~/…` when under the home folder, else `/C:/…` (Win32-OpenSSH only). */
export function windowsIncludeArg(path: string, home: string, refuse: Refuse): FormattedPath {
  const checked = checkedWindowsPath(path, refuse);
  const rel = win32.relative(win32.resolve(home), win32.resolve(checked));
  const underHome = rel !== '' && !rel.startsWith('..') && !win32.isAbsolute(rel);
  let split: string;
  if (underHome) split = `~/${rel.replace(/\\/g, '/')}`;
  else if (DRIVE_ABSOLUTE.test(checked)) split = `/${checked.replace(/\\/g, '/')}`;
  else return refuse(l10n.t('on Windows it must be inside your home folder or on a drive letter (C:\\…)'));
  if (split.includes('%')) refuse(percentInInclude());
  if (split.includes('${')) refuse(l10n.t('newer OpenSSH versions would expand ${…} in it'));
  if (/[*?[]/.test(split))
    refuse(
      l10n.t('it contains a glob character (*, ? or [), which Windows OpenSSH cannot read literally in an Include'),
    );
  return { arg: `"${split}"`, split, opened: checked.replace(/\\/g, '/') };
}

function checkedWindowsPath(path: string, refuse: Refuse): string {
  if (/^[\\/]{2}[?.][\\/]/.test(path))
    refuse(l10n.t('OpenSSH cannot open \\\\?\\ or \\\\.\\ device paths; use the plain C:\\… form'));
  if (!DRIVE_ABSOLUTE.test(path) && !UNC.test(path))
    refuse(l10n.t('it is not an absolute Windows path (C:\\… or \\\\server\\share\\…)'));
  if (path.includes('"')) refuse(l10n.t('it contains a double quote'));
  return path;
}
