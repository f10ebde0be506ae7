// The setup coordinator in fake time over a pretend machine: the machine is asked first (a reload
// finds its run), the script starts once whoever looks, a running setup is read only while someone
// looks or waits, the connection goes back when reading stops, and a machine that does not answer
// SSH yet is tried again until it does. fast-check: whatever order targets, activity and waits come
// in, no machine ever gets two starts.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CommandTransportError } from '../../../src/connections/commandTransport';
import { SshConnections } from '../../../src/connections/sshConnections';
import type { SshTarget } from '../../../src/connections/types';
import { SetupCoordinator, type MachineSetup } from '../../../src/setup/setupCoordinator';
import type { StartOutcome } from '../../../src/setup/setupRemote';
import { sha256Hex, type SetupScript } from '../../../src/setup/setupSource';
import type { SetupStatus } from '../../../src/setup/setupStatus';
import { FakeTimers } from '../core/fakeTimers';
import { FakeTransport } from '../gpu/fakeTransport';

const target = (id: string): SshTarget => ({ id, ip: '10.0.0.1', port: 22, user: 'ubuntu', identityFile: '/k' });
const bytes = Buffer.from('#!/bin/bash\npip install -r requirements.txt\n');
const SCRIPT: SetupScript = { origin: 'file', bytes, sha256: sha256Hex(bytes), crlf: false };

/** One pretend machine per instance id: its run, and every start and status read asked of it. */
class Machines {
  readonly runs = new Map<string, 'running' | number>();
  readonly starts: { id: string; again: boolean; hadRun: boolean }[] = [];
  readonly reads: string[] = [];
  /** Where each start ran the script (the workspace's copy, when it was uploaded first). */
  readonly workdirs: (string | undefined)[] = [];
  constructor(private readonly timers: FakeTimers) {}

  for(id: string): MachineSetup {
    return {
      start: async (_script: SetupScript, o: { again?: boolean; workdir?: string }): Promise<StartOutcome> => {
        this.starts.push({ id, again: o.again === true, hadRun: this.runs.has(id) });
        this.workdirs.push(o.workdir);
        if (this.runs.has(id) && !o.again) return { kind: 'existing', sameScript: true };
        this.runs.set(id, 'running');
        return { kind: 'started', runId: `run-${this.starts.length}` };
      },
      status: async (): Promise<SetupStatus> => {
        this.reads.push(id);
        const run = this.runs.get(id);
        if (run === undefined) return { kind: 'none' };
        const facts = {
          runId: 'run-00000001',
          sha256: SCRIPT.sha256,
          timeoutSeconds: 3600,
          startedAtMs: 0,
          logBytes: 0,
          machineNowMs: this.timers.now(),
        };
        if (run === 'running') return { kind: 'running', run: facts, pid: 42 };
        return { kind: 'exited', run: facts, exitCode: run, endedAtMs: this.timers.now() };
      },
    };
  }
}

function harness(o: { prepare?: (id: string) => Promise<SetupScript | undefined>; workdir?: string } = {}) {
  const timers = new FakeTimers();
  const transport = new FakeTransport();
  const machines = new Machines(timers);
  const prepared: string[] = [];
  const ended: { id: string; status: SetupStatus }[] = [];
  const coordinator = new SetupCoordinator({
    connections: new SshConnections(transport),
    timers,
    pollMs: 5_000,
    prepare: async (id) => {
      prepared.push(id);
      const script = o.prepare ? await o.prepare(id) : SCRIPT;
      return script && { script, workdir: o.workdir };
    },
    timeoutSeconds: () => 3600,
    log: () => undefined,
    changed: () => undefined,
    ended: (id, status) => ended.push({ id, status }),
    remoteFor: (_connection, t) => machines.for(t.id),
  });
  return { timers, transport, machines, prepared, ended, coordinator };
}

describe('SetupCoordinator (setup on ready, in fake time)', () => {
  it('a machine with no run: asked first, then the script starts once; read every 5 s while someone looks; the end is said once; the connection goes back', async () => {
    const h = harness();
    h.coordinator.setActive(true);
    h.coordinator.setTargets([target('i1')]);
    await h.timers.advance(0);
    assert.deepEqual(h.machines.starts, [{ id: 'i1', again: false, hadRun: false }]);
    assert.deepEqual(h.prepared, ['i1']);
    assert.equal(h.coordinator.known('i1')?.status.kind, 'running');
    const reads = h.machines.reads.length;
    await h.timers.advance(60_000);
    assert.equal(h.machines.reads.length - reads, 12, 'one read per 5 s');
    h.machines.runs.set('i1', 0);
    await h.timers.advance(5_000);
    assert.equal(h.coordinator.known('i1')?.status.kind, 'exited');
    assert.deepEqual(
      h.ended.map((e) => e.id),
      ['i1'],
    );
    const after = h.machines.reads.length;
    await h.timers.advance(600_000);
    assert.equal(h.machines.reads.length, after, 'nothing read after the end');
    assert.equal(h.transport.open.size, 0, 'connection given back');
    assert.equal(h.transport.connects.length, 1, 'one connection for the whole run');
  });

  it('the workspace uploaded first: the script starts in its copy, the first run and a run again alike', async () => {
    const h = harness({ workdir: 'my-repo' });
    h.coordinator.setTargets([target('i1')]);
    await h.timers.advance(0);
    h.machines.runs.set('i1', 0);
    await h.coordinator.runAgain('i1');
    assert.deepEqual(h.machines.workdirs, ['my-repo', 'my-repo']);
  });

  it('nobody looking: the script still starts (the machine bills), then nothing is read and the connection goes back', async () => {
    const h = harness();
    h.coordinator.setTargets([target('i1')]);
    await h.timers.advance(0);
    assert.equal(h.machines.starts.length, 1);
    const reads = h.machines.reads.length;
    await h.timers.advance(3_600_000);
    assert.equal(h.machines.reads.length, reads, 'no polling while hidden or unfocused');
    assert.equal(h.transport.open.size, 0);
    h.coordinator.setActive(true);
    await h.timers.advance(5_000);
    assert.equal(h.machines.reads.length, reads + 1, 'reads again once someone looks');
  });

  it('a reload: the machine already has a run, so nothing is asked and nothing starts', async () => {
    const h = harness();
    h.machines.runs.set('i1', 'running');
    h.coordinator.setActive(true);
    h.coordinator.setTargets([target('i1')]);
    await h.timers.advance(0);
    assert.deepEqual([h.prepared, h.machines.starts], [[], []]);
    assert.equal(h.coordinator.known('i1')?.status.kind, 'running');
  });

  it('no script (no file, the user said no, untrusted): nothing starts and the row says nothing', async () => {
    const h = harness({ prepare: async () => undefined });
    h.coordinator.setActive(true);
    h.coordinator.setTargets([target('i1')]);
    await h.timers.advance(600_000);
    assert.equal(h.machines.starts.length, 0);
    assert.equal(h.coordinator.known('i1')?.status.kind, 'none');
    assert.equal(h.coordinator.hasRun('i1'), false);
  });

  it('sshd not up yet: the first look is tried every 10 s whoever looks, and the script starts when it answers; the row says nothing meanwhile', async () => {
    const h = harness();
    h.transport.connectErrors.set('i1', new CommandTransportError('network', 'ECONNREFUSED'));
    h.coordinator.setTargets([target('i1')]);
    await h.timers.advance(35_000);
    assert.equal(h.transport.connects.length, 4, 'now, 10, 20, 30 s');
    assert.equal(h.coordinator.known('i1'), undefined);
    h.transport.connectErrors.delete('i1');
    await h.timers.advance(10_000);
    assert.equal(h.machines.starts.length, 1);
  });

  it('someone waits (Connect When Ready) while nobody looks: read until the run ends, then reading stops', async () => {
    const h = harness();
    h.coordinator.setTargets([target('i1')]);
    await h.timers.advance(0);
    const waiting = h.coordinator.waitUntilSettled('i1');
    await h.timers.advance(20_000);
    h.machines.runs.set('i1', 3);
    await h.timers.advance(5_000);
    const status = await waiting;
    assert.deepEqual(status?.kind === 'exited' && status.exitCode, 3);
    const reads = h.machines.reads.length;
    await h.timers.advance(600_000);
    assert.equal(h.machines.reads.length, reads);
  });

  it('someone waits and the machine leaves (deleted, its key forgotten): the wait ends with no answer, nothing more is read', async () => {
    const h = harness();
    h.coordinator.setTargets([target('i1')]);
    const waiting = h.coordinator.waitUntilSettled('i1');
    await h.timers.advance(5_000);
    assert.equal(h.coordinator.pending('i1'), true, 'its run runs');
    const reads = h.machines.reads.length;
    h.coordinator.setTargets([]);
    assert.equal(await waiting, undefined);
    assert.equal(h.coordinator.pending('i1'), false);
    await h.timers.advance(600_000);
    assert.equal(h.machines.reads.length, reads, 'nothing read once it left');
    assert.equal(h.transport.open.size, 0, 'connection given back');
  });

  it('Run Setup Again asks prepare again and starts a new run (again: true)', async () => {
    const h = harness();
    h.machines.runs.set('i1', 1);
    h.coordinator.setTargets([target('i1')]);
    await h.timers.advance(0);
    await h.coordinator.runAgain('i1');
    assert.deepEqual(h.machines.starts, [{ id: 'i1', again: true, hadRun: true }]);
    assert.equal(h.coordinator.known('i1')?.status.kind, 'running');
  });

  it('any order of targets handed in, activity and waits: a first start only ever goes to a machine that said it has no run', async () => {
    type Op = { kind: 'targets' | 'active' | 'inactive' | 'advance' | 'wait'; ids: number[] };
    const op = fc.record({
      kind: fc.constantFrom<Op['kind']>('targets', 'active', 'inactive', 'advance', 'wait'),
      ids: fc.subarray([0, 1, 2]),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        const h = harness();
        const controller = new AbortController();
        for (const o of ops) {
          if (o.kind === 'targets') h.coordinator.setTargets(o.ids.map((i) => target(`i${i}`)));
          else if (o.kind === 'active' || o.kind === 'inactive') h.coordinator.setActive(o.kind === 'active');
          else if (o.kind === 'wait') void h.coordinator.waitUntilSettled(`i${o.ids[0] ?? 0}`, controller.signal);
          else await h.timers.advance(7_000);
        }
        await h.timers.advance(60_000);
        controller.abort();
        await h.timers.advance(1_000);
        const blind = h.machines.starts.filter((s) => !s.again && s.hadRun);
        assert.deepEqual(blind, [], 'a start sent without asking the machine first');
        for (const id of new Set(h.machines.starts.map((s) => s.id)))
          assert.equal(h.machines.starts.filter((s) => s.id === id).length, 1, `one start for ${id}`);
        h.coordinator.dispose();
      }),
      { numRuns: 150 },
    );
  });
});
