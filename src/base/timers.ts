// Time, injectable. Every policy that acts over time (the refresh scheduler, the GPU sampler, the
// cost guard) takes a `Timers`, so tests run it in fake time (test/unit/core/fakeTimers.ts) and the
// extension passes `realTimers`. ESLint lets only this file (and the deadlines listed in
// eslint.config.mjs) call the global timers, and only this file reads the wall clock: code without
// a `Timers` of its own reads `now()`.
import * as l10n from '@vscode/l10n';

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The wall clock, epoch ms: the one place the extension reads it. */
export const now = (): number => Date.now();

export const realTimers: Timers = {
  now,
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Calls `fn` every `ms` until the returned function is called: a clock for a progress text, never a poller. */
export function every(timers: Timers, ms: number, fn: () => void): () => void {
  let handle: unknown;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    fn();
    handle = timers.setTimeout(tick, ms);
  };
  handle = timers.setTimeout(tick, ms);
  return () => {
    stopped = true;
    timers.clearTimeout(handle);
  };
}

/** A signal that aborts at a deadline; `clear` drops the deadline once the operation settled. */
export interface Deadline {
  readonly signal: AbortSignal;
  clear(): void;
}

/**
 * Aborts after `ms` on `timers`, with the reason AbortSignal.timeout gives (a 'TimeoutError'), but
 * in the time tests control: the platform's AbortSignal.timeout always runs in real time.
 */
export function abortAfter(timers: Timers, ms: number): Deadline {
  const controller = new AbortController();
  const handle = timers.setTimeout(
    () => controller.abort(new DOMException(l10n.t('The operation was aborted due to timeout'), 'TimeoutError')),
    ms,
  );
  return { signal: controller.signal, clear: () => timers.clearTimeout(handle) };
}
