// A job in words: its row (`running 12 min`, `succeeded · 1 h 04 min · ~$16.13`, `failed (exit 1)`,
// `stopped`, `lost`), and the sentence that says it ended. Durations are measured on the machine's
// clock (a running job's age: the machine's now minus its start, plus our time since the read).
// Cost is an estimate: the run's length at the instance type's hourly rate from the settings.
import * as l10n from '@vscode/l10n';
import { spanText } from '../base/durations';
import { formatUsd } from '../core/costEstimate';
import type { JobStatus } from './types';

/** How long the job ran (ended) or has been running (now, by our clock since the read). */
export function jobDurationMs(status: JobStatus, readAtMs: number, nowMs: number): number {
  const { startedAtMs, machineNowMs } = status.run;
  if (status.kind === 'exited') return Math.max(0, status.endedAtMs - startedAtMs);
  return Math.max(0, machineNowMs - startedAtMs + Math.max(0, nowMs - readAtMs));
}

/** What it cost, estimated; undefined without a rate. */
export function jobCostUsd(durationMs: number, hourlyUsd: number | undefined): number | undefined {
  return hourlyUsd === undefined ? undefined : (durationMs / 3_600_000) * hourlyUsd;
}

/** The outcome in one or two words. */
export function jobOutcomeText(status: JobStatus): string {
  switch (status.kind) {
    case 'running':
      return status.run.stopRequestedAtMs === undefined ? l10n.t('running') : l10n.t('stopping');
    case 'lost':
      return l10n.t('lost');
    case 'exited':
      if (status.stopped) return l10n.t('stopped');
      return status.exitCode === 0 ? l10n.t('succeeded') : l10n.t`failed (exit ${status.exitCode})`;
  }
}

/** The row's description, after the job's name. */
export function jobRowText(status: JobStatus, readAtMs: number, nowMs: number, hourlyUsd?: number): string {
  const duration = jobDurationMs(status, readAtMs, nowMs);
  const outcome = jobOutcomeText(status);
  if (status.kind === 'running') return `${outcome} ${spanText(duration)}`;
  if (status.kind === 'lost') return outcome;
  const cost = jobCostUsd(duration, hourlyUsd);
  return [outcome, spanText(duration), ...(cost === undefined ? [] : [`~${formatUsd(cost)}`])].join(' · ');
}

/** Why a job is `lost`, for its tooltip and its end notice. */
export function lostDetail(machineGone: boolean): string {
  return machineGone
    ? l10n.t('Its machine was deleted while it ran.')
    : l10n.t('It has no exit code and its runner is gone: the machine restarted, or the job was killed from outside.');
}

/** The notification when a job ends: name, outcome, duration and the estimated cost. */
export function jobEndText(name: string, machine: string, status: JobStatus, hourlyUsd?: number): string {
  const duration = jobDurationMs(status, 0, 0);
  const cost = jobCostUsd(duration, hourlyUsd);
  const costWords = cost === undefined ? '' : ' ' + l10n.t`(~${formatUsd(cost)}, estimated)`;
  switch (status.kind) {
    case 'exited':
      if (status.stopped) return l10n.t`Job ${name} on ${machine} stopped after ${spanText(duration)}.` + costWords;
      return status.exitCode === 0
        ? l10n.t`Job ${name} on ${machine} succeeded in ${spanText(duration)}.` + costWords
        : l10n.t`Job ${name} on ${machine} failed (exit ${status.exitCode}) after ${spanText(duration)}.` + costWords;
    case 'lost':
      return l10n.t`Job ${name} on ${machine} was lost.` + ' ' + lostDetail(false);
    case 'running':
      return l10n.t`Job ${name} on ${machine} is running.`;
  }
}
