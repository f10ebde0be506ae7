// The sampler's watch (issue 13, auto-delete's opt-in) in fake time: while nobody looks, only the
// watched instances with a key and a known host key are sampled, at max(sampleSeconds, 1 min), on
// their one kept connection; with no watch list nothing at all runs in the background.
import assert from 'node:assert/strict';
import { CommandTransportError } from '../../../src/connections/commandTransport';
import { WATCH_MIN_INTERVAL_MS } from '../../../src/gpu/pace';
import { setup, target } from './samplerHarness';

const MIN = 60_000;
const HOUR = 60 * MIN;
const commandsOf = (t: ReturnType<typeof setup>, id: string) => t.transport.commands.filter((c) => c.id === id).length;

describe('GpuSampler watch: what runs while nobody looks', () => {
  it('without a watch list: nothing while hidden or unfocused (0 connections, 0 commands, no timer)', async () => {
    const t = setup();
    await t.look(target('a'), target('b'));
    t.sampler.setVisible(false);
    await t.timers.advance(0);
    const before = t.transport.commands.length;
    await t.timers.advance(HOUR);
    assert.equal(t.transport.commands.length, before);
    assert.equal(t.transport.open.size, 0);
    t.sampler.setVisible(true);
    t.sampler.setFocused(false);
    await t.timers.advance(HOUR);
    assert.equal(t.transport.open.size, 0, 'the blur grace ran out: every connection closed');
    assert.deepEqual(t.timers.scheduled, [], 'no timer left running');
  });

  it('hidden: a watched instance is sampled once a minute on its one connection; the others are closed and left alone', async () => {
    const t = setup();
    await t.look(target('a'), target('b'));
    t.sampler.setWatched(['a']);
    t.sampler.setVisible(false);
    await t.timers.advance(0);
    assert.deepEqual(t.transport.openFor('b'), [], "b's connection closed at once");
    assert.equal(t.transport.openFor('a').length, 1, "a's connection stays");
    const a0 = commandsOf(t, 'a');
    const b0 = commandsOf(t, 'b');
    await t.timers.advance(HOUR);
    assert.equal(commandsOf(t, 'a') - a0, 60, 'one sample a minute');
    assert.equal(commandsOf(t, 'b'), b0, 'nothing for an instance not watched');
    assert.equal(t.transport.connects.filter((id) => id === 'a').length, 1, 'one SSH session for the hour');
    assert.equal(t.sampler.isWatching('a'), true);
    assert.equal(t.sampler.isWatching('b'), false);
  });

  it('the watch pace is max(sampleSeconds, 1 min): a slower sampleSeconds is kept', async () => {
    const t = setup({ sampleSeconds: 300 });
    t.sampler.setTargets([target('a')]);
    t.sampler.setWatched(['a']);
    await t.timers.advance(HOUR - 1);
    assert.equal(t.transport.commands.length, 12, 'every 5 min (t = 0 … 55 min)');
    assert.equal(WATCH_MIN_INTERVAL_MS, MIN);
  });

  it('unfocused: the watch keeps sampling after the blur grace closed the other connections', async () => {
    const t = setup();
    await t.look(target('a'), target('b'));
    t.sampler.setWatched(['a']);
    t.sampler.setFocused(false);
    await t.timers.advance(MIN);
    assert.equal(t.transport.openFor('b').length, 0);
    assert.equal(t.transport.openFor('a').length, 1);
    const a0 = commandsOf(t, 'a');
    await t.timers.advance(10 * MIN);
    assert.equal(commandsOf(t, 'a') - a0, 10);
  });

  it('the idle run goes on across the switch from the view to the watch (no gap restarts it)', async () => {
    const t = setup({ idleMinutes: 30 });
    t.transport.answers.set('a', 'h100x8-idle');
    await t.look(target('a'));
    t.sampler.setWatched(['a']);
    await t.timers.advance(5 * MIN);
    t.sampler.setVisible(false);
    await t.timers.advance(40 * MIN);
    assert.equal(t.sampler.idleSince('a'), 0, 'idle since the first sample, watched all along');
    assert.equal(t.sampler.isIdle('a'), true);
  });

  it('without the watch, the idle signal of a hidden instance expires ("not known"), never stays idle', async () => {
    const t = setup({ idleMinutes: 30 });
    t.transport.answers.set('a', 'h100x8-idle');
    await t.look(target('a'));
    await t.timers.advance(5 * MIN);
    t.sampler.setVisible(false);
    await t.timers.advance(40 * MIN);
    assert.equal(t.sampler.idleSince('a'), undefined);
  });

  it('no key: never watched; a host key not known yet: looked up at the watch pace (a local read, never backed off), so a Connect starts the watch', async () => {
    const t = setup();
    t.transport.connectErrors.set('h', new CommandTransportError('hostKeyUnknown', 'no host key'));
    t.sampler.setTargets([target('k', { identityFile: undefined }), target('h')]);
    t.sampler.setWatched(['k', 'h']);
    await t.timers.advance(HOUR - 1);
    assert.equal(t.transport.connects.filter((id) => id === 'k').length, 0, 'no key: nothing attempted');
    assert.equal(
      t.transport.connects.filter((id) => id === 'h').length,
      60,
      'the real transport checks known_hosts before any TCP',
    );
    assert.equal(t.sampler.isWatching('k'), false);
    t.transport.connectErrors.delete('h');
    await t.timers.advance(MIN);
    assert.equal(t.sampler.state('h')?.kind, 'ok', 'the host key learned: sampled at the next minute');
  });

  it('a failing watched instance backs off from the watch pace (1, 2, 4 … 5 min)', async () => {
    const t = setup();
    t.transport.answers.set('a', new CommandTransportError('timeout', 'the command did not finish within 8 s'));
    t.sampler.setTargets([target('a')]);
    t.sampler.setWatched(['a']);
    await t.timers.advance(HOUR);
    // attempts at 0, 1, 3, 7, 12, 17 … 57 min
    assert.equal(t.transport.commands.length, 14);
  });

  it('unwatching (auto-delete turned off, Protect…) closes the connection and stops at once', async () => {
    const t = setup();
    t.sampler.setTargets([target('a')]);
    t.sampler.setWatched(['a']);
    await t.timers.advance(5 * MIN);
    const n = t.transport.commands.length;
    t.sampler.setWatched([]);
    await t.timers.advance(HOUR);
    assert.equal(t.transport.commands.length, n);
    assert.equal(t.transport.open.size, 0);
    assert.deepEqual(
      t.timers.scheduled.filter((ms) => ms > 0 && ms < HOUR),
      [],
      'no sampling timer',
    );
  });

  it('sampleSeconds 0 turns the watch off too', async () => {
    const t = setup();
    t.sampler.setTargets([target('a')]);
    t.sampler.setWatched(['a']);
    await t.timers.advance(MIN);
    t.sampler.setSampleSeconds(0);
    const n = t.transport.commands.length;
    await t.timers.advance(HOUR);
    assert.equal(t.transport.commands.length, n);
    assert.equal(t.transport.open.size, 0);
  });

  it('inspect() while only watched: a fresh sample and the command on the SAME connection, which stays open', async () => {
    const t = setup();
    t.sampler.setTargets([target('a')]);
    t.sampler.setWatched(['a']);
    await t.timers.advance(0);
    t.transport.answers.set('a', 'h100x1-idle');
    const seen = await t.sampler.inspect('a', 'who', 5_000);
    assert.equal(seen.state?.kind, 'ok');
    assert.deepEqual(t.transport.connects, ['a']);
    assert.deepEqual(
      t.transport.commands.slice(-1).map((c) => c.command),
      ['who'],
    );
    assert.equal(t.transport.open.size, 1);
  });

  it('inspect() when nobody looks and it is not watched: one connection for both, closed after', async () => {
    const t = setup();
    t.sampler.setTargets([target('a')]);
    await t.sampler.inspect('a', 'who', 5_000);
    assert.deepEqual(t.transport.connects, ['a']);
    assert.equal(t.transport.commands.length, 2);
    assert.equal(t.transport.open.size, 0);
  });
});
