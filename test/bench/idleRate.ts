// Fetches an hour under the refresh policy (each a list or, while an instance starts, possibly a GET
// by id: see pollRate.ts for requests), by running the real RefreshScheduler for one
// simulated hour on a fake clock (default intervals: 3 s fast, 60 s slow).
import type { Timers } from '../../src/base/timers';
import { RefreshScheduler } from '../../src/core/refreshScheduler';

export type Scenario = 'focused, stable' | 'focused, an instance starting' | 'window unfocused' | 'view hidden';

export async function requestsPerHour(scenario: Scenario): Promise<number> {
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let seq = 0;
  const clock: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => (timers.set(++seq, { at: now + ms, fn }), seq),
    clearTimeout: (h) => void timers.delete(h as number),
  };
  let requests = 0;
  const scheduler = new RefreshScheduler({
    fastMs: 3_000,
    slowMs: 60_000,
    timers: clock,
    fetch: async () => {
      requests++;
      return { ok: true, transitional: scenario === 'focused, an instance starting' };
    },
  });
  scheduler.setEnabled(true);
  scheduler.setFocused(scenario !== 'window unfocused');
  scheduler.setVisible(scenario !== 'view hidden');
  const hour = 3_600_000;
  for (;;) {
    await new Promise((r) => setImmediate(r));
    const next = [...timers.entries()].sort((a, b) => a[1].at - b[1].at)[0];
    if (!next || next[1].at >= hour) break;
    timers.delete(next[0]);
    now = next[1].at;
    next[1].fn();
  }
  scheduler.dispose();
  return requests;
}
