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
import { win32 } from 'node:path';
import { PERCENT_IN_INCLUDE, type FormattedPath, type Refuse } from './configPath';

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
  else return refuse('on Windows it must be inside your home folder or on a drive letter (C:\\…)');
  if (split.includes('%')) refuse(PERCENT_IN_INCLUDE);
  if (split.includes('${')) refuse('newer OpenSSH versions would expand ${…} in it');
  if (/[*?[]/.test(split)) refuse('it contains a glob character (*, ? or [), which Windows OpenSSH cannot read literally in an Include');
  return { arg: `"${split}"`, split, opened: checked.replace(/\\/g, '/') };
}

function checkedWindowsPath(path: string, refuse: Refuse): string {
  if (/^[\\/]{2}[?.][\\/]/.test(path)) refuse('OpenSSH cannot open \\\\?\\ or \\\\.\\ device paths; use the plain C:\\… form');
  if (!DRIVE_ABSOLUTE.test(path) && !UNC.test(path)) refuse('it is not an absolute Windows path (C:\\… or \\\\server\\share\\…)');
  if (path.includes('"')) refuse('it contains a double quote');
  return path;
}
