// The pure model of one SSH Host block we manage for a fal instance. Everything that ends up
// in a config line is validated here, because a config line is code for ssh: a "host name" with
// a line break and `ProxyCommand` in it would run a command on the user's machine.
import { isIP } from 'node:net';
import * as l10n from '@vscode/l10n';
import { formatFilePath, localPathStyle, shownPath as shown, type PathStyle } from './configPath';
import { SshConfigError } from './errors';

export interface HostEntry {
  /** From hostAlias(instance id). */
  readonly alias: string;
  /** The instance's IP address (IPv4 or IPv6 literal; never a name). */
  readonly hostName: string;
  readonly user?: string;
  readonly port?: number;
  /** Absolute path of the private key. */
  readonly identityFile: string;
  /** Absolute path of the known_hosts file we own (~/.ssh/fal/known_hosts). */
  readonly knownHostsFile: string;
  /** The user's name for the instance: only ever a comment line (see nameComment). */
  readonly name?: string;
}

/** How our name comment starts; a line inside our block that starts so is ours (rewritten, never kept). */
// l10n-exempt: written into the managed ssh_config and found again by this text (isNameComment)
export const NAME_COMMENT_PREFIX = '# fal-compute name:';
const MAX_COMMENT_NAME = 80;

/**
 * The comment line naming the instance, or undefined when the name has nothing visible. The name
 * is the user's input, so it is reduced to one line of visible text: every control, format,
 * line- or paragraph-separator character becomes a space. A comment line is never read as a
 * keyword by ssh (or any other ssh_config reader), and nothing in it can end it early.
 */
export function nameComment(name: string | undefined): string | undefined {
  if (typeof name !== 'string') return undefined;
  const visible = [
    ...name
      .replace(/[\p{C}\p{Zl}\p{Zp}]/gu, ' ')
      .replace(/\s+/gu, ' ')
      .trim(),
  ]
    .slice(0, MAX_COMMENT_NAME)
    .join('')
    .trim();
  return visible ? `${NAME_COMMENT_PREFIX} ${visible}` : undefined;
}

export function isNameComment(line: string): boolean {
  return line.trimStart().startsWith(NAME_COMMENT_PREFIX);
}

/** The keywords renderHostBlock writes, lower-cased; any other line inside our block is the user's. */
export const OWN_HOST_KEYWORDS: ReadonlySet<string> = new Set([
  'hostname',
  'user',
  'port',
  'identityfile',
  'identitiesonly',
  'stricthostkeychecking',
  'userknownhostsfile',
  'hostkeyalias',
  'checkhostip',
  'serveraliveinterval',
]);

export const ALIAS_PREFIX = 'fal-';
const ALIAS = /^fal-[a-z0-9_-]+(\.[0-9a-f]+)?$/;
const INSTANCE_ID = /^[A-Za-z0-9_-]+$/;
const MAX_INSTANCE_ID_LENGTH = 128;
const USER = /^[a-z_][a-z0-9_.-]*$/i;

/**
 * `fal-<id>`, lower-cased: VS Code lower-cases URI authorities (`ssh-remote+<alias>`), and ssh
 * matches `Host` names case-sensitively, so only an all-lower-case alias means the same thing
 * everywhere. Ids with anything but letters, digits, `_` and `-` are refused rather than
 * mangled, so two ids can never share an alias. For the same reason an id with capitals gets `.`
 * and a hex bit mask of where the capitals were (`inst_Ab` → `fal-inst_ab.20`); `.` cannot occur
 * in an accepted id, so this never collides with another id's alias.
 */
export function hostAlias(instanceId: string): string {
  if (!INSTANCE_ID.test(instanceId) || instanceId.length > MAX_INSTANCE_ID_LENGTH) {
    throw new SshConfigError(
      'invalid-value',
      l10n.t`The instance id ${shown(instanceId)} cannot be used as an SSH host name: only letters, digits, "_" and "-" are allowed (at most ${MAX_INSTANCE_ID_LENGTH}).`,
    );
  }
  const lower = instanceId.toLowerCase();
  if (lower === instanceId) return `${ALIAS_PREFIX}${lower}`;
  let capitals = 0n;
  for (let i = 0; i < instanceId.length; i++) if (/[A-Z]/.test(instanceId[i]!)) capitals |= 1n << BigInt(i);
  return `${ALIAS_PREFIX}${lower}.${capitals.toString(16)}`;
}

/** hostAlias, or undefined for an id that cannot be one (nothing was ever recorded under its alias). */
export function hostAliasIfValid(instanceId: string): string | undefined {
  try {
    return hostAlias(instanceId);
  } catch {
    return undefined;
  }
}

export function isHostAlias(alias: string): boolean {
  return ALIAS.test(alias);
}

/**
 * The Host block for one instance, lines ending in "\n". Throws SshConfigError for any value
 * that is not exactly what it claims to be; nothing is written by this function. `style`: the
 * path syntax of the OpenSSH that reads it (Windows paths are written with `/`, see configPath).
 */
export function renderHostBlock(entry: HostEntry, style: PathStyle = localPathStyle()): string {
  const { alias, hostName, user = 'ubuntu', port = 22 } = entry;
  if (!isHostAlias(alias)) {
    throw new SshConfigError('invalid-value', l10n.t`The SSH host alias ${shown(alias)} was not made by hostAlias().`);
  }
  // Only an IP literal: no name resolution surprises, no spaces, no line breaks. A zone index
  // (fe80::1%eth0) is refused because % starts a token in ssh_config.
  if (isIP(hostName) === 0 || hostName.includes('%')) {
    throw new SshConfigError(
      'invalid-value',
      l10n.t`The instance address ${shown(hostName)} is not an IPv4 or IPv6 address.`,
    );
  }
  if (!USER.test(user) || user.length > 32) {
    throw new SshConfigError('invalid-value', l10n.t`The SSH user name ${shown(user)} is not a valid user name.`);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SshConfigError(
      'invalid-value',
      l10n.t`The SSH port ${shown(String(port))} is not a port number (1–65535).`,
    );
  }
  const comment = nameComment(entry.name);
  return [
    `Host ${alias}`, // l10n-exempt: an ssh_config line, read by ssh
    ...(comment ? [`  ${comment}`] : []),
    `  HostName ${hostName}`, // l10n-exempt: an ssh_config line, read by ssh
    `  User ${user}`, // l10n-exempt: an ssh_config line, read by ssh
    `  Port ${port}`, // l10n-exempt: an ssh_config line, read by ssh
    `  IdentityFile ${formatFilePath(entry.identityFile, l10n.t('key file'), style).arg}`, // l10n-exempt: an ssh_config line, read by ssh
    // Only the key above: an agent with many keys can hit the server's MaxAuthTries first.
    '  IdentitiesOnly yes', // l10n-exempt: an ssh_config line, read by ssh
    // Every instance is a new machine with a new host key: trust it on first use, but refuse a
    // changed key for the same address (accept-new, unlike "no", still protects later logins).
    '  StrictHostKeyChecking accept-new', // l10n-exempt: an ssh_config line, read by ssh
    // Our own file, so forgetting a deleted instance's key never edits the user's known_hosts.
    `  UserKnownHostsFile ${formatFilePath(entry.knownHostsFile, l10n.t('known_hosts file'), style).arg}`, // l10n-exempt: an ssh_config line, read by ssh
    // The key is remembered per instance, not per address: fal recycles IPs, and a new instance
    // on the address of a deleted one must start clean instead of failing as a "changed" key.
    `  HostKeyAlias ${alias}`, // l10n-exempt: an ssh_config line, read by ssh
    // ...and ssh must not compare it with a key remembered for the address either.
    '  CheckHostIP no', // l10n-exempt: an ssh_config line, read by ssh
    // Keeps NAT/firewall state alive while Remote-SSH is idle, and notices a dead machine.
    '  ServerAliveInterval 30',
    '',
  ].join('\n');
}
