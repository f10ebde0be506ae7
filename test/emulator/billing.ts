// GET /v1/account/billing (operation getAccountBilling, fal §1.7): the account's `username` and,
// with `?expand=credits`, its credit balance — a balance that drains while instances exist, at the
// configured hourly rates, so a client can watch it fall. Everything fal leaves open is a "Guess".
import { errorResponse, type ApiResponse } from './http';
import type { InstanceStore } from './state';
import type { BillingOptions } from './types';

/** fal's public "H100 from $1.89 per GPU-hour", times the GPUs (the extension's defaults too). */
export const BILLING_DEFAULTS = {
  balance: 1000,
  currency: 'USD',
  username: 'my-team',
  hourlyRates: { gpu_1x_h100_sxm5: 1.89, gpu_8x_h100_sxm5: 15.12 } as Record<string, number>,
};

/** What the meter holds now (the control plane's GET/PATCH billing answer it). */
export interface BillingState {
  readonly balance: number;
  readonly currency: string;
  readonly username: string;
  readonly hourlyRates: Record<string, number>;
}

const HOUR_MS = 3_600_000;

export class BillingMeter {
  /** The balance set at `setAt`; what instances drained since is taken off when it is read. */
  private setBalance = BILLING_DEFAULTS.balance;
  private setAt = 0;
  private currency = BILLING_DEFAULTS.currency;
  private username = BILLING_DEFAULTS.username;
  private rates: Record<string, number> = { ...BILLING_DEFAULTS.hourlyRates };

  constructor(
    private readonly startup: BillingOptions,
    private readonly store: InstanceStore,
    private readonly now: () => number,
  ) {
    this.reset();
  }

  /** Back to the options the emulator started with, counting from now. */
  reset(): void {
    this.currency = BILLING_DEFAULTS.currency;
    this.username = BILLING_DEFAULTS.username;
    this.rates = { ...BILLING_DEFAULTS.hourlyRates };
    this.set({ balance: BILLING_DEFAULTS.balance, ...this.startup });
  }

  /**
   * Changes the account from now on: a new balance (a top-up, a charge), new rates (what drained
   * until now stays drained at the old ones), another currency or username.
   */
  set(change: BillingOptions): BillingState {
    const balance = change.balance ?? this.balance();
    this.setAt = this.now();
    this.setBalance = balance;
    if (change.currency !== undefined) this.currency = change.currency;
    if (change.username !== undefined) this.username = change.username;
    if (change.hourlyRates !== undefined) this.rates = { ...change.hourlyRates };
    return this.state();
  }

  state(): BillingState {
    return {
      balance: this.balance(),
      currency: this.currency,
      username: this.username,
      hourlyRates: { ...this.rates },
    };
  }

  /**
   * The balance now: the one set, less what every instance drained since, in cents. Never below 0:
   * fal's schema says `minimum: 0` (Guess: a drained account reads 0 and is locked, fal's FAQ).
   */
  balance(): number {
    const now = this.now();
    let drained = 0;
    for (const span of this.store.billedSpans()) {
      const from = Math.max(span.from, this.setAt);
      const to = Math.min(span.to ?? now, now);
      if (to > from) drained += ((to - from) / HOUR_MS) * (this.rates[span.instanceType] ?? 0);
    }
    return Math.max(0, Math.round((this.setBalance - drained) * 100) / 100);
  }

  /**
   * The answer to GET /account/billing. Guess: an `expand` value other than `credits` is refused
   * as invalid (the spec's 400), which makes a client's typo visible.
   */
  respond(query: URLSearchParams): ApiResponse {
    const expand = query.getAll('expand');
    const unknown = expand.find((value) => value !== 'credits');
    if (unknown !== undefined)
      return errorResponse(400, { message: `Invalid request parameters: expand must be credits, not "${unknown}"` });
    const body: Record<string, unknown> = { username: this.username };
    if (expand.includes('credits')) body.credits = { current_balance: this.balance(), currency: this.currency };
    return { status: 200, body };
  }
}
