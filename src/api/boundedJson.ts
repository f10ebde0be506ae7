// JSON from the network, parsed only when its size of structure is bounded. JSON.parse of 16 MiB of
// `{}` builds millions of objects (and zod an issue for each), enough to exhaust the extension
// host's heap. A single pass over the text, in constant memory, counts values and nesting first; a
// body over either limit is refused before anything is built.
import * as l10n from '@vscode/l10n';

export interface JsonLimits {
  /** Array elements and object members in the whole document (roughly: commas + 1). */
  readonly maxValues: number;
  readonly maxDepth: number;
}

/** A page of 1000 rows of fal's 7 fields is ~8 000 values; this leaves room for fields fal may add. */
export const JSON_LIMITS: JsonLimits = { maxValues: 100_000, maxDepth: 64 };

export type BoundedJson =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: string };

export function parseBoundedJson(text: string, limits: JsonLimits = JSON_LIMITS): BoundedJson {
  const problem = structureProblem(text, limits);
  if (problem) return { ok: false, problem };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, problem: l10n.t('is not JSON') };
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** Counts outside strings only (skipped at native speed); malformed JSON is left for JSON.parse to refuse. */
function structureProblem(text: string, limits: JsonLimits): string | undefined {
  let values = 1;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = closingQuote(text, i);
      if (i < 0) return undefined;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limits.maxDepth) return l10n.t`nests deeper than ${limits.maxDepth} levels`;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    } else if (c === COMMA && ++values > limits.maxValues) {
      return l10n.t`holds more than ${limits.maxValues} values`;
    }
  }
  return undefined;
}

/** The index of the quote that closes the string opened at `open` (one not escaped by an odd run of backslashes), or -1. */
function closingQuote(text: string, open: number): number {
  for (let at = text.indexOf('"', open + 1); at >= 0; at = text.indexOf('"', at + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return -1;
}
