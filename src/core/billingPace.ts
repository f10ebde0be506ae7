// When the refresh scheduler (the only poller of fal) also reads the account's balance. The balance
// is asked at the start of a refresh tick, before its instances fetch, and only:
// - while the view is visible and the window focused — never during a hold with the view hidden;
// - at most once per `everyMs`, and never faster than once a minute whatever the setting: measured
//   between the reads themselves, to the millisecond (a tick a moment early waits the rest out);
// - after failures, slower: the interval doubles per failure in a row (up to 30 min), at least as
//   long as fal's Retry-After;
// - until fal says this key may not read billing (403/404): then not again until the key changes.
// The scheduler's back-off covers the rest: while the instances fetch is failing, nothing more is asked.

/** What one read of the balance came to. */
export type BillingOutcome =
  | { readonly kind: 'read' }
  /** 403/404: this key may not read billing. */
  | { readonly kind: 'notReadable' }
  | { readonly kind: 'failed'; readonly retryAfterMs?: number };

export interface BillingPaceOptions {
  fetch: () => Promise<BillingOutcome>;
  /** Between two reads; raised to MIN_BILLING_MS. Default: MIN_BILLING_MS. */
  everyMs?: number;
  /** The longest wait after failures. */
  maxBackoffMs?: number;
}

/** The floor of the billing pace: never more than one read a minute. */
export const MIN_BILLING_MS = 60_000;
const MAX_BACKOFF_MS = 30 * 60_000;
/**
 * A tick this close before the read is due waits the rest out instead of leaving the read to the
 * next tick: a timer may fire a moment early, and a minute's pace must not become two.
 */
const EARLY_TICK_MS = 1_000;

export class BillingPace {
  private lastAt: number | undefined;
  private failures = 0;
  private retryAfterMs = 0;
  private stopped = false;
  private key: string | undefined;

  constructor(private readonly options: BillingPaceOptions) {}

  /** The wait between two reads the current state calls for. */
  get interval(): number {
    const every = Math.max(MIN_BILLING_MS, this.options.everyMs ?? MIN_BILLING_MS);
    if (this.failures === 0) return every;
    const backoff = Math.min(Math.max(every, this.options.maxBackoffMs ?? MAX_BACKOFF_MS), every * 2 ** this.failures);
    return Math.max(this.retryAfterMs, backoff);
  }

  /** fal said this key may not read billing: nothing is asked until the key changes. */
  get stoppedForKey(): boolean {
    return this.stopped;
  }

  /** For a tick at `now`: undefined when it reads no balance, else how long it waits before the read. */
  waitBefore(now: number): number | undefined {
    if (this.stopped) return undefined;
    if (this.lastAt === undefined) return 0;
    const left = this.lastAt + this.interval - now;
    return left <= 0 ? 0 : left <= EARLY_TICK_MS ? left : undefined;
  }

  /** One read, starting at `now` (the pace counts from read to read). */
  async read(now: number): Promise<void> {
    this.lastAt = now;
    let outcome: BillingOutcome;
    try {
      outcome = await this.options.fetch();
    } catch {
      outcome = { kind: 'failed' };
    }
    if (outcome.kind === 'notReadable') this.stopped = true;
    else if (outcome.kind === 'failed') {
      this.failures++;
      this.retryAfterMs = outcome.retryAfterMs ?? 0;
    } else {
      this.failures = 0;
      this.retryAfterMs = 0;
    }
  }

  /** Another key (`undefined`: none): it may be allowed to read billing, so it is asked at the next tick. */
  setKey(key: string | undefined): void {
    if (key === this.key) return;
    this.key = key;
    this.stopped = false;
    this.lastAt = undefined;
    this.failures = 0;
    this.retryAfterMs = 0;
  }
}
