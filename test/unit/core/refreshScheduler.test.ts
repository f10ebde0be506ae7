import assert from 'node:assert/strict';
import { RefreshScheduler, type FetchKind, type FetchOutcome, type Schedule } from '../../../src/core/refreshScheduler';
import { describeSchedule } from '../../../src/core/scheduleWords';
import { FakeTimers, flush } from './fakeTimers';

function setup(outcomes: (FetchOutcome | Error)[] = []) {
  const timers = new FakeTimers();
  const calls: number[] = [];
  const kinds: FetchKind[] = [];
  /** Each fetch as `<ms> <kind>[ <ids>]`: who was asked, and when. */
  const asked: string[] = [];
  const decisions: Schedule[] = [];
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
    onSchedule: (d) => decisions.push(d),
    fetch: async (kind, ids = []) => {
      calls.push(timers.now());
      kinds.push(kind);
      asked.push([timers.now(), kind, ...(ids.length ? [ids.join(',')] : [])].join(' '));
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
    kinds,
    asked,
    decisions,
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
    const t = setup([
      { ok: true, transitional: true },
      { ok: true, transitional: true },
      { ok: true, transitional: false },
    ]);
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
    const t = setup([
      { ok: false },
      { ok: false },
      { ok: false, retryAfterMs: 120_000 },
      new Error('boom'),
      { ok: true, transitional: false },
    ]);
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
  it('a fast tick asks only for the changes; the whole list keeps the slow pace', async () => {
    const t = setup(Array.from({ length: 200 }, () => ({ ok: true, transitional: true }) as FetchOutcome));
    await t.start();
    await t.timers.advance(120_000);
    assert.equal(t.calls.length, 41, 'every 3 s');
    const fulls = t.calls.filter((_, i) => t.kinds[i] === 'full');
    assert.deepEqual(fulls, [0, 60_000, 120_000], 'the list once a minute, at the first tick and then every 60 s');
    assert.ok(t.kinds.filter((k) => k === 'changes').length === 38);
  });

  it('requestFull fetches the whole list at once, even between two fast ticks', async () => {
    const t = setup(Array.from({ length: 5 }, () => ({ ok: true, transitional: true }) as FetchOutcome));
    await t.start();
    await t.timers.advance(4_000);
    assert.deepEqual(t.kinds, ['full', 'changes']);
    await t.scheduler.requestFull();
    assert.deepEqual(t.kinds, ['full', 'changes', 'full']);
    assert.equal(t.calls.at(-1), 4_000);
  });

  it('an operation keeps it polling with the view hidden — not with the window in the background', async () => {
    const t = setup();
    t.scheduler.setEnabled(true);
    t.scheduler.setFocused(true);
    await t.timers.advance(10_000);
    assert.equal(t.calls.length, 0, 'hidden view: nothing');
    const end = t.scheduler.beginOperation();
    await t.timers.advance(6_000);
    assert.deepEqual(t.calls, [10_000, 13_000, 16_000], 'fast while the user waits on the operation');
    t.scheduler.setFocused(false);
    await t.timers.advance(60_000);
    assert.equal(t.calls.length, 3, 'never while the window is in the background');
    end();
    t.scheduler.setFocused(true);
    await t.timers.advance(600_000);
    assert.equal(t.calls.length, 3, 'the operation over, a hidden view is not refreshed');
  });

  it('while someone waits for an instance to become ready, that one instance is asked by id every second; the list keeps its pace; none after', async () => {
    const t = setup(Array.from({ length: 200 }, () => ({ ok: true, transitional: true }) as FetchOutcome));
    await t.start();
    t.scheduler.setVisible(false); // the view may be hidden: the user watches the progress notification
    const endWait = t.scheduler.beginOperation({ waitingFor: 'inst_w' });
    const endOther = t.scheduler.beginOperation(); // e.g. the create that made it
    await t.timers.advance(6_500);
    assert.deepEqual(t.asked, [
      '0 full',
      '1000 watched inst_w',
      '2000 watched inst_w',
      '3000 changes inst_w', // the fast tick asks it too (with the starting ones): no second request then
      '4000 watched inst_w',
      '5000 watched inst_w',
      '6000 changes inst_w',
    ]);
    endWait();
    endWait(); // ending twice is harmless
    await t.timers.advance(5_500);
    assert.deepEqual(t.asked.slice(7), ['9000 changes', '12000 changes'], 'the wait over: the fast pace alone');
    await t.timers.advance(120_000);
    assert.equal(t.asked.filter((a) => a.includes('inst_w')).length, 6, 'never again after the wait');
    assert.equal(t.asked.length, 7 + 2 + 40, 'the fast pace only (3 s)');
    endOther();
    await t.timers.advance(600_000);
    assert.equal(t.asked.length, 49, 'and nothing at all once the operations are over (hidden view)');
  });

  it('a wait that begins long after the last fetch asks at once; two waits take turns (never more than one extra request a second)', async () => {
    const t = setup(Array.from({ length: 40 }, () => ({ ok: true, transitional: false }) as FetchOutcome));
    await t.start();
    await t.timers.advance(10_500);
    const endA = t.scheduler.beginOperation({ waitingFor: 'inst_a' });
    await flush();
    assert.deepEqual(t.asked, ['0 full', '10500 changes inst_a'], 'asked at once (the fast pace was due)');
    const endB = t.scheduler.beginOperation({ waitingFor: 'inst_b' });
    await t.timers.advance(4_000);
    assert.deepEqual(t.asked.slice(2), [
      '11500 watched inst_b',
      '12500 watched inst_a', // the one asked longest ago
      '13500 changes inst_a,inst_b', // the fast pace asks both
      '14500 watched inst_a',
    ]);
    endA();
    endB();
  });

  it('a waiter does not shorten a back-off: a failing fal is not asked more often, by id or otherwise', async () => {
    const failing = setup(Array.from({ length: 10 }, () => ({ ok: false }) as FetchOutcome));
    await failing.start();
    const end = failing.scheduler.beginOperation({ waitingFor: 'inst_w' });
    await failing.timers.advance(40_000);
    assert.deepEqual(failing.calls, [0, 5_000, 15_000, 35_000], 'a failing fal is not asked more often for a waiter');
    end();
  });

  it('an operation does not shorten a back-off: waiting on fal that fails asks no more often', async () => {
    const t = setup(Array.from({ length: 10 }, () => ({ ok: false }) as FetchOutcome));
    await t.start();
    const end = t.scheduler.beginOperation();
    await t.timers.advance(80_000);
    assert.deepEqual(t.calls, [0, 5_000, 15_000, 35_000, 75_000]);
    end();
  });

  it('a disabled scheduler (no key, or a rejected one) sends nothing however long, and a new key starts with the whole list', async () => {
    const t = setup();
    await t.start();
    t.scheduler.setEnabled(false);
    await t.timers.advance(3_600_000);
    assert.equal(t.calls.length, 1);
    await t.scheduler.refreshNow();
    assert.equal(t.calls.length, 1, 'not even Refresh: there is no key to send');
    t.scheduler.setEnabled(true);
    await flush();
    assert.deepEqual(t.kinds, ['full', 'full']);
  });

  it('reports each decision once, in words', async () => {
    const t = setup([
      { ok: true, transitional: true },
      { ok: false, retryAfterMs: 30_000 },
    ]);
    t.scheduler.setEnabled(true);
    t.scheduler.setFocused(true);
    await flush();
    t.scheduler.setVisible(true);
    await t.timers.advance(3_000);
    t.scheduler.setVisible(false);
    t.scheduler.setVisible(false);
    const said = t.decisions.map(describeSchedule);
    assert.deepEqual(said, [
      'Refresh paused: the Instances view is hidden.',
      'Refresh: fast (an instance is starting, or an operation waits); next: the starting instances in 3 s.',
      'Refresh: backing off after failures; next try (the starting instances) in 30 s.',
      'Refresh paused: the Instances view is hidden.',
    ]);
  });
});
