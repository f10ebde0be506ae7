// The delete lag (issue 14 item 3): after fal answered a delete, fast refreshes go on — through the
// scheduler, in fake time — until every deleted instance is gone from the list, at most 5 minutes;
// then the rows say fal still lists them, and the log says so.
import assert from 'node:assert/strict';
import type { ComputeInstance } from '../../../src/api';
import { DELETE_LAG_LIMIT_MS, DeletionWatch } from '../../../src/core/deletionWatch';
import { InstancesModel } from '../../../src/core/instancesModel';
import { InstancesSync } from '../../../src/core/instancesSync';
import { RefreshScheduler } from '../../../src/core/refreshScheduler';
import { FakeTimers } from './fakeTimers';

const inst = (id: string, status = 'ready'): ComputeInstance =>
  ({ id, instance_type: 'gpu_8x_h100_sxm5', region: 'us-west', status }) as ComputeInstance;

function setup(listed: () => ComputeInstance[]) {
  const timers = new FakeTimers();
  const model = new InstancesModel({ get: () => ({}), set: () => undefined });
  const fetched: number[] = [];
  const sync = new InstancesSync({
    model,
    pageSize: 100,
    now: () => timers.now(),
    onKeyRejected: () => undefined,
    client: async () => ({
      listInstances: async () => {
        fetched.push(timers.now());
        return { instances: listed(), invalid: [] };
      },
      getInstance: async () => assert.fail('a one-page list is cheaper than GETs'),
    }),
  });
  const scheduler = new RefreshScheduler({
    fetch: (kind, ids) => sync.fetch(kind, ids),
    fastMs: 3_000,
    slowMs: 60_000,
    timers,
  });
  const logs: string[] = [];
  const watch = new DeletionWatch({
    model,
    scheduler,
    timers,
    log: { info: (m) => logs.push(m), warn: (m) => logs.push(`WARN ${m}`) },
  });
  scheduler.setVisible(true);
  scheduler.setEnabled(true);
  return { timers, model, scheduler, watch, fetched, logs };
}

describe('DeletionWatch (fake time)', () => {
  it('keeps the 3 s pace until fal stops listing the deleted instance, then goes back to 60 s', async () => {
    let list = [inst('a'), inst('b')];
    const { timers, model, watch, fetched, logs } = setup(() => list);
    await timers.advance(0);
    assert.equal(model.list().length, 2);
    model.markDeleting(['a']);
    list = [inst('a', 'stopped'), inst('b')]; // fal answered 204 but lists it a while longer
    watch.watch(['a']);
    fetched.length = 0;
    await timers.advance(9_000);
    assert.deepEqual(fetched, [3_000, 6_000, 9_000], 'fast while it is still listed');
    assert.equal(model.get('a')?.deleting, true, 'the row stays "deleting…"');
    list = [inst('b')];
    await timers.advance(3_000);
    assert.equal(model.get('a'), undefined, 'gone at the next fast tick, not 60 s later');
    fetched.length = 0;
    await timers.advance(59_000);
    assert.deepEqual(fetched, [], 'back to the slow pace');
    assert.match(logs.join('\n'), /no longer listed by fal \(after 12 s\)/);
  });

  it('gives up after 5 minutes: the row says "still listed", the log says why, the pace is slow again', async () => {
    const list = [inst('a', 'stopped')];
    const { timers, model, watch, fetched, logs } = setup(() => list);
    await timers.advance(0);
    model.markDeleting(['a']);
    watch.watch(['a']);
    await timers.advance(DELETE_LAG_LIMIT_MS);
    assert.equal(model.get('a')?.deleteStalled, true);
    assert.match(logs.join('\n'), /WARN fal still lists a 5 min after answering the delete/);
    fetched.length = 0;
    await timers.advance(60_000);
    assert.equal(fetched.length, 1, 'one slow refresh a minute after giving up');
    model.markDeleting(['a']); // deleted again
    assert.equal(model.get('a')?.deleteStalled, undefined, 'a new delete starts over');
  });

  it('ends at once for instances already gone, and on dispose', async () => {
    let list = [inst('a')];
    const { timers, model, watch, scheduler } = setup(() => list);
    await timers.advance(0);
    list = [];
    await scheduler.refreshNow();
    watch.watch(['a']);
    assert.equal(timers.scheduled.length, 1, "only the scheduler's own timer");
    list = [inst('b', 'stopped')];
    await scheduler.refreshNow();
    model.markDeleting(['b']);
    watch.watch(['b']);
    watch.dispose();
    assert.ok(
      timers.scheduled.every((ms) => ms === 60_000),
      `slow again after dispose: ${JSON.stringify(timers.scheduled)}`,
    );
  });
});
