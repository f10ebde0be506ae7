// Writes an ed25519 key pair in OpenSSH's own formats without ssh-keygen (absent on Windows
// machines without the OpenSSH client feature). Private key: the "openssh-key-v1" container of
// OpenSSH's PROTOCOL.key, unencrypted (cipher "none", kdf "none").
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { WireWriter } from './sshWire';

const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
/** cipher "none" has an 8-byte block size in OpenSSH (cipher.c), and the private section is padded to it. */
const BLOCK_SIZE = 8;
/** ssh-keygen wraps the base64 body at 70 columns. */
const LINE_WIDTH = 70;

export interface Ed25519KeyMaterial {
  /** 32-byte public key. */
  readonly publicKey: Buffer;
  /** 32-byte private seed. */
  readonly seed: Buffer;
}

export function newEd25519Key(): Ed25519KeyMaterial {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'jwk' });
  const priv = privateKey.export({ format: 'jwk' });
  if (typeof pub.x !== 'string' || typeof priv.d !== 'string')
    throw new Error(l10n.t('ed25519 JWK export lacks x or d'));
  return { publicKey: Buffer.from(pub.x, 'base64url'), seed: Buffer.from(priv.d, 'base64url') };
}

/** The public key blob: string "ssh-ed25519", string pk. */
export function ed25519PublicBlob(publicKey: Buffer): Buffer {
  return new WireWriter().string('ssh-ed25519').string(publicKey).toBuffer();
}

/** `ssh-ed25519 AAAA… comment` as in a .pub file (without the line break). */
export function ed25519PublicLine(publicKey: Buffer, comment: string): string {
  const base64 = ed25519PublicBlob(publicKey).toString('base64');
  return comment ? `ssh-ed25519 ${base64} ${comment}` : `ssh-ed25519 ${base64}`;
}

/**
 * The `-----BEGIN OPENSSH PRIVATE KEY-----` file text. `checkint` is random in OpenSSH (it lets
 * a decrypting reader detect a wrong passphrase); injectable only so tests can be deterministic.
 */
export function encodeOpenSshEd25519PrivateKey(
  key: Ed25519KeyMaterial,
  comment: string,
  checkint = randomBytes(4).readUInt32BE(),
): string {
  if (key.publicKey.length !== 32 || key.seed.length !== 32) throw new Error(l10n.t('ed25519 keys are 32 bytes'));
  const privateSection = new WireWriter()
    .uint32(checkint)
    .uint32(checkint)
    .string('ssh-ed25519')
    .string(key.publicKey)
    // OpenSSH stores the 64-byte "secret key" of the reference implementation: seed || public key.
    .string(Buffer.concat([key.seed, key.publicKey]))
    .string(comment);
  const padding: number[] = [];
  for (let i = 1; (privateSection.length + padding.length) % BLOCK_SIZE !== 0; i++) padding.push(i & 0xff);
  privateSection.raw(Buffer.from(padding));

  const body = new WireWriter()
    .raw(MAGIC)
    .string('none') // ciphername
    .string('none') // kdfname
    .string('') // kdfoptions
    .uint32(1) // number of keys
    .string(ed25519PublicBlob(key.publicKey))
    .string(privateSection.toBuffer())
    .toBuffer()
    .toString('base64');
  const lines = body.match(new RegExp(`.{1,${LINE_WIDTH}}`, 'g')) ?? [];
  // l10n-exempt: the armour of the key file format, read by ssh
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
}
