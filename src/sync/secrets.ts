// What looks like a secret is never uploaded unless the user names it: a private key file, `.env`
// files, and key/certificate files that hold a private key. Pure: the walker reads the first bytes
// of the files `needsHeader` asks about and passes them in.
import * as l10n from '@vscode/l10n';

/** How many bytes of a file the header check reads. */
export const SECRET_HEADER_BYTES = 4096;

const KEY_FILE_NAMES = /^id_(rsa|dsa|ecdsa|ed25519)(_sk)?$|^id_ecdsa_sk$/;
const DOTENV = /^\.env(\..+)?$/;
/** Templates of .env files hold no values by convention and are meant to be shared. */
const DOTENV_TEMPLATE = /\.(example|sample|template|dist)$/;
const KEY_CONTAINERS = /\.(p12|pfx|keystore|jks)$/i;
const KEY_TEXT_FILES = /\.(pem|key|crt|cer|ppk)$/i;
const PRIVATE_KEY_HEADER = /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----|PuTTY-User-Key-File-/;

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** Whether the decision needs the file's first bytes (a .pem may hold only a public certificate). */
export function needsHeader(path: string): boolean {
  return KEY_TEXT_FILES.test(baseName(path));
}

/** Why `path` looks like a secret, or undefined. `header`: the file's first bytes when needsHeader(path). */
export function secretReason(path: string, header?: Uint8Array): string | undefined {
  const name = baseName(path);
  if (KEY_FILE_NAMES.test(name)) return l10n.t('an SSH private key');
  if (DOTENV.test(name) && !DOTENV_TEMPLATE.test(name)) return l10n.t('an environment file (.env)');
  if (KEY_CONTAINERS.test(name)) return l10n.t('a key store');
  if (needsHeader(path) && header && PRIVATE_KEY_HEADER.test(Buffer.from(header).toString('latin1'))) {
    return l10n.t('a private key');
  }
  return undefined;
}
