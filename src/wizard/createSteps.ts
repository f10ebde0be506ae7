// The create wizard's type, sector and confirm steps. Pure logic over WizardUi.
import type { InstanceType, Sector } from '../api/schemas';
import { SECTORS } from '../api/schemas';
import { formatUsd, hourlyRate } from '../core/cost';
import { describeSpec, MACHINE_SPECS, machineLabel } from '../core/instanceTypes';
import { basename } from 'node:path';
import type { CreatePlan, CreateWizardDeps, KeyChoice, State } from './createTypes';
import { CANCEL, value, type StepFrame, type StepResult, type WizardPickItem } from './wizardUi';

function rateText(instanceType: string, hourlyUsd: Readonly<Record<string, number>>): string {
  const rate = hourlyRate(instanceType, hourlyUsd);
  return rate === undefined ? 'no hourly rate set' : `~${formatUsd(rate)}/h (estimate)`;
}

export async function typeStep(frame: StepFrame, deps: CreateWizardDeps, state: State, defaultType: InstanceType): Promise<StepResult<void>> {
  const types: InstanceType[] = ['gpu_1x_h100_sxm5', 'gpu_8x_h100_sxm5'];
  const items: WizardPickItem<InstanceType>[] = types.map((t) => ({
    label: machineLabel(t),
    description: `${rateText(t, deps.hourlyUsd)}${t === deps.lastInstanceType ? ' · last used' : ''}`,
    detail: `${describeSpec(MACHINE_SPECS[t]!)}${MACHINE_SPECS[t]!.supportsSector ? ' · InfiniBand sectors' : ''}`,
    value: t,
  }));
  const current = state.instanceType ?? defaultType;
  const r = await deps.ui.pick({
    ...frame,
    placeholder: 'Instance type: NVIDIA H100 SXM, billed by the hour until you delete it',
    items,
    activeIndex: Math.max(0, types.indexOf(current)),
  });
  if (r.kind !== 'value') return r;
  state.instanceType = r.value;
  return value(undefined);
}

export async function sectorStep(frame: StepFrame, deps: CreateWizardDeps, state: State): Promise<StepResult<void>> {
  const items: WizardPickItem<Sector | null>[] = [
    { label: 'Default', description: 'fal chooses the placement', detail: 'For work on this one machine; no InfiniBand link to other instances is promised.', value: null },
    ...SECTORS.map((s) => ({
      label: s,
      description: 'InfiniBand placement group',
      detail: `8x H100 instances in ${s} are linked by InfiniBand, for multi-node training (PyTorch DDP, DeepSpeed, Horovod).`,
      value: s,
    })),
  ];
  const current = state.sector ?? null;
  const r = await deps.ui.pick({
    ...frame,
    placeholder: 'Sector: 8x H100 machines in the same sector are linked by InfiniBand. Choose Default for single-machine work.',
    items,
    activeIndex: Math.max(0, items.findIndex((i) => i.value === current)),
  });
  if (r.kind !== 'value') return r;
  state.sector = r.value;
  return value(undefined);
}

function keySummary(key: KeyChoice): string {
  if (key.kind === 'generate') return 'a new ed25519 key (generated when you confirm)';
  const name = key.source === 'pasted' ? 'pasted key' : basename(key.source);
  return `${name} (${key.parsed.type}, ${key.parsed.fingerprint})`;
}

function planSummary(plan: { instanceType: InstanceType; sector?: Sector | null; key: KeyChoice }): string {
  const placement = MACHINE_SPECS[plan.instanceType]?.supportsSector ? ` · ${plan.sector ?? 'default placement'}` : '';
  return `${machineLabel(plan.instanceType)}${placement} · SSH key: ${keySummary(plan.key)}`;
}

export async function confirmStep(frame: StepFrame, deps: CreateWizardDeps, plan: CreatePlan): Promise<StepResult<void>> {
  const rate = rateText(plan.instanceType, deps.hourlyUsd);
  const r = await deps.ui.pick<boolean>({
    ...frame,
    placeholder: `${planSummary(plan)} · ${rate}`,
    items: [
      {
        label: `$(rocket) Create ${machineLabel(plan.instanceType)}`,
        description: rate,
        detail: `${describeSpec(MACHINE_SPECS[plan.instanceType]!)}. Billed by the hour from now until you delete it.`,
        value: true,
      },
      { label: '$(close) Cancel', description: 'nothing is created', value: false },
    ],
    activeIndex: 0,
  });
  if (r.kind !== 'value') return r;
  return r.value ? value(undefined) : CANCEL;
}
