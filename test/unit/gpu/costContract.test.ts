// The contract with the cost guard (issue 13): it reads the idle signal through its own
// IdleSource interface, and the GPU sampler must satisfy it as is (checked by the compiler here,
// and by behaviour below), so the VS Code side can pass the sampler straight in.
import assert from 'node:assert/strict';
import type { IdleSource } from '../../../src/cost/types';
import { setup } from './samplerHarness';

describe("GpuSampler as the cost guard's IdleSource", () => {
  it('is an IdleSource: idleSince(id) and onDidChangeIdle(listener) → Disposable', async () => {
    const t = setup({ idleMinutes: 1 });
    const idle: IdleSource = t.sampler;
    const seen: (number | undefined)[] = [];
    const sub = idle.onDidChangeIdle((id) => seen.push(idle.idleSince(id)));
    t.transport.answers.set('a', 'h100x8-idle');
    await t.look();
    await t.timers.advance(2 * 60_000);
    assert.deepEqual(seen, [0, 0], 'the run started at 0; then it reached fal.idle.minutes');
    sub.dispose();
    t.transport.answers.set('a', 'h100x8-busy');
    await t.timers.advance(10_000);
    assert.equal(idle.idleSince('a'), undefined);
    assert.equal(seen.length, 2, 'no event after dispose()');
  });
});
