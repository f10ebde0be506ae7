// The idle signal the cost guard builds on: idleSince(id), isIdle(id) and their change event.
import assert from 'node:assert/strict';
import { isIdleSample } from '../../../src/gpu/idleTracker';
import { parseComputeApps, parseGpuQuery } from '../../../src/gpu/nvidiaSmi';
import { fixture } from './fixtures';
import { setup } from './samplerHarness';

const MIN = 60_000;

describe('GPU idle signal', () => {
  it('idle = every GPU under the threshold and no GPU process (real outputs)', () => {
    const gpus = (m: string) => parseGpuQuery(fixture(`query-gpu.${m}.csv`)).rows;
    const apps = (m: string) => parseComputeApps(fixture(`query-compute-apps.${m}.csv`)).rows;
    assert.equal(isIdleSample(gpus('h100x1-idle'), apps('h100x1-idle'), 5), true);
    assert.equal(isIdleSample(gpus('h100x8-idle'), apps('h100x8-idle'), 5), true);
    assert.equal(isIdleSample(gpus('h100x8-busy'), apps('h100x8-busy'), 5), false);
    assert.equal(
      isIdleSample(gpus('h100x1-idle'), apps('h100x1-busy'), 5),
      false,
      'a process holding memory is not idle',
    );
    assert.equal(
      isIdleSample(gpus('h100x1-mig-busy'), [], 5),
      false,
      'MIG: no utilisation figure, no evidence of idleness',
    );
    assert.equal(isIdleSample(gpus('h100x1-idle'), [], 0), false, 'threshold is strict: 0 % < 0 is false');
  });

  it('idleSince is the first idle sample; isIdle after fal.idle.minutes; one event per change', async () => {
    const t = setup({ idleMinutes: 30 });
    const events: number[] = [];
    t.sampler.onDidChangeIdle(() => events.push(t.timers.now()));
    t.transport.answers.set('a', 'h100x8-busy');
    await t.look();
    assert.equal(t.sampler.idleSince('a'), undefined);
    await t.timers.advance(5 * MIN);
    t.transport.answers.set('a', 'h100x8-idle');
    await t.timers.advance(10_000);
    const since = t.timers.now();
    assert.equal(t.sampler.idleSince('a'), since);
    assert.equal(t.sampler.isIdle('a'), false);
    await t.timers.advance(30 * MIN - 1);
    assert.equal(t.sampler.isIdle('a'), false);
    await t.timers.advance(1);
    assert.equal(t.sampler.isIdle('a'), true);
    assert.equal(t.sampler.idleSince('a'), since, 'still the start of the run');
    assert.equal(events.length, 2, 'run started, then became idle');
    assert.equal(events[0], since);
    assert.ok(
      events[1]! - since - 30 * MIN <= 1,
      `isIdle turned true at the crossing, not a sample later (${events[1]! - since})`,
    );
    t.transport.answers.set('a', 'h100x1-busy');
    await t.timers.advance(10_000);
    assert.equal(t.sampler.idleSince('a'), undefined);
    assert.equal(t.sampler.isIdle('a'), false);
    assert.equal(events.length, 3);
  });

  it('a failed sample ends the run; samples missing while nobody looks make it unknown, never idle', async () => {
    const t = setup({ idleMinutes: 1 });
    t.transport.answers.set('a', 'h100x1-idle');
    await t.look();
    await t.timers.advance(2 * MIN);
    assert.equal(t.sampler.isIdle('a'), true);
    t.transport.answers.set('a', 'driver-failed');
    await t.timers.advance(10_000);
    assert.equal(t.sampler.idleSince('a'), undefined, 'driver failed: not evidence of idleness');
    t.transport.answers.set('a', 'h100x1-idle');
    await t.timers.advance(MIN);
    assert.ok(t.sampler.idleSince('a') !== undefined);
    const events: number[] = [];
    t.sampler.onDidChangeIdle(() => events.push(t.timers.now()));
    t.sampler.setVisible(false);
    const hiddenAt = t.timers.now();
    const commands = t.transport.commands.length;
    await t.timers.advance(10 * MIN);
    assert.equal(t.sampler.idleSince('a'), undefined, 'hidden for 10 min: not known');
    assert.equal(t.sampler.isIdle('a'), false);
    // The run reached 1 min a few seconds after the hide (still within the gap tolerance), then the knowledge expired.
    assert.equal(events.length, 2);
    assert.ok(events[1]! - hiddenAt <= 80_001, `expired ${events[1]! - hiddenAt} ms after the last sample`);
    assert.equal(t.transport.commands.length, commands, 'without any SSH traffic');
  });

  it('a gap longer than the tolerance restarts the run at the first sample after it', async () => {
    const t = setup({ idleMinutes: 30 });
    t.transport.answers.set('a', 'h100x1-idle');
    await t.look();
    const first = t.timers.now();
    await t.timers.advance(20 * MIN);
    // A look away of 50 s (under the blur grace): the run goes on.
    t.sampler.setFocused(false);
    await t.timers.advance(50_000);
    t.sampler.setFocused(true);
    await t.timers.advance(0);
    assert.equal(t.sampler.idleSince('a'), first);
    // Hidden for 5 minutes: nobody looked, so the run starts again.
    t.sampler.setVisible(false);
    await t.timers.advance(5 * MIN);
    t.sampler.setVisible(true);
    await t.timers.advance(0);
    assert.equal(t.sampler.idleSince('a'), t.timers.now());
  });

  it('thresholds can change: a higher fal.idle.gpuPercent counts the next samples', async () => {
    const t = setup({ idleGpuPercent: 5 });
    t.transport.answers.set('a', 'h100x8-busy');
    await t.look();
    assert.equal(t.sampler.idleSince('a'), undefined);
    t.sampler.setIdleSettings(101, 30);
    t.transport.answers.set('a', 'h100x8-idle');
    await t.timers.advance(10_000);
    assert.equal(t.sampler.idleSince('a'), t.timers.now());
  });
});
