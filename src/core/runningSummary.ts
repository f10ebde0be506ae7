// What may be billing now (the status bar count and the budget projection) and what it costs per
// hour (estimate). Pure, so the rules that decide a figure people act on are unit-tested.
import { hourlyRate } from './costEstimate';
import type { InstanceRecord } from './instanceRecord';
import { statusLook } from './status';

export interface RunningSummary {
  /** Instances that may be billing now (isBilledNow). */
  readonly running: number;
  readonly ready: number;
  /** The estimated $/h of the running instances whose type has a rate. */
  readonly perHour: number;
  /** Running instances of a type without an hourly rate: counted, but not in perHour. */
  readonly unpriced: number;
  /** Rows fal sent broken: neither counted nor priced (their status and type are unknown), but said. */
  readonly invalid: number;
}

/**
 * What may be billing now — the one rule for the status bar's count and the budget projection.
 * fal bills from creation, not from ready, so everything that exists and is not stopped counts. An
 * instance the user confirmed deleting is left out at once, even while fal still lists it; one fal
 * keeps listing long after the delete (deleteStalled) counts again: it may still be billed. A row
 * fal sent broken is not counted: its status and type are unknown.
 */
export function isBilledNow(r: InstanceRecord): boolean {
  return !r.invalid && statusLook(r.instance.status).kind !== 'stopped' && (!r.deleting || Boolean(r.deleteStalled));
}

export function runningSummary(
  records: Iterable<InstanceRecord>,
  hourlyUsd: Readonly<Record<string, number>>,
): RunningSummary {
  let running = 0;
  let ready = 0;
  let perHour = 0;
  let unpriced = 0;
  let invalid = 0;
  for (const r of records) {
    if (r.invalid) invalid++;
    if (!isBilledNow(r)) continue;
    running++;
    if (statusLook(r.instance.status).kind === 'ready') ready++;
    const rate = hourlyRate(r.instance.instance_type, hourlyUsd);
    if (rate === undefined) unpriced++;
    else perHour += rate;
  }
  return { running, ready, perHour, unpriced, invalid };
}
