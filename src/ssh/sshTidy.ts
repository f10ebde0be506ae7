// Leaving no trace. When no fal host entry is left (the last instance was deleted), or when the
// user asks (the "Remove SSH Config Changes" command, the uninstall script), everything this
// extension added goes: our two lines in every SSH config we added them to (which gives back the
// user's original bytes), the managed file, our known_hosts, the record of where we wrote, the
// ~/.ssh/fal folder, and the one-time backup — when it is byte-identical to the restored config,
// i.e. no longer needed. Kept, and said so: a backup that differs (the user changed the config
// since: it is the only copy of how it was before), lines the user added to the managed file
// (and so its Include), a config whose fal-compute lines were edited by hand.
import { existsSync } from 'node:fs';
import { rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as l10n from '@vscode/l10n';
import { resolveSymlinks, writeFileAtomic } from './atomicWrite';
import { localPathStyle, type PathStyle } from './configPath';
import { readConfigText } from './configText';
import { SshConfigError } from './errors';
import { includersPath, readIncluders } from './includers';
import { allHostBlocks, MANAGED_HEADER, readIfExists, underLock } from './managedConfig';
import { errorCode } from './nodeErrors';
import type { SshPaths } from './paths';
import { BACKUP_SUFFIX, planRemoveInclude, removeIncludeLocked } from './sshConfigFile';

export interface TidyReport {
  /** What went, one short line each (for the log and the message). */
  readonly removed: string[];
  /** What stayed, and why. */
  readonly kept: string[];
}

const HEADER_LINES = new Set(MANAGED_HEADER.split('\n').filter((l) => l !== ''));

/** When no fal host entry is left, removes every trace (see above); undefined when entries remain or nothing is there. */
export async function tidyIfNoHosts(
  paths: SshPaths,
  home: string,
  style: PathStyle = localPathStyle(),
): Promise<TidyReport | undefined> {
  return tidy(paths, home, style, false);
}

/** Removes every host entry and every trace of the extension in the user's SSH setup. */
export async function removeSshConfigChanges(
  paths: SshPaths,
  home: string,
  style: PathStyle = localPathStyle(),
): Promise<TidyReport> {
  return (await tidy(paths, home, style, true)) ?? { removed: [], kept: [] };
}

async function tidy(
  paths: SshPaths,
  home: string,
  style: PathStyle,
  removeHosts: boolean,
): Promise<TidyReport | undefined> {
  const configs = [
    ...new Set([...(await readIncluders(paths.managedConfig)), paths.userConfig, join(home, '.ssh', 'config')]),
  ];
  // Nothing of ours anywhere: do nothing (not even create the folder the lock lives in).
  if (!existsSync(paths.falDir) && !(await anyMarked(configs, paths, home, style))) return undefined;
  const report: TidyReport = { removed: [], kept: [] };
  const done = await underLock(paths.managedConfig, async () => {
    if (!(await tidyManagedFile(paths.managedConfig, removeHosts, report))) return false;
    for (const config of configs) await removeOurLines(config, paths, home, style, report);
    for (const file of [
      paths.managedConfig,
      paths.knownHosts,
      `${paths.knownHosts}.old`,
      includersPath(paths.managedConfig),
    ]) {
      if (await removeFile(file)) report.removed.push(file);
    }
    return true;
  });
  const said = () => (report.removed.length || report.kept.length ? report : undefined);
  if (!done) return said();
  try {
    await rmdir(paths.falDir); // after the lock (a folder inside it) is gone
    report.removed.push(paths.falDir);
  } catch (e) {
    if (errorCode(e) === 'ENOTEMPTY' || errorCode(e) === 'EEXIST')
      report.kept.push(l10n.t`${paths.falDir}: it holds files that are not the extension's`);
    else if (errorCode(e) !== 'ENOENT') throw e;
  }
  return said();
}

/**
 * Decides about the managed file: false when host entries remain (and we are only tidying), or
 * when it holds lines the user added (then only our blocks go; the file and its Include stay).
 */
async function tidyManagedFile(managedPath: string, removeHosts: boolean, report: TidyReport): Promise<boolean> {
  const bytes = await readIfExists(managedPath);
  if (bytes === null) return true;
  const doc = readConfigText(bytes, managedPath);
  const blocks = allHostBlocks(doc.lines);
  if (blocks.length && !removeHosts) return false;
  const ours = new Set(blocks.flatMap((b) => b.lines));
  const rest = doc.lines.filter((l) => !ours.has(l));
  const theirs = rest.filter((l) => l.text.trim() !== '' && !HEADER_LINES.has(l.text));
  if (theirs.length === 0) return true;
  if (blocks.length) {
    await writeFileAtomic(managedPath, Buffer.concat(rest.map((l) => bytes.subarray(l.start, l.next))), {
      ifUnchanged: bytes,
    });
    report.removed.push(
      blocks.length === 1
        ? l10n.t`${blocks.length} host entry from ${managedPath}`
        : l10n.t`${blocks.length} host entries from ${managedPath}`,
    );
  }
  report.kept.push(
    l10n.t`${managedPath} and the Include of it: it holds lines you added (line ${theirs[0]!.index + 1}: ${JSON.stringify(theirs[0]!.text.trim().slice(0, 60))})`,
  );
  return false;
}

/** Our two lines out of one config; then its backup, or the config itself if we created it. */
async function removeOurLines(
  config: string,
  paths: SshPaths,
  home: string,
  style: PathStyle,
  report: TidyReport,
): Promise<void> {
  let removed: boolean;
  try {
    removed = (await removeIncludeLocked(config, paths.managedConfig, home, style)) === 'removed';
  } catch (e) {
    if (!(e instanceof SshConfigError)) throw e;
    report.kept.push(l10n.t`the fal-compute lines in ${config}: ${e.message}`);
    return;
  }
  if (removed) report.removed.push(l10n.t`the fal-compute lines in ${config}`);
  const restored = await readIfExists(config);
  const backup = `${config}${BACKUP_SUFFIX}`;
  const saved = await readIfExists(backup);
  if (saved !== null) {
    if (restored !== null && saved.equals(restored)) {
      await rm(backup, { force: true });
      report.removed.push(l10n.t`${backup} (identical to ${config} again)`);
    } else {
      report.kept.push(
        l10n.t`${backup}: it differs from ${config} (changed since the first change by fal Compute); it is the copy from before that change`,
      );
    }
  } else if (removed && restored !== null && restored.length === 0) {
    await rm(await resolveSymlinks(config), { force: true }); // we created it: the file had not existed
    report.removed.push(l10n.t`${config} (created by fal Compute, empty again)`);
  }
}

async function anyMarked(
  configs: readonly string[],
  paths: SshPaths,
  home: string,
  style: PathStyle,
): Promise<boolean> {
  for (const config of configs) {
    const bytes = await readIfExists(config);
    try {
      if (bytes !== null && planRemoveInclude(bytes, paths.managedConfig, config, home, style).result === 'removed')
        return true;
    } catch {
      return true; // a broken marker is ours too: go on and report it
    }
  }
  return false;
}

async function removeFile(path: string): Promise<boolean> {
  try {
    await rm(path);
    return true;
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return false;
    throw e;
  }
}
