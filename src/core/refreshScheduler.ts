// The one owner of the refresh policy. Everything that wants fresh data asks this scheduler;
// nothing else sets timers or calls the list endpoint.
//
// Policy:
// - paused while disabled (no key), the view hidden, or the window unfocused: no requests at all;
// - on return, refresh at once if the data is older than the interval that applies, else wait out the rest;
// - fast interval while an instance is transitional or a create/delete is in flight, slow otherwise;
// - after a failure, back off exponentially (honouring a server's Retry-After);
// - never two fetches at once: a request made during a fetch is folded into one more fetch after it.

import { realTimers, type Timers } from './timers';

// Kept importable from here (the scheduler was their first home).
export { realTimers, type Timers };

export type FetchOutcome = { ok: true; transitional: boolean } | { ok: false; retryAfterMs?: number };

export interface RefreshSchedulerOptions {
  fetch: () => Promise<FetchOutcome>;
  fastMs: number;
  slowMs: number;
  /** First delay after a failure; doubles per consecutive failure up to maxBackoffMs. */
  backoffBaseMs?: number;
  maxBackoffMs?: number;
  timers?: Timers;
}

export class RefreshScheduler {
  private enabled = false;
  private visible = false;
  private focused = true;
  private transitional = false;
  private operations = 0;
  private failures = 0;
  private retryAfterMs = 0;
  private lastAttemptAt: number | undefined;
  private inFlight: Promise<void> | undefined;
  private again = false;
  private timer: unknown;
  private disposed = false;
  private readonly timers: Timers;

  constructor(private readonly options: RefreshSchedulerOptions) {
    this.timers = options.timers ?? realTimers;
  }

  setEnabled(enabled: boolean): void {
    this.update(() => {
      if (enabled && !this.enabled) this.lastAttemptAt = undefined; // a new key: nothing we have is current
      this.enabled = enabled;
    });
  }

  setVisible(visible: boolean): void {
    this.update(() => (this.visible = visible));
  }

  setFocused(focused: boolean): void {
    this.update(() => (this.focused = focused));
  }

  setIntervals(fastMs: number, slowMs: number): void {
    this.update(() => {
      this.options.fastMs = fastMs;
      this.options.slowMs = slowMs;
    });
  }

  /** Marks a create/delete as in flight (fast polling) until the returned function is called. */
  beginOperation(): () => void {
    let ended = false;
    this.update(() => this.operations++);
    return () => {
      if (ended) return;
      ended = true;
      this.update(() => this.operations--);
    };
  }

  get active(): boolean {
    return this.enabled && this.visible && this.focused && !this.disposed;
  }

  /** The delay the current state calls for between two fetches. */
  get interval(): number {
    if (this.failures > 0) {
      const base = this.options.backoffBaseMs ?? 5_000;
      const max = this.options.maxBackoffMs ?? 300_000;
      return Math.max(this.retryAfterMs, Math.min(max, base * 2 ** (this.failures - 1)));
    }
    return this.transitional || this.operations > 0 ? this.options.fastMs : this.options.slowMs;
  }

  /**
   * Fetch now (the Refresh button, after a create/delete, after setting a key). Works even while
   * paused, because the user asked; it resets the failure back-off.
   */
  refreshNow(): Promise<void> {
    this.failures = 0;
    this.retryAfterMs = 0;
    return this.run();
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
  }

  private update(change: () => unknown): void {
    change();
    this.schedule();
  }

  private run(): Promise<void> {
    if (this.disposed || !this.enabled) return Promise.resolve();
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.cancelTimer();
    this.lastAttemptAt = this.timers.now();
    this.inFlight = this.options
      .fetch()
      .then(
        (outcome) => this.record(outcome),
        () => this.record({ ok: false }),
      )
      .finally(() => {
        this.inFlight = undefined;
        if (this.again) {
          this.again = false;
          void this.run();
        } else {
          this.schedule();
        }
      });
    return this.inFlight;
  }

  private record(outcome: FetchOutcome): void {
    if (outcome.ok) {
      this.failures = 0;
      this.retryAfterMs = 0;
      this.transitional = outcome.transitional;
    } else {
      this.failures++;
      this.retryAfterMs = outcome.retryAfterMs ?? 0;
    }
  }

  private schedule(): void {
    this.cancelTimer();
    if (!this.active || this.inFlight) return;
    const due = this.lastAttemptAt === undefined ? 0 : this.lastAttemptAt + this.interval - this.timers.now();
    if (due <= 0) {
      void this.run();
      return;
    }
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, due);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
