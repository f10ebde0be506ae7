// The only change this extension makes to the user's own SSH config (~/.ssh/config, or VS Code's
// remote.SSH.configFile): two lines at the top,
//
//   # fal-compute: the next line includes the SSH hosts of the fal Compute VS Code extension
//   Include "/home/u/.ssh/fal/config"
//
// Everything else lives in the managed file we own (managedConfig.ts). The two lines are inserted
// and removed by byte surgery, never by re-serialising the file, so every other byte survives:
// BOM, CRLF, tabs, `Key=Value`, comments, a missing final newline.
//
// Why the very top (after a BOM) and not just "somewhere before the first Host/Match": ssh uses
// the FIRST value it finds for each option, and directives above the first Host apply to every
// host. A top-level `User root` or an early `Host *` block above our Include would silently win
// over our `User ubuntu`/`IdentityFile`. At the top, our blocks (which match only fal-* aliases)
// are read first; for anything else the user's config is evaluated exactly as before.
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, normalize, resolve } from 'node:path';
import SSHConfig, { LineType } from 'ssh-config';
import { resolveSymlinks, writeFileAtomic } from './atomicWrite';
import { isSectionKeyword, parseConfigLine, readConfigText, type ConfigLine, type ConfigText } from './configText';
import { SshConfigError } from './errors';
import { quoteConfigPath } from './hostEntry';
import { createManagedFileIfMissing, readIfExists, underLock } from './managedConfig';
import { errorCode } from './nodeErrors';

export { listHosts, MANAGED_HEADER, removeHost, upsertHost } from './managedConfig';

export const INCLUDE_MARKER = '# fal-compute: the next line includes the SSH hosts of the fal Compute VS Code extension';
/** A line starting like this (after indentation) is taken as our marker, even if edited after it. */
const MARKER_PREFIX = '# fal-compute:';
export const BACKUP_SUFFIX = '.fal-backup';

/** `Include "<managedPath>"`; throws SshConfigError for a path OpenSSH would read differently. */
export function includeLine(managedPath: string): string {
  return `Include ${quoteConfigPath(managedPath, 'managed SSH config', false)}`;
}

export type EnsurePlan = { readonly result: 'present' } | { readonly result: 'added'; readonly bytes: Buffer };

/**
 * Pure core of ensureInclude: what the user's config must become. Throws SshConfigError (and so
 * writes nothing) for a duplicated or broken marker, our Include below a Host/Match, or non-text.
 */
export function planEnsureInclude(original: Buffer, managedPath: string, fileName: string, home = homedir()): EnsurePlan {
  const ours = ourLines(managedPath, '\n'); // validates managedPath before anything else
  const doc = readConfigText(original, fileName);
  const found = findOurInclude(doc, managedPath, fileName, home);
  if (found) {
    const section = firstSectionLine(doc);
    if (section !== undefined && section.index < found.include.index) {
      throw new SshConfigError(
        'include-below-host',
        `${fileName} line ${found.include.index + 1}: the Include of the fal Compute hosts is below "${section.text.trim()}" (line ${section.index + 1}), ` +
          'where ssh applies it only inside that block, so the fal hosts would not be found. ' +
          'Move the fal-compute lines to the top of the file, then try again. Nothing was changed.',
        found.include.index + 1,
      );
    }
    return { result: 'present' };
  }
  const insert = Buffer.from(doc.eol === '\n' ? ours : ours.replace(/\n/g, '\r\n'), 'utf8');
  return { result: 'added', bytes: Buffer.concat([original.subarray(0, doc.bomLength), insert, original.subarray(doc.bomLength)]) };
}

export type RemovePlan = { readonly result: 'absent' } | { readonly result: 'removed'; readonly bytes: Buffer };

/** Pure core of removeInclude: the file without our marker line and the Include line below it. */
export function planRemoveInclude(original: Buffer, managedPath: string, fileName: string, home = homedir()): RemovePlan {
  const doc = readConfigText(original, fileName);
  const found = findOurInclude(doc, managedPath, fileName, home);
  if (!found?.marker) return { result: 'absent' }; // an unmarked Include is the user's own line
  return {
    result: 'removed',
    bytes: Buffer.concat([original.subarray(0, found.marker.start), original.subarray(found.include.next)]),
  };
}

/**
 * Problems in the user's config that keep OpenSSH from reading it at all. They are not ours to
 * fix (not our bytes), but the user should hear about them instead of a failing Connect.
 */
export function userConfigWarnings(original: Buffer, fileName: string): string[] {
  const warnings: string[] = [];
  if (original.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))) {
    // OpenSSH reads the BOM as part of the first keyword: "Bad configuration option: \357\273\277host".
    warnings.push(
      `${fileName} starts with a UTF-8 byte order mark (BOM), which OpenSSH cannot read: ssh stops with ` +
        '"Bad configuration option" for every host, the fal hosts included. Save the file as UTF-8 without BOM.',
    );
  }
  return warnings;
}

/**
 * Makes the user's SSH config include the managed file (idempotent). A missing config is created
 * (mode 0600, its folder 0700) with only our two lines. Before the first change of an existing
 * file, its original is copied once to `<config>.fal-backup` (an existing backup is never
 * overwritten). The file's mode, line endings and symlink are kept.
 */
export async function ensureInclude(userConfigPath: string, managedPath: string, home = homedir()): Promise<'added' | 'present'> {
  includeLine(managedPath); // refuse a bad path before creating anything
  // Refuse a config we must not touch before creating anything of ours (folder, lock, managed file).
  const current = await readIfExists(userConfigPath);
  if (current !== null && planEnsureInclude(current, managedPath, userConfigPath, home).result === 'present') return 'present';
  return underLock(managedPath, async () => {
    await createManagedFileIfMissing(managedPath);
    const original = await readIfExists(userConfigPath);
    if (original === null) {
      await mkdir(dirname(await resolveSymlinks(userConfigPath)), { recursive: true, mode: 0o700 });
      await writeFileAtomic(userConfigPath, ourLines(managedPath, '\n'), { newFileMode: 0o600, ifUnchanged: null });
      return 'added';
    }
    const plan = planEnsureInclude(original, managedPath, userConfigPath, home);
    if (plan.result === 'present') return 'present';
    await backupOnce(userConfigPath, original);
    await writeFileAtomic(userConfigPath, plan.bytes, { ifUnchanged: original });
    return 'added';
  });
}

/** Removes exactly our two lines, giving back the file as it was before ensureInclude. */
export async function removeInclude(userConfigPath: string, managedPath: string, home = homedir()): Promise<'removed' | 'absent'> {
  const current = await readIfExists(userConfigPath);
  if (current === null || planRemoveInclude(current, managedPath, userConfigPath, home).result === 'absent') return 'absent';
  return underLock(managedPath, async () => {
    const original = await readIfExists(userConfigPath);
    if (original === null) return 'absent';
    const plan = planRemoveInclude(original, managedPath, userConfigPath, home);
    if (plan.result === 'absent') return 'absent';
    await backupOnce(userConfigPath, original);
    await writeFileAtomic(userConfigPath, plan.bytes, { ifUnchanged: original });
    return 'removed';
  });
}

function ourLines(managedPath: string, eol: string): string {
  return `${INCLUDE_MARKER}${eol}${includeLine(managedPath)}${eol}`;
}

interface FoundInclude {
  readonly marker?: ConfigLine;
  readonly include: ConfigLine;
}

function findOurInclude(doc: ConfigText, managedPath: string, fileName: string, home: string): FoundInclude | undefined {
  const markers = doc.lines.filter((l) => l.text.trimStart().startsWith(MARKER_PREFIX));
  const isOurs = (line: ConfigLine | undefined) => {
    if (!line || !/^[ \t]*"?include/i.test(line.text)) return false; // cheap pre-check: big files have many lines
    const parsed = parseConfigLine(line.text);
    return parsed.keyword === 'include' && parsed.args.length === 1 && samePath(parsed.args[0]!, managedPath, home);
  };
  if (markers.length > 1) {
    throw new SshConfigError(
      'duplicate-marker',
      `${fileName} contains the fal Compute marker comment ${markers.length} times (lines ${markers.map((m) => m.index + 1).join(', ')}). ` +
        'Keep one marker line with the Include line right below it and delete the others, then try again. Nothing was changed.',
      markers[1]!.index + 1,
    );
  }
  const marker = markers[0];
  if (marker) {
    const include = doc.lines[marker.index + 1];
    if (!include || !isOurs(include)) {
      throw new SshConfigError(
        'broken-marker',
        `${fileName} line ${marker.index + 1}: the fal Compute marker comment is not followed by its line ${includeLine(managedPath)}. ` +
          'Delete the marker line, or put that Include line right below it, then try again. Nothing was changed.',
        marker.index + 1,
      );
    }
    return { marker, include };
  }
  // No marker, but the user wrote (or kept) an Include of our file: theirs, but it does the job.
  const include = doc.lines.find(isOurs);
  return include && { include };
}

/**
 * The first Host/Match line. Found twice, by our OpenSSH-faithful line reader and by the
 * ssh-config library, and the earlier one wins: placing our Include too early is harmless,
 * too late would hide it inside a block.
 */
export function firstSectionLine(doc: ConfigText): ConfigLine | undefined {
  const own = doc.lines.find((l) => isSectionKeyword(parseConfigLine(l.text).keyword));
  // The library only needs to see the text up to our answer: a section it finds later is moot.
  const end = own ? own.next : doc.bytes.length;
  const byLibrary = firstSectionLineByLibrary(doc.bytes.toString('utf8', doc.bomLength, end));
  const library = byLibrary === undefined ? undefined : doc.lines[byLibrary];
  if (!own) return library;
  if (!library) return own;
  return library.index < own.index ? library : own;
}

/** 0-based line of the first top-level Host/Match per the ssh-config library (undefined if none or unparsable). */
function firstSectionLineByLibrary(text: string): number | undefined {
  let config: SSHConfig;
  try {
    config = SSHConfig.parse(text);
  } catch {
    return undefined; // the library rejects some lines OpenSSH accepts; our own reader still answers
  }
  let newlines = 0;
  const count = (s: string) => s.split('\n').length - 1;
  for (const node of config) {
    newlines += count(node.before);
    if (node.type === LineType.DIRECTIVE && 'config' in node) return newlines;
    newlines += count(node.after);
  }
  return undefined;
}

function samePath(arg: string, managedPath: string, home: string): boolean {
  const expanded = arg === '~' || arg.startsWith('~/') ? join(home, arg.slice(1)) : arg;
  const norm = (p: string) => {
    const n = normalize(resolve(p));
    return process.platform === 'win32' ? n.toLowerCase() : n;
  };
  return norm(expanded) === norm(managedPath);
}

/** `<config>.fal-backup`, written once (O_EXCL) with mode 0600; an existing backup is kept. */
async function backupOnce(userConfigPath: string, original: Buffer): Promise<void> {
  try {
    await writeFile(`${userConfigPath}${BACKUP_SUFFIX}`, original, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if (errorCode(e) !== 'EEXIST') throw e;
  }
}
