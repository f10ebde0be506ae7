// How often the sampler looks at one instance, as plain functions (GpuSampler acts on them).
//
// Two paces:
// - **active** (view visible, window focused): every `fal.gpu.sampleSeconds`;
// - **watch** (auto-delete's opt-in): while nobody looks, the instances eligible for
//   auto-delete are still sampled, slowly — every max(sampleSeconds, 1 min) — so an idle machine
//   is noticed while the user is away. Nothing else runs in the background, and only while
//   `fal.idle.autoDelete` is on (the VS Code side passes an empty watch list otherwise).
// A failing instance backs off from either pace: interval × 2^(failures-1), capped.

/** The watch never samples more often than this. */
export const WATCH_MIN_INTERVAL_MS = 60_000;

export type Pace = 'active' | 'watch';

export function watchIntervalMs(sampleMs: number): number {
  return Math.max(sampleMs, WATCH_MIN_INTERVAL_MS);
}

/** The delay between two attempts at `pace` after `failures` consecutive failures. */
export function attemptDelayMs(pace: Pace, sampleMs: number, failures: number, maxBackoffMs: number): number {
  const interval = pace === 'active' ? sampleMs : watchIntervalMs(sampleMs);
  return failures === 0 ? interval : Math.max(interval, Math.min(maxBackoffMs, interval * 2 ** (failures - 1)));
}

/**
 * The longest gap between two samples that keeps an idle run going: one brief look away (the blur
 * grace) and two intervals; for a watched instance, also two watch intervals (one slow sample may
 * be late or fail without the run restarting).
 */
export function maxGapMs(blurGraceMs: number, sampleMs: number, watched: boolean): number {
  const base = blurGraceMs + 2 * Math.max(sampleMs, 1_000);
  return watched ? Math.max(base, 2 * watchIntervalMs(sampleMs)) : base;
}
