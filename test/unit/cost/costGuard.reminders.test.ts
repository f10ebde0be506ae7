import assert from 'node:assert/strict';
import { CostGuard, type CostGuardSettings, type ReminderAction } from '../../../src/cost';
import { FakeTimers, flush } from '../core/fakeTimers';
import { FakeHost, FakeIdle, HOUR, MIN, MemoryStore, record, settings } from './helpers';
import { StoredState } from '../../../src/core/storedState';

function setup(
  opts: {
    store?: MemoryStore;
    settings?: Partial<CostGuardSettings>;
    createdHere?: string[];
    timers?: FakeTimers;
  } = {},
) {
  const timers = opts.timers ?? new FakeTimers();
  const host = new FakeHost();
  const idle = new FakeIdle();
  const store = opts.store ?? new MemoryStore();
  const created = new Set(opts.createdHere ?? []);
  const guard = new CostGuard({
    host,
    idle,
    store: new StoredState(store),
    timers,
    createdHere: (id) => created.has(id),
    settings: settings(opts.settings),
  });
  return { timers, host, idle, store, guard };
}

describe('cost guard: reminders', () => {
  it('idle → reminder with the cost spent idle → Keep 1 h silences it for an hour → reminder again', async () => {
    const { timers, host, idle, guard } = setup();
    guard.setInstances([record('inst_a')]);
    idle.set('inst_a', 0);
    await timers.advance(29 * MIN);
    assert.equal(host.reminders.length, 0, 'not before 30 min');
    await timers.advance(1 * MIN);
    assert.equal(host.reminders.length, 1);
    const first = host.reminders[0]!;
    assert.equal(first.notice.message, 'inst_a (8x H100) has been idle for 30 min — about $7.56 spent idle.');
    assert.deepEqual(
      first.notice.actions.map((a) => a.title),
      ['Delete…', 'Keep 1 h', "Don't remind for this instance"],
    );
    await timers.advance(20 * MIN); // the user answers 20 min later: the hour counts from the click
    first.answer('keep1h');
    await flush();
    await timers.advance(59 * MIN);
    assert.equal(host.reminders.length, 1, 'silent during the snooze');
    await timers.advance(1 * MIN);
    assert.equal(host.reminders.length, 2, 'reminded again when the hour is over');
    assert.match(host.reminders[1]!.notice.message, /idle for 1 h 50 min — about \$27\.72 spent idle/);
    assert.match(host.logsFor('inst_a'), /idle reminder shown[\s\S]*kept for 1 h[\s\S]*idle reminder shown/);
  });

  it("says the user's name for a machine (Rename…) beside its id in reminders and the countdown", async () => {
    const timers = new FakeTimers();
    const host = new FakeHost();
    const idle = new FakeIdle();
    const names: Record<string, string> = { inst_a: 'train-run' };
    const guard = new CostGuard({
      host,
      idle,
      store: new StoredState(new MemoryStore()),
      timers,
      createdHere: () => true,
      nameOf: (id) => names[id],
      settings: settings({ autoDelete: true }),
    });
    guard.setInstances([record('inst_a', 0), record('inst_b', 0)]);
    await timers.advance(8 * HOUR);
    assert.deepEqual(host.reminders.map((r) => r.notice.message).sort(), [
      'inst_b (8x H100) has been running for 8 h — about $120.96 so far.',
      'train-run (inst_a, 8x H100) has been running for 8 h — about $120.96 so far.',
    ]);
    for (const r of host.reminders) r.answer('dontRemind');
    await flush();
    idle.set('inst_a', timers.now());
    await timers.advance(30 * MIN);
    assert.equal(host.countdowns.length, 1);
    assert.match(host.countdowns[0]!.notice.headline, /^train-run \(inst_a, 8x H100\) has been idle for 30 min\.$/);
  });

  it('a busy instance gets no idle reminder, and none when it turns busy before 30 min', async () => {
    const { timers, host, idle, guard } = setup();
    guard.setInstances([record('inst_a')]);
    idle.set('inst_a', 0);
    await timers.advance(20 * MIN);
    idle.set('inst_a', undefined);
    await timers.advance(2 * HOUR);
    assert.equal(host.reminders.length, 0);
  });

  it('running-time reminder after runningHours whatever the load, then every runningHours', async () => {
    const { timers, host, guard } = setup({ createdHere: ['inst_mine'] });
    guard.setInstances([record('inst_mine', 0), record('inst_other', 0, { instance_type: 'gpu_1x_h100_sxm5' })]);
    await timers.advance(8 * HOUR - MIN);
    assert.equal(host.reminders.length, 0);
    await timers.advance(MIN);
    const messages = host.reminders.map((r) => r.notice.message).sort();
    assert.deepEqual(messages, [
      'inst_mine (8x H100) has been running for 8 h — about $120.96 so far.',
      'inst_other (1x H100) has been running for 8 h (since this VS Code first saw it) — about $15.12 so far.',
    ]);
    for (const r of host.reminders) r.answer(undefined);
    await timers.advance(8 * HOUR);
    assert.equal(host.reminders.length, 4, 'again after another 8 h');
  });

  it('while the window is unfocused reminders wait, and appear when it is focused again', async () => {
    const { timers, host, idle, guard } = setup();
    guard.setInstances([record('inst_a')]);
    guard.setFocused(false);
    idle.set('inst_a', 0);
    await timers.advance(3 * HOUR);
    assert.equal(host.reminders.length, 0);
    assert.match(host.logsFor('inst_a'), /idle reminder waits for the window to be focused/);
    assert.equal(host.logs.filter((l) => l.includes('waits')).length, 1, 'logged once, not on every tick');
    guard.setFocused(true);
    assert.equal(host.reminders.length, 1);
    assert.match(host.reminders[0]!.notice.message, /idle for 3 h/);
  });

  it('one reminder per instance at a time: an open idle reminder holds back the running one', async () => {
    const { timers, host, idle, guard } = setup({ settings: { runningHours: 1 } });
    guard.setInstances([record('inst_a')]);
    idle.set('inst_a', 0);
    await timers.advance(30 * MIN);
    assert.equal(host.openReminders().length, 1);
    await timers.advance(5 * HOUR);
    assert.equal(host.reminders.length, 1, 'never two at once, however long the first stays open');
  });

  it('at most one reminder per instance per snooze period, even when dismissed', async () => {
    const { timers, host, idle, guard } = setup();
    guard.setInstances([record('inst_a')]);
    idle.set('inst_a', 0);
    await timers.advance(30 * MIN);
    host.reminders[0]!.answer(undefined);
    await flush();
    await timers.advance(59 * MIN);
    assert.equal(host.reminders.length, 1);
    await timers.advance(MIN);
    assert.equal(host.reminders.length, 2);
    assert.match(host.logsFor('inst_a'), /reminder dismissed/);
  });

  /** Answers the first idle reminder, then "reloads": a new guard over the same store and clock. */
  async function answerThenReload(action: ReminderAction, gapMs = 0) {
    const store = new MemoryStore();
    const timers = new FakeTimers();
    const a = setup({ store, timers });
    a.guard.setInstances([record('inst_a')]);
    a.idle.set('inst_a', 0);
    await timers.advance(30 * MIN);
    a.host.reminders[0]!.answer(action);
    await flush();
    a.guard.dispose();
    await timers.advance(gapMs);
    const b = setup({ store, timers });
    b.guard.setInstances([record('inst_a')]);
    b.idle.set('inst_a', 0);
    return b;
  }

  it("Don't remind survives a reload (a new guard over the same store)", async () => {
    const b = await answerThenReload('dontRemind');
    await b.timers.advance(24 * HOUR);
    assert.equal(b.host.reminders.length, 0, 'neither idle nor running reminders');
  });

  it('a snooze survives a reload, and ends on time', async () => {
    const b = await answerThenReload('keep1h', 10 * MIN);
    await b.timers.advance(49 * MIN);
    assert.equal(b.host.reminders.length, 0);
    await b.timers.advance(MIN);
    assert.equal(b.host.reminders.length, 1);
  });

  it('Delete… opens the normal confirmed delete (the guard deletes nothing itself)', async () => {
    const { timers, host, idle, guard } = setup();
    guard.setInstances([record('inst_a')]);
    idle.set('inst_a', 0);
    await timers.advance(30 * MIN);
    host.reminders[0]!.answer('delete');
    await flush();
    assert.deepEqual(host.confirmDeletes, ['inst_a']);
    assert.deepEqual(host.deleted, []);
  });

  it('an instance being deleted or gone has its reminder closed; settings of 0 turn reminders off', async () => {
    const { timers, host, idle, guard } = setup();
    guard.setInstances([record('inst_a')]);
    idle.set('inst_a', 0);
    await timers.advance(30 * MIN);
    guard.setInstances([record('inst_a', 0, {}, true)]);
    assert.equal(host.openReminders().length, 0, 'closed when a delete starts');
    await timers.advance(2 * HOUR);
    assert.equal(host.reminders.length, 1, 'and none while it is being deleted');
    guard.setInstances([]);
    assert.equal(host.openReminders().length, 0);
    const off = setup({ settings: { idleMinutes: 0, runningHours: 0 } });
    off.guard.setInstances([record('inst_b')]);
    off.idle.set('inst_b', 0);
    await off.timers.advance(48 * HOUR);
    assert.equal(off.host.reminders.length, 0);
    assert.deepEqual(off.timers.scheduled, [], 'and no timer keeps waking up');
  });

  it('a corrupt store reads as empty instead of crashing', () => {
    const store = new MemoryStore();
    store.data.set(
      'fal.costGuard',
      JSON.stringify({ muted: 'x', protected: [1, 2], snoozedUntil: { a: 'soon', b: 5 } }),
    );
    const { guard } = setup({ store });
    assert.equal(guard.isProtected('1'), false);
    guard.setInstances([record('a')]);
  });
});
