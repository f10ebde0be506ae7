// The refresh scheduler's billing read, in fake time: its pace (never faster than once a minute,
// whatever the refresh intervals), nothing while hidden or unfocused, back-off after failures, and
// a 403/404 that ends the asking until the key changes; nothing while fal is failing. A fast-check run holds the rules over
// random sequences of what a user and fal do.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BillingOutcome } from '../../../src/core/billingPace';
import { RefreshScheduler, type FetchOutcome } from '../../../src/core/refreshScheduler';
import { FakeTimers, flush } from './fakeTimers';

const MIN = 60_000;

function setup(
  opts: { fastMs?: number; slowMs?: number; everyMs?: number; billing?: BillingOutcome[]; lists?: FetchOutcome[] } = {},
) {
  const timers = new FakeTimers();
  const lists: number[] = [];
  const billed: number[] = [];
  const state = { visible: false, focused: true, inFlight: 0, maxInFlight: 0 };
  const during = async <T>(work: () => T): Promise<T> => {
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    await Promise.resolve();
    state.inFlight--;
    return work();
  };
  const scheduler = new RefreshScheduler({
    fastMs: opts.fastMs ?? 3_000,
    slowMs: opts.slowMs ?? MIN,
    timers,
    fetch: () => {
      lists.push(timers.now());
      return during(() => opts.lists?.shift() ?? { ok: true, transitional: false });
    },
    billing: {
      ...(opts.everyMs !== undefined ? { everyMs: opts.everyMs } : {}),
      fetch: () => {
        billed.push(timers.now());
        return during(() => opts.billing?.shift() ?? { kind: 'read' });
      },
    },
  });
  return {
    timers,
    scheduler,
    lists,
    billed,
    state,
    async start() {
      scheduler.setBillingKey('account-a');
      scheduler.setEnabled(true);
      scheduler.setFocused(true);
      scheduler.setVisible(true);
      state.visible = true;
      await flush();
    },
  };
}

describe('RefreshScheduler: the billing read', () => {
  it('reads the balance with the first refresh, then once a minute on the slow pace, before the list, never beside it', async () => {
    const t = setup();
    await t.start();
    await t.timers.advance(5 * MIN);
    assert.deepEqual(
      t.lists,
      [0, 1, 2, 3, 4, 5].map((m) => m * MIN),
    );
    assert.deepEqual(t.billed, t.lists);
    assert.equal(t.state.maxInFlight, 1, 'never two requests at once');
  });

  it('never faster than once a minute: not with a 3 s fast pace, a 5 s slow pace, nor a shorter everyMs', async () => {
    for (const opts of [{ fastMs: 3_000 }, { slowMs: 5_000 }, { slowMs: 5_000, everyMs: 1_000 }]) {
      const t = setup({
        ...opts,
        lists: Array.from({ length: 400 }, () => ({ ok: true, transitional: 'fastMs' in opts })),
      });
      await t.start();
      await t.timers.advance(10 * MIN);
      assert.ok(t.lists.length >= 100, `${JSON.stringify(opts)}: the list is refreshed often (${t.lists.length})`);
      assert.deepEqual(
        t.billed,
        Array.from({ length: 11 }, (_, m) => m * MIN),
        JSON.stringify(opts),
      );
    }
  });

  it('follows a slower refresh: with the list every 5 min, the balance is read every 5 min', async () => {
    const t = setup({ slowMs: 5 * MIN });
    await t.start();
    await t.timers.advance(20 * MIN);
    assert.deepEqual(
      t.billed,
      [0, 5, 10, 15, 20].map((m) => m * MIN),
    );
  });

  it('nothing while the window is unfocused or the view hidden — even while an operation keeps the list refreshing', async () => {
    const t = setup();
    await t.start();
    t.scheduler.setFocused(false);
    await t.timers.advance(30 * MIN);
    assert.deepEqual(t.billed, [0]);
    t.scheduler.setFocused(true);
    await flush();
    assert.deepEqual(t.billed, [0, 30 * MIN], 'on return, at once: the balance is half an hour old');
    t.scheduler.setVisible(false);
    const end = t.scheduler.beginOperation();
    await t.timers.advance(10 * MIN);
    assert.ok(t.lists.filter((at) => at > 30 * MIN).length > 100, 'the hold refreshes the list every 3 s');
    assert.deepEqual(t.billed, [0, 30 * MIN], 'the balance waits for someone to look');
    t.scheduler.setVisible(true);
    await t.timers.advance(3_000);
    assert.deepEqual(t.billed, [0, 30 * MIN, 40 * MIN + 3_000]);
    end();
  });

  it('a 403/404 ends the asking: one read, then none for hours; the list goes on; a new key is asked again', async () => {
    const t = setup({ billing: [{ kind: 'notReadable' }, { kind: 'notReadable' }] });
    await t.start();
    await t.timers.advance(3 * 60 * MIN);
    assert.deepEqual(t.billed, [0], 'asked once');
    assert.equal(t.lists.length, 181, 'the list refreshes as before');
    t.scheduler.setBillingKey('account-a');
    t.scheduler.setEnabled(false);
    t.scheduler.setEnabled(true);
    await t.timers.advance(MIN);
    assert.deepEqual(t.billed, [0], 'the same key, signed in again: still not asked');
    t.scheduler.setBillingKey('account-b');
    await t.timers.advance(MIN);
    assert.equal(t.billed.length, 2, 'another key: asked at the next tick');
    await t.timers.advance(60 * MIN);
    assert.equal(t.billed.length, 2, 'and that one said 403 too: not again');
  });

  it('backs off after failures (2, 4, 8 min…, at least Retry-After), and a read resets the pace', async () => {
    const t = setup({
      billing: [{ kind: 'failed' }, { kind: 'failed' }, { kind: 'failed', retryAfterMs: 20 * MIN }, { kind: 'read' }],
    });
    await t.start();
    await t.timers.advance(60 * MIN);
    assert.deepEqual(
      t.billed.slice(0, 6),
      [0, 2, 6, 26, 27, 28].map((m) => m * MIN),
    );
  });

  it('asks nothing while the list is failing (the back-off covers fal as a whole)', async () => {
    const fail = { ok: false } as const;
    const ok = { ok: true, transitional: false } as const;
    const t = setup({ lists: [ok, fail, fail, fail, fail, fail, ok] });
    await t.start();
    await t.timers.advance(5 * MIN);
    assert.deepEqual(
      t.lists,
      [0, 60, 65, 75, 95, 135, 215, 275].map((s) => s * 1_000),
    );
    assert.deepEqual(
      t.billed,
      [0, 60_000, 275_000],
      'none from the first failure until a tick after fal answered again',
    );
  });

  it("a 401 on the balance (the session disables the scheduler) sends nothing more with that key: not even the tick's list", async () => {
    const timers = new FakeTimers();
    const lists: number[] = [];
    const scheduler: RefreshScheduler = new RefreshScheduler({
      fastMs: 3_000,
      slowMs: MIN,
      timers,
      fetch: async () => {
        lists.push(timers.now());
        return { ok: true, transitional: false };
      },
      billing: {
        fetch: async () => {
          scheduler.setEnabled(false); // what FalSession's interceptor does on a 401, through the controller
          return { kind: 'failed' };
        },
      },
    });
    scheduler.setEnabled(true);
    scheduler.setVisible(true);
    await timers.advance(10 * MIN);
    assert.deepEqual(lists, []);
  });

  it('a tick a moment early waits the rest of the minute out: reads exactly a minute apart, not two', async () => {
    const t = setup({ slowMs: MIN - 400 });
    await t.start();
    await t.timers.advance(3 * MIN);
    assert.deepEqual(t.billed, [0, MIN, 2 * MIN]);
  });

  it('property: whatever the user and fal do, reads are ≥ 1 min apart, only while looking, never after a 403/404 of the key, never beside a list', async () => {
    const step = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({ t: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 5 * MIN }) }),
      },
      { weight: 1, arbitrary: fc.record({ t: fc.constant('visible' as const), on: fc.boolean() }) },
      { weight: 1, arbitrary: fc.record({ t: fc.constant('focused' as const), on: fc.boolean() }) },
      { weight: 1, arbitrary: fc.record({ t: fc.constant('hold' as const) }) },
      { weight: 1, arbitrary: fc.record({ t: fc.constant('refresh' as const) }) },
    );
    const outcome: fc.Arbitrary<BillingOutcome> = fc.oneof(
      { weight: 6, arbitrary: fc.constant({ kind: 'read' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'notReadable' as const }) },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('failed' as const),
          retryAfterMs: fc.integer({ min: 0, max: 10 * MIN }),
        }),
      },
    );
    const list: fc.Arbitrary<FetchOutcome> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ ok: fc.constant(true as const), transitional: fc.boolean() }) },
      { weight: 1, arbitrary: fc.constant({ ok: false as const }) },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 40 }),
        fc.array(outcome, { maxLength: 30 }),
        fc.array(list, { maxLength: 200 }),
        async (steps, billing, lists) => {
          const t = setup({ billing: [...billing], lists: [...lists] });
          const looking: boolean[] = [];
          const seen = { visible: true, focused: true, stopped: false };
          const outcomes = [...billing];
          const holds: (() => void)[] = [];
          // Every billing read records whether the user was looking then; the outcome it got comes from `outcomes`.
          const billedBefore = () => t.billed.length;
          await t.start();
          let reads = billedBefore();
          const check = () => {
            for (; reads < t.billed.length; reads++) {
              looking.push(seen.visible && seen.focused);
              assert.ok(!seen.stopped, 'asked after this key said 403/404');
              if ((outcomes.shift() ?? { kind: 'read' }).kind === 'notReadable') seen.stopped = true;
            }
          };
          check();
          for (const s of steps) {
            if (s.t === 'advance') await t.timers.advance(s.ms);
            else if (s.t === 'visible') t.scheduler.setVisible((seen.visible = s.on));
            else if (s.t === 'focused') t.scheduler.setFocused((seen.focused = s.on));
            else if (s.t === 'hold') holds.push(t.scheduler.beginOperation());
            // Not awaited: a refresh may be waiting out the last moments of the balance's floor on a
            // fake timer, which only the next `advance` fires (awaiting it here would wait forever).
            else void t.scheduler.refreshNow();
            await flush();
            check();
          }
          holds.forEach((end) => end());
          assert.ok(looking.every(Boolean), 'a read while hidden or unfocused');
          for (let i = 1; i < t.billed.length; i++)
            assert.ok(t.billed[i]! - t.billed[i - 1]! >= MIN, `reads ${t.billed[i - 1]} and ${t.billed[i]}`);
          assert.equal(t.state.maxInFlight, 1);
          t.scheduler.dispose();
        },
      ),
      { numRuns: 150 },
    );
  });
});
