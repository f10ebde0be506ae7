// fal API keys are one string `key_id:key_secret`. Users paste them from the dashboard,
// from `fal keys create` output (`FAL_KEY='…'`) or from HTTP snippets, so the shape check
// recognises those mistakes and says how to fix them. No message ever repeats the key.
import * as l10n from '@vscode/l10n';
import { FalConfigError } from './errors';
import { Redactor } from './redaction';

export interface ParsedApiKey {
  keyId: string;
  keySecret: string;
}

const KEYS_PAGE = 'https://fal.ai/dashboard/keys';
/** Worded when shown (a module-level message would miss the bundle extension.ts gives at activation). */
const expected = () => l10n.t`A fal API key looks like key_id:key_secret (create one at ${KEYS_PAGE}).`;

/** A human explanation of what is wrong with the key's shape, or undefined when it looks valid. */
export function checkApiKeyShape(raw: string): string | undefined {
  const key = raw.trim();
  if (key === '') return l10n.t`The fal API key is empty. ${expected()}`;
  if (/^(export\s+)?FAL_KEY\s*=/i.test(key)) return l10n.t`Paste only the key value, without "FAL_KEY=". ${expected()}`;
  if (/^bearer\s/i.test(key)) return l10n.t`This looks like a Bearer token, not a fal API key. ${expected()}`;
  if (/^key\s/i.test(key)) return l10n.t`Paste the key without the "Key " prefix. ${expected()}`;
  if (/^["'].*["']$/.test(key)) return l10n.t`Paste the key without the surrounding quotes. ${expected()}`;
  if (/\s/.test(key)) return l10n.t`The fal API key contains spaces or line breaks. ${expected()}`;
  if (!/^[\x21-\x7e]+$/.test(key))
    return l10n.t`The fal API key contains characters that cannot be part of a key. ${expected()}`;
  const colon = key.indexOf(':');
  if (colon < 0) return l10n.t`The fal API key has no ":" separating the key id from the secret. ${expected()}`;
  if (colon === 0) return l10n.t`The fal API key has no key id before the ":". ${expected()}`;
  if (colon === key.length - 1) return l10n.t`The fal API key has no secret after the ":". ${expected()}`;
  return undefined;
}

/** Splits on the first colon, like fal's own tools. Throws FalConfigError on a bad shape. */
export function parseApiKey(raw: string): ParsedApiKey {
  const problem = checkApiKeyShape(raw);
  if (problem) throw new FalConfigError(problem);
  const key = raw.trim();
  const colon = key.indexOf(':');
  return { keyId: key.slice(0, colon), keySecret: key.slice(colon + 1) };
}

/** Removes the key, runs of 4+ characters of its secret, and any `Authorization: Key …` value from free text. */
export function redact(text: string, key?: string): string {
  return new Redactor(key).redact(text);
}
