// How to authenticate with an instance's private key, decided before connecting and without ever
// prompting: an unencrypted key is used directly; a passphrase-protected one only through an
// ssh-agent that already holds it (SSH_AUTH_SOCK, or Windows' OpenSSH agent pipe); otherwise the
// sampler says so and sends nothing.
import * as l10n from '@vscode/l10n';
import { readFile } from 'node:fs/promises';
import type { ParsedKey } from 'ssh2';
import { errorCode } from '../ssh/nodeErrors';
import { WireReader } from '../ssh/sshWire';
import { CommandTransportError } from './commandTransport';

export type KeyAuth =
  | { readonly kind: 'key'; readonly key: ParsedKey }
  /** Use the agent at `agentPath`, offering only the identity whose public blob is `publicBlob`. */
  | { readonly kind: 'agent'; readonly agentPath: string; readonly publicBlob: Buffer };

export type ParseKey = (data: Buffer) => ParsedKey | ParsedKey[] | Error;

/** The agent to ask: $SSH_AUTH_SOCK, else on Windows the OpenSSH agent's named pipe. */
export function defaultAgentPath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (env.SSH_AUTH_SOCK) return env.SSH_AUTH_SOCK;
  return platform === 'win32' ? '\\\\.\\pipe\\openssh-ssh-agent' : undefined;
}

export async function keyAuth(
  identityFile: string,
  parseKey: ParseKey,
  agentPath: string | undefined,
): Promise<KeyAuth> {
  let data: Buffer;
  try {
    data = await readFile(identityFile);
  } catch (e) {
    const code = errorCode(e);
    throw new CommandTransportError(
      'localFile',
      code === 'ENOENT'
        ? l10n.t`the private key ${identityFile} does not exist`
        : l10n.t`cannot read the private key ${identityFile}: ${code ?? String(e)}`,
    );
  }
  const parsed = parseKey(data);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key && !(key instanceof Error)) return { kind: 'key', key };
  if (!(key instanceof Error) || !/passphrase|encrypted/i.test(key.message)) {
    throw new CommandTransportError(
      'localFile',
      key instanceof Error
        ? l10n.t`${identityFile} is not a private key ssh can use (${key.message})`
        : l10n.t`${identityFile} is not a private key ssh can use`,
    );
  }
  const publicBlob = (await publicBlobOf(identityFile, data)) ?? undefined;
  if (!agentPath || !publicBlob) {
    throw new CommandTransportError(
      'keyEncrypted',
      l10n.t`the key ${identityFile} is passphrase-protected: add it to ssh-agent (ssh-add "${identityFile}")`,
    );
  }
  return { kind: 'agent', agentPath, publicBlob };
}

/** The public half: from the `.pub` next to the key, else from the (unencrypted) header of an openssh-key-v1 file. */
async function publicBlobOf(identityFile: string, privateKey: Buffer): Promise<Buffer | undefined> {
  try {
    const line = (await readFile(`${identityFile}.pub`, 'utf8')).trim().split(/\s+/);
    const blob = Buffer.from(line[1] ?? '', 'base64');
    if (blob.length > 0) return blob;
  } catch {
    /* no .pub: read the container header below */
  }
  return openSshPublicBlob(privateKey.toString('utf8'));
}

/** openssh-key-v1 (PROTOCOL.key): magic, cipher, kdf, kdf options, key count, then the public keys in clear. */
export function openSshPublicBlob(text: string): Buffer | undefined {
  const m = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text);
  if (!m) return undefined;
  const body = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
  const magic = Buffer.from('openssh-key-v1\0', 'latin1');
  if (!body.subarray(0, magic.length).equals(magic)) return undefined;
  try {
    const r = new WireReader(body.subarray(magic.length));
    r.bytes(); // cipher
    r.bytes(); // kdf
    r.bytes(); // kdf options
    if (r.uint32() < 1) return undefined;
    return Buffer.from(r.bytes());
  } catch {
    return undefined;
  }
}
