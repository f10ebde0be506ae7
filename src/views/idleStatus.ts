// The status bar's idle part: `1 idle` in the line, and in the tooltip the hourly estimate of the ready
// machines whose GPUs have sat idle for fal.idle.minutes. One part of the composed status bar (statusBar.ts), so
// the cost guard can add its own beside it.
import * as l10n from '@vscode/l10n';
import { formatUsd, hourlyRate } from '../core/costEstimate';
import { markdownCode } from '../core/markdownText';
import type { InstancesModel } from '../core/instancesModel';
import type { StatusPart } from './statusBar';

export interface IdleFacts {
  isIdle(id: string): boolean;
}

export const IDLE_PART = 'idle';

export function idlePart(
  model: InstancesModel,
  idle: IdleFacts,
  hourlyUsd: Readonly<Record<string, number>>,
  idleMinutes: number,
): StatusPart | undefined {
  const records = model.list().filter((r) => !r.deleting && idle.isIdle(r.instance.id));
  if (records.length === 0) return undefined;
  const perHour = records.reduce((sum, r) => sum + (hourlyRate(r.instance.instance_type, hourlyUsd) ?? 0), 0);
  const ids = records.map((r) => markdownCode(r.instance.id)).join(', ');
  const minutes = idleMinutes >= 1 ? `${Math.round(idleMinutes)} min` : `${Math.round(idleMinutes * 60)} s`;
  return {
    text: l10n.t`${records.length} idle`,
    tooltip: l10n.t`**Idle GPUs**: ${ids} — every GPU nearly unused with no GPU process for at least ${minutes}, costing about ${formatUsd(perHour)} per hour *(estimate)*. Delete what you no longer need.`,
    accessibility:
      records.length === 1
        ? l10n.t`${records.length} idle instance, about ${formatUsd(perHour)} per hour`
        : l10n.t`${records.length} idle instances, about ${formatUsd(perHour)} per hour`,
    urgency: 'info',
  };
}
