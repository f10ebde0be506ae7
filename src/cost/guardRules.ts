// The cost guard's decisions as plain functions of the moment: who may be auto-deleted, whose
// reminder is due, when anything next becomes due. CostGuard (costGuard.ts) acts on them.
import * as l10n from '@vscode/l10n';
import { clockText, spanText } from '../base/durations';
import type { InstanceRecord } from '../core/instancesModel';
import { statusLook } from '../core/status';
import type { GuardState } from './guardState';
import type { LeaseBook } from './leaseBook';
import { runningReminder, type Reminder } from './guardMessages';
import { HOUR_MS, MINUTE_MS, type CostGuardSettings, type IdleSource } from './types';

/** The snooze period: "Keep 1 h", and the least time between two reminders of one instance. */
export const SNOOZE_MS = HOUR_MS;
/** The shortest auto-delete countdown (3 s, like the shortest fal.idle.minutes): never none at all. */
export const MIN_GRACE_MINUTES = 0.05;

export interface RuleContext {
  readonly settings: CostGuardSettings;
  readonly state: GuardState;
  readonly idle: IdleSource;
  readonly createdHere: (instanceId: string) => boolean;
  readonly nameOf: (instanceId: string) => string | undefined;
  /** Instances an auto-delete was already attempted on (at most one attempt each). */
  readonly attempted: ReadonlySet<string>;
  readonly leases: LeaseBook;
  /** Instances whose lease delete was refused → no new lease countdown before this moment. */
  readonly leaseRetryAt: ReadonlyMap<string, number>;
}

/** Reasons against auto-deleting that hold whatever the load: settings, protection, ownership, status. */
export function ineligibility(c: RuleContext, record: InstanceRecord): string | undefined {
  const id = record.instance.id;
  if (!c.settings.autoDelete) return l10n.t('auto-delete is off (fal.idle.autoDelete)');
  if (!c.createdHere(id) && !c.settings.autoDeleteOthers)
    return l10n.t('it was not created from this VS Code (fal.idle.autoDeleteOthers is off)');
  return deletable(c, record);
}

/**
 * Why the instance's lease must not delete it now, or undefined when it may (its countdown start,
 * or its delete go ahead). Asked again right before the request: the lease is read from the store,
 * so an Extend or a Keep from another window stops it too.
 */
export function leaseBlocker(c: RuleContext, record: InstanceRecord, now: number): string | undefined {
  const id = record.instance.id;
  const end = c.leases.end(id);
  if (end === undefined) return l10n.t('it no longer has a lease (Keep)');
  if (end > now) return l10n.t`its lease now ends at ${clockText(end, { today: now })}`;
  if (!c.createdHere(id)) return l10n.t('it was not created from this VS Code');
  const retry = c.leaseRetryAt.get(id) ?? 0;
  if (retry > now) return l10n.t`its last lease delete was refused; the next try is at ${clockText(retry)}`;
  return deletable(c, record);
}

/** Reasons against any delete by the cost guard, idle or lease. A protected instance is never deleted by either. */
function deletable(c: RuleContext, record: InstanceRecord): string | undefined {
  const id = record.instance.id;
  if (c.state.isProtected(id)) return l10n.t('it is protected from auto-delete');
  if (record.deleting) return l10n.t('a delete is already under way');
  if (statusLook(record.instance.status).kind !== 'ready') return l10n.t`its status is ${record.instance.status}`;
  if (c.attempted.has(id)) return l10n.t('an auto-delete was already attempted in this session');
  return undefined;
}

/** Why the instance does not (yet) count as idle long enough for auto-delete, or undefined. */
export function idleShortfall(c: RuleContext, id: string, now: number): string | undefined {
  const idleStart = c.idle.idleSince(id);
  if (idleStart === undefined) return l10n.t('it is no longer idle (or its load is unknown)');
  const idleMs = c.settings.idleMinutes * MINUTE_MS;
  if (idleMs <= 0) return l10n.t('fal.idle.minutes is 0');
  const from = Math.max(idleStart, c.state.get('rearmAt', id) ?? 0);
  return now - from >= idleMs ? undefined : l10n.t`it has not been idle for ${spanText(idleMs)} since the last attempt`;
}

/** The running-time reminder, when due (every `runningHours`, whatever the load). */
export function runningReminderDue(c: RuleContext, record: InstanceRecord, now: number): Reminder | undefined {
  const runMs = c.settings.runningHours * HOUR_MS;
  if (runMs <= 0 || statusLook(record.instance.status).kind === 'stopped') return undefined;
  const id = record.instance.id;
  const last = c.state.get('runningRemindedAt', id);
  if (now - record.firstSeenAt < runMs || (last !== undefined && now - last < runMs)) return undefined;
  const subject = { id, instanceType: record.instance.instance_type, name: c.nameOf(id) };
  return runningReminder(subject, now - record.firstSeenAt, c.createdHere(id), c.settings.hourlyUsd);
}

/** Not muted, not snoozed, and not reminded within the snooze period. */
export function reminderAllowed(c: RuleContext, id: string, now: number): boolean {
  if (c.state.isMuted(id)) return false;
  if ((c.state.get('snoozedUntil', id) ?? 0) > now) return false;
  const last = c.state.get('remindedAt', id);
  return last === undefined || now - last >= SNOOZE_MS;
}

/** The earliest moment after `now` at which some decision may change by the clock alone. */
export function nextDue(
  c: RuleContext,
  records: Iterable<InstanceRecord>,
  deadlines: Iterable<number>,
  now: number,
): number | undefined {
  const idleMs = c.settings.idleMinutes * MINUTE_MS;
  const runMs = c.settings.runningHours * HOUR_MS;
  const times = [...deadlines];
  for (const record of records) {
    const id = record.instance.id;
    const idleStart = c.idle.idleSince(id);
    if (idleStart !== undefined && idleMs > 0)
      times.push(idleStart + idleMs, Math.max(idleStart, c.state.get('rearmAt', id) ?? 0) + idleMs);
    if (runMs > 0) times.push(record.firstSeenAt + runMs, (c.state.get('runningRemindedAt', id) ?? 0) + runMs);
    times.push(c.state.get('snoozedUntil', id) ?? 0, (c.state.get('remindedAt', id) ?? 0) + SNOOZE_MS);
    times.push(c.leases.end(id) ?? 0, c.leaseRetryAt.get(id) ?? 0);
  }
  const future = times.filter((t) => t > now);
  return future.length ? Math.min(...future) : undefined;
}
