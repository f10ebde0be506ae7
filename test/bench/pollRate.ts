// Requests per minute the refresh policy sends to watch starting machines: the real
// RefreshScheduler (in fake time) driving the real InstancesSync and FalComputeClient against the
// emulator over loopback HTTP, counted from the emulator's request log. Default intervals: 3 s fast,
// 60 s slow; the view visible and the window focused. `wait`: someone waits (Connect When Ready)
// for the first provisioning instance during that window of simulated time.
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
  /** With `wait`: requests per minute inside the wait's window, and in the minutes after it. */
  perMinuteWaiting?: number;
  perMinuteAfterWait?: number;
  /** With `wait`: GETs of the waited-on instance inside the window, and after it. */
  waitedGets?: number;
  waitedGetsAfter?: number;
}

export interface PollWait {
  readonly fromMs: number;
  readonly toMs: number;
}

const PAGE_SIZE = 100;

/** `provisioning` of `total` instances stay provisioning for `minutes` simulated minutes. */
export async function pollRate(total: number, provisioning: number, minutes = 10, wait?: PollWait): Promise<PollRate> {
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
      fetch: (kind, ids) => {
        const p = sync.fetch(kind, ids);
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
    const stamps: number[] = []; // the simulated time of each request, by its place in the log
    let endWait: (() => void) | undefined;
    const settle = async () => {
      while (inFlight) {
        const p = inFlight;
        inFlight = undefined;
        await p;
        await flush();
      }
      while (stamps.length < fal.requests.length) stamps.push(timers.now());
    };
    while (timers.now() < end) {
      if (wait && !endWait && timers.now() >= wait.fromMs) {
        endWait = scheduler.beginOperation({ waitingFor: seed[0]!.id });
        await settle();
      }
      if (wait && endWait && timers.now() >= wait.toMs) {
        endWait();
        endWait = () => undefined;
        await settle();
      }
      const next = [wait?.fromMs, wait?.toMs, end].find((t) => t !== undefined && t > timers.now())!;
      await timers.advance(Math.min(1_000, next - timers.now()));
      await settle();
    }
    scheduler.dispose();
    const requests = fal.requests;
    const listPages = requests.filter((r) => r.path.endsWith('/compute/instances')).length;
    const gets = requests.filter((r) => r.method === 'GET' && !r.path.endsWith('/compute/instances')).length;
    const result: PollRate = { perMinute: requests.length / minutes, listPages, gets, minutes };
    if (!wait) return result;
    // A request is stamped with the simulated time after its fetch ran: the tick that sent it.
    const inWait = (i: number) => stamps[i]! >= wait.fromMs && stamps[i]! < wait.toMs;
    const afterWait = (i: number) => stamps[i]! >= wait.toMs;
    const waitedPath = `/compute/instances/${seed[0]!.id}`;
    const count = (f: (i: number) => boolean, path?: string) =>
      requests.filter((r, i) => f(i) && (!path || r.path.endsWith(path))).length;
    const after = (minutes * 60_000 - wait.toMs) / 60_000;
    return {
      ...result,
      perMinuteWaiting: count(inWait) / ((wait.toMs - wait.fromMs) / 60_000),
      perMinuteAfterWait: after > 0 ? count(afterWait) / after : 0,
      waitedGets: count(inWait, waitedPath),
      waitedGetsAfter: count(afterWait, waitedPath),
    };
  } finally {
    await fal.close();
  }
}
