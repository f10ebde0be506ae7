// The account's credit balance as last read from fal (GET /account/billing), for the status bar,
// the spend report and the runway warning. BillingSync.fetch is the read the refresh scheduler's
// billing pace runs; CreditModel holds what it learned. No number is held that the API layer did
// not judge credible, and a failed read never turns into one.
import type { BillingRead } from '../api';
import { Emitter, type Subscription } from '../base/emitter';
import { errorMessage, retryAfterMs } from './apiFailures';
import type { BillingOutcome } from './billingPace';

export type CreditState =
  /** Nothing read yet for this key (or no key). */
  | { readonly kind: 'unread' }
  /** `at`: when fal said so (a read that failed later keeps the last balance, with its time). */
  | { readonly kind: 'known'; readonly balance: number; readonly currency: string; readonly at: number }
  /** fal's answer held no credible balance, or no read has succeeded yet: why, in words. */
  | { readonly kind: 'notKnown'; readonly reason: string; readonly at: number }
  /** fal answered 403/404: this key cannot read billing (nothing else follows from it). */
  | { readonly kind: 'notReadable'; readonly status: 403 | 404 };

export class CreditModel {
  private current: CreditState = { kind: 'unread' };
  private readonly changes: Emitter<CreditState>;

  constructor(onListenerError?: (error: unknown) => void) {
    this.changes = new Emitter(onListenerError);
  }

  get state(): CreditState {
    return this.current;
  }

  onDidChange(listener: (state: CreditState) => void): Subscription {
    return this.changes.event(listener);
  }

  set(state: CreditState): void {
    this.current = state;
    this.changes.fire(state);
  }

  /** Another key, or none: what the last one read is not this one's. */
  reset(): void {
    if (this.current.kind !== 'unread') this.set({ kind: 'unread' });
  }
}

/** The part of FalComputeClient a billing read needs. */
export interface BillingApi {
  getAccountBilling(): Promise<BillingRead>;
}

export interface BillingSyncOptions {
  readonly model: CreditModel;
  /** The client for the stored key; undefined when signed out. */
  client(): Promise<BillingApi | undefined>;
  now(): number;
  readonly log?: { warn(message: string): void };
}

export class BillingSync {
  /** The last reason a balance was not used, said once (not at every read while fal keeps sending it). */
  private said = '';

  constructor(private readonly options: BillingSyncOptions) {}

  async fetch(): Promise<BillingOutcome> {
    const { model, log } = this.options;
    try {
      const client = await this.options.client();
      if (!client) return { kind: 'read' };
      const read = await client.getAccountBilling();
      const at = this.options.now();
      if (!read.readable) {
        log?.warn(
          `The balance is not readable with this key: GET /account/billing answered ${read.status}` +
            `${read.said ? ` (fal said: "${read.said}")` : ''}. ` +
            'It is hidden and not asked for again until the key changes; instances, estimates and the budget are unaffected.',
        );
        model.set({ kind: 'notReadable', status: read.status });
        return { kind: 'notReadable' };
      }
      const { credit } = read;
      if (credit.known) model.set({ kind: 'known', balance: credit.balance, currency: credit.currency, at });
      else {
        if (credit.reason !== this.said) log?.warn(`The balance fal sent is not used: ${credit.reason}`);
        model.set({ kind: 'notKnown', reason: credit.reason, at });
      }
      this.said = credit.known ? '' : credit.reason;
      return { kind: 'read' };
    } catch (error) {
      log?.warn(`Reading the balance failed: ${errorMessage(error)}`);
      // The last balance stays, with its time; without one, the reason is what there is to say.
      if (model.state.kind !== 'known')
        model.set({ kind: 'notKnown', reason: errorMessage(error), at: this.options.now() });
      return { kind: 'failed', retryAfterMs: retryAfterMs(error) };
    }
  }
}
