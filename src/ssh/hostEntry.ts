// The pure model of one SSH Host block we manage for a fal instance. Everything that ends up
// in a config line is validated here, because a config line is code for ssh: a "host name" with
// a line break and `ProxyCommand` in it would run a command on the user's machine.
import { isIP } from 'node:net';
import { posix, win32 } from 'node:path';
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
  const visible = [...name.replace(/[\p{C}\p{Zl}\p{Zp}]/gu, ' ').replace(/\s+/gu, ' ').trim()].slice(0, MAX_COMMENT_NAME).join('').trim();
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
      `The instance id ${shown(instanceId)} cannot be used as an SSH host name: only letters, digits, "_" and "-" are allowed (at most ${MAX_INSTANCE_ID_LENGTH}).`,
    );
  }
  const lower = instanceId.toLowerCase();
  if (lower === instanceId) return `${ALIAS_PREFIX}${lower}`;
  let capitals = 0n;
  for (let i = 0; i < instanceId.length; i++) if (/[A-Z]/.test(instanceId[i]!)) capitals |= 1n << BigInt(i);
  return `${ALIAS_PREFIX}${lower}.${capitals.toString(16)}`;
}

export function isHostAlias(alias: string): boolean {
  return ALIAS.test(alias);
}

/**
 * The Host block for one instance, lines ending in "\n". Throws SshConfigError for any value
 * that is not exactly what it claims to be; nothing is written by this function.
 */
export function renderHostBlock(entry: HostEntry): string {
  const { alias, hostName, user = 'ubuntu', port = 22 } = entry;
  if (!isHostAlias(alias)) {
    throw new SshConfigError('invalid-value', `The SSH host alias ${shown(alias)} was not made by hostAlias().`);
  }
  // Only an IP literal: no name resolution surprises, no spaces, no line breaks. A zone index
  // (fe80::1%eth0) is refused because % starts a token in ssh_config.
  if (isIP(hostName) === 0 || hostName.includes('%')) {
    throw new SshConfigError('invalid-value', `The instance address ${shown(hostName)} is not an IPv4 or IPv6 address.`);
  }
  if (!USER.test(user) || user.length > 32) {
    throw new SshConfigError('invalid-value', `The SSH user name ${shown(user)} is not a valid user name.`);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SshConfigError('invalid-value', `The SSH port ${shown(String(port))} is not a port number (1–65535).`);
  }
  const comment = nameComment(entry.name);
  return [
    `Host ${alias}`,
    ...(comment ? [`  ${comment}`] : []),
    `  HostName ${hostName}`,
    `  User ${user}`,
    `  Port ${port}`,
    `  IdentityFile ${quoteConfigPath(entry.identityFile, 'key file', true)}`,
    // Only the key above: an agent with many keys can hit the server's MaxAuthTries first.
    '  IdentitiesOnly yes',
    // Every instance is a new machine with a new host key: trust it on first use, but refuse a
    // changed key for the same address (accept-new, unlike "no", still protects later logins).
    '  StrictHostKeyChecking accept-new',
    // Our own file, so forgetting a deleted instance's key never edits the user's known_hosts.
    `  UserKnownHostsFile ${quoteConfigPath(entry.knownHostsFile, 'known_hosts file', true)}`,
    // Keeps NAT/firewall state alive while Remote-SSH is idle, and notices a dead machine.
    '  ServerAliveInterval 30',
    '',
  ].join('\n');
}

/**
 * A path as one double-quoted ssh_config argument. OpenSSH (8.7+) splits config lines with
 * argv_split(): inside quotes a backslash escapes only `\`, `'` and `"`, so Windows paths like
 * C:\Users\me\.ssh\x survive as written, but `\\` (UNC) or `\'` would not and are refused.
 * For keywords that expand %-tokens and ${ENV} (IdentityFile, UserKnownHostsFile) a `%` is
 * written as `%%`; for Include (no tokens in OpenSSH 9.2, globbing instead) `%`, `${` and glob
 * characters are refused, so the path means the same to every OpenSSH version.
 */
export function quoteConfigPath(path: string, what: string, expandsTokens: boolean): string {
  const refuse = (why: string) => {
    throw new SshConfigError('invalid-path', `The ${what} path ${shown(path)} cannot be written into an SSH config: ${why}.`);
  };
  if (!posix.isAbsolute(path) && !win32.isAbsolute(path)) refuse('it is not an absolute path');
  if (/[\r\n\0]/.test(path)) refuse('it contains a line break or NUL');
  if (path.includes('"')) refuse('it contains a double quote');
  if (/\\[\\'"]/.test(path)) refuse('OpenSSH would read its backslashes as escapes (\\\\ or \\\')');
  if (path.includes('${')) refuse('OpenSSH would expand ${…} in it');
  if (expandsTokens) return `"${path.replace(/%/g, '%%')}"`;
  if (path.includes('%')) refuse('it contains %');
  if (/[*?[]/.test(path)) refuse('it contains a glob character (*, ? or [)');
  return `"${path}"`;
}

function shown(value: string): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…"` : text;
}
