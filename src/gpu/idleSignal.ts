// Tells listeners when an instance's idle signal changes: idleSince(id) starting, ending or
// expiring, and isIdle(id) turning true when the run reaches fal.idle.minutes. Between samples the
// signal changes by time alone, so one timer wakes up at the next such moment (no I/O, just a check).
import type { Timers } from '../base/timers';

/** What the notifier watches: each run's idle start and the moments time alone changes it (not the cost guard's IdleSource, which is the sampler's public signal). */
export interface IdleTimeline {
  ids(): Iterable<string>;
  idleSince(id: string): number | undefined;
  isIdle(id: string): boolean;
  /** When idleSince(id) turns undefined for lack of samples. */
  expiresAt(id: string): number | undefined;
  idleMs(): number;
}

export class IdleNotifier {
  private readonly seen = new Map<string, string>();
  private timer: unknown;

  constructor(
    private readonly timers: Timers,
    private readonly source: IdleTimeline,
    private readonly fire: (id: string) => void,
  ) {}

  check(): void {
    this.cancel();
    const now = this.timers.now();
    let next: number | undefined;
    for (const id of new Set([...this.source.ids(), ...this.seen.keys()])) {
      const since = this.source.idleSince(id);
      const key = since === undefined ? '' : `${since}:${this.source.isIdle(id)}`;
      if ((this.seen.get(id) ?? '') !== key) {
        if (key) this.seen.set(id, key);
        else this.seen.delete(id);
        this.fire(id);
      }
      if (since === undefined) continue;
      const crossing = since + this.source.idleMs();
      for (const at of [this.source.expiresAt(id), crossing]) {
        if (at !== undefined && at > now && (next === undefined || at < next)) next = at;
      }
    }
    if (next !== undefined) {
      this.timer = this.timers.setTimeout(() => {
        this.timer = undefined;
        this.check();
      }, next - now + 1);
    }
  }

  cancel(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** The idle state of one instance, as the sampler keeps it (IdleTracker). */
export interface IdleRun {
  idleSince(now: number): number | undefined;
  expiresAt(): number | undefined;
  setThreshold(percent: number): void;
}

/**
 * The sampler's idle signal over all its instances: idleSince / isIdle (at least fal.idle.minutes)
 * and a change event, with the notifier that fires it when time alone changes the answer.
 */
export class IdleSignal {
  private idleMs: number;
  private readonly notifier: IdleNotifier;

  constructor(
    private readonly timers: Timers,
    private readonly runs: { keys(): Iterable<string>; get(id: string): IdleRun | undefined; values(): Iterable<IdleRun> },
    idleMinutes: number,
    fire: (id: string) => void,
  ) {
    this.idleMs = idleMinutes * 60_000;
    const source = {
      ids: () => this.runs.keys(),
      idleSince: (id: string) => this.idleSince(id),
      isIdle: (id: string) => this.isIdle(id),
      expiresAt: (id: string) => this.runs.get(id)?.expiresAt(),
      idleMs: () => this.idleMs,
    };
    this.notifier = new IdleNotifier(timers, source, fire);
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

  check(): void {
    this.notifier.check();
  }

  cancel(): void {
    this.notifier.cancel();
  }
}
