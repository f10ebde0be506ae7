// The sampler's idle signal over all its instances: idleSince / isIdle (at least fal.idle.minutes)
// and a change event: idleSince(id) starting, ending or expiring, isIdle(id) turning true. Between
// samples the signal changes by time alone, so one timer wakes up at the next such moment (no I/O,
// just a check).
import type { Timers } from '../base/timers';

/** The idle state of one instance, as the sampler keeps it (IdleTracker). */
export interface IdleRun {
  idleSince(now: number): number | undefined;
  /** When idleSince turns undefined for lack of samples. */
  expiresAt(): number | undefined;
  setThreshold(percent: number): void;
}

export class IdleSignal {
  private idleMs: number;
  /** What each instance's signal was at the last check ('' for not idle). */
  private readonly seen = new Map<string, string>();
  private timer: unknown;
  /** When the timer fires (undefined: no timer). */
  private timerAt: number | undefined;

  constructor(
    private readonly timers: Timers,
    private readonly runs: {
      keys(): Iterable<string>;
      get(id: string): IdleRun | undefined;
      values(): Iterable<IdleRun>;
    },
    idleMinutes: number,
    private readonly fire: (id: string) => void,
  ) {
    this.idleMs = idleMinutes * 60_000;
  }

  idleSince(id: string): number | undefined {
    return this.runs.get(id)?.idleSince(this.timers.now());
  }

  isIdle(id: string): boolean {
    const since = this.idleSince(id);
    return since !== undefined && this.timers.now() - since >= this.idleMs;
  }

  setSettings(gpuPercent: number, minutes: number): void {
    this.idleMs = minutes * 60_000;
    for (const run of this.runs.values()) run.setThreshold(gpuPercent);
    this.check();
  }

  /**
   * Fires for each instance whose signal changed since the last check, and sets the timer for the
   * next change by time. Given `ids` (the instances that just changed), it looks at those alone and
   * only brings the timer forward: one instance's sample must not cost a pass over a thousand rows.
   * The timer's own check, and a settings change, look at every instance.
   */
  check(ids?: Iterable<string>): void {
    const now = this.timers.now();
    const all = ids === undefined;
    let next = all ? undefined : this.timerAt;
    for (const id of all ? new Set([...this.runs.keys(), ...this.seen.keys()]) : new Set(ids)) {
      const run = this.runs.get(id);
      const since = run?.idleSince(now);
      const key = since === undefined ? '' : `${since}:${now - since >= this.idleMs}`;
      if ((this.seen.get(id) ?? '') !== key) {
        if (key) this.seen.set(id, key);
        else this.seen.delete(id);
        this.fire(id);
      }
      if (since === undefined) continue;
      for (const at of [run?.expiresAt(), since + this.idleMs]) {
        if (at !== undefined && at > now && (next === undefined || at < next)) next = at;
      }
    }
    if (!all && next === this.timerAt) return;
    this.cancel();
    if (next !== undefined) {
      this.timerAt = next;
      this.timer = this.timers.setTimeout(
        () => {
          this.timer = undefined;
          this.timerAt = undefined;
          this.check();
        },
        next - now + 1,
      );
    }
  }

  cancel(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = undefined;
  }
}
