// Pure pieces of Connect: which extension provides `ssh-remote`, the URI it opens, the ssh command
// line a terminal runs, whether fal's IP can be a HostName, which ids and managed entries are gone.
// Here, on the SSH floor, so the instances (GPU sampling, name pruning) and Connect share them.
import { isIP } from 'node:net';
import * as l10n from '@vscode/l10n';
import { hostAliasIfValid, isHostAlias } from './hostEntry';

/** Extensions that resolve `vscode-remote://ssh-remote+<host>/…`, preferred first. */
export const REMOTE_SSH_EXTENSIONS = ['ms-vscode-remote.remote-ssh', 'jeanp413.open-remote-ssh'] as const;
export type RemoteSshExtensionId = (typeof REMOTE_SSH_EXTENSIONS)[number];
/** What "Install Remote - SSH" shows: Microsoft's extension (VS Code) — the only one in its marketplace. */
export const REMOTE_SSH_TO_INSTALL: RemoteSshExtensionId = 'ms-vscode-remote.remote-ssh';

/** The installed provider, Microsoft's first; undefined when neither is installed. */
export function remoteSshProvider(isInstalled: (id: string) => boolean): RemoteSshExtensionId | undefined {
  return REMOTE_SSH_EXTENSIONS.find((id) => isInstalled(id));
}

/** Home folder of `user` on the (Ubuntu) instance: /root for root, else /home/<user>. */
export function remoteHome(user: string): string {
  return user === 'root' ? '/root' : `/home/${user}`;
}

/**
 * `vscode-remote://ssh-remote+<alias><home>` as text. The alias comes from hostAlias (lower case,
 * `[a-z0-9_.-]`) and the user was validated, so nothing here needs percent-encoding.
 */
export function remoteFolderUri(alias: string, user: string): string {
  if (!isHostAlias(alias)) throw new Error(l10n.t`not a fal host alias: ${JSON.stringify(alias)}`);
  if (!/^[a-z_][a-z0-9_.-]*$/i.test(user)) throw new Error(l10n.t`not a user name: ${JSON.stringify(user)}`);
  return `vscode-remote://ssh-remote+${alias}${remoteHome(user)}`;
}

/** An IP address fal handed out, or a reason it cannot be used as HostName. */
export function checkInstanceIp(ip: string | undefined): { ok: true; ip: string } | { ok: false; reason: string } {
  if (ip === undefined || ip === '') return { ok: false, reason: l10n.t('has no IP address yet') };
  if (isIP(ip) === 0 || ip.includes('%'))
    return {
      ok: false,
      reason: l10n.t`reports the address ${JSON.stringify(ip.length > 60 ? `${ip.slice(0, 57)}…` : ip)}, which is not an IPv4 or IPv6 address`,
    };
  return { ok: true, ip };
}

/** One argument for the shell a terminal runs (POSIX sh, or PowerShell/cmd on Windows). */
export function shellArg(arg: string, platform: NodeJS.Platform = process.platform): string {
  if (/^[A-Za-z0-9_@%+=:,./\\-]+$/.test(arg)) return arg;
  if (platform === 'win32') return `"${arg.replace(/"/g, '""')}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that logs in to an instance: `ssh fal-<id>` when ssh's default config (which
 * includes our managed file) is the one to use, else `ssh -F <configFile> fal-<id>`: the file
 * named by remote.SSH.configFile, or our managed file when the user's config refused the Include.
 */
export function sshCommandLine(
  alias: string,
  configFile: string | undefined,
  platform: NodeJS.Platform = process.platform,
): string {
  if (!isHostAlias(alias)) throw new Error(l10n.t`not a fal host alias: ${JSON.stringify(alias)}`);
  // l10n-exempt: a shell command line that a terminal runs
  return configFile === undefined ? `ssh ${alias}` : `ssh -F ${shellArg(configFile, platform)} ${alias}`;
}

/**
 * The config file a terminal's ssh must be told about (-F), or undefined for ssh's default.
 * ssh reads `~/.ssh/config` of the passwd home (not $HOME); a remote.SSH.configFile elsewhere,
 * or a $HOME that differs from the passwd home, needs -F so the Include is seen.
 */
export function terminalConfigFile(
  userConfig: string,
  sshDefaultConfig: string,
  managedOnly?: string,
): string | undefined {
  if (managedOnly !== undefined) return managedOnly;
  return userConfig === sshDefaultConfig ? undefined : userConfig;
}

/**
 * Managed aliases (from listHosts) whose instance is gone. Only `fal-*` aliases made by
 * hostAlias are candidates; aliases of listed instances (or of ids that cannot be settled yet)
 * are kept.
 */
export function staleAliases(
  managedAliases: readonly string[],
  listedIds: ReadonlySet<string>,
  seenThisSession: ReadonlySet<string>,
  firstList: boolean,
): string[] {
  const listedAliases = new Set([...listedIds].map(hostAliasIfValid));
  const seenAliases = new Set([...seenThisSession].map(hostAliasIfValid));
  return [...new Set(managedAliases)].filter(
    (alias) => isHostAlias(alias) && !listedAliases.has(alias) && (firstList || seenAliases.has(alias)),
  );
}
