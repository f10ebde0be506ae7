// The GPU sampling policy in fake time with a fake transport: when it samples, which connections
// it keeps, how it backs off, what state each instance is in.
import assert from 'node:assert/strict';
import { CommandTransportError } from '../../../src/connections/commandTransport';
import { setup, target } from './samplerHarness';

describe('GpuSampler: when it samples and which connections it keeps', () => {
  it('samples only while the view is visible and the window focused', async () => {
    const t = setup();
    t.sampler.setTargets([target('a')]);
    await t.timers.advance(120_000);
    assert.equal(t.transport.connects.length, 0, 'hidden: no connection');
    t.sampler.setVisible(true);
    await t.timers.advance(0);
    assert.equal(t.transport.commands.length, 1);
    assert.equal(t.sampler.state('a')?.kind, 'ok');
  });

  it('a list of 1,000 machines costs work in proportion to it, not its square (one idle check per list)', () => {
    const t = setup();
    let reads = 0;
    const clock = t.timers.now.bind(t.timers);
    t.timers.now = () => (reads++, clock());
    const fired: string[] = [];
    t.sampler.onDidChange((id) => fired.push(id));
    const targets = Array.from({ length: 1000 }, (_, i) => target(`i${i}`));
    t.sampler.setTargets(targets);
    assert.equal(fired.length, 1000, 'each new machine is announced');
    assert.ok(reads < 5 * targets.length, `${reads} clock reads for 1,000 new machines`);
    reads = 0;
    t.sampler.setTargets(targets.slice(500));
    assert.equal(fired.length, 1500, 'each machine that left is announced');
    assert.ok(reads < 5 * targets.length, `${reads} clock reads for 500 machines gone`);
  });

  it('N samples use one connection and N commands: 6 a minute at the default 10 s', async () => {
    const t = setup();
    await t.look();
    await t.timers.advance(60_000 - 1);
    assert.deepEqual(t.transport.connects, ['a']);
    assert.equal(t.transport.commands.length, 6);
    await t.timers.advance(3_540_001); // the rest of the hour
    assert.deepEqual(t.transport.connects, ['a'], 'one SSH session per hour');
    assert.equal(t.transport.commands.length, 361);
    assert.equal(t.sampler.openConnections, 1);
  });

  it('hiding the view closes every connection at once and stops all traffic', async () => {
    const t = setup();
    await t.look(target('a'), target('b'), target('c'));
    assert.equal(t.transport.open.size, 3);
    const commands = t.transport.commands.length;
    t.sampler.setVisible(false);
    await t.timers.advance(0);
    assert.equal(t.transport.open.size, 0);
    assert.equal(t.transport.closes, 3);
    await t.timers.advance(600_000);
    assert.equal(t.transport.commands.length, commands);
    assert.equal(t.transport.connects.length, 3);
  });

  it('a blur shorter than a minute stops sampling but keeps the connection', async () => {
    const t = setup();
    await t.look();
    t.sampler.setFocused(false);
    const commands = t.transport.commands.length;
    await t.timers.advance(59_000);
    assert.equal(t.transport.commands.length, commands, 'no sampling while unfocused');
    assert.equal(t.transport.open.size, 1, 'connection kept');
    t.sampler.setFocused(true);
    await t.timers.advance(0);
    assert.equal(t.transport.commands.length, commands + 1, 'resumes at once (the last sample is old)');
    assert.deepEqual(t.transport.connects, ['a'], 'on the same connection');
  });

  it('a blur longer than a minute closes every connection; focus reconnects', async () => {
    const t = setup();
    await t.look(target('a'), target('b'));
    t.sampler.setFocused(false);
    await t.timers.advance(60_000);
    assert.equal(t.transport.open.size, 0);
    assert.equal(t.transport.closes, 2);
    t.sampler.setFocused(true);
    await t.timers.advance(0);
    assert.equal(t.transport.connects.length, 4);
  });

  it('dispose closes every connection and leaves no timer behind', async () => {
    const t = setup();
    await t.look(target('a'), target('b'));
    t.sampler.setFocused(false); // a blur timer is pending too
    await t.sampler.dispose();
    assert.equal(t.transport.open.size, 0);
    assert.deepEqual(t.timers.scheduled, []);
    t.sampler.setVisible(true);
    t.sampler.setFocused(true);
    await t.timers.advance(60_000);
    assert.equal(t.transport.connects.length, 2, 'nothing after dispose');
  });

  it('sampleSeconds 0 turns sampling off and closes connections', async () => {
    const t = setup();
    await t.look();
    t.sampler.setSampleSeconds(0);
    const commands = t.transport.commands.length;
    await t.timers.advance(600_000);
    assert.equal(t.transport.open.size, 0);
    assert.equal(t.transport.commands.length, commands);
    t.sampler.setSampleSeconds(30);
    await t.timers.advance(60_000);
    assert.equal(t.transport.commands.length, commands + 3, 'a new interval applies (t=0, 30, 60)');
  });

  it('a dropped connection is reopened on the next sample', async () => {
    const t = setup();
    await t.look();
    t.transport.openFor('a')[0]!.drop();
    await t.timers.advance(10_000);
    assert.deepEqual(t.transport.connects, ['a', 'a']);
    assert.equal(t.sampler.state('a')?.kind, 'ok');
  });

  it('targets that go away are closed and forgotten; a changed address reconnects; the same facts do not', async () => {
    const t = setup();
    await t.look(target('a'), target('b'));
    const { identityFile, user, port, ip, id } = target('a');
    t.sampler.setTargets([{ identityFile, user, port, ip, id }, target('b')]); // same facts, another key order
    await t.timers.advance(10_000);
    assert.deepEqual(t.transport.connects, ['a', 'b']);
    assert.equal(t.sampler.state('a')?.kind, 'ok');
    t.sampler.setTargets([target('a', { ip: '10.0.0.9' })]);
    await t.timers.advance(0);
    assert.equal(t.sampler.state('b'), undefined);
    assert.deepEqual(t.transport.connects, ['a', 'b', 'a']);
    assert.equal(t.transport.open.size, 1);
  });

  it("run() uses the same connection (a cost guard's `who`), and refresh() while hidden closes after itself", async () => {
    const t = setup();
    await t.look();
    t.transport.answers.set('a', {
      stdout: 'ubuntu   pts/0        2024-10-25 11:20 (10.0.0.2)\n',
      stderr: '',
      exitCode: 0,
      truncated: false,
    });
    const who = await t.sampler.run('a', 'who', 5_000);
    assert.match(who.stdout, /pts\/0/);
    assert.deepEqual(t.transport.connects, ['a']);
    t.sampler.setVisible(false);
    t.transport.answers.set('a', 'h100x8-busy');
    const state = await t.sampler.refresh('a');
    assert.equal(state?.kind === 'ok' && state.gpus.length, 8);
    assert.equal(t.transport.open.size, 0, 'nobody looks: the connection does not stay');
  });
});

describe('GpuSampler: states, back-off, errors', () => {
  it('no private key: noKey, and no connection is attempted', async () => {
    const t = setup();
    await t.look(target('a', { identityFile: undefined }));
    await t.timers.advance(600_000);
    assert.deepEqual(t.sampler.state('a'), { kind: 'noKey' });
    assert.equal(t.transport.connects.length, 0);
  });

  it('each failure has its own state: hostKeyUnknown, sshFailed(reason), noNvidiaSmi, driverFailed(message)', async () => {
    const t = setup();
    t.transport.connectErrors.set('k', new CommandTransportError('hostKeyUnknown', 'no host key'));
    t.transport.connectErrors.set(
      's',
      new CommandTransportError('network', '10.0.0.1:22 refused the connection (is sshd running?)'),
    );
    t.transport.answers.set('m', 'missing');
    t.transport.answers.set('d', 'driver-failed');
    await t.look(target('k'), target('s'), target('m'), target('d'));
    assert.deepEqual(t.sampler.state('k'), { kind: 'hostKeyUnknown' });
    assert.deepEqual(t.sampler.state('s'), {
      kind: 'sshFailed',
      reason: '10.0.0.1:22 refused the connection (is sshd running?)',
    });
    assert.deepEqual(t.sampler.state('m'), {
      kind: 'noNvidiaSmi',
      message: 'bash: line 1: nvidia-smi: command not found',
    });
    assert.match(
      JSON.stringify(t.sampler.state('d')),
      /driverFailed.*NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver/,
    );
  });

  it('shows "connecting" until the first answer', async () => {
    const t = setup();
    let release!: () => void;
    t.transport.answers.set(
      'a',
      () => new Promise((r) => (release = () => r({ stdout: '', stderr: '', exitCode: 0, truncated: false }))),
    );
    await t.look();
    assert.deepEqual(t.sampler.state('a'), { kind: 'connecting' });
    release();
    await t.timers.advance(0);
    assert.equal(t.sampler.state('a')?.kind, 'sampleFailed');
  });

  it('a failing instance backs off (10, 20, 40 … 300 s) and recovers at the normal pace', async () => {
    const t = setup();
    t.transport.answers.set('a', new CommandTransportError('timeout', 'the command did not finish within 8 s'));
    await t.look();
    await t.timers.advance(1_000_000);
    // attempts at 0, 10, 30, 70, 150, 310, 610, 910 s
    assert.equal(t.transport.commands.length, 8);
    assert.equal(t.transport.connects.length, 8, 'a failed command drops the connection');
    t.transport.answers.delete('a');
    await t.timers.advance(300_000);
    const after = t.transport.commands.length;
    await t.timers.advance(60_000);
    assert.equal(t.transport.commands.length - after, 6);
  });

  it('a host key not known yet is checked again at the normal pace (no network), and sampling starts as soon as it is known', async () => {
    const logs: string[] = [];
    const t = setup({ log: (m) => logs.push(m) });
    t.transport.connectErrors.set('a', new CommandTransportError('hostKeyUnknown', 'no host key'));
    await t.look();
    await t.timers.advance(60_000);
    assert.equal(t.transport.connects.length, 7, 'every 10 s, not 10, 20, 40 …');
    assert.equal(logs.filter((l) => l.includes('hostKeyUnknown')).length, 1, 'logged once, not once per check');
    t.transport.connectErrors.delete('a'); // a Connect recorded the key
    await t.timers.advance(10_000);
    assert.equal(t.sampler.state('a')?.kind, 'ok');
  });

  it('never throws out of the sampler: a throwing listener, a non-Error rejection', async () => {
    const t = setup();
    t.sampler.onDidChange(() => {
      throw new Error('listener bug');
    });
    t.transport.answers.set('a', () => Promise.reject('a string, not an Error'));
    await t.look();
    assert.deepEqual(t.sampler.state('a'), { kind: 'sshFailed', reason: 'a string, not an Error' });
  });

  it('keeps a 10-minute utilisation history', async () => {
    const t = setup();
    t.transport.answers.set('a', 'h100x8-busy');
    await t.look();
    await t.timers.advance(15 * 60_000);
    const h = t.sampler.history('a');
    assert.equal(h.length, 61, '10 min at 10 s, both ends included');
    assert.equal(h[0]!.at, 5 * 60_000);
    assert.equal(h[0]!.percent, 94.625);
  });
});
