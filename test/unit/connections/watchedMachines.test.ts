// The books of the machines a watcher reads (jobs, setup), in fake time over a fake transport:
// which are watched, the one connection each keeps borrowed and gives back (on release, when
// forgotten, at dispose), a failed or dropped connection never kept, and one next step per machine.
import assert from 'node:assert/strict';
import { CommandTransportError } from '../../../src/connections/commandTransport';
import type { SshTarget } from '../../../src/connections/types';
import { WatchedMachines, type WatchedMachine } from '../../../src/connections/watchedMachines';
import { FakeTimers } from '../core/fakeTimers';
import { FakeTransport } from '../gpu/fakeTransport';

const target = (id: string, ip = '10.0.0.1'): SshTarget => ({ id, ip, port: 22, user: 'ubuntu', identityFile: '/k' });

interface Entry extends WatchedMachine {
  readonly made: number;
}

function harness() {
  const timers = new FakeTimers();
  const transport = new FakeTransport();
  const forgotten: string[] = [];
  let made = 0;
  const machines = new WatchedMachines<Entry>({
    connections: transport,
    timers,
    watch: (t) => ({ target: t, made: ++made }),
    forgotten: (w) => forgotten.push(w.target.id),
  });
  return { timers, transport, forgotten, machines };
}

describe('WatchedMachines (the machines a watcher reads, and their borrowed connections)', () => {
  it('setTargets: new machines are made and returned once, known ones take the new address, the others are forgotten', () => {
    const h = harness();
    assert.deepEqual(
      h.machines.setTargets([target('a'), target('b')]).map((w) => w.target.id),
      ['a', 'b'],
    );
    const a = h.machines.get('a')!;
    assert.deepEqual(
      h.machines.setTargets([target('a', '10.0.0.9'), target('c')]).map((w) => w.target.id),
      ['c'],
    );
    assert.equal(h.machines.get('a'), a, 'the same entry: what the watcher knows of it is kept');
    assert.equal(a.target.ip, '10.0.0.9');
    assert.deepEqual(h.forgotten, ['b']);
    assert.deepEqual(
      [...h.machines.values()].map((w) => [w.target.id, w.made]),
      [
        ['a', 1],
        ['c', 3],
      ],
    );
  });

  it('one connection kept per machine (accept-new: the machine just turned ready), given back on release', async () => {
    const h = harness();
    const [a] = h.machines.setTargets([target('a')]);
    const first = await h.machines.connection(a!);
    assert.equal(await h.machines.connection(a!), first, 'kept between reads');
    assert.deepEqual(h.transport.connects, ['a']);
    assert.deepEqual(h.transport.connectOptions, [{ acceptNewHostKey: true }]);
    h.machines.release(a!);
    await h.timers.advance(0);
    assert.equal(h.transport.open.size, 0, 'given back');
    await h.machines.connection(a!);
    assert.deepEqual(h.transport.connects, ['a', 'a'], 'the next read borrows again');
  });

  it('a connection that failed or dropped is not kept: the next read connects again', async () => {
    const h = harness();
    const [a] = h.machines.setTargets([target('a')]);
    h.transport.connectErrors.set('a', new CommandTransportError('network', 'refused'));
    await assert.rejects(h.machines.connection(a!));
    h.transport.connectErrors.delete('a');
    await h.machines.connection(a!);
    h.transport.openFor('a')[0]!.drop();
    await h.machines.connection(a!);
    assert.deepEqual(h.transport.connects, ['a', 'a', 'a']);
    assert.equal(h.transport.open.size, 1);
  });

  it('next: one step per machine, the last planned replaces the one before; it runs once, in fake time', async () => {
    const h = harness();
    const [a] = h.machines.setTargets([target('a')]);
    const ran: string[] = [];
    h.machines.next(a!, 5_000, () => ran.push('first'));
    h.machines.next(a!, 1_000, () => ran.push('second'));
    await h.timers.advance(10_000);
    assert.deepEqual(ran, ['second']);
    assert.equal(a!.timer, undefined, 'nothing planned once it ran');
    h.machines.next(a!, 1_000, () => ran.push('cancelled'));
    h.machines.next(a!);
    await h.timers.advance(10_000);
    assert.deepEqual(ran, ['second']);
  });

  it('forgotten (or disposed): its step never runs, its connection goes back, has() says so, nothing new is watched', async () => {
    const h = harness();
    const [a, b] = h.machines.setTargets([target('a'), target('b')]);
    const ran: string[] = [];
    for (const w of [a!, b!]) {
      await h.machines.connection(w);
      h.machines.next(w, 1_000, () => ran.push(w.target.id));
    }
    h.machines.forget('a');
    h.machines.forget('a');
    assert.equal(h.machines.has(a!), false);
    assert.equal(h.machines.has(b!), true);
    h.machines.dispose();
    await h.timers.advance(5_000);
    assert.deepEqual(ran, []);
    assert.equal(h.transport.open.size, 0, 'every connection given back');
    assert.deepEqual(h.forgotten, ['a', 'b']);
    assert.equal(h.machines.has(b!), false);
    assert.deepEqual(h.machines.setTargets([target('c')]), [], 'a disposed watcher watches nothing');
  });
});
