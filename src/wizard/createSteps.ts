// The create wizard's type, sector and confirm steps. Pure logic over WizardUi.
// Every text here fits the quick pick at 1440×900 (test/e2e/cutOff.test.ts measures it): the
// essential words first, one short line each; what explains goes into an item's detail.
import * as l10n from '@vscode/l10n';
import type { InstanceType, Sector } from '../api/schemas';
import { SECTORS } from '../api/schemas';
import { formatUsd, hourlyRate } from '../core/costEstimate';
import { cleanName, MAX_NAME_LENGTH, nameProblem } from '../core/instanceName';
import { describeSpec, MACHINE_SPECS, machineLabel } from '../core/instanceTypes';
import { labelText } from '../core/markdownText';
import { basename } from 'node:path';
import type { BudgetProjection } from '../cost';
import type { CreatePlan, CreateWizardDeps, KeyChoice, State } from './createTypes';
import { chosenLeaseHours, leaseRow, leaseStep } from './leaseStep';
import { CANCEL, value, type StepFrame, type StepResult, type WizardPickItem } from './wizardUi';

function rateText(instanceType: string, hourlyUsd: Readonly<Record<string, number>>): string {
  const rate = hourlyRate(instanceType, hourlyUsd);
  return rate === undefined ? l10n.t('no hourly rate set') : l10n.t`~${formatUsd(rate)}/h (estimate)`;
}

export async function typeStep(
  frame: StepFrame,
  deps: CreateWizardDeps,
  state: State,
  defaultType: InstanceType,
): Promise<StepResult<void>> {
  const types: InstanceType[] = ['gpu_1x_h100_sxm5', 'gpu_8x_h100_sxm5'];
  const items: WizardPickItem<InstanceType>[] = types.map((t) => ({
    label: machineLabel(t),
    description: `${rateText(t, deps.hourlyUsd)}${t === deps.lastInstanceType ? l10n.t(' · last used') : ''}`,
    detail: `${describeSpec(MACHINE_SPECS[t]!)}${MACHINE_SPECS[t]!.supportsSector ? ' · InfiniBand' : ''}`,
    value: t,
  }));
  const current = state.instanceType ?? defaultType;
  const r = await deps.ui.pick({
    ...frame,
    placeholder: l10n.t('Instance type (H100 SXM, billed by the hour until deleted)'),
    items,
    activeIndex: Math.max(0, types.indexOf(current)),
  });
  if (r.kind !== 'value') return r;
  state.instanceType = r.value;
  return value(undefined);
}

export async function sectorStep(frame: StepFrame, deps: CreateWizardDeps, state: State): Promise<StepResult<void>> {
  const items: WizardPickItem<Sector | null>[] = [
    {
      label: l10n.t('Default'),
      description: l10n.t('fal chooses the placement'),
      detail: l10n.t('For work on this one machine'),
      value: null,
    },
    ...SECTORS.map((s) => ({
      label: s,
      description: l10n.t('InfiniBand placement group'),
      detail: l10n.t`Linked by InfiniBand to other 8x H100s in ${s} (multi-node training)`,
      value: s,
    })),
  ];
  const current = state.sector ?? null;
  const r = await deps.ui.pick({
    ...frame,
    placeholder: l10n.t('Sector (InfiniBand placement): Default for one machine'),
    items,
    activeIndex: Math.max(
      0,
      items.findIndex((i) => i.value === current),
    ),
  });
  if (r.kind !== 'value') return r;
  state.sector = r.value;
  return value(undefined);
}

/** The name the plan carries: the one chosen, else the proposed one. */
export function chosenName(deps: Pick<CreateWizardDeps, 'defaultName'>, state: State): string | undefined {
  return state.name === null ? undefined : cleanName(state.name ?? deps.defaultName);
}

function keyRow(key: KeyChoice): Pick<WizardPickItem<never>, 'label' | 'description' | 'detail'> {
  if (key.kind === 'generate')
    return {
      label: `$(key) ${l10n.t('A new ed25519 key')}`,
      description: l10n.t('SSH key · generated when you confirm'),
    };
  const file = key.source === 'pasted' ? l10n.t('Pasted key') : basename(key.source);
  return {
    label: `$(key) ${labelText(file)}`,
    description: l10n.t`SSH key · ${labelText(key.parsed.type)}`,
    detail: key.parsed.fingerprint,
  };
}

/** The confirm step's month line, short enough for the quick pick: "Over budget: ~$221.35 this month if all keeps running ($1.00 budget, estimate)". */
export function projectionText(p: BudgetProjection): string {
  const total = l10n.t`~${formatUsd(p.projectedUsd)} this month if all keeps running`;
  const unknown = p.unknownRateTypes.length ? l10n.t(', some types have no rate') : '';
  if (p.budgetUsd === undefined) return l10n.t`${total} (estimate${unknown})`;
  const line = l10n.t`${total} (${formatUsd(p.budgetUsd)} budget, estimate${unknown})`;
  return p.exceedsBudget ? l10n.t`Over budget: ${line}` : line;
}

/** What the confirm step returns: create, or go back to the key step to change the key. */
export type ConfirmAnswer = 'create' | 'changeKey';

/**
 * The last step: what will be created and what it costs, whole. The name, Delete after and the key
 * are rows of their own (the fingerprint alone is 50 characters): choosing the name row edits the
 * name in place, the Delete after row opens its pick (leaseStep.ts), the key row goes back to the key step.
 */
export async function confirmStep(
  frame: StepFrame,
  deps: CreateWizardDeps,
  state: State,
  plan: CreatePlan,
): Promise<StepResult<ConfirmAnswer>> {
  for (;;) {
    const name = chosenName(deps, state);
    const placement = MACHINE_SPECS[plan.instanceType]?.supportsSector
      ? ` · ${plan.sector ?? l10n.t('default placement')}`
      : '';
    const rate = rateText(plan.instanceType, deps.hourlyUsd);
    const projection = deps.projectMonth?.(plan.instanceType);
    const r = await deps.ui.pick<ConfirmAnswer | 'name' | 'lease' | 'cancel'>({
      ...frame,
      placeholder: `${name ? `${name} · ` : ''}${machineLabel(plan.instanceType)}${placement} · ${rate}`,
      items: [
        {
          label: `$(rocket) ${l10n.t`Create ${machineLabel(plan.instanceType)}`}`,
          description: projection ? l10n.t`${rate}, billed by the hour until you delete it` : rate,
          // The month's projected total (fal.budget.monthlyUsd), flagged when this create would pass the budget.
          detail: projection
            ? `${projection.exceedsBudget ? '$(warning) ' : ''}${projectionText(projection)}`
            : l10n.t('Billed by the hour from now until you delete it'),
          value: 'create',
        },
        name
          ? {
              label: `$(tag) ${labelText(name)}`,
              description: l10n.t('name · change…'),
              detail: l10n.t('Shown in the Instances list; kept in VS Code only'),
              value: 'name',
            }
          : {
              label: `$(tag) ${l10n.t('Add a name…')}`,
              description: l10n.t('optional'),
              detail: l10n.t('Shown in the Instances list; kept in VS Code only'),
              value: 'name',
            },
        { ...leaseRow(chosenLeaseHours(deps, state)), value: 'lease' },
        { ...keyRow(plan.key), value: 'changeKey' },
        { label: `$(close) ${l10n.t('Cancel')}`, description: l10n.t('nothing is created'), value: 'cancel' },
      ],
      activeIndex: 0,
    });
    if (r.kind !== 'value') return r;
    if (r.value === 'cancel') return CANCEL;
    if (r.value === 'lease') {
      if ((await leaseStep(frame, deps, state)).kind === 'cancel') return CANCEL;
      continue;
    }
    if (r.value !== 'name') return value(r.value);
    const typed = await deps.ui.input({
      ...frame,
      canGoBack: true,
      prompt: l10n.t`A name for the new machine (up to ${MAX_NAME_LENGTH} characters; empty for none). Kept in VS Code only.`,
      placeholder: l10n.t('e.g. training-run'),
      value: name ?? '',
      validate: (text) => nameProblem(text),
    });
    if (typed.kind === 'cancel') return CANCEL;
    if (typed.kind === 'value') state.name = cleanName(typed.value) ?? null;
  }
}
