// fal installs exactly one OpenSSH public key per instance, given as a string at create time.
// The check runs before any network I/O, above all to stop a private key from leaving the machine:
// with the one private-key detector (and its words) the wizard's paste box uses too.
import * as l10n from '@vscode/l10n';
import { looksLikePrivateKey, privateKeyProblem } from '../ssh/publicKey';

const PUBLIC_KEY_TYPE = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp\d+|sk-[a-z0-9-]+@openssh\.com)$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,3}$/;

/** A human explanation of what is wrong with the public key, or undefined when it looks valid. */
export function checkSshPublicKey(raw: string): string | undefined {
  const key = raw.trim();
  if (key === '')
    return l10n.t('The SSH public key is empty. Paste the contents of a .pub file, e.g. ~/.ssh/id_ed25519.pub.');
  if (looksLikePrivateKey(key)) return l10n.t`${privateKeyProblem()} It was not sent.`;
  if (key.includes('BEGIN SSH2 PUBLIC KEY')) {
    return l10n.t(
      'This public key is in SSH2 (RFC 4716) format. Convert it to a one-line OpenSSH key with `ssh-keygen -i -f <file>`.',
    );
  }
  if (/[\r\n]/.test(key)) return l10n.t('The SSH public key must be a single line (one key, as in a .pub file).');
  const [type = '', data = ''] = key.split(/\s+/);
  if (!PUBLIC_KEY_TYPE.test(type)) {
    return l10n.t(
      'This does not look like an OpenSSH public key: it should start with ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521 or sk-…@openssh.com.',
    );
  }
  if (!BASE64.test(data))
    return l10n.t`The ${type} public key is incomplete: the base64 key data after "${type} " is missing or damaged.`;
  return undefined;
}
