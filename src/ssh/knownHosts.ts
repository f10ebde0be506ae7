// Our own known_hosts file (~/.ssh/fal/known_hosts, named by UserKnownHostsFile in our Host
// blocks). Host keys are recorded under the instance's alias (HostKeyAlias fal-<id>, no port),
// so a new instance on the recycled IP of a deleted one starts with a clean record; files
// written before that hold them under the address (`ip` / `[ip]:port`, "legacy" below).
// Forgetting a key here never edits the user's ~/.ssh/known_hosts.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIPv6 } from 'node:net';
import { writeFileAtomic, FileChangedError } from './atomicWrite';
import { errorCode } from './nodeErrors';

/**
 * The known_hosts text without the lines for host:port, and how many lines went. Matches plain
 * names (`ip`, `[ip]:port`, also inside `name,ip` lists) and hashed `|1|salt|hash` entries, and
 * removes the whole line like `ssh-keygen -R`. Like ssh-keygen, it keeps `@cert-authority` and
 * `@revoked` lines: those are trust decisions, not a remembered key.
 */
export function planForgetHost(original: Buffer, hostOrIp: string, port = 22): { bytes: Buffer; removed: number } {
  return planForgetNames(original, knownHostNames(hostOrIp, port));
}

/** The names ssh may have recorded host:port under, as written in known_hosts (port 22 bare, others `[host]:port`). */
export function knownHostNames(hostOrIp: string, port = 22): string[] {
  const hosts = [...new Set([hostOrIp.toLowerCase(), canonicalHost(hostOrIp)])];
  // ssh writes port 22 as the bare name and others as [name]:port; [name]:22 is matched too.
  return hosts.flatMap((host) => (port === 22 ? [host, `[${host}]:22`] : [`[${host}]:${port}`]));
}

/** The known_hosts text without the lines for any of `names`, and how many lines went. */
function planForgetNames(original: Buffer, names: readonly string[]): { bytes: Buffer; removed: number } {
  const kept: Buffer[] = [];
  let removed = 0;
  let start = 0;
  while (start < original.length) {
    const lf = original.indexOf(0x0a, start);
    const next = lf === -1 ? original.length : lf + 1;
    const line = original.toString('utf8', start, next);
    if (lineMatches(line, names)) removed++;
    else kept.push(original.subarray(start, next));
    start = next;
  }
  return { bytes: removed ? Buffer.concat(kept) : original, removed };
}

/** One instance as ssh may have recorded it: under its alias, or (legacy) under its address. */
export interface InstanceHost {
  /** `fal-<id>` (HostKeyAlias). */
  readonly alias: string;
  readonly ip: string;
  readonly port: number;
}

/** Removes host:port's lines from the file atomically; returns how many. A missing file has none. */
export async function forgetHost(knownHostsPath: string, hostOrIp: string, port = 22): Promise<number> {
  return forgetNames(knownHostsPath, knownHostNames(hostOrIp, port));
}

/** Removes the instance's lines: under its alias, and legacy ones under its address. */
export async function forgetInstanceHostKeys(knownHostsPath: string, host: InstanceHost): Promise<number> {
  return forgetNames(knownHostsPath, [host.alias, ...knownHostNames(host.ip, host.port)]);
}

export interface KnownHostKey {
  /** The key type as written, e.g. `ssh-ed25519`. */
  readonly type: string;
  /** The public key blob (the base64 field, decoded). */
  readonly blob: Buffer;
  /** From an `@revoked` line: this key must be refused, whoever presents it. */
  readonly revoked: boolean;
}

/**
 * The keys remembered for any of `names` (exact, as ssh writes them: a HostKeyAlias such as
 * `fal-<id>`, or knownHostNames(ip, port)), hashed entries included, plus every `@revoked` key.
 * `@cert-authority` lines are not keys of a host and are skipped.
 */
export function findKnownHostKeys(text: string, names: readonly string[]): KnownHostKey[] {
  const wanted = names.map((n) => n.toLowerCase());
  const keys: KnownHostKey[] = [];
  for (const raw of text.split('\n')) {
    const fields = raw.trim().split(/[ \t]+/);
    const revoked = fields[0] === '@revoked';
    if (revoked) fields.shift();
    else if (fields[0]?.startsWith('@')) continue;
    const [patterns, type, base64] = fields;
    if (!patterns || !type || !base64 || patterns.startsWith('#')) continue;
    if (!revoked && !lineMatches(patterns, wanted)) continue;
    const blob = Buffer.from(base64, 'base64');
    if (blob.length > 0) keys.push({ type, blob, revoked });
  }
  return keys;
}

export interface InstanceHostKeys {
  /** The keys to accept: those under the alias; only when there are none, those under the address. */
  readonly accepted: readonly KnownHostKey[];
  /** Every `@revoked` key: refused whoever presents it. */
  readonly revoked: readonly KnownHostKey[];
  /** Where `accepted` came from (undefined: nothing remembered). */
  readonly recordedAs: 'alias' | 'address' | undefined;
}

/**
 * The known host keys of an instance, for a client that checks host keys itself (the GPU
 * sampler's ssh2 connection), read from our known_hosts (a missing file: none). Those recorded
 * under its alias win; only without them, the legacy ones under its address (written before
 * HostKeyAlias — an address entry may belong to an earlier instance on a recycled IP, so the two
 * are never mixed).
 */
export async function knownHostKeys(
  knownHostsPath: string,
  /** `alias` undefined: an id that cannot be an alias was never recorded under one. */
  host: Omit<InstanceHost, 'alias'> & { readonly alias: string | undefined },
): Promise<InstanceHostKeys> {
  let text: string;
  try {
    text = await readFile(knownHostsPath, 'utf8');
  } catch (e) {
    if (errorCode(e) !== 'ENOENT') throw e;
    text = '';
  }
  const byAlias = host.alias === undefined ? [] : findKnownHostKeys(text, [host.alias]);
  const byAddress = findKnownHostKeys(text, knownHostNames(host.ip, host.port));
  const revoked = byAddress.filter((k) => k.revoked); // every @revoked key, whatever the names
  const aliasKeys = byAlias.filter((k) => !k.revoked);
  const addressKeys = byAddress.filter((k) => !k.revoked);
  if (aliasKeys.length) return { accepted: aliasKeys, revoked, recordedAs: 'alias' };
  return { accepted: addressKeys, revoked, recordedAs: addressKeys.length ? 'address' : undefined };
}

/** Whether the key a server presented is one we accept (and not revoked). Constant-time per comparison. */
export function isAcceptedHostKey(presented: Buffer, keys: Pick<InstanceHostKeys, 'accepted' | 'revoked'>): boolean {
  const same = (k: KnownHostKey) => k.blob.length === presented.length && timingSafeEqual(k.blob, presented);
  return !keys.revoked.some(same) && keys.accepted.some(same);
}

/**
 * The host key algorithms to offer: only those whose keys we know, so the server presents a key
 * we can compare (an RSA key is offered with its SHA-2 signature algorithms first).
 */
export function hostKeyAlgorithms(keys: Pick<InstanceHostKeys, 'accepted'>): string[] {
  return [...new Set(keys.accepted.flatMap((k) => ALGORITHMS_BY_KEY_TYPE[k.type] ?? []))];
}

const ALGORITHMS_BY_KEY_TYPE: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

async function forgetNames(knownHostsPath: string, names: readonly string[]): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    let original: Buffer;
    try {
      original = await readFile(knownHostsPath);
    } catch (e) {
      if (errorCode(e) === 'ENOENT') return 0;
      throw e;
    }
    const { bytes, removed } = planForgetNames(original, names);
    if (removed === 0) return 0;
    try {
      // ifUnchanged: ssh may append a key (accept-new) meanwhile; then re-read instead of dropping it.
      await writeFileAtomic(knownHostsPath, bytes, { ifUnchanged: original });
      return removed;
    } catch (e) {
      if (!(e instanceof FileChangedError) || attempt >= 3) throw e;
    }
  }
}

/**
 * The spelling ssh records: it lower-cases host names, and writes IP addresses in canonical form
 * (getnameinfo), which for IPv6 is the compressed lower-case one ("2001:DB8:0::1" → "2001:db8::1").
 * (For IPv4-mapped addresses the two differ; the caller's spelling, lower-cased, is tried too.)
 */
function canonicalHost(hostOrIp: string): string {
  if (isIPv6(hostOrIp)) return new URL(`http://[${hostOrIp}]/`).hostname.slice(1, -1);
  return hostOrIp.toLowerCase();
}

function lineMatches(line: string, names: readonly string[]): boolean {
  const fields = line.trim().split(/[ \t]+/);
  if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#') || fields[0].startsWith('@'))
    return false;
  return fields[0].split(',').some((pattern) => {
    if (pattern.startsWith('|1|')) return hashedMatches(pattern, names);
    return names.includes(pattern.toLowerCase());
  });
}

/** `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`, as written by HashKnownHosts / ssh-keygen -H. */
function hashedMatches(pattern: string, names: readonly string[]): boolean {
  const [, , salt64, hash64] = pattern.split('|');
  if (!salt64 || !hash64) return false;
  const salt = Buffer.from(salt64, 'base64');
  return names.some((name) => createHmac('sha1', salt).update(name).digest('base64') === hash64);
}

/** Whether ssh's stderr says the server's host key differs from the remembered one. */
export function isHostKeyChangedError(sshStderr: string): boolean {
  return /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed|Host key for \S+ has changed|Offending \S+ key in/i.test(
    sshStderr,
  );
}
