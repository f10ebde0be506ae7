// The one owner of the refresh policy, and the only poller of fal. Everything that wants fresh data
// asks this scheduler (refreshNow, requestFull, beginOperation) and waits for the model to change;
// nothing else sets timers or calls the API to watch instances.
//
// Policy:
// - off while disabled (no key, or a key fal rejected) or the window is unfocused; off while the
//   view is hidden, unless an operation the user waits on (a create, a delete, Connect when ready)
//   holds it: no requests at all;
// - on return, refresh at once if the data is older than the interval that applies, else wait out the rest;
// - fast interval while an instance is transitional or an operation holds the scheduler, slow otherwise;
// - while someone watches a progress for an instance to become ready (Connect When Ready, the create
//   wizard's wait), that one instance is asked by id (`watched`) every second, between the ticks of the
//   list's own pace: at most one extra request a second however many wait (they take turns), none
//   once the wait ends, none while backing off; a tick of the list asks it too (`changes` is given the
//   waited-on ids), so then no second request;
// - a fast tick fetches only what changes (`changes`: the fetcher picks the cheapest way); the whole
//   list (`full`) keeps the slow pace, and is fetched at once on request (Refresh, after a create/delete);
// - after a failure, back off exponentially (honouring a server's Retry-After); only the user's
//   Refresh skips the wait;
// - never two fetches at once: a request made during a fetch is folded into one more fetch after it;
// - the account's balance (`billing`) is read at the start of a tick, before its fetch (never beside
//   it), unless backing off, with the view visible and the window focused, at its own slow pace
//   (billingPace.ts: at most once a minute).
import { realTimers, type Timers } from '../base/timers';
import { BillingPace, type BillingPaceOptions } from './billingPace';

/**
 * `full`: the whole list. `changes`: whatever tells what the transitional instances and the ids
 * given became. `watched`: only the one instance given, by id (someone waits for it).
 */
export type FetchKind = 'full' | 'changes' | 'watched';

export type FetchOutcome = { ok: true; transitional: boolean } | { ok: false; retryAfterMs?: number };

/** What the scheduler decided, reported whenever it changes (the extension logs it). */
export type Schedule =
  | { readonly kind: 'off'; readonly reason: 'disabled' | 'unfocused' | 'hidden' | 'disposed' }
  | {
      readonly kind: 'waiting';
      readonly mode: 'watch' | 'fast' | 'slow' | 'backoff';
      readonly inMs: number;
      readonly next: FetchKind;
    };

export interface RefreshSchedulerOptions {
  /** `ids`: for `watched`, the one instance to ask; for `changes`, the waited-on instances to ask besides. */
  fetch: (kind: FetchKind, ids: readonly string[]) => Promise<FetchOutcome>;
  fastMs: number;
  slowMs: number;
  /** How often a waited-on instance is asked (beginOperation({ waitingFor })); 1 s by default. */
  waitingMs?: number;
  /** First delay after a failure; doubles per consecutive failure up to maxBackoffMs. */
  backoffBaseMs?: number;
  maxBackoffMs?: number;
  timers?: Timers;
  onSchedule?: (schedule: Schedule) => void;
  /** Reads the account's balance, on the pace of billingPace.ts. */
  billing?: BillingPaceOptions;
}

export class RefreshScheduler {
  private enabled = false;
  private visible = false;
  private focused = true;
  private transitional = false;
  private operations = 0;
  /** Waited-on instance → how many wait for it, and when it was last asked (by id, or by a tick of the list). */
  private readonly waited = new Map<string, { waiters: number; askedAt: number | undefined }>();
  private failures = 0;
  private retryAfterMs = 0;
  /** The start of the last fetch of any kind (the back-off and the waited-on pace count from it). */
  private lastAttemptAt: number | undefined;
  /** The start of the last fetch of the list's own pace (`full` or `changes`). */
  private lastTickAt: number | undefined;
  private lastFullAt: number | undefined;
  private fullWanted = true;
  private inFlight: Promise<void> | undefined;
  private again = false;
  private timer: unknown;
  private disposed = false;
  // It starts disabled: only changes from there are news.
  private reported = 'off:disabled';
  private readonly timers: Timers;
  private readonly billing: BillingPace | undefined;

  constructor(private readonly options: RefreshSchedulerOptions) {
    this.timers = options.timers ?? realTimers;
    this.billing = options.billing && new BillingPace(options.billing);
  }

  setEnabled(enabled: boolean): void {
    this.update(() => {
      if (enabled && !this.enabled) {
        // A new key: nothing we have is current.
        this.lastAttemptAt = undefined;
        this.lastTickAt = undefined;
        this.fullWanted = true;
        this.failures = 0;
        this.retryAfterMs = 0;
      }
      this.enabled = enabled;
    });
  }

  /** The key in use (an account tag): a new one may read billing even if the last one could not. */
  setBillingKey(key: string | undefined): void {
    this.billing?.setKey(key);
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

  /**
   * Holds the scheduler in fast mode (even with the view hidden) while the user waits on an
   * operation — a create, a delete, Connect when ready — until the returned function is called.
   * `waitingFor`: someone is watching a progress for that instance to settle; it is asked by id
   * every `waitingMs` until then.
   */
  beginOperation(options: { waitingFor?: string } = {}): () => void {
    let ended = false;
    const id = options.waitingFor;
    const hold = (by: 1 | -1) =>
      this.update(() => {
        this.operations += by;
        if (id === undefined) return;
        const entry = this.waited.get(id) ?? { waiters: 0, askedAt: undefined };
        entry.waiters += by;
        if (entry.waiters > 0) this.waited.set(id, entry);
        else this.waited.delete(id);
      });
    hold(1);
    return () => {
      if (!ended) hold(-1);
      ended = true;
    };
  }

  get active(): boolean {
    return this.offReason() === undefined;
  }

  /** The delay the current state calls for between two ticks of the list (or tries, backing off). */
  get interval(): number {
    if (this.failures > 0) {
      const base = this.options.backoffBaseMs ?? 5_000;
      const max = this.options.maxBackoffMs ?? 300_000;
      return Math.max(this.retryAfterMs, Math.min(max, base * 2 ** (this.failures - 1)));
    }
    return this.fast ? this.options.fastMs : this.options.slowMs;
  }

  /**
   * The user asked (Refresh, Retry, a new base URL): the whole list now, even while paused and
   * during a back-off, which it resets.
   */
  refreshNow(): Promise<void> {
    this.failures = 0;
    this.retryAfterMs = 0;
    this.fullWanted = true;
    return this.run();
  }

  /** Something changed the list (a create or delete answered): the whole list at once. */
  requestFull(): Promise<void> {
    this.fullWanted = true;
    return this.run();
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
    this.report();
  }

  private get fast(): boolean {
    return this.transitional || this.operations > 0;
  }

  private offReason(): (Schedule & { kind: 'off' })['reason'] | undefined {
    if (this.disposed) return 'disposed';
    if (!this.enabled) return 'disabled';
    if (!this.focused) return 'unfocused';
    if (!this.visible && this.operations === 0) return 'hidden';
    return undefined;
  }

  private nextKind(at: number): FetchKind {
    return this.fullWanted || this.lastFullAt === undefined || at - this.lastFullAt >= this.options.slowMs
      ? 'full'
      : 'changes';
  }

  private update(change: () => unknown): void {
    change();
    this.schedule();
  }

  /** The waited-on instance asked longest ago (in the order the waits began when equal). */
  private nextWatched(): string | undefined {
    let next: [string, number] | undefined;
    for (const [id, { askedAt }] of this.waited) {
      const at = askedAt ?? -Infinity;
      if (!next || at < next[1]) next = [id, at];
    }
    return next?.[0];
  }

  /** A fetch of the list's pace, or (`watched`) of one waited-on instance between those. */
  private run(watched = false): Promise<void> {
    if (this.disposed || !this.enabled) return Promise.resolve();
    if (this.inFlight) {
      if (!watched) this.again = true;
      return this.inFlight;
    }
    const id = watched ? this.nextWatched() : undefined;
    if (watched && id === undefined) {
      this.schedule(); // the wait ended meanwhile
      return Promise.resolve();
    }
    this.cancelTimer();
    const at = this.timers.now();
    const kind: FetchKind = id !== undefined ? 'watched' : this.nextKind(at);
    const ids = id !== undefined ? [id] : kind === 'changes' ? [...this.waited.keys()] : [];
    this.lastAttemptAt = at;
    if (kind !== 'watched') this.lastTickAt = at;
    if (kind === 'full') this.fullWanted = false;
    // A tick of the list asks every waited-on instance too (the whole list, or `changes` given their ids).
    for (const [waitedId, entry] of this.waited) if (kind !== 'watched' || waitedId === id) entry.askedAt = at;
    // The balance is read on a tick of the list only: a request by id is the waiter's alone.
    this.inFlight = (kind === 'watched' ? Promise.resolve() : this.readBilling())
      .then(async () => {
        // A 401 on the balance disabled the scheduler (the key is rejected): nothing more is sent with that key.
        if (!this.enabled || this.disposed) return;
        this.record(await this.options.fetch(kind, ids).catch((): FetchOutcome => ({ ok: false })), kind, at);
      })
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

  private record(outcome: FetchOutcome, kind: FetchKind, at: number): void {
    if (outcome.ok) {
      this.failures = 0;
      this.retryAfterMs = 0;
      this.transitional = outcome.transitional;
      if (kind === 'full') this.lastFullAt = at;
    } else {
      this.failures++;
      this.retryAfterMs = outcome.retryAfterMs ?? 0;
      if (kind === 'full') this.fullWanted = true; // still owed once fal answers again
    }
  }

  /**
   * The balance, first in the tick (never beside another fetch): not while backing off, only while
   * someone looks, and only when its pace says so — waiting out the last moments of its floor when
   * the tick came a little early, so that two reads are never less than its interval apart.
   */
  private async readBilling(): Promise<void> {
    const looking = () => this.enabled && !this.disposed && this.visible && this.focused;
    if (!this.billing || !looking() || this.failures > 0) return;
    const wait = this.billing.waitBefore(this.timers.now());
    if (wait === undefined) return;
    if (wait > 0) await new Promise<void>((resolve) => this.timers.setTimeout(resolve, wait));
    if (looking()) await this.billing.read(this.timers.now());
  }

  private schedule(): void {
    this.cancelTimer();
    if (this.inFlight) return;
    const off = this.offReason();
    if (off) {
      this.report({ kind: 'off', reason: off });
      return;
    }
    const now = this.timers.now();
    // Backing off counts from the last try of any kind; otherwise the list's pace from its last tick.
    const from = this.failures > 0 ? this.lastAttemptAt : this.lastTickAt;
    const tickDue = from === undefined ? 0 : from + this.interval - now;
    // A waited-on instance: one request a second at most (from the last request of any kind), never backing off.
    const watchDue =
      this.waited.size === 0 || this.failures > 0
        ? Infinity
        : this.lastAttemptAt === undefined
          ? 0
          : this.lastAttemptAt + (this.options.waitingMs ?? 1_000) - now;
    const watched = tickDue > 0 && watchDue < tickDue; // the list's tick first when both are due
    const due = Math.min(tickDue, watchDue);
    if (due <= 0) {
      void this.run(watched);
      return;
    }
    const mode = this.failures > 0 ? 'backoff' : this.waited.size > 0 ? 'watch' : this.fast ? 'fast' : 'slow';
    this.report({ kind: 'waiting', mode, inMs: due, next: watched ? 'watched' : this.nextKind(now + due) });
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.run(watched);
    }, due);
  }

  /** Tells onSchedule about a new decision: each change of state, and each back-off (new information every time). */
  private report(schedule: Schedule = { kind: 'off', reason: 'disposed' }): void {
    const key =
      schedule.kind === 'off'
        ? `off:${schedule.reason}`
        : `${schedule.mode}:${schedule.mode === 'backoff' ? this.failures : ''}`;
    if (key === this.reported) return;
    this.reported = key;
    this.options.onSchedule?.(schedule);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
