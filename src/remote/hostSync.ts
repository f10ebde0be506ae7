// Writing and pruning our SSH host entries (plain Node, no `vscode`): the managed file
// ~/.ssh/fal/config plus the one marked Include line in the user's config.
import { ensureInclude, hostAlias, listHosts, removeHost, renderHostBlock, upsertHost, type SshPaths, type UpsertResult } from '../ssh';

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
}

/** Validates every value (throws SshConfigError) without touching a file. */
export function checkHostTarget(paths: SshPaths, target: HostTarget): string {
  const alias = hostAlias(target.instanceId);
  renderHostBlock({ alias, hostName: target.ip, user: target.user, port: target.port, identityFile: target.identityFile, knownHostsFile: paths.knownHosts });
  return alias;
}

/**
 * The user's config gets our Include (first: a refused config throws SshConfigError before
 * anything is written), then the managed file gets the instance's Host block.
 */
export async function writeHostWithInclude(paths: SshPaths, target: HostTarget, home: string): Promise<WrittenHost & { include: 'added' | 'present' }> {
  checkHostTarget(paths, target);
  const include = await ensureInclude(paths.userConfig, paths.managedConfig, home);
  const written = await writeHostOnly(paths, target);
  return { ...written, include };
}

/** Only the managed file (used with `ssh -F <managed>` when the user's config refused the Include). */
export async function writeHostOnly(paths: SshPaths, target: HostTarget): Promise<WrittenHost> {
  const alias = checkHostTarget(paths, target);
  const entry = await upsertHost(paths.managedConfig, {
    alias,
    hostName: target.ip,
    user: target.user,
    port: target.port,
    identityFile: target.identityFile,
    knownHostsFile: paths.knownHosts,
    ...(target.name && { name: target.name }),
  });
  return { alias, entry };
}

export async function managedAliases(paths: SshPaths): Promise<string[]> {
  return (await listHosts(paths.managedConfig)).map((h) => h.alias);
}

export async function removeAliases(paths: SshPaths, aliases: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const alias of aliases) if (await removeHost(paths.managedConfig, alias)) removed.push(alias);
  return removed;
}
