// Trust on first use, as ssh's own `StrictHostKeyChecking accept-new` (which our Host blocks set):
// the first key an instance presents is recorded under its alias (HostKeyAlias fal-<id>) in our
// known_hosts, so a connection of ours and a later `ssh fal-<id>` agree on it. Only for an alias
// with no key yet: a key already recorded is never replaced here (that is "Forget Host Key…").
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FileChangedError, writeFileAtomic } from './atomicWrite';
import { findKnownHostKeys } from './knownHosts';
import { errorCode } from './nodeErrors';
import { WireReader } from './sshWire';

/** The key types ssh2 and OpenSSH both check; anything else is not recorded (and so not accepted). */
const RECORDABLE_TYPES = new Set([
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
]);

/**
 * Records `key` (a public key blob as the server sent it) for `alias` when nothing is recorded for
 * the alias yet. Resolves true when the key is now the alias's key (recorded here, or by ssh a moment
 * before us with the same key), false when the alias already holds another key or the blob is not a
 * key type we check. A file we cannot read or write rejects: nothing is accepted then.
 */
export async function rememberHostKey(knownHostsPath: string, alias: string, key: Buffer): Promise<boolean> {
  const type = keyType(key);
  if (!type || !RECORDABLE_TYPES.has(type)) return false;
  await mkdir(dirname(knownHostsPath), { recursive: true, mode: 0o700 });
  for (let attempt = 1; ; attempt++) {
    let original: Buffer | null;
    try {
      original = await readFile(knownHostsPath);
    } catch (e) {
      if (errorCode(e) !== 'ENOENT') throw e;
      original = null;
    }
    const text = original?.toString('utf8') ?? '';
    const keys = findKnownHostKeys(text, [alias]); // the alias's keys, and every @revoked one
    if (keys.some((k) => k.revoked && k.blob.equals(key))) return false;
    const recorded = keys.filter((k) => !k.revoked);
    if (recorded.length > 0) return recorded.some((k) => k.blob.equals(key));
    const line = `${alias} ${type} ${key.toString('base64')}\n`;
    const separator = text === '' || text.endsWith('\n') ? '' : '\n';
    try {
      await writeFileAtomic(knownHostsPath, Buffer.from(text + separator + line, 'utf8'), { ifUnchanged: original });
      return true;
    } catch (e) {
      // ssh may append a key (its own accept-new) meanwhile: re-read instead of dropping its line.
      if (!(e instanceof FileChangedError) || attempt >= 3) throw e;
    }
  }
}

function keyType(blob: Buffer): string | undefined {
  try {
    return new WireReader(blob).ascii();
  } catch {
    return undefined;
  }
}
