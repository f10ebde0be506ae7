// The words of the cost guard's notifications, built as data so the VS Code side only shows them
// and tests can read them. Money is always "about" — an estimate from the hourly rates in settings.
import * as l10n from '@vscode/l10n';
import { clockText, spanText } from '../base/durations';
import { formatUsd, hourlyRate } from '../core/costEstimate';
import { machineLabel } from '../core/instanceTypes';
import { LEASE_RETRY_MS } from './lease';
import { HOUR_MS } from './types';

export type ReminderAction = 'delete' | 'keep1h' | 'dontRemind';
export type CountdownAnswer = 'cancel' | 'keep';
/** Why a countdown runs: the instance was idle (auto-delete), or its lease ended. */
export type DeleteCause = 'idle' | 'lease';

export interface Reminder {
  readonly kind: 'idle' | 'running';
  readonly instanceId: string;
  readonly message: string;
  readonly actions: readonly { readonly action: ReminderAction; readonly title: string }[];
}

export interface Countdown {
  readonly instanceId: string;
  /** Idle: Keep protects it, Cancel stops the countdown. Lease: Keep removes the lease, Cancel moves it 1 h on. */
  readonly cause: DeleteCause;
  readonly message: string;
  /** The message in two parts around the time, so a UI can say "at 14:32 (in 9 min)" live instead. */
  readonly headline: string;
  readonly terms: string;
  /** Epoch ms when the delete will be attempted (after a fresh check on the machine). */
  readonly deadline: number;
  readonly actions: readonly { readonly answer: CountdownAnswer; readonly title: string }[];
}

/** A reminder's buttons, worded when it is shown (the VS Code side finds the answer by its title). */
export const reminderActions = (): Reminder['actions'] => [
  { action: 'delete', title: l10n.t('Delete…') },
  { action: 'keep1h', title: l10n.t('Keep 1 h') },
  { action: 'dontRemind', title: l10n.t("Don't remind for this instance") },
];

/** A countdown's buttons, worded when it is shown. */
export const countdownActions = (): Countdown['actions'] => [
  { answer: 'cancel', title: l10n.t('Cancel') },
  { answer: 'keep', title: l10n.t('Keep') },
];

/** What runs before the delete: the results download (fal.results.paths set), the user's beforeDelete command. */
export interface FirstSteps {
  readonly results: boolean;
  readonly beforeDelete: boolean;
}

function firstStepsText({ results, beforeDelete }: FirstSteps): string {
  if (results && beforeDelete)
    return l10n.t(
      ' Its results (fal.results.paths) are downloaded first, then your beforeDelete command runs; the delete happens only if both succeed.',
    );
  if (results)
    return l10n.t(' Its results (fal.results.paths) are downloaded first; the delete happens only if they all arrive.');
  return beforeDelete ? l10n.t(' Your beforeDelete command runs first; the delete happens only if it succeeds.') : '';
}

function cost(instanceType: string, rates: Readonly<Record<string, number>>, ms: number): string {
  const rate = hourlyRate(instanceType, rates);
  return rate === undefined
    ? l10n.t('cost unknown (no hourly rate for this type)')
    : l10n.t`about ${formatUsd((ms / HOUR_MS) * rate)}`;
}

export interface MessageSubject {
  readonly id: string;
  readonly instanceType: string;
  /** The user's name for the machine (Rename…), when it has one. */
  readonly name?: string;
}

/** "inst_… (8x H100)", or with a name "train-run (inst_…, 8x H100)": the id stays, it is what fal knows. */
export function subjectLabel(s: MessageSubject): string {
  return s.name ? `${s.name} (${s.id}, ${machineLabel(s.instanceType)})` : `${s.id} (${machineLabel(s.instanceType)})`;
}

export function idleReminder(s: MessageSubject, idleMs: number, rates: Readonly<Record<string, number>>): Reminder {
  return {
    kind: 'idle',
    instanceId: s.id,
    message: l10n.t`${subjectLabel(s)} has been idle for ${spanText(idleMs)} — ${cost(s.instanceType, rates, idleMs)} spent idle.`,
    actions: reminderActions(),
  };
}

export function runningReminder(
  s: MessageSubject,
  runningMs: number,
  createdHere: boolean,
  rates: Readonly<Record<string, number>>,
): Reminder {
  const since = createdHere ? '' : l10n.t(' (since this VS Code first saw it)');
  return {
    kind: 'running',
    instanceId: s.id,
    message: l10n.t`${subjectLabel(s)} has been running for ${spanText(runningMs)}${since} — ${cost(s.instanceType, rates, runningMs)} so far.`,
    actions: reminderActions(),
  };
}

export function countdownNotice(
  s: MessageSubject,
  idleMs: number,
  graceMs: number,
  deadline: number,
  steps: FirstSteps,
): Countdown {
  const first = firstStepsText(steps);
  const headline = l10n.t`${subjectLabel(s)} has been idle for ${spanText(idleMs)}.`;
  const terms = l10n.t`after a fresh check that it is still idle with nobody logged in.${first} Deleting destroys its disk.`;
  return {
    instanceId: s.id,
    cause: 'idle',
    message: l10n.t`${headline} Auto-delete in ${spanText(graceMs)}, ${terms}`,
    headline,
    terms,
    deadline,
    actions: countdownActions(),
  };
}

/**
 * The countdown at the end of a lease. No re-check of the load: a lease is a time the user chose,
 * and a busy machine nobody remembers is what it is for; the fresh look is at what fal says.
 */
export function leaseCountdownNotice(
  s: MessageSubject,
  end: number,
  graceMs: number,
  now: number,
  steps: FirstSteps,
): Countdown {
  const headline = l10n.t`The lease of ${subjectLabel(s)} ended at ${clockText(end, { today: now })}.`;
  const terms = l10n.t`after a fresh check that fal still lists it as the same ready machine.${firstStepsText(steps)} Deleting destroys its disk.`;
  return {
    instanceId: s.id,
    cause: 'lease',
    message: l10n.t`${headline} Delete in ${spanText(graceMs)}, ${terms}`,
    headline,
    terms,
    deadline: now + graceMs,
    actions: countdownActions(),
  };
}

/** What the user is told after the countdown: deleted, or (a warning) not deleted and why. */
export function deleteOutcomeMessage(cause: DeleteCause, label: string, refusal?: string): string {
  if (cause === 'idle')
    return refusal === undefined
      ? l10n.t`Auto-deleted ${label}: it was idle, and a fresh check found nobody on it.`
      : l10n.t`${label} was not auto-deleted: ${refusal}.`;
  return refusal === undefined
    ? l10n.t`Deleted ${label}: its lease ended, and a fresh check found it unchanged.`
    : l10n.t`${label} was not deleted at the end of its lease: ${refusal}. Its lease is tried again in ${spanText(LEASE_RETRY_MS)}.`;
}
