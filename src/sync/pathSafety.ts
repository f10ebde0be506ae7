// Whether a name the machine sent may become a file under the local folder. The machine is not
// trusted: a name is refused (by name, with the reason) when it could land outside the folder
// (absolute, '..', an empty or '.' part) or cannot be a file name where it lands (names Windows
// refuses, when the folder is on Windows). Pure; test/unit/sync/pathSafety.test.ts generates names
// and checks that none that passes resolves outside the folder.
import * as l10n from '@vscode/l10n';

export interface PathRules {
  /** Apply Windows' rules too (the local folder is on Windows). */
  readonly windows: boolean;
}

export const LOCAL_PATH_RULES: PathRules = { windows: process.platform === 'win32' };

const WINDOWS_FORBIDDEN = /[<>:"|?*\\\u0000-\u001f]/;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;

/** Why the relative name `name` ('/'-separated, as in the manifest and the tar) is unsafe, or undefined. */
export function unsafeNameReason(name: string, rules: PathRules = LOCAL_PATH_RULES): string | undefined {
  if (name.includes('\0')) return l10n.t('the name holds a NUL byte');
  if (name.includes('\uFFFD')) return l10n.t('the name is not valid UTF-8');
  if (name.startsWith('/') || (rules.windows && /^([A-Za-z]:|\\)/.test(name))) return l10n.t('an absolute path');
  const parts = name.split('/');
  if (parts.includes('..')) return l10n.t('the path leaves the folder (..)');
  if (parts.some((p) => p === '' || p === '.')) return l10n.t('the path has an empty or "." part');
  if (!rules.windows) return undefined;
  for (const part of parts) {
    if (WINDOWS_FORBIDDEN.test(part)) return l10n.t('a character Windows does not allow in file names');
    if (WINDOWS_RESERVED.test(part)) return l10n.t('a device name on Windows');
    if (/[. ]$/.test(part)) return l10n.t('Windows does not allow a name ending in a dot or space');
  }
  return undefined;
}
