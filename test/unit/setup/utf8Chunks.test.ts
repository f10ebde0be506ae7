// Pieces of a log cut at any byte decode to the same text as the whole log at once, and the bytes
// held back are only ever an incomplete character (at most 3).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { incompleteTail, Utf8Chunks } from '../../../src/setup/utf8Chunks';

describe('Utf8Chunks', () => {
  it('any cuts of any bytes give the text of the whole (property)', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.string({ unit: 'grapheme', maxLength: 32 }).map((s) => Uint8Array.from(Buffer.from(s))),
      fc
        .array(fc.constantFrom([0xf0, 0x9f, 0x98, 0x80], [0xe2, 0x82, 0xac], [0xc3], [0xed, 0xa0], [0x80], [0x41]))
        .map((p) => Uint8Array.from(p.flat())),
    );
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(), { maxLength: 10 }), (all, cuts) => {
        const chunks = new Utf8Chunks();
        const points = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
        let text = '';
        let from = 0;
        for (const at of [...points, all.length]) {
          text += chunks.push(all.subarray(from, at));
          assert.ok(chunks.heldBytes <= 3);
          from = at;
        }
        text += chunks.end();
        assert.equal(text, new TextDecoder('utf-8', { ignoreBOM: true }).decode(all));
      }),
      { numRuns: 2000 },
    );
  });

  it('holds exactly an incomplete character', () => {
    const tail = (...b: number[]) => incompleteTail(Uint8Array.from(b));
    assert.deepEqual(
      [
        tail(0x41),
        tail(0xc3),
        tail(0xc3, 0xa9),
        tail(0xe2, 0x82),
        tail(0xf0, 0x9f, 0x98),
        tail(0xf0, 0x9f, 0x98, 0x80),
      ],
      [0, 1, 0, 2, 3, 0],
    );
    assert.deepEqual([tail(0xff), tail(0x80, 0x80, 0x80), tail(0xc0), tail()], [0, 0, 0, 0]);
  });
});
