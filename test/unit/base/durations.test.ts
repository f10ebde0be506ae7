// One style per thing the product says about a duration.
import assert from 'node:assert/strict';
import { agoText, countdownLeftText, spanText, waitText } from '../../../src/base/durations';

describe('durations in words', () => {
  it('a span that lasted is floored: seconds, minutes, hours and padded minutes', () => {
    assert.deepEqual([0, 40_000, 42 * 60_000 + 5_000, 120 * 60_000, 125 * 60_000].map(spanText), [
      '0 s',
      '40 s',
      '42 min',
      '2 h',
      '2 h 05 min',
    ]);
  });

  it('"ago" says the span the same way: the tooltip\'s "first seen" reads like "idle for"', () => {
    assert.equal(agoText(125 * 60_000), '2 h 05 min ago');
    assert.equal(agoText(10_000), '10 s ago');
  });

  it('a wait fal asked for is rounded up to the second, minutes and seconds without padding', () => {
    assert.deepEqual([0, 1, 45_000, 120_000, 700_000].map(waitText), ['0 s', '1 s', '45 s', '2 min', '11 min 40 s']);
  });

  it("the countdown's time left keeps its width as it ticks, and reads like a span past an hour", () => {
    assert.deepEqual([0, 999, 45_000, 60_000, 552_000, 3_900_000].map(countdownLeftText), [
      '0 s',
      '1 s',
      '45 s',
      '1 min 00 s',
      '9 min 12 s',
      '1 h 05 min',
    ]);
  });
});
