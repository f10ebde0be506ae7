// Tells listeners when an instance's idle signal changes: idleSince(id) starting, ending or
// expiring, and isIdle(id) turning true when the run reaches fal.idle.minutes. Between samples the
// signal changes by time alone, so one timer wakes up at the next such moment (no I/O, just a check).
import type { Timers } from '../core/refreshScheduler';

export interface IdleSource {
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
    private readonly source: IdleSource,
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
