// The jobs watcher in fake time over pretend machines: it lists while someone looks, keeps listing
// only machines with a running job while nobody does, says each end once (also of a job started
// here that ended before any listing saw it run), reports running jobs lost when their machine is
// deleted, never reads "no job runs" before it has read anything, and gives connections back.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SshConnections } from '../../../src/connections/sshConnections';
import type { SshTarget } from '../../../src/connections/types';
import { JobsWatcher } from '../../../src/jobs/jobsWatcher';
import type { JobListing, JobStatus, MachineJobs } from '../../../src/jobs/types';
import { FakeTimers } from '../core/fakeTimers';
import { FakeTransport } from '../gpu/fakeTransport';

const target = (id: string): SshTarget => ({ id, ip: '10.0.0.1', port: 22, user: 'ubuntu', identityFile: '/k' });

type JobState = 'running' | number | 'lost';

class Machines {
  readonly jobs = new Map<string, Map<string, JobState>>();
  readonly lists: string[] = [];
  unreadable = false;
  constructor(private readonly timers: FakeTimers) {}

  set(id: string, jobId: string, state: JobState): void {
    if (!this.jobs.has(id)) this.jobs.set(id, new Map());
    this.jobs.get(id)!.set(jobId, state);
  }

  for(id: string): MachineJobs {
    const list = async (): Promise<JobListing> => {
      this.lists.push(id);
      if (this.unreadable) return { kind: 'unknown', reason: 'test' };
      const jobs: JobStatus[] = [...(this.jobs.get(id) ?? new Map<string, JobState>())].map(([jobId, state]) => {
        const run = {
          runId: jobId,
          name: 'train.py',
          command: 'python3 train.py',
          workdir: 'repo',
          startedAtMs: 0,
          logBytes: 0,
          machineNowMs: this.timers.now(),
          stopRequestedAtMs: undefined,
        };
        if (state === 'running') return { kind: 'running', run, pid: 7 };
        if (state === 'lost') return { kind: 'lost', run };
        return { kind: 'exited', run, exitCode: state, endedAtMs: this.timers.now(), stopped: false };
      });
      return { kind: 'listed', jobs };
    };
    const never = () => Promise.reject(new Error('not in this test'));
    return { list, start: never, status: never, readLog: never, stop: never };
  }
}

function harness() {
  const timers = new FakeTimers();
  const transport = new FakeTransport();
  const machines = new Machines(timers);
  const ended: { id: string; jobId: string; kind: string; gone: boolean }[] = [];
  const changed: string[] = [];
  const watcher = new JobsWatcher({
    connections: new SshConnections(transport),
    timers,
    remoteFor: () => machines.for(current),
    log: () => undefined,
    changed: (id) => changed.push(id),
    ended: (id, status, gone) => ended.push({ id, jobId: status.run.runId, kind: status.kind, gone }),
    runningPollMs: 5_000,
    quietPollMs: 60_000,
  });
  // The pretend machine answering: the watcher asks one target at a time in these tests.
  let current = 'i1';
  return { timers, transport, machines, ended, changed, watcher, use: (id: string) => (current = id) };
}

describe('JobsWatcher (jobs read from the machines, in fake time)', () => {
  it('while someone looks: a running job is listed every 5 s, its end said once, then the pace is slow', async () => {
    const h = harness();
    h.machines.set('i1', 'job-00000001', 'running');
    h.watcher.setActive(true);
    h.watcher.setTargets([target('i1')]);
    await h.timers.advance(0);
    assert.equal(h.watcher.hasRunning('i1'), true);
    assert.equal(h.watcher.runningCount(), 1);
    const before = h.machines.lists.length;
    await h.timers.advance(60_000);
    assert.equal(h.machines.lists.length - before, 12, 'one listing per 5 s while a job runs');
    h.machines.set('i1', 'job-00000001', 0);
    await h.timers.advance(5_000);
    assert.deepEqual(h.ended, [{ id: 'i1', jobId: 'job-00000001', kind: 'exited', gone: false }]);
    const after = h.machines.lists.length;
    await h.timers.advance(120_000);
    assert.equal(h.machines.lists.length - after, 2, 'one listing a minute without a running job');
    assert.equal(h.ended.length, 1, 'the end is said once');
    assert.equal(h.watcher.hasRunning('i1'), false);
  });

  it('nobody looking: a machine with a running job is still listed (its end matters), one without is left alone and its connection given back', async () => {
    const h = harness();
    h.machines.set('i1', 'job-00000001', 'running');
    h.watcher.setTargets([target('i1')]);
    await h.timers.advance(0);
    assert.equal(h.watcher.hasRunning('i1'), true);
    h.machines.set('i1', 'job-00000001', 1);
    await h.timers.advance(60_000);
    assert.equal(h.ended.length, 1, 'the end is noticed within a minute while nobody looks');
    const after = h.machines.lists.length;
    await h.timers.advance(3_600_000);
    assert.equal(h.machines.lists.length, after, 'nothing listed without a running job while nobody looks');
    assert.equal(h.transport.open.size, 0, 'connection given back');
  });

  it('a job started here that ended before any listing saw it run: its end is still said (a task may delete the machine)', async () => {
    const h = harness();
    h.watcher.setActive(true);
    h.watcher.setTargets([target('i1')]);
    await h.timers.advance(0);
    h.watcher.expect('i1', 'job-00000002');
    h.machines.set('i1', 'job-00000002', 0);
    await h.watcher.refresh('i1');
    assert.deepEqual(h.ended, [{ id: 'i1', jobId: 'job-00000002', kind: 'exited', gone: false }]);
    await h.timers.advance(120_000);
    assert.equal(h.ended.length, 1);
  });

  it('a job started where none ran: the listing after Run sets the running pace, looked at or not (its end is noticed)', async () => {
    for (const active of [true, false]) {
      const h = harness();
      h.watcher.setActive(active);
      h.watcher.setTargets([target('i1')]);
      await h.timers.advance(0);
      h.watcher.expect('i1', 'job-00000003');
      h.machines.set('i1', 'job-00000003', 'running');
      await h.watcher.refresh('i1');
      const before = h.machines.lists.length;
      await h.timers.advance(10_000);
      assert.equal(h.machines.lists.length - before, 2, `listed every 5 s after the Run (active: ${active})`);
      h.machines.set('i1', 'job-00000003', 0);
      await h.timers.advance(5_000);
      assert.deepEqual(h.ended, [{ id: 'i1', jobId: 'job-00000003', kind: 'exited', gone: false }]);
      h.watcher.dispose();
    }
  });

  it('the machine deleted while a job ran: the job is reported lost with its machine, once', async () => {
    const h = harness();
    h.machines.set('i1', 'job-00000001', 'running');
    h.watcher.setTargets([target('i1')]);
    await h.timers.advance(0);
    h.watcher.machineGone('i1');
    h.watcher.machineGone('i1');
    assert.deepEqual(h.ended, [{ id: 'i1', jobId: 'job-00000001', kind: 'lost', gone: true }]);
    assert.equal(h.watcher.runningCount(), 0);
  });

  it('fail safe: before a listing was read, or when it is unreadable, "does a job run" is not known (never "no")', async () => {
    const h = harness();
    h.machines.unreadable = true;
    h.watcher.setTargets([target('i1')]);
    assert.equal(h.watcher.hasRunning('i1'), undefined);
    await h.timers.advance(0);
    assert.equal(h.watcher.hasRunning('i1'), undefined);
  });

  it('fast-check: whatever the order of looks, ends and listings, each job that was seen running ends exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constant('look'), fc.constant('away'), fc.constant('end'), fc.constant('tick')), {
          maxLength: 30,
        }),
        async (steps) => {
          const h = harness();
          h.machines.set('i1', 'job-00000001', 'running');
          h.watcher.setTargets([target('i1')]);
          await h.timers.advance(0);
          for (const step of steps) {
            if (step === 'look') h.watcher.setActive(true);
            if (step === 'away') h.watcher.setActive(false);
            if (step === 'end') h.machines.set('i1', 'job-00000001', 0);
            await h.timers.advance(step === 'tick' ? 61_000 : 0);
          }
          await h.timers.advance(61_000);
          const ended = h.machines.jobs.get('i1')!.get('job-00000001') === 0;
          assert.equal(h.ended.length, ended ? 1 : 0);
          h.watcher.dispose();
        },
      ),
      { numRuns: 60 },
    );
  });
});
