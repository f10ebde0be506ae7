// Credit runway: how long the account's balance lasts at the current burn, and when to warn. Pure.
//
// runway = balance ÷ burn, where the burn is the estimated $/h of what may be billing now (the status
// bar's figure: core/runningSummary.ts, rates from fal.pricing.hourlyUsd). Computed only for a
// balance in USD: the rates are dollars, and a balance in another currency is shown as given, never
// converted. Nothing billing (no burn): no runway, and no warning.
//
// The warning (fal.credits.warnHours; 0 = off): the status bar shows it at every refresh while the
// runway is under the threshold; the notification comes once per crossing — when the runway is
// under it and the last time anything was known it was not — and is armed again only once the
// runway is back at or above the threshold (a top-up, fewer machines, nothing running).
import type { CreditState } from '../core/credit';

export type Runway =
  | { readonly kind: 'hours'; readonly hours: number; readonly balance: number; readonly perHourUsd: number }
  /** Nothing billing now: the balance is not running down. */
  | { readonly kind: 'noBurn'; readonly balance: number }
  /** The balance is not in USD: no runway from dollar rates. */
  | { readonly kind: 'otherCurrency' }
  /** No balance known (not read yet, not readable, not credible). */
  | { readonly kind: 'unknown' };

export function runwayOf(credit: CreditState, perHourUsd: number): Runway {
  if (credit.kind !== 'known') return { kind: 'unknown' };
  if (credit.currency.toUpperCase() !== 'USD') return { kind: 'otherCurrency' };
  if (!(Number.isFinite(perHourUsd) && perHourUsd > 0)) return { kind: 'noBurn', balance: credit.balance };
  return { kind: 'hours', hours: credit.balance / perHourUsd, balance: credit.balance, perHourUsd };
}

/** Where the runway stands against the threshold; undefined when that cannot be said (or the warning is off). */
export type RunwaySide = 'below' | 'above' | undefined;

export function runwaySide(runway: Runway, warnHours: number): RunwaySide {
  if (!(warnHours > 0)) return undefined;
  if (runway.kind === 'noBurn') return 'above';
  if (runway.kind !== 'hours') return undefined;
  return runway.hours < warnHours ? 'below' : 'above';
}

/** The warning's memory: whether the next time under the threshold is a new crossing. */
export interface RunwayAlarm {
  readonly armed: boolean;
}

export const ARMED_ALARM: RunwayAlarm = { armed: true };

export interface AlarmStep {
  readonly alarm: RunwayAlarm;
  /** Under the threshold now: the status bar's warning colour. */
  readonly below: boolean;
  /** A crossing: show the notification (once). */
  readonly notify: boolean;
}

/** One look at the runway (after a balance read, a list refresh, a settings change). */
export function stepAlarm(alarm: RunwayAlarm, side: RunwaySide): AlarmStep {
  if (side === 'below') return { alarm: { armed: false }, below: true, notify: alarm.armed };
  if (side === 'above') return { alarm: ARMED_ALARM, below: false, notify: false };
  return { alarm, below: false, notify: false };
}
