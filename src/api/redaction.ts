// The one redaction step for text this client did not write itself: what a server (or a proxy
// pretending to be fal) sent back, and what undici says about a failed exchange. Everything of that
// kind passes through `Redactor.text` before it can reach an error, a log line or the UI:
//
// 1. a window of the raw text is taken (the cap plus the key's length, so a key straddling the cut
//    is still whole inside it) — never the whole of a multi-MiB body;
// 2. invisible format characters (zero-width joiners, bidi overrides) are removed and control
//    characters and line breaks become spaces, so nothing can hide a key, forge a log line or
//    reorder a label;
// 3. the key and every run of 4 or more characters of its secret are replaced (case-insensitive:
//    URLs lower-case host names), as are `Authorization: Key …` values of any key;
// 4. only then is the text cut to its cap.
//
// Matching runs of 4 characters means a server that echoes a truncated key leaks at most 3 of its
// characters. The price: a 4-character coincidence with the secret in an innocent string (a request
// id) is redacted too — harmless, and rare for real keys.

export const REDACTED = '[REDACTED]';
/** Runs of this many characters of the secret are redacted wherever they appear. */
export const SECRET_FRAGMENT_LENGTH = 4;
/** Secrets this short would redact innocent text; real fal secrets are far longer. */
const MIN_REDACTABLE_LENGTH = 6;

const AUTHORIZATION_VALUE = /(authorization["']?\s*[:=]\s*["']?)(key|bearer)\s+[^\s"',;]+/gi;
const FORMAT_CHARACTERS = /\p{Cf}/gu;
const CONTROL_OR_SPACE = /[\p{Cc}\p{Z}\s]+/gu;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Printable ASCII words with single spaces: nothing to clean (most of what fal sends). */
const PLAIN = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;

export class Redactor {
  readonly #key: string;
  readonly #secret: string;
  readonly #fragments: ReadonlySet<string>;

  /** `apiKey` is `key_id:key_secret`; without one, only `Authorization` values are redacted. */
  constructor(apiKey?: string) {
    const key = apiKey?.trim() ?? '';
    const secret = key.includes(':') ? key.slice(key.indexOf(':') + 1) : '';
    this.#key = key.length >= MIN_REDACTABLE_LENGTH ? asciiLower(key) : '';
    this.#secret = secret.length >= MIN_REDACTABLE_LENGTH ? asciiLower(secret) : '';
    const fragments = new Set<string>();
    for (let i = 0; i + SECRET_FRAGMENT_LENGTH <= this.#secret.length; i++)
      fragments.add(this.#secret.slice(i, i + SECRET_FRAGMENT_LENGTH));
    this.#fragments = fragments;
  }

  /** Server text made safe to show, at most `maxChars` long (a cut is marked with `…`). */
  text(raw: string, maxChars: number): string {
    const windowed =
      raw.length > maxChars + this.#key.length + 16 ? raw.slice(0, maxChars + this.#key.length + 16) : raw;
    const cleaned = PLAIN.test(windowed)
      ? windowed
      : windowed.replace(LONE_SURROGATE, '\uFFFD').replace(FORMAT_CHARACTERS, '').replace(CONTROL_OR_SPACE, ' ').trim();
    const redacted = this.redact(cleaned);
    if (redacted.length <= maxChars && windowed.length === raw.length) return redacted;
    return `${cutAt(redacted, maxChars - 1)}…`;
  }

  /** Replaces the key, runs of its secret and Authorization values; keeps everything else as it is. */
  redact(text: string): string {
    const out = text.replace(AUTHORIZATION_VALUE, `$1$2 ${REDACTED}`);
    if (!this.#secret && !this.#key) return out;
    const lower = asciiLower(out);
    const covered = new Uint8Array(out.length);
    const cover = (from: number, length: number) => covered.fill(1, from, from + length);
    for (const whole of [this.#key, this.#secret]) {
      for (let at = whole ? lower.indexOf(whole) : -1; at >= 0; at = lower.indexOf(whole, at + 1))
        cover(at, whole.length);
    }
    for (let i = 0; i + SECRET_FRAGMENT_LENGTH <= lower.length; i++) {
      if (this.#fragments.has(lower.slice(i, i + SECRET_FRAGMENT_LENGTH))) cover(i, SECRET_FRAGMENT_LENGTH);
    }
    if (!covered.includes(1)) return out;
    let result = '';
    for (let i = 0; i < out.length;) {
      if (!covered[i]) {
        result += out[i++];
        continue;
      }
      while (covered[i]) i++;
      result += REDACTED;
    }
    return result;
  }

  /** Whether `text` holds the whole key or the whole secret (in any case). */
  holdsKey(text: string): boolean {
    const lower = asciiLower(text);
    return (!!this.#secret && lower.includes(this.#secret)) || (!!this.#key && lower.includes(this.#key));
  }
}

/** Lower-cases A–Z only, so indexes stay those of the original text (the key is ASCII). */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** The first `n` UTF-16 units, without splitting a surrogate pair. */
function cutAt(text: string, n: number): string {
  const cut = text.slice(0, Math.max(0, n));
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}
