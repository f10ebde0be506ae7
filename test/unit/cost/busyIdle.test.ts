// A running job makes its machine busy for the cost guard: whatever the GPU view says, a machine
// where a job runs — or whose jobs were never read — is never idle; a change of its jobs is heard
// like a change of its GPUs. And the last look before an auto-delete refuses a machine with a job.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { busyAwareIdle } from '../../../src/cost/busyIdle';
import { judgeRecheck } from '../../../src/cost/recheck';
import { CLEAN } from './helpers';

describe('a running job makes its machine busy', () => {
  it('fast-check: idle only when the GPU view says so AND no job is known to run', () => {
    fc.assert(
      fc.property(
        fc.option(fc.nat(), { nil: undefined }),
        fc.constantFrom(true, false, undefined),
        (since, running) => {
          const idle = busyAwareIdle(
            { idleSince: () => since, onDidChangeIdle: () => ({ dispose: () => undefined }) },
            { hasRunning: () => running, onDidChange: () => ({ dispose: () => undefined }) },
          );
          assert.equal(idle.idleSince('i'), running === false ? since : undefined);
        },
      ),
    );
  });

  it('a change of jobs is heard as a change of idleness; dispose stops both', () => {
    const gpuListeners = new Set<(id: string) => void>();
    const jobListeners = new Set<(id: string) => void>();
    const source = (set: Set<(id: string) => void>) => (l: (id: string) => void) => {
      set.add(l);
      return { dispose: () => set.delete(l) };
    };
    const idle = busyAwareIdle(
      { idleSince: () => 1, onDidChangeIdle: source(gpuListeners) },
      { hasRunning: () => false, onDidChange: source(jobListeners) },
    );
    const heard: string[] = [];
    const sub = idle.onDidChangeIdle((id) => heard.push(id));
    for (const l of jobListeners) l('a');
    for (const l of gpuListeners) l('b');
    assert.deepEqual(heard, ['a', 'b']);
    sub.dispose();
    assert.equal(gpuListeners.size + jobListeners.size, 0);
  });

  it('the re-check before an auto-delete refuses a machine where a job runs, naming it', () => {
    assert.ok(CLEAN.ok);
    const verdict = judgeRecheck({ ok: true, state: { ...CLEAN.state, runningJobs: ['train.py'] } }, 5);
    assert.deepEqual(verdict, { ok: false, reason: 'a job is running there: train.py' });
    assert.equal(judgeRecheck({ ok: true, state: { ...CLEAN.state, runningJobs: [] } }, 5).ok, true);
  });
});
