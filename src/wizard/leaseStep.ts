// The confirm step's Delete after: a lease, chosen per create — keep until I delete, 2, 4, 8 or 24 h,
// proposed from `fal.lease.defaultHours` (a default that is none of those is a choice of its own).
// The row in the confirm step says the choice; choosing it opens this pick, whose answer returns there.
import * as l10n from '@vscode/l10n';
import { clockText } from '../base/durations';
import { leaseChoices, leaseEnd, leaseHoursText, validLeaseHours } from '../cost';
import type { CreateWizardDeps, State } from './createTypes';
import { CANCEL, value, type StepFrame, type StepResult, type WizardPickItem } from './wizardUi';

/** The hours the plan carries: the one chosen, else the default; 0 = keep until deleted. */
export function chosenLeaseHours(deps: Pick<CreateWizardDeps, 'defaultLeaseHours'>, state: State): number {
  return validLeaseHours(state.leaseHours ?? deps.defaultLeaseHours ?? 0);
}

/** The confirm step's row: what is chosen, and that choosing it changes it. */
export function leaseRow(hours: number): Omit<WizardPickItem<never>, 'value'> {
  return hours > 0
    ? {
        label: `$(clock) ${l10n.t`Delete after ${leaseHoursText(hours)}`}`,
        description: l10n.t('lease · change…'),
        detail: l10n.t('Kept by VS Code: acts while a window with fal Compute is open'),
      }
    : {
        label: `$(clock) ${l10n.t('Keep until I delete')}`,
        description: l10n.t('Delete after · change…'),
        detail: l10n.t('No lease: billed by the hour until you delete it'),
      };
}

/** The Delete after pick; its answer is kept in `state`. Back returns to the confirm step unchanged. */
export async function leaseStep(frame: StepFrame, deps: CreateWizardDeps, state: State): Promise<StepResult<void>> {
  const fallback = validLeaseHours(deps.defaultLeaseHours ?? 0);
  const current = chosenLeaseHours(deps, state);
  const now = deps.now?.();
  const items: WizardPickItem<number>[] = leaseChoices(fallback).map((hours) => {
    const isDefault = hours === fallback ? l10n.t('default') : '';
    if (hours === 0)
      return { label: l10n.t('Keep until I delete'), description: isDefault, detail: l10n.t('No lease'), value: 0 };
    const at = now === undefined ? '' : l10n.t`deletes about ${clockText(leaseEnd(now, hours), { today: now })}`;
    return { label: leaseHoursText(hours), description: [at, isDefault].filter(Boolean).join(' · '), value: hours };
  });
  const r = await deps.ui.pick({
    ...frame,
    canGoBack: true,
    placeholder: l10n.t('Delete after: a countdown at the end, then the delete (kept by VS Code)'),
    items,
    activeIndex: Math.max(
      0,
      items.findIndex((i) => i.value === current),
    ),
  });
  if (r.kind === 'cancel') return CANCEL;
  if (r.kind === 'value') state.leaseHours = r.value;
  return value(undefined);
}
