// Requests per minute the refresh policy sends to watch starting machines: the real
// RefreshScheduler (in fake time) driving the real InstancesSync and FalComputeClient against the
// emulator over loopback HTTP, counted from the emulator's request log. Default intervals: 3 s fast,
// 60 s slow; the view visible and the window focused.
import { FalComputeClient } from '../../src/api';
import { InstancesModel } from '../../src/core/instancesModel';
import { InstancesSync } from '../../src/core/instancesSync';
import { RefreshScheduler } from '../../src/core/refreshScheduler';
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../emulator';
import { FakeTimers, flush } from '../unit/core/fakeTimers';

export interface PollRate {
  /** Requests per simulated minute, the first full list included. */
  perMinute: number;
  listPages: number;
  gets: number;
  minutes: number;
}

const PAGE_SIZE = 100;

/** `provisioning` of `total` instances stay provisioning for `minutes` simulated minutes. */
export async function pollRate(total: number, provisioning: number, minutes = 10): Promise<PollRate> {
  const seed = Array.from({ length: total }, (_, i) => ({
    id: `inst_${String(i).padStart(4, '0')}`,
    instance_type: 'gpu_1x_h100_sxm5' as const,
    ...(i < provisioning
      ? { status: 'provisioning' }
      : { status: 'ready', ip: `203.0.${100 + Math.floor(i / 250)}.${i % 250}` }),
  }));
  const fal = await FalEmulator.start({ seed });
  try {
    const timers = new FakeTimers();
    const client = new FalComputeClient({ apiKey: DEFAULT_EMULATOR_KEY, baseUrl: fal.baseUrl, pageSize: PAGE_SIZE });
    const model = new InstancesModel({ get: () => ({}), set: () => undefined });
    const sync = new InstancesSync({
      model,
      client: async () => client,
      pageSize: PAGE_SIZE,
      now: () => timers.now(),
      onKeyRejected: () => undefined,
    });
    let inFlight: Promise<unknown> | undefined;
    const scheduler = new RefreshScheduler({
      fastMs: 3_000,
      slowMs: 60_000,
      timers,
      fetch: (kind) => {
        const p = sync.fetch(kind);
        inFlight = p;
        return p;
      },
    });
    scheduler.setEnabled(true);
    scheduler.setFocused(true);
    scheduler.setVisible(true);
    // Each fetch runs on real loopback I/O: let it finish before time moves on. The window is
    // [0, minutes): the tick at its very end belongs to the next minute.
    const end = minutes * 60_000 - 1;
    while (timers.now() < end) {
      await timers.advance(Math.min(1_000, end - timers.now()));
      while (inFlight) {
        const p = inFlight;
        inFlight = undefined;
        await p;
        await flush();
      }
    }
    scheduler.dispose();
    const requests = fal.requests;
    const listPages = requests.filter((r) => r.path.endsWith('/compute/instances')).length;
    const gets = requests.filter((r) => r.method === 'GET' && !r.path.endsWith('/compute/instances')).length;
    return { perMinute: requests.length / minutes, listPages, gets, minutes };
  } finally {
    await fal.close();
  }
}
