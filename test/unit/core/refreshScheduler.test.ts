import assert from 'node:assert/strict';
import { RefreshScheduler, type FetchOutcome } from '../../../src/core/refreshScheduler';
import { FakeTimers, flush } from './fakeTimers';

function setup(outcomes: (FetchOutcome | Error)[] = []) {
  const timers = new FakeTimers();
  const calls: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let release: (() => void) | undefined;
  let holdNext = false;
  const scheduler = new RefreshScheduler({
    fastMs: 3_000,
    slowMs: 60_000,
    backoffBaseMs: 5_000,
    maxBackoffMs: 300_000,
    timers,
    fetch: async () => {
      calls.push(timers.now());
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (holdNext) {
        holdNext = false;
        await new Promise<void>((r) => (release = r));
      }
      inFlight--;
      const next = outcomes.shift() ?? { ok: true, transitional: false };
      if (next instanceof Error) throw next;
      return next;
    },
  });
  return {
    timers,
    calls,
    scheduler,
    maxInFlight: () => maxInFlight,
    hold: () => (holdNext = true),
    release: () => release?.(),
    /** Enabled, visible and focused: the normal state of a user looking at the view. */
    async start() {
      scheduler.setEnabled(true);
      scheduler.setFocused(true);
      scheduler.setVisible(true);
      await flush();
    },
  };
}

describe('RefreshScheduler', () => {
  it('does nothing until enabled, visible and focused', async () => {
    const t = setup();
    t.scheduler.setEnabled(true);
    t.scheduler.setFocused(true);
    await t.timers.advance(600_000);
    assert.equal(t.calls.length, 0, 'hidden view must not fetch');
    t.scheduler.setVisible(true);
    await flush();
    assert.deepEqual(t.calls, [600_000]);
  });

  it('polls slowly when stable and quickly while an instance is transitional', async () => {
    const t = setup([{ ok: true, transitional: true }, { ok: true, transitional: true }, { ok: true, transitional: false }]);
    await t.start();
    await t.timers.advance(3_000);
    await t.timers.advance(3_000);
    assert.deepEqual(t.calls, [0, 3_000, 6_000]);
    await t.timers.advance(59_000);
    assert.equal(t.calls.length, 3, 'stable: no fetch before 60 s');
    await t.timers.advance(1_000);
    assert.deepEqual(t.calls.slice(3), [66_000]);
  });

  it('polls quickly while a create/delete is in flight', async () => {
    const t = setup();
    await t.start();
    const end = t.scheduler.beginOperation();
    await t.timers.advance(9_000);
    assert.deepEqual(t.calls, [0, 3_000, 6_000, 9_000]);
    end();
    end(); // ending twice is harmless
    await t.timers.advance(59_000);
    assert.equal(t.calls.length, 4);
    await t.timers.advance(1_000);
    assert.equal(t.calls.length, 5);
  });

  it('stops while unfocused and refreshes at once on return only if the data is stale', async () => {
    const t = setup();
    await t.start();
    t.scheduler.setFocused(false);
    await t.timers.advance(30_000);
    t.scheduler.setFocused(true);
    await flush();
    assert.deepEqual(t.calls, [0], 'data 30 s old is still fresh for a 60 s interval');
    assert.deepEqual(t.timers.scheduled, [30_000]);
    t.scheduler.setFocused(false);
    await t.timers.advance(600_000);
    assert.deepEqual(t.calls, [0], 'no request at all while unfocused');
    t.scheduler.setFocused(true);
    await flush();
    assert.deepEqual(t.calls, [0, 630_000], 'stale data is refreshed immediately on return');
  });

  it('never runs two fetches at once; a refresh during one is folded into one more after it', async () => {
    const t = setup();
    await t.start();
    t.hold();
    const first = t.scheduler.refreshNow();
    const second = t.scheduler.refreshNow();
    const third = t.scheduler.refreshNow();
    await flush();
    assert.equal(t.calls.length, 2, 'the one from start() and the held one');
    t.release();
    await Promise.all([first, second, third]);
    await flush();
    assert.equal(t.calls.length, 3, 'the two extra requests became one');
    assert.equal(t.maxInFlight(), 1);
  });

  it('backs off exponentially on failures, honours Retry-After, and recovers', async () => {
    const t = setup([{ ok: false }, { ok: false }, { ok: false, retryAfterMs: 120_000 }, new Error('boom'), { ok: true, transitional: false }]);
    await t.start();
    await t.timers.advance(5_000);
    await t.timers.advance(10_000);
    assert.deepEqual(t.calls, [0, 5_000, 15_000]);
    await t.timers.advance(119_000);
    assert.equal(t.calls.length, 3, 'Retry-After of 120 s is honoured');
    await t.timers.advance(1_000);
    assert.equal(t.calls.length, 4);
    await t.timers.advance(40_000);
    assert.equal(t.calls.length, 5, 'a thrown error counts as the 4th failure: 40 s');
    await t.timers.advance(60_000);
    assert.equal(t.calls.length, 6, 'back to the slow interval after success');
  });

  it('refreshNow works while paused, but not while disabled', async () => {
    const t = setup();
    await t.scheduler.refreshNow();
    assert.equal(t.calls.length, 0);
    t.scheduler.setEnabled(true);
    await t.scheduler.refreshNow();
    assert.equal(t.calls.length, 1);
  });

  it('dispose cancels the timer', async () => {
    const t = setup();
    await t.start();
    t.scheduler.dispose();
    await t.timers.advance(600_000);
    assert.equal(t.calls.length, 1);
    assert.deepEqual(t.timers.scheduled, []);
  });
});
