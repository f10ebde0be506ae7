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
// Why the very top (before a BOM too, see planEnsureInclude) and not just "somewhere before the first Host/Match": ssh uses
// the FIRST value it finds for each option, and directives above the first Host apply to every
// host. A top-level `User root` or an early `Host *` block above our Include would silently win
// over our `User ubuntu`/`IdentityFile`. At the top, our blocks (which match only fal-* aliases)
// are read first; for anything else the user's config is evaluated exactly as before.
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import * as l10n from '@vscode/l10n';
import { FileChangedError, resolveSymlinks, writeFileAtomic } from './atomicWrite';
import { localPathStyle, type PathStyle } from './configPath';
import { readConfigText } from './configText';
import { SshConfigError } from './errors';
import { createManagedFileIfMissing, readIfExists, underLock } from './managedConfig';
import { readIncluders, recordIncluder } from './includers';
import { findOurInclude, firstSectionLine, includeLine, ourLines } from './ourInclude';

export { listHosts, MANAGED_HEADER, removeHost, upsertHost } from './managedConfig';
export { firstSectionLine, INCLUDE_MARKER, includeLine } from './ourInclude';

export const BACKUP_SUFFIX = '.fal-backup';

export type EnsurePlan =
  { readonly result: 'present' } | { readonly result: 'added' | 'updated'; readonly bytes: Buffer };

/**
 * Pure core of ensureInclude: what the user's config must become. Throws SshConfigError (and so
 * writes nothing) for a duplicated or broken marker, our Include below a Host/Match, or non-text.
 * 'updated': our own Include line was in a spelling OpenSSH misreads (see ourInclude.ts) and is
 * rewritten in place; every other byte stays.
 */
export function planEnsureInclude(
  original: Buffer,
  managedPath: string,
  fileName: string,
  home = homedir(),
  style: PathStyle = localPathStyle(),
): EnsurePlan {
  const ours = ourLines(managedPath, home, style, '\n'); // validates managedPath before anything else
  const doc = readConfigText(original, fileName);
  const found = findOurInclude(doc, managedPath, fileName, home, style);
  if (found) {
    const section = firstSectionLine(doc);
    if (section !== undefined && section.index < found.include.index) {
      throw new SshConfigError(
        'include-below-host',
        l10n.t`${fileName} line ${found.include.index + 1}: the Include of the fal Compute hosts is below "${section.text.trim()}" (line ${section.index + 1}), where ssh applies it only inside that block, so the fal hosts would not be found. Move the fal-compute lines to the top of the file, then try again. Nothing was changed.`,
        found.include.index + 1,
      );
    }
    const wanted = includeLine(managedPath, home, style);
    if (found.reading === 'works' || found.include.text === wanted) return { result: 'present' };
    const eol = found.include.hasEol
      ? original.subarray(found.include.start, found.include.next).subarray(Buffer.byteLength(found.include.text))
      : Buffer.alloc(0);
    const bytes = Buffer.concat([
      original.subarray(0, found.include.start),
      Buffer.from(wanted, 'utf8'),
      eol,
      original.subarray(found.include.next),
    ]);
    return { result: 'updated', bytes };
  }
  // At byte 0, even before a BOM: OpenSSH reads a BOM as part of the first keyword (and rejects
  // the file); kept in front of the user's first line, it means exactly what it meant before.
  const insert = Buffer.from(doc.eol === '\n' ? ours : ours.replace(/\n/g, '\r\n'), 'utf8');
  return { result: 'added', bytes: Buffer.concat([insert, original]) };
}

export type RemovePlan = { readonly result: 'absent' } | { readonly result: 'removed'; readonly bytes: Buffer };

/** Pure core of removeInclude: the file without our marker line and the Include line below it. */
export function planRemoveInclude(
  original: Buffer,
  managedPath: string,
  fileName: string,
  home = homedir(),
  style: PathStyle = localPathStyle(),
): RemovePlan {
  const doc = readConfigText(original, fileName);
  const found = findOurInclude(doc, managedPath, fileName, home, style);
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
  // At the start of the file, or of the user's first line once our two lines are above it.
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const at = original.subarray(0, 3).equals(bom) ? 0 : original.indexOf(Buffer.concat([Buffer.from('\n'), bom]));
  if (at !== -1) {
    // OpenSSH reads the BOM as part of the first keyword: "Bad configuration option: \357\273\277host".
    warnings.push(
      l10n.t`${fileName} has a UTF-8 byte order mark (BOM) at the start of your first line, which OpenSSH cannot read: ssh stops with "Bad configuration option" for every host, the fal hosts included. Save the file as UTF-8 without BOM.`,
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
export async function ensureInclude(
  userConfigPath: string,
  managedPath: string,
  home = homedir(),
  style: PathStyle = localPathStyle(),
): Promise<'added' | 'updated' | 'present'> {
  includeLine(managedPath, home, style); // refuse a bad path before creating anything
  // Refuse a config we must not touch before creating anything of ours (folder, lock, managed file).
  const current = await readIfExists(userConfigPath);
  if (current !== null && planEnsureInclude(current, managedPath, userConfigPath, home, style).result === 'present') {
    if (!(await readIncluders(managedPath)).includes(userConfigPath))
      await underLock(managedPath, () => recordIncluder(managedPath, userConfigPath), userConfigPath);
    return 'present';
  }
  return underLock(
    managedPath,
    async () => {
      await createManagedFileIfMissing(managedPath);
      const original = await readIfExists(userConfigPath);
      let result: 'added' | 'updated' | 'present';
      if (original === null) {
        await mkdir(dirname(await resolveSymlinks(userConfigPath)), { recursive: true, mode: 0o700 });
        await writeFileAtomic(userConfigPath, ourLines(managedPath, home, style, '\n'), {
          newFileMode: 0o600,
          ifUnchanged: null,
        });
        result = 'added';
      } else {
        const plan = planEnsureInclude(original, managedPath, userConfigPath, home, style);
        result = plan.result;
        if (plan.result !== 'present') {
          await backupOnce(userConfigPath, original);
          await writeFileAtomic(userConfigPath, plan.bytes, { ifUnchanged: original });
        }
      }
      await recordIncluder(managedPath, userConfigPath); // for removing it again (sshTidy.ts)
      return result;
    },
    userConfigPath,
  );
}

/**
 * Removes exactly our two lines, giving back the file as it was before ensureInclude. No backup
 * is made: the result is the user's own bytes (the backup of the first change already exists).
 */
export async function removeInclude(
  userConfigPath: string,
  managedPath: string,
  home = homedir(),
  style: PathStyle = localPathStyle(),
): Promise<'removed' | 'absent'> {
  const current = await readIfExists(userConfigPath);
  if (current === null || planRemoveInclude(current, managedPath, userConfigPath, home, style).result === 'absent')
    return 'absent';
  return underLock(
    managedPath,
    async () => removeIncludeLocked(userConfigPath, managedPath, home, style),
    userConfigPath,
  );
}

/** removeInclude for a caller that already holds the lock. */
export async function removeIncludeLocked(
  userConfigPath: string,
  managedPath: string,
  home: string,
  style: PathStyle,
): Promise<'removed' | 'absent'> {
  const original = await readIfExists(userConfigPath);
  if (original === null) return 'absent';
  const plan = planRemoveInclude(original, managedPath, userConfigPath, home, style);
  if (plan.result === 'absent') return 'absent';
  await writeFileAtomic(userConfigPath, plan.bytes, { ifUnchanged: original });
  return 'removed';
}

/**
 * `<config>.fal-backup` (mode 0600), written once: through a temp file and a rename, so a full
 * disk or a crash midway never leaves a truncated backup that would then count as done. An
 * existing backup is kept.
 */
async function backupOnce(userConfigPath: string, original: Buffer): Promise<void> {
  try {
    await writeFileAtomic(`${userConfigPath}${BACKUP_SUFFIX}`, original, { newFileMode: 0o600, ifUnchanged: null });
  } catch (e) {
    if (!(e instanceof FileChangedError)) throw e; // it exists: the first backup wins
  }
}
