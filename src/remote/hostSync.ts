// Writing and pruning our SSH host entries (plain Node, no `vscode`): the managed file
// ~/.ssh/fal/config plus the one marked Include line in the user's config; after each write,
// the real ssh is asked how it resolves the host (ssh -G).
import * as l10n from '@vscode/l10n';
import { readFile } from 'node:fs/promises';
import {
  checkResolves,
  ensureInclude,
  expectedResolution,
  hostAlias,
  listHosts,
  removeHost,
  renderHostBlock,
  upsertHost,
  userConfigWarnings,
  type HostEntry,
  type ResolveCheck,
  type SshPaths,
  type UpsertResult,
} from '../ssh';

export interface HostTarget {
  readonly instanceId: string;
  readonly ip: string;
  readonly user: string;
  readonly port: number;
  readonly identityFile: string;
  /** The user's name for the instance: written as a comment in its Host block (renderHostBlock cleans it). */
  readonly name?: string;
}

export interface WrittenHost {
  readonly alias: string;
  readonly entry: UpsertResult;
  /** How the real ssh resolves the alias through the config just written. */
  readonly check: ResolveCheck;
}

export interface WriteOptions {
  /** The ssh asked for `ssh -G` (default: `ssh` on PATH). */
  readonly ssh?: string;
}

function entryFor(paths: SshPaths, target: HostTarget): HostEntry {
  const alias = hostAlias(target.instanceId);
  return {
    alias,
    hostName: target.ip,
    user: target.user,
    port: target.port,
    identityFile: target.identityFile,
    knownHostsFile: paths.knownHosts,
    ...(target.name && { name: target.name }),
  };
}

/** Validates every value (throws SshConfigError) without touching a file. */
export function checkHostTarget(paths: SshPaths, target: HostTarget): string {
  const entry = entryFor(paths, target);
  renderHostBlock(entry);
  return entry.alias;
}

/**
 * The user's config gets our Include (first: a refused config throws SshConfigError before
 * anything is written), then the managed file gets the instance's Host block. The Include is
 * checked once more after that: another window may have removed it meanwhile, when it pruned
 * the last host entry (see hostTidy.ts).
 */
export async function writeHostWithInclude(
  paths: SshPaths,
  target: HostTarget,
  home: string,
  options: WriteOptions = {},
): Promise<WrittenHost & { include: 'added' | 'updated' | 'present' }> {
  checkHostTarget(paths, target);
  const include = await ensureInclude(paths.userConfig, paths.managedConfig, home);
  const entry = entryFor(paths, target);
  const written = await upsertHost(paths.managedConfig, entry);
  const again = await ensureInclude(paths.userConfig, paths.managedConfig, home);
  const check = explained(
    await checkResolves(paths.userConfig, entry.alias, expectedResolution(entry), options),
    paths.userConfig,
  );
  return { alias: entry.alias, entry: written, include: include === 'present' ? again : include, check: await check };
}

/** Only the managed file (used with `ssh -F <managed>` when the user's config refused the Include). */
export async function writeHostOnly(
  paths: SshPaths,
  target: HostTarget,
  options: WriteOptions = {},
): Promise<WrittenHost> {
  checkHostTarget(paths, target);
  const entry = entryFor(paths, target);
  const written = await upsertHost(paths.managedConfig, entry);
  const check = await checkResolves(paths.managedConfig, entry.alias, expectedResolution(entry), options);
  return { alias: entry.alias, entry: written, check };
}

/** ssh's refusal, plus what we know about why (a BOM, which ssh reports as a garbled keyword). */
async function explained(check: ResolveCheck, userConfig: string): Promise<ResolveCheck> {
  if (check.kind !== 'rejected') return check;
  const bytes = await readFile(userConfig).catch(() => undefined);
  const warnings = bytes ? userConfigWarnings(bytes, userConfig) : [];
  return warnings.length ? { kind: 'rejected', detail: `${check.detail}. ${warnings.join(' ')}` } : check;
}

/** What to tell the user about a ResolveCheck: nothing ('ok'), a log warning, or an error that stops the connection. */
export function describeResolveCheck(
  check: ResolveCheck,
  configFile: string,
): { level: 'info' | 'warn' | 'error'; message: string } {
  switch (check.kind) {
    case 'ok':
      // l10n-exempt: log line only (resolves() in hostPreparation.ts shows only the 'error' level)
      return { level: 'info', message: `ssh -G resolves the host through ${configFile} to the values written` };
    case 'no-ssh':
    case 'unknown':
      return { level: 'warn', message: `${check.detail} (${configFile})` };
    case 'rejected':
      return { level: 'error', message: l10n.t`ssh cannot read the SSH config ${configFile}: ${check.detail}` };
    case 'mismatch':
      return {
        level: 'error',
        message: l10n.t`ssh does not resolve the fal host through ${configFile} as written: ${check.detail}`,
      };
  }
}

export async function managedAliases(paths: SshPaths): Promise<string[]> {
  return (await listHosts(paths.managedConfig)).map((h) => h.alias);
}

export async function removeAliases(paths: SshPaths, aliases: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const alias of aliases) if (await removeHost(paths.managedConfig, alias)) removed.push(alias);
  return removed;
}
