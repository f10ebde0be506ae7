// Bytes of a log, read in pieces that may cut a UTF-8 character anywhere, turned into text that
// is the same as decoding the whole log at once: an incomplete sequence at the end of a piece is
// held back (at most 3 bytes) and decoded with the next piece; invalid bytes become U+FFFD, as
// TextDecoder (non-fatal) makes them. Holding the bytes ourselves, rather than TextDecoder's
// streaming mode holding them, lets us say exactly which byte the text has reached: the offset a
// reopened terminal continues from starts on a character, never inside one.

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * How many bytes at the end of `bytes` start a sequence that is not complete yet: 0–3. Cutting
 * before a lead byte is always safe (a pending sequence ends at a lead byte either way), so only a
 * lead byte near the end, with fewer continuation bytes after it than it announces, is held.
 */
export function incompleteTail(bytes: Uint8Array): number {
  for (let k = 1; k <= Math.min(3, bytes.length); k++) {
    const byte = bytes[bytes.length - k]!;
    if ((byte & 0xc0) === 0x80) continue;
    const needs =
      byte >= 0xf0 && byte <= 0xf4 ? 4 : byte >= 0xe0 && byte < 0xf0 ? 3 : byte >= 0xc2 && byte < 0xe0 ? 2 : 1;
    return k < needs ? k : 0;
  }
  return 0;
}

/** Leading continuation bytes (at most 3): where a read that started at an arbitrary byte reaches a character. */
export function leadingContinuations(bytes: Uint8Array): number {
  let n = 0;
  while (n < 3 && n < bytes.length && (bytes[n]! & 0xc0) === 0x80) n++;
  return n;
}

export class Utf8Chunks {
  private held: Uint8Array = new Uint8Array(0);

  /** Bytes taken in but not yet given out as text (an incomplete character). */
  get heldBytes(): number {
    return this.held.length;
  }

  /** The text of `bytes` after those held; holds back an incomplete character at the end. */
  push(bytes: Uint8Array): string {
    const all = this.held.length ? concat(this.held, bytes) : bytes;
    const cut = all.length - incompleteTail(all);
    this.held = all.slice(cut);
    return decoder.decode(all.subarray(0, cut));
  }

  /** The held bytes as final text (an incomplete character is U+FFFD), and nothing held after. */
  end(): string {
    const rest = this.held;
    this.held = new Uint8Array(0);
    return rest.length ? decoder.decode(rest) : '';
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
