// The credit runway and its warning, pure: the figure (balance ÷ burn, USD only, none without burn)
// and fast-check properties over random sequences of balances, burns and thresholds: exactly one
// notification per crossing — never two without the runway going back above, never a crossing missed.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { CreditState } from '../../../src/core/credit';
import { ARMED_ALARM, runwayOf, runwaySide, stepAlarm, type RunwaySide } from '../../../src/cost/runway';

const usd = (balance: number): CreditState => ({ kind: 'known', balance, currency: 'USD', at: 0 });

describe('credit runway', () => {
  it('is the balance over the burn: $412 at $15.12/h lasts ~27 h', () => {
    const runway = runwayOf(usd(412), 15.12);
    assert.equal(runway.kind, 'hours');
    assert.equal(runway.kind === 'hours' && Math.floor(runway.hours), 27);
  });

  it('no burn (nothing running): no runway; another currency: shown as given, no runway from dollar rates; no balance: unknown', () => {
    assert.deepEqual(runwayOf(usd(412), 0), { kind: 'noBurn', balance: 412 });
    assert.deepEqual(runwayOf({ kind: 'known', balance: 412, currency: 'EUR', at: 0 }, 15.12), {
      kind: 'otherCurrency',
    });
    assert.equal(runwayOf({ kind: 'known', balance: 412, currency: 'usd', at: 0 }, 15.12).kind, 'hours');
    for (const credit of [
      { kind: 'unread' },
      { kind: 'notReadable', status: 403 },
      { kind: 'notKnown', reason: 'negative', at: 0 },
    ] as CreditState[])
      assert.deepEqual(runwayOf(credit, 15.12), { kind: 'unknown' });
  });

  it('a side only when it can be said: under/over the threshold, no burn is over, 0 turns it off', () => {
    assert.equal(runwaySide(runwayOf(usd(100), 10), 12), 'below');
    assert.equal(runwaySide(runwayOf(usd(120), 10), 12), 'above', 'exactly at the threshold is not under it');
    assert.equal(runwaySide(runwayOf(usd(1), 0), 12), 'above');
    assert.equal(runwaySide(runwayOf(usd(1), 10), 0), undefined);
    assert.equal(runwaySide({ kind: 'unknown' }, 12), undefined);
    assert.equal(runwaySide({ kind: 'otherCurrency' }, 12), undefined);
  });

  // One look at the runway: what was read (or not), what burns, what the setting says.
  const look = fc.record({
    credit: fc.oneof(
      { weight: 6, arbitrary: fc.double({ min: 0, max: 2_000, noNaN: true }).map(usd) },
      { weight: 1, arbitrary: fc.constant<CreditState>({ kind: 'unread' }) },
      { weight: 1, arbitrary: fc.constant<CreditState>({ kind: 'notReadable', status: 403 }) },
      { weight: 1, arbitrary: fc.constant<CreditState>({ kind: 'known', balance: 50, currency: 'EUR', at: 0 }) },
    ),
    perHour: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(1.89, 15.12, 17.01, 30.24) },
      { weight: 1, arbitrary: fc.constant(0) },
    ),
    warnHours: fc.oneof({ weight: 6, arbitrary: fc.constant(12) }, { weight: 1, arbitrary: fc.constantFrom(0, 1, 48) }),
  });
  const run = (looks: { credit: CreditState; perHour: number; warnHours: number }[]) => {
    let alarm = ARMED_ALARM;
    return looks.map((l) => {
      const side = runwaySide(runwayOf(l.credit, l.perHour), l.warnHours);
      const step = stepAlarm(alarm, side);
      alarm = step.alarm;
      return { side, ...step };
    });
  };

  it('property: a notification exactly when the runway is under the threshold and the last time anything was known it was not (no storm, no missed crossing)', () => {
    fc.assert(
      fc.property(fc.array(look, { maxLength: 80 }), (looks) => {
        const steps = run(looks);
        let last: RunwaySide = 'above'; // at start the warning is armed: a first reading under the threshold is a crossing
        for (const s of steps) {
          assert.equal(s.notify, s.side === 'below' && last === 'above');
          assert.equal(s.below, s.side === 'below', 'the warning colour at every look under the threshold');
          if (s.side !== undefined) last = s.side;
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it('property: between two notifications the runway was back at or above the threshold; refreshes while under it never notify again', () => {
    fc.assert(
      fc.property(fc.array(look, { maxLength: 80 }), fc.integer({ min: 1, max: 50 }), (looks, refreshes) => {
        // Every look repeated as refreshes (the same figures, read again): still one notification per crossing.
        const steps = run(looks.flatMap((l) => Array.from({ length: 1 + (refreshes % 5) }, () => l)));
        let since: number | undefined;
        steps.forEach((s, i) => {
          if (!s.notify) return;
          if (since !== undefined)
            assert.ok(
              steps.slice(since + 1, i).some((x) => x.side === 'above'),
              `notified at ${since} and ${i}`,
            );
          since = i;
        });
        const crossings = steps.filter((s, i) => s.side === 'below' && lastKnown(steps, i) !== 'below').length;
        assert.equal(steps.filter((s) => s.notify).length, crossings);
      }),
      { numRuns: 2_000 },
    );
  });

  it('a drain below the threshold notifies once, however many refreshes follow; a top-up re-arms it', () => {
    const balances = [400, 300, 181.44, 181.43, 150, 100, 50, 10, 0, 500, 170];
    const steps = run(balances.map((b) => ({ credit: usd(b), perHour: 15.12, warnHours: 12 })));
    assert.deepEqual(
      steps.map((s) => (s.notify ? 'N' : s.below ? 'b' : '.')),
      ['.', '.', '.', 'N', 'b', 'b', 'b', 'b', 'b', '.', 'N'],
    );
  });
});

function lastKnown(steps: readonly { side: RunwaySide }[], before: number): RunwaySide {
  for (let i = before - 1; i >= 0; i--) if (steps[i]!.side !== undefined) return steps[i]!.side;
  return 'above';
}
