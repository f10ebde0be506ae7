// Results first (issue 19 item 5) on the cost guard's one delete path, in fake time: with
// fal.results.paths set, the idle auto-delete and the lease download the results after the first
// look and before beforeDelete, delete only after a save that said "saved", and otherwise say why
// and leave the machine running.
import assert from 'node:assert/strict';
import { CostGuard, type CostGuardSettings } from '../../../src/cost';
import { StoredState } from '../../../src/core/storedState';
import { FakeTimers, flush } from '../core/fakeTimers';
import { FakeHost, FakeIdle, FakeSaver, HOUR, MIN, MemoryStore, record, settings } from './helpers';

function setup(opts: { settings?: Partial<CostGuardSettings>; saver?: FakeSaver } = {}) {
  const timers = new FakeTimers();
  const host = new FakeHost();
  const saver = opts.saver ?? new FakeSaver();
  host.results = saver;
  const idle = new FakeIdle();
  const guard = new CostGuard({
    host,
    idle,
    store: new StoredState(new MemoryStore()),
    timers,
    createdHere: (id) => id === 'inst_a',
    settings: settings({ autoDelete: true, ...opts.settings }),
  });
  guard.setInstances([record('inst_a')]);
  idle.set('inst_a', 0);
  return { timers, host, idle, guard, saver };
}

/** Idle 30 min → countdown 10 min → the steps of the delete. */
async function runToDeadline(t: ReturnType<typeof setup>) {
  await t.timers.advance(40 * MIN);
  await flush();
}

describe('cost guard: results first', () => {
  it('auto-delete: results downloaded after the first look, the machine looked at again, then one delete marked "results saved"', async () => {
    const t = setup();
    await t.timers.advance(30 * MIN);
    assert.match(
      t.host.countdowns[0]!.notice.message,
      /Its results \(fal\.results\.paths\) are downloaded first; the delete happens only if they all arrive\. Deleting destroys its disk\.$/,
    );
    await t.timers.advance(10 * MIN);
    await flush();
    assert.deepEqual(t.saver.saves, ['inst_a']);
    assert.deepEqual(t.host.inspected, ['inst_a', 'inst_a'], 'looked at before and after the save');
    assert.deepEqual(t.host.deleted, ['inst_a']);
    assert.deepEqual(t.host.notes, [{ resultsSaved: true }]);
    assert.match(
      t.host.logsFor('inst_a'),
      /re-check passed[\s\S]*downloading the results[\s\S]*results saved: 2 fetched, 1 already up to date[\s\S]*re-checking the machine after saving the results[\s\S]*deleting/,
    );
  });

  it('a failed save: no delete, the warning says the results could not be downloaded and the machine is left running', async () => {
    const t = setup({ settings: { beforeDelete: 'save ${instanceId}' } });
    t.saver.next = { kind: 'failed', reason: 'outputs/model.pt is newer here than on the machine.' };
    await runToDeadline(t);
    assert.deepEqual(t.host.deleted, []);
    assert.deepEqual(t.host.commands, [], 'beforeDelete does not run after a failed save');
    assert.deepEqual(t.host.warnings, [
      'inst_a (8x H100) was not auto-deleted: its results could not be downloaded (outputs/model.pt is newer here than on the machine), so the machine is left running.',
    ]);
    assert.match(t.host.logsFor('inst_a'), /results not saved, the machine is left running: outputs\/model\.pt/);
  });

  it('a save that throws counts as failed: no delete', async () => {
    const t = setup();
    t.saver.next = new Error('ssh: connection reset');
    await runToDeadline(t);
    assert.deepEqual(t.host.deleted, []);
    assert.match(
      t.host.warnings[0]!,
      /could not be downloaded \(ssh: connection reset\), so the machine is left running\.$/,
    );
  });

  it('results before beforeDelete: the command runs only after a save, then the delete', async () => {
    const t = setup({ settings: { beforeDelete: 'save ${instanceId}' } });
    const order: string[] = [];
    const save = t.saver.save.bind(t.saver);
    t.saver.save = (id) => (order.push('save'), save(id));
    const run = t.host.runBeforeDelete;
    t.host.runBeforeDelete = (c, id) => (order.push('beforeDelete'), run(c, id));
    await t.timers.advance(30 * MIN);
    assert.match(
      t.host.countdowns[0]!.notice.message,
      /downloaded first, then your beforeDelete command runs; the delete happens only if both succeed/,
    );
    await t.timers.advance(10 * MIN);
    await flush();
    assert.deepEqual(order, ['save', 'beforeDelete']);
    assert.deepEqual(t.host.deleted, ['inst_a']);
  });

  it('not configured (or no saver): no download, the old path, a delete not marked', async () => {
    const t = setup();
    t.saver.on = false;
    await t.timers.advance(30 * MIN);
    assert.doesNotMatch(t.host.countdowns[0]!.notice.message, /results/);
    await t.timers.advance(10 * MIN);
    await flush();
    assert.deepEqual(t.saver.saves, []);
    assert.deepEqual(t.host.notes, [{ resultsSaved: false }]);
  });

  it('results paths set while deleting (after the step was passed): the delete stops', async () => {
    const t = setup();
    t.saver.on = false;
    const inspect = t.host.inspect.bind(t.host);
    t.host.inspect = (id) => ((t.saver.on = true), inspect(id));
    await runToDeadline(t);
    assert.deepEqual(t.host.deleted, []);
    assert.match(t.host.warnings[0]!, /not auto-deleted: fal\.results\.paths was set while deleting\.$/);
  });

  it('a Protect during the save stops the delete (the blocker is asked after the save)', async () => {
    const t = setup();
    const save = t.saver.save.bind(t.saver);
    t.saver.save = (id) => {
      t.guard.setProtected('inst_a', true);
      return save(id);
    };
    await runToDeadline(t);
    assert.deepEqual(t.host.deleted, []);
    assert.deepEqual(t.host.inspected, ['inst_a'], 'no second look either');
  });

  it('a lease: results first, then one delete; a failed save leaves the machine and says its lease is tried again', async () => {
    for (const next of [
      { kind: 'saved', fetched: 0, upToDate: 3 } as const,
      { kind: 'failed', reason: 'the machine did not answer' } as const,
    ]) {
      const t = setup({ settings: { autoDelete: false, runningHours: 0 } });
      t.saver.next = next;
      t.guard.leases.set('inst_a', 2 * HOUR);
      await t.timers.advance(2 * HOUR + 10 * MIN);
      await flush();
      assert.deepEqual(t.saver.saves, ['inst_a']);
      assert.deepEqual(t.host.inspected, [], 'a lease does not look at the load');
      if (next.kind === 'saved') assert.deepEqual(t.host.deleted, ['inst_a']);
      else {
        assert.deepEqual(t.host.deleted, []);
        assert.match(
          t.host.warnings[0]!,
          /^inst_a \(8x H100\) was not deleted at the end of its lease: its results could not be downloaded \(the machine did not answer\), so the machine is left running\. Its lease is tried again in 10 min\.$/,
        );
      }
      t.guard.dispose();
    }
  });
});
