// A lease: "delete after N hours", chosen in the create wizard for an instance created here. It is
// kept by VS Code, never by the machine (the admin key never goes onto it), so it acts only while a
// VS Code window with this extension is open — and, for a lease that ended while none was, at the
// next start. It acts through the cost guard's countdown and one delete path, never silently.
// This file is the lease's clock, as plain functions of the moment; LeaseBook keeps the ends.
import * as l10n from '@vscode/l10n';
import { spanText } from '../base/durations';
import { HOUR_MS, MINUTE_MS } from './types';

/** The wizard's standard choices besides "keep until I delete" (0). */
export const LEASE_HOURS: readonly number[] = [2, 4, 8, 24];
/** Extend 1 h, and Cancel in a lease's countdown: the lease moves on by this much. */
export const EXTEND_MS = HOUR_MS;
/** After a lease's delete was refused (fal could not be asked, the machine changed), its next countdown waits this long. */
export const LEASE_RETRY_MS = 10 * MINUTE_MS;
/** The longest lease a setting may ask for (a month): anything longer is a typo, read as "keep". */
const MAX_LEASE_HOURS = 24 * 31;

/**
 * `fal.lease.defaultHours` as used: a finite number of hours in (0, a month], fractions allowed (a
 * test's lease ends within seconds); anything else — 0, negative, not a number, absurdly long — is 0, "keep".
 */
export function validLeaseHours(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_LEASE_HOURS ? value : 0;
}

/** The wizard's choices, in order: keep (0), then the hours; a default that is not standard is a choice of its own. */
export function leaseChoices(defaultHours: number): number[] {
  const hours = validLeaseHours(defaultHours);
  const all = hours === 0 || LEASE_HOURS.includes(hours) ? LEASE_HOURS : [...LEASE_HOURS, hours];
  return [0, ...[...all].sort((a, b) => a - b)];
}

/** "2 h", "24 h"; a fractional lease by its length ("18 s", "1 h 30 min"). */
export function leaseHoursText(hours: number): string {
  return Number.isInteger(hours) ? l10n.t`${hours} h` : spanText(hours * HOUR_MS);
}

/** When a lease of `hours` that starts at `start` ends (epoch ms). */
export function leaseEnd(start: number, hours: number): number {
  return start + hours * HOUR_MS;
}

/** Extend 1 h: an hour from the later of now and the end, so a lease that already ended gets a whole hour. */
export function extendedEnd(end: number, now: number): number {
  return Math.max(now, end) + EXTEND_MS;
}

export type LeaseLook =
  | { readonly kind: 'running'; readonly end: number; readonly leftMs: number }
  | { readonly kind: 'ended'; readonly end: number; readonly agoMs: number }
  /** A protected instance is never deleted by its lease: the lease waits until it is unprotected. */
  | { readonly kind: 'waits'; readonly end: number };

export function leaseLook(end: number, now: number, isProtected: boolean): LeaseLook {
  if (isProtected) return { kind: 'waits', end };
  return end > now ? { kind: 'running', end, leftMs: end - now } : { kind: 'ended', end, agoMs: now - end };
}
