// What the status bar counts as running and what it costs per hour (estimate). Pure, so the rules
// that decide a figure people act on are unit-tested.
import { hourlyRate } from './cost';
import type { InstanceRecord } from './instanceRecord';
import { statusLook } from './status';

export interface RunningSummary {
  /** Instances that exist and are not stopped: fal bills from creation, not from ready. */
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
 * An instance the user confirmed deleting is left out at once, even while fal still lists it; one
 * fal keeps listing long after the delete (deleteStalled) counts again: it may still be billed.
 */
export function runningSummary(records: Iterable<InstanceRecord>, hourlyUsd: Readonly<Record<string, number>>): RunningSummary {
  let running = 0;
  let ready = 0;
  let perHour = 0;
  let unpriced = 0;
  let invalid = 0;
  for (const r of records) {
    if (r.invalid) {
      invalid++;
      continue;
    }
    const kind = statusLook(r.instance.status).kind;
    if (kind === 'stopped' || (r.deleting && !r.deleteStalled)) continue;
    running++;
    if (kind === 'ready') ready++;
    const rate = hourlyRate(r.instance.instance_type, hourlyUsd);
    if (rate === undefined) unpriced++;
    else perHour += rate;
  }
  return { running, ready, perHour, unpriced, invalid };
}
