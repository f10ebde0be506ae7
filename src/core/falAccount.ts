// Which fal account a key belongs to, for what is kept per account (instance names): a short hash
// of the key's id part (`key_id` of `key_id:key_secret`), so neither the secret nor the key id is
// ever written anywhere. Pure (no `vscode`).
import { createHash } from 'node:crypto';

export function accountOf(key: string): string {
  const trimmed = key.trim();
  const id = trimmed.includes(':') ? trimmed.slice(0, trimmed.indexOf(':')) : trimmed;
  return createHash('sha256').update(`fal-key-id:${id}`).digest('hex').slice(0, 16);
}
