// The cost guard's leases (issue 19 item 6) in fake time: the end of a lease runs the same countdown
// and the same delete path as an idle auto-delete, never silently, never for a protected instance,
// and never after an Extend or a Keep — made here or in another window (the store, read again).
import assert from 'node:assert/strict';
import { CostGuard, LEASES_KEY, type CostGuardSettings } from '../../../src/cost';
import { StoredState } from '../../../src/core/storedState';
import { FakeTimers, flush } from '../core/fakeTimers';
import { FakeHost, FakeIdle, HOUR, MIN, MemoryStore, record, settings } from './helpers';

async function setup(opts: { store?: MemoryStore; start?: number; settings?: Partial<CostGuardSettings> } = {}) {
  const timers = new FakeTimers();
  if (opts.start) await timers.advance(opts.start);
  const host = new FakeHost();
  const store = opts.store ?? new MemoryStore();
  const guard = new CostGuard({
    host,
    idle: new FakeIdle(),
    store: new StoredState(store),
    timers,
    createdHere: (id) => id === 'inst_a',
    // Auto-delete stays off: a lease is its own opt-in, per instance.
    settings: settings({ runningHours: 0, ...opts.settings }),
  });
  guard.setInstances([record('inst_a')]);
  return { timers, host, guard, store };
}

/** A lease of 2 h from now. */
function lease(t: Awaited<ReturnType<typeof setup>>, hours = 2): number {
  const end = t.timers.now() + hours * HOUR;
  t.guard.leases.set('inst_a', end);
  return end;
}

describe('cost guard: leases', () => {
  it('at the end of a lease: the countdown (grace), then exactly one delete — a busy machine too, with no SSH look at it', async () => {
    const t = await setup();
    lease(t);
    await t.timers.advance(2 * HOUR - 1);
    assert.equal(t.host.countdowns.length, 0, 'nothing before the end');
    await t.timers.advance(1);
    assert.equal(t.host.countdowns.length, 1, 'a countdown at the end');
    const notice = t.host.countdowns[0]!.notice;
    assert.equal(notice.cause, 'lease');
    assert.match(
      notice.message,
      /^The lease of inst_a \(8x H100\) ended at .+\. Delete in 10 min, after a fresh check/,
    );
    await t.timers.advance(10 * MIN - 1);
    assert.deepEqual(t.host.deleted, [], 'not before the countdown ran out');
    await t.timers.advance(1);
    await flush();
    assert.deepEqual(t.host.deleted, ['inst_a']);
    assert.deepEqual(t.host.inspected, [], 'a lease does not ask whether the machine is idle');
    assert.match(t.host.informs[0]!, /^Deleted inst_a \(8x H100\): its lease ended/);
    assert.match(t.host.logsFor('inst_a'), /deleted at the end of its lease/);
  });

  it('runs fal.idle.beforeDelete first, the same before-delete step as the auto-delete, and deletes only after it exits 0', async () => {
    const t = await setup({ settings: { beforeDelete: 'save ${instanceId}' } });
    t.host.beforeDeleteExit = 3;
    lease(t);
    await t.timers.advance(2 * HOUR + 10 * MIN);
    await flush();
    assert.deepEqual(t.host.commands, ['save inst_a']);
    assert.deepEqual(t.host.deleted, []);
    assert.match(
      t.host.warnings[0]!,
      /was not deleted at the end of its lease: beforeDelete exited with 3\. Its lease is tried again in 10 min\./,
    );
    t.host.beforeDeleteExit = 0;
    await t.timers.advance(10 * MIN);
    assert.equal(t.host.openCountdowns().length, 1, 'a new countdown after the retry pause, not before');
    await t.timers.advance(10 * MIN);
    await flush();
    assert.deepEqual(t.host.deleted, ['inst_a']);
  });

  it('a protected instance is never deleted by its lease: it waits, said once in the log, and counts down once unprotected', async () => {
    const t = await setup();
    t.guard.setProtected('inst_a', true);
    lease(t);
    await t.timers.advance(5 * HOUR);
    assert.equal(t.host.countdowns.length, 0);
    assert.equal(t.host.logsFor('inst_a').match(/not deleted now: it is protected from auto-delete/g)?.length, 1);
    t.guard.setProtected('inst_a', false);
    assert.equal(t.host.openCountdowns().length, 1, 'the countdown, never a silent delete');
    t.guard.setProtected('inst_a', true);
    assert.equal(t.host.openCountdowns().length, 0, 'Protect during the countdown stops it');
    await t.timers.advance(HOUR);
    await flush();
    assert.deepEqual(t.host.deleted, []);
  });

  it("the countdown's Keep removes the lease; its Cancel moves the lease 1 h on", async () => {
    const t = await setup();
    lease(t);
    await t.timers.advance(2 * HOUR);
    t.host.countdowns[0]!.answer('cancel');
    await flush();
    assert.equal(t.guard.leases.end('inst_a'), t.timers.now() + HOUR);
    await t.timers.advance(HOUR);
    assert.equal(t.host.openCountdowns().length, 1, 'a new countdown an hour later');
    t.host.countdowns[1]!.answer('keep');
    await flush();
    assert.equal(t.guard.leases.end('inst_a'), undefined);
    await t.timers.advance(24 * HOUR);
    assert.equal(t.host.countdowns.length, 2);
    assert.deepEqual(t.host.deleted, []);
  });

  it('Extend 1 h or Keep from another window (the store, under this one) stops the delete right before the request', async () => {
    for (const other of [{ inst_a: 99 * HOUR }, {}]) {
      const t = await setup();
      lease(t);
      const send = t.host.deleteInstance.bind(t.host);
      t.host.deleteInstance = async (id, gate) => {
        t.store.data.set(LEASES_KEY, JSON.stringify(other)); // the other window's write lands meanwhile
        await send(id, gate);
      };
      await t.timers.advance(2 * HOUR + 10 * MIN);
      await flush();
      assert.deepEqual(t.host.deleted, [], JSON.stringify(other));
      assert.match(
        t.host.logsFor('inst_a'),
        /not deleted at the end of its lease: it(s lease now ends| no longer has a lease)/,
      );
    }
  });

  it('a lease that ended while VS Code was closed: on start, the countdown first — never a delete without one', async () => {
    const store = new MemoryStore();
    store.data.set(LEASES_KEY, JSON.stringify({ inst_a: 5 * HOUR }));
    const t = await setup({ store, start: 30 * HOUR });
    assert.equal(t.host.openCountdowns().length, 1);
    assert.match(t.host.countdowns[0]!.notice.headline, /^The lease of inst_a \(8x H100\) ended at /);
    await flush();
    assert.deepEqual(t.host.deleted, []);
    await t.timers.advance(10 * MIN);
    await flush();
    assert.deepEqual(t.host.deleted, ['inst_a']);
  });

  it('an instance not created here is never deleted by a lease (a hand-edited store cannot make it so)', async () => {
    const store = new MemoryStore();
    store.data.set(LEASES_KEY, JSON.stringify({ inst_other: 1 }));
    const t = await setup({ store });
    t.guard.setInstances([record('inst_other')]);
    await t.timers.advance(HOUR);
    assert.equal(t.host.countdowns.length, 0);
    assert.match(t.host.logsFor('inst_other'), /not deleted now: it was not created from this VS Code/);
  });
});
