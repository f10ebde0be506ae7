// Checks the one OpenSSH public key line fal installs on an instance (`ssh_key`, one key per
// instance, no way to change it later), before anything leaves the machine. The key data is
// decoded and checked field by field, so a damaged or cut-off paste is caught here and not as
// an SSH login failure three minutes after the instance was paid for.
import { createHash } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import { WireError, WireReader } from './sshWire';

export const PUBLIC_KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
] as const;
export type PublicKeyType = (typeof PUBLIC_KEY_TYPES)[number];

export interface ParsedPublicKey {
  readonly type: PublicKeyType;
  readonly base64: string;
  readonly comment?: string;
  /** `SHA256:…` exactly as `ssh-keygen -lf` prints it (SHA-256 of the decoded blob, unpadded base64). */
  readonly fingerprint: string;
  /** Key size as `ssh-keygen -lf` prints it (256 for ed25519, the modulus size for RSA). */
  readonly bits: number;
  /** `type base64[ comment]`: one line, single spaces, no line break. What we send to fal. */
  readonly line: string;
}

export interface KeyProblem {
  readonly problem: string;
}

export function isKeyProblem(value: ParsedPublicKey | KeyProblem): value is KeyProblem {
  return 'problem' in value;
}

/** What is said when a private key is pasted or found where a public key belongs. */
export const privateKeyProblem = (): string =>
  l10n.t(
    'This is a PRIVATE key. Never share it: paste the PUBLIC key (the .pub file, one line starting with ssh-ed25519 or ssh-rsa).',
  );

// PEM/OpenSSH/PKCS#8/ssh.com armour, PuTTY .ppk, and the bare body of an OpenSSH private key
// (base64 of "openssh-key-v1\0", i.e. someone copied the lines between the armour).
const PRIVATE_KEY_PATTERNS = [
  /-{4,5}\s*BEGIN\s+[A-Z0-9 ]*PRIVATE KEY\s*-{4,5}/i,
  /PuTTY-User-Key-File-\d/i,
  /b3BlbnNzaC1rZXktdjEA/,
];

export function looksLikePrivateKey(text: string): boolean {
  return PRIVATE_KEY_PATTERNS.some((re) => re.test(text));
}

const CERT_TYPE = /^[a-z0-9.-]+-cert-v0[01]@openssh\.com$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// ssh-keygen -lf's size column; RSA is computed from the modulus.
const ECDSA_CURVES: Record<string, { curve: string; pointBytes: number; bits: number }> = {
  'ecdsa-sha2-nistp256': { curve: 'nistp256', pointBytes: 65, bits: 256 },
  'ecdsa-sha2-nistp384': { curve: 'nistp384', pointBytes: 97, bits: 384 },
  'ecdsa-sha2-nistp521': { curve: 'nistp521', pointBytes: 133, bits: 521 },
  'sk-ecdsa-sha2-nistp256@openssh.com': { curve: 'nistp256', pointBytes: 65, bits: 256 },
};
/** OpenSSH ≥ 8.8 refuses smaller RSA keys outright (RequiredRSASize, 9.1+), so the login would fail. */
const MIN_RSA_BITS = 1024;

const isKnownType = (token: string): token is PublicKeyType => (PUBLIC_KEY_TYPES as readonly string[]).includes(token);
const looksLikeKeyType = (token: string) => isKnownType(token) || CERT_TYPE.test(token) || token === 'ssh-dss';

/**
 * Parses one OpenSSH public key line (`ssh-ed25519 AAAA… comment`). Returns a KeyProblem with a
 * message meant for the user when the text is anything else. A line with authorized_keys options
 * in front (`from="…" ssh-ed25519 …`) is refused: fal's `ssh_key` is documented as a public key
 * line, and silently dropping a `from=`/`command=` restriction would change what the user asked for.
 */
export function parsePublicKey(text: string): ParsedPublicKey | KeyProblem {
  if (looksLikePrivateKey(text)) return { problem: privateKeyProblem() };
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') {
    return {
      problem: l10n.t('The SSH public key is empty: paste the one line of a .pub file, e.g. ~/.ssh/id_ed25519.pub.'),
    };
  }
  if (/-{4}\s*BEGIN SSH2 PUBLIC KEY\s*-{4}/i.test(trimmed)) {
    return {
      problem: l10n.t(
        'This public key is in SSH2 (RFC 4716) format. Convert it to one OpenSSH line with `ssh-keygen -i -f <file>` and paste that.',
      ),
    };
  }
  const pem = /-{5}BEGIN (RSA )?PUBLIC KEY-{5}/.exec(trimmed);
  if (pem) {
    const mode = pem[1] ? 'PEM' : 'PKCS8';
    return {
      problem: l10n.t`This public key is in PEM format. Convert it to one OpenSSH line with \`ssh-keygen -i -m ${mode} -f <file>\` and paste that.`,
    };
  }

  const lines = trimmed.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '');
  if (lines.length > 1) {
    const keyLines = lines.filter((l) => looksLikeKeyType(l.trim().split(/\s+/)[0] ?? '')).length;
    return {
      problem:
        keyLines > 1
          ? l10n.t`This text holds ${keyLines} keys. fal installs exactly one key per instance: paste one line.`
          : l10n.t('The SSH public key must be one line, as in the .pub file; this one is broken over several lines.'),
    };
  }

  const line = trimmed;
  const tokens = line.split(/[ \t]+/);
  const type = tokens[0] ?? '';
  if (!isKnownType(type)) return { problem: typeProblem(type, tokens) };

  const base64 = tokens[1] ?? '';
  if (base64 === '')
    return { problem: l10n.t`The ${type} key is incomplete: the key data after "${type} " is missing.` };
  if (!BASE64.test(base64) || base64.length % 4 !== 0) {
    return {
      problem: l10n.t`The ${type} key data is not valid base64: it was probably damaged or cut off while copying.`,
    };
  }
  const blob = Buffer.from(base64, 'base64');
  if (blob.toString('base64') !== base64) {
    return {
      problem: l10n.t`The ${type} key data is not valid base64: it was probably damaged or cut off while copying.`,
    };
  }

  let bits: number;
  try {
    const reader = new WireReader(blob);
    const embedded = reader.ascii();
    if (embedded !== type) {
      return {
        problem: l10n.t`The key line says ${type}, but its key data is a ${embedded} key: the line was edited or assembled from two keys.`,
      };
    }
    bits = readKeyBody(type, reader);
    if (reader.remaining !== 0) throw new WireError(l10n.t('trailing bytes'));
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    return { problem: l10n.t`The ${type} key data is damaged (${e.message}): copy the .pub file again.` };
  }
  if (type === 'ssh-rsa' && bits < MIN_RSA_BITS) {
    return {
      problem: l10n.t`This RSA key has only ${bits} bits; OpenSSH refuses RSA keys under ${MIN_RSA_BITS} bits. Use an ed25519 key.`,
    };
  }

  // The comment is everything after the key data, kept as written (it may contain spaces).
  const afterData = /^\S+[ \t]+\S+[ \t]*(.*)$/.exec(line)?.[1]?.trim() ?? '';
  const comment = afterData === '' ? undefined : afterData;
  const fingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
  return {
    type,
    base64,
    ...(comment !== undefined && { comment }),
    fingerprint,
    bits,
    line: comment === undefined ? `${type} ${base64}` : `${type} ${base64} ${comment}`,
  };
}

function typeProblem(type: string, tokens: string[]): string {
  const expected = l10n.t(
    'ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521, sk-ssh-ed25519@openssh.com or sk-ecdsa-sha2-nistp256@openssh.com',
  );
  const laterType = tokens.slice(1).find(isKnownType);
  if (laterType) {
    return l10n.t`This looks like an authorized_keys line with options in front of the key. Paste only the key, starting at "${laterType}".`;
  }
  if (CERT_TYPE.test(type))
    return l10n.t(
      'This is an SSH certificate, not a public key. Paste the plain public key (.pub file without -cert).',
    );
  if (type === 'ssh-dss')
    return l10n.t('DSA keys are not supported (OpenSSH disabled them). Create an ed25519 key instead.');
  if (/^AAAA[A-Za-z0-9+/]/.test(type))
    return l10n.t`The key type is missing: the line should start with one of ${expected}.`;
  const shown = type.length > 40 ? `${type.slice(0, 40)}…` : type;
  return l10n.t`"${shown}" is not a supported SSH public key type. The line should start with one of ${expected}.`;
}

/** Checks the fields after the type name; returns the key size. Throws WireError when malformed. */
function readKeyBody(type: PublicKeyType, reader: WireReader): number {
  switch (type) {
    case 'ssh-ed25519':
    case 'sk-ssh-ed25519@openssh.com': {
      if (reader.bytes().length !== 32) throw new WireError(l10n.t('an ed25519 key is 32 bytes'));
      if (type === 'sk-ssh-ed25519@openssh.com') reader.ascii(); // FIDO application, e.g. "ssh:"
      return 256;
    }
    case 'ssh-rsa': {
      const e = reader.bytes();
      const n = reader.bytes();
      if (e.length === 0 || n.length === 0) throw new WireError(l10n.t('empty RSA number'));
      return bitLength(n);
    }
    default: {
      const curve = ECDSA_CURVES[type];
      if (!curve) throw new WireError(l10n.t('unknown curve'));
      if (reader.ascii() !== curve.curve) throw new WireError(l10n.t`curve is not ${curve.curve}`);
      const point = reader.bytes();
      if (point.length !== curve.pointBytes || point[0] !== 0x04) throw new WireError(l10n.t('bad curve point'));
      if (type === 'sk-ecdsa-sha2-nistp256@openssh.com') reader.ascii();
      return curve.bits;
    }
  }
}

/** Bits of an SSH mpint (big-endian, possibly with a leading zero byte). */
function bitLength(mpint: Buffer): number {
  let i = 0;
  while (i < mpint.length && mpint[i] === 0) i++;
  if (i === mpint.length) return 0;
  return (mpint.length - i - 1) * 8 + (32 - Math.clz32(mpint[i]!));
}
