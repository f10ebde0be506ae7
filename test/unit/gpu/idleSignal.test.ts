// IdleSignal's cost: a change of one instance is checked alone, and the timer's own check sees all.
import assert from 'node:assert/strict';
import { IdleSignal, type IdleRun } from '../../../src/gpu/idleSignal';
import { FakeTimers } from '../core/fakeTimers';

const MIN = 60_000;

function idleRuns(count: number, sinceAt: number) {
  let looks = 0;
  const runs = new Map<string, IdleRun>();
  for (let i = 0; i < count; i++)
    runs.set(`i${i}`, {
      idleSince: () => (looks++, sinceAt),
      expiresAt: () => undefined,
      setThreshold: () => undefined,
    });
  return { runs, looks: () => looks };
}

describe('IdleSignal: what a check looks at', () => {
  it('given the instances that changed, looks at those alone; the timer then sees every instance', async () => {
    const timers = new FakeTimers();
    const { runs, looks } = idleRuns(1000, timers.now());
    const fired: string[] = [];
    const signal = new IdleSignal(timers, runs, 1, (id) => fired.push(id));
    signal.check(['i7']);
    assert.equal(looks(), 1, 'one instance changed: one looked at');
    assert.deepEqual(fired, ['i7'], 'its idle run started');
    signal.check();
    assert.equal(looks(), 1001);
    assert.equal(fired.length, 1000, 'every idle run started, i7 once');
    await timers.advance(MIN + 1);
    assert.equal(fired.length, 2000, 'a minute later the timer checked all: each is idle now');
  });

  it('a change never delays the timer another instance set: it only brings it forward', async () => {
    const timers = new FakeTimers();
    const start = timers.now();
    let aSince: number | undefined = start;
    const runs = new Map<string, IdleRun>([
      ['a', { idleSince: () => aSince, expiresAt: () => undefined, setThreshold: () => undefined }],
      ['b', { idleSince: () => start + 30_000, expiresAt: () => undefined, setThreshold: () => undefined }],
    ]);
    const fired: string[] = [];
    const signal = new IdleSignal(timers, runs, 1, (id) => fired.push(id));
    signal.check(['a']); // due at +1 min
    aSince = undefined;
    signal.check(['b']); // due at +1.5 min: the +1 min timer stays
    signal.check(['a']); // a is no longer idle: fired, and the timer stays (it checks everything when it fires)
    assert.deepEqual(fired, ['a', 'b', 'a']);
    await timers.advance(MIN + 1);
    assert.deepEqual(fired, ['a', 'b', 'a'], 'at +1 min nothing had changed');
    await timers.advance(MIN / 2);
    assert.deepEqual(fired, ['a', 'b', 'a', 'b'], 'b idle for its minute at +1.5 min');
  });
});
