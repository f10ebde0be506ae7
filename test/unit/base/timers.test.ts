import assert from 'node:assert/strict';
import { abortAfter } from '../../../src/base/timers';
import { PendingCreates, reconcilePendingCreates, REPLAY_WINDOW_MS } from '../../../src/instances/pendingCreates';
import { FakeTimers } from '../core/fakeTimers';
import { MapState } from '../../support/memento';
import { StoredState } from '../../../src/core/storedState';

describe('abortAfter', () => {
  it("aborts at its deadline in the given timers' time, with the reason AbortSignal.timeout gives", async () => {
    const timers = new FakeTimers();
    const { signal } = abortAfter(timers, 1000);
    await timers.advance(999);
    assert.equal(signal.aborted, false);
    await timers.advance(1);
    assert.equal(signal.aborted, true);
    assert.equal((signal.reason as Error).name, 'TimeoutError');
  });

  it('cleared, it leaves no timer behind and never aborts', async () => {
    const timers = new FakeTimers();
    const deadline = abortAfter(timers, 1000);
    deadline.clear();
    assert.deepEqual(timers.scheduled, []);
    await timers.advance(2000);
    assert.equal(deadline.signal.aborted, false);
  });
});

describe("a resumed create's replay window", () => {
  it('aborts the request when the window closes, in fake time, and leaves no timer once settled', async () => {
    const timers = new FakeTimers();
    await timers.advance(REPLAY_WINDOW_MS - 60_000);
    const store = new PendingCreates(new StoredState(new MapState()));
    await store.save({
      idempotencyKey: 'k',
      input: { instanceType: 'gpu_1x_h100_sxm5', sshKey: 'ssh-ed25519 AAAA x', sector: 'sector_1' },
      startedAt: 0,
    });
    let signal: AbortSignal | undefined;
    const client = {
      createInstance: (_input: unknown, options: { signal?: AbortSignal }) =>
        new Promise<never>((_resolve, reject) => {
          signal = options.signal;
          signal!.addEventListener('abort', () => reject(signal!.reason));
        }),
    };
    const outcomes = reconcilePendingCreates({
      pending: store,
      client: client as never,
      rememberKey: async () => undefined,
      timers,
    });
    await timers.advance(59_999);
    assert.equal(signal?.aborted, false);
    await timers.advance(1);
    assert.deepEqual(
      (await outcomes).map((o) => o.kind),
      ['failed'],
    );
    assert.deepEqual(timers.scheduled, []);
  });
});
