// What "the key leaked" means in these tests: any run of 4 or more characters of the secret
// (case-insensitive) anywhere an error or a log line can show — message, stack, fields,
// JSON.stringify, util.inspect with hidden properties.
import { inspect } from 'node:util';

/**
 * A key for leak checks: its secret shares no 4-character run with any text the client writes
 * itself (advice, templates), so a hit can only come from what the server sent.
 */
export const LEAK_KEY = 'lk7Qv2Wd:Qx7Vw3Zt9Rk2Jm8Np5LyHc4B';
export const LEAK_SECRET = 'Qx7Vw3Zt9Rk2Jm8Np5LyHc4B';

/** Every ≥ minLength run of `secret` found in `text` (case-insensitive), longest first per position. */
export function keyFragmentsIn(text: string, secret: string = LEAK_SECRET, minLength = 4): string[] {
  const haystack = text.toLowerCase();
  const needle = secret.toLowerCase();
  const found: string[] = [];
  for (let i = 0; i + minLength <= needle.length; i++) {
    const fragment = needle.slice(i, i + minLength);
    if (haystack.includes(fragment)) found.push(fragment);
  }
  return found;
}

/** Everything a person or a log could ever see of a thrown value. */
export function viewsOf(value: unknown): string[] {
  const views = [inspect(value, { depth: 10, showHidden: true })];
  try {
    views.push(JSON.stringify(value) ?? '');
  } catch {
    views.push('');
  }
  if (value instanceof Error) views.push(value.message, value.stack ?? '', String(value.cause ?? ''));
  return views;
}

/** The views of `value` that contain a fragment of the secret, for an assertion message. */
export function leaksIn(value: unknown, secret: string = LEAK_SECRET): string[] {
  return viewsOf(value)
    .filter((view) => keyFragmentsIn(view, secret).length > 0)
    .map((view) => `${keyFragmentsIn(view, secret).join(',')} in ${view.slice(0, 300)}`);
}
