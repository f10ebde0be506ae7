// Waiting for an instance by watching the model (no timers): settles on ready with an IP or a state
// it will not leave, notices deletion and a lost key, and stops when aborted.
import assert from 'node:assert/strict';
import type { ComputeInstance } from '../../../src/api';
import { InstancesModel } from '../../../src/core/instancesModel';
import { waitForInstance } from '../../../src/core/instanceWait';

const inst = (id: string, status: string, ip?: string): ComputeInstance =>
  ({ id, instance_type: 'gpu_1x_h100_sxm5', region: 'us-west', status, ...(ip ? { ip } : {}) }) as ComputeInstance;
const model = () => new InstancesModel({ get: () => ({}), set: () => undefined });

describe('waitForInstance', () => {
  it('resolves when the instance is ready with an IP, reporting each step on the way', async () => {
    const m = model();
    m.apply([inst('a', 'pending')], 1);
    const seen: string[] = [];
    const waiting = waitForInstance(m, 'a', { onProgress: (r) => seen.push(r.instance.status) });
    m.apply([inst('a', 'provisioning')], 2);
    m.apply([inst('a', 'ready')], 3); // ready without an IP is not there yet
    m.update([inst('a', 'ready', '203.0.113.5')], [], 4);
    const outcome = await waiting;
    assert.ok(outcome.kind === 'settled' && outcome.record.instance.ip === '203.0.113.5');
    assert.deepEqual(seen, ['pending', 'provisioning', 'ready']);
  });

  it('settles on a state the instance will not leave by itself', async () => {
    const m = model();
    m.apply([inst('a', 'provisioning')], 1);
    const waiting = waitForInstance(m, 'a');
    m.apply([inst('a', 'stopped')], 2);
    const outcome = await waiting;
    assert.ok(outcome.kind === 'settled' && outcome.record.instance.status === 'stopped');
  });

  it('waits for an instance not listed yet, and reports it gone once listed and then not', async () => {
    const m = model();
    const waiting = waitForInstance(m, 'new');
    m.apply([], 1);
    m.apply([inst('new', 'provisioning')], 2);
    m.apply([], 3);
    assert.deepEqual(await waiting, { kind: 'gone' });
  });

  it('ends when the key is lost or rejected', async () => {
    const m = model();
    m.apply([inst('a', 'provisioning')], 1);
    const waiting = waitForInstance(m, 'a');
    m.rejectKey({ kind: 'wrongKey', status: 401, message: 'fal rejected the API key (401)' });
    assert.deepEqual(await waiting, { kind: 'noKey' });
  });

  it('rejects with the reason when aborted, and stops listening', async () => {
    const m = model();
    m.apply([inst('a', 'provisioning')], 1);
    const stop = new AbortController();
    const waiting = waitForInstance(m, 'a', { signal: stop.signal });
    stop.abort(new Error('user cancelled'));
    await assert.rejects(waiting, /user cancelled/);
    let calls = 0;
    m.onDidChange(() => calls++);
    m.apply([inst('a', 'ready', '203.0.113.5')], 2);
    assert.equal(calls, 1, 'only the listener added after');
  });
});
