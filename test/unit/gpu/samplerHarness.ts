// A GpuSampler on a fake clock and a fake transport, for the sampler and idle tests.
import { GpuSampler, type GpuSamplerOptions } from '../../../src/gpu/sampler';
import { SampleCommand } from '../../../src/gpu/sampleCommand';
import type { GpuTarget } from '../../../src/gpu/types';
import { FakeTimers } from '../core/fakeTimers';
import { FakeTransport, NONCE } from './fakeTransport';

export const target = (id: string, extra: Partial<GpuTarget> = {}): GpuTarget => ({
  id,
  ip: '10.0.0.1',
  port: 22,
  user: 'ubuntu',
  identityFile: `/keys/${id}`,
  ...extra,
});

export function setup(options: Partial<GpuSamplerOptions> = {}) {
  const timers = new FakeTimers();
  const transport = new FakeTransport();
  const sampler = new GpuSampler({ transport, timers, command: new SampleCommand(NONCE), ...options });
  return {
    timers,
    transport,
    sampler,
    /** Visible and focused: someone looks at the view. */
    async look(...targets: GpuTarget[]) {
      sampler.setTargets(targets.length ? targets : [target('a')]);
      sampler.setFocused(true);
      sampler.setVisible(true);
      await timers.advance(0);
    },
  };
}
