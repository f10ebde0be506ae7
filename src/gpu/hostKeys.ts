// Which host keys we accept for an instance, from our own ~/.ssh/fal/known_hosts, decided before
// any connection. Keys recorded under the instance's HostKeyAlias (`fal-<id>`) win: fal reuses IP
// addresses, so an entry under the bare IP may belong to a deleted machine. Without an alias entry
// the IP's (`ip` or `[ip]:port`) are used, as ssh wrote them before aliases existed.
import { timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostAlias } from '../ssh/hostEntry';
import { findKnownHostKeys, knownHostNames, type KnownHostKey } from '../ssh/knownHosts';
import { errorCode } from '../ssh/nodeErrors';
import { CommandTransportError } from './commandTransport';
import type { GpuTarget } from './types';

export interface AcceptedHostKeys {
  readonly accepted: readonly KnownHostKey[];
  readonly revoked: readonly KnownHostKey[];
  /** What the keys were found under, for messages. */
  readonly foundUnder: string;
}

/** Throws CommandTransportError('hostKeyUnknown') when no key is remembered, ('localFile') when the file cannot be read. */
export async function acceptedHostKeys(knownHostsFile: string, target: GpuTarget): Promise<AcceptedHostKeys> {
  let text = '';
  try {
    text = await readFile(knownHostsFile, 'utf8');
  } catch (e) {
    if (errorCode(e) !== 'ENOENT') throw new CommandTransportError('localFile', `cannot read ${knownHostsFile}: ${errorCode(e) ?? String(e)}`);
  }
  const alias = aliasOf(target.id);
  const all = alias ? findKnownHostKeys(text, [alias]) : [];
  const byAlias = all.filter((k) => !k.revoked);
  const fromIp = findKnownHostKeys(text, knownHostNames(target.ip, target.port));
  const accepted = byAlias.length > 0 ? byAlias : fromIp.filter((k) => !k.revoked);
  const revoked = [...all, ...fromIp].filter((k) => k.revoked);
  if (accepted.length === 0) {
    throw new CommandTransportError('hostKeyUnknown', `no host key for ${alias ?? target.id} or ${target.ip} in ${knownHostsFile}: connect to the instance once first`);
  }
  return { accepted, revoked, foundUnder: byAlias.length > 0 ? alias! : target.ip };
}

/** Whether the key the server presented is one we accept (and not revoked). Constant-time per comparison. */
export function isAcceptedHostKey(presented: Buffer, keys: AcceptedHostKeys): boolean {
  if (keys.revoked.some((k) => sameBytes(k.blob, presented))) return false;
  return keys.accepted.some((k) => sameBytes(k.blob, presented));
}

/**
 * The host key algorithms to offer: only those whose keys we know, so the server presents a key
 * we can compare (an RSA key is offered with its SHA-2 signature algorithms first).
 */
export function hostKeyAlgorithms(keys: AcceptedHostKeys): string[] {
  const algorithms = keys.accepted.flatMap((k) => ALGORITHMS_BY_KEY_TYPE[k.type] ?? []);
  return [...new Set(algorithms)];
}

const ALGORITHMS_BY_KEY_TYPE: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

function aliasOf(id: string): string | undefined {
  try {
    return hostAlias(id);
  } catch {
    return undefined; // an id that cannot be an alias was never recorded under one
  }
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
