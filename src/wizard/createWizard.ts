// "fal: Create H100 Instance" as a wizard: instance type → sector (8x only) → SSH public key →
// confirm (where the proposed name can be changed). Pure logic over an injectable WizardUi, so every path (Back, Escape, validation) is
// unit-tested in plain node. Nothing here sends a request or writes a file: the result is a plan
// the command executes (a key to generate is generated only after the user confirmed).
import * as l10n from '@vscode/l10n';
import type { InstanceType } from '../api/schemas';
import { MACHINE_SPECS } from '../core/instanceTypes';
import { cleanName, nameProblem } from '../core/instanceName';
import { chosenName, confirmStep, sectorStep, typeStep } from './createSteps';
import { chosenLeaseHours } from './leaseStep';
import {
  isInstanceType,
  isSector,
  type CreateArgs,
  type CreatePlan,
  type CreateWizardDeps,
  type State,
} from './createTypes';
import { keyFromFile, keyStep } from './keyStep';
import type { StepFrame, StepResult } from './wizardUi';

export type { CreateArgs, CreatePlan } from './createTypes';

const DEFAULT_INSTANCE_TYPE: InstanceType = 'gpu_1x_h100_sxm5';

type StepName = 'type' | 'sector' | 'key' | 'confirm';

/** Runs the wizard; undefined when the user cancelled (nothing was sent or written). */
export async function runCreateWizard(deps: CreateWizardDeps, args: CreateArgs = {}): Promise<CreatePlan | undefined> {
  const { ui } = deps;
  const title = l10n.t('Create H100 Instance');
  const state: State = {};
  const fixed = new Set<StepName>();

  // Arguments fill their steps in advance; an unusable argument is explained and its step asked.
  if (args.instanceType !== undefined) {
    if (isInstanceType(args.instanceType)) {
      state.instanceType = args.instanceType;
      fixed.add('type');
    } else
      await ui.showError(
        l10n.t`Unknown instance type "${String(args.instanceType)}": choose gpu_1x_h100_sxm5 or gpu_8x_h100_sxm5.`,
      );
  }
  if (args.sector !== undefined) {
    if (args.sector === null || args.sector === 'default') {
      state.sector = null;
      fixed.add('sector');
    } else if (isSector(args.sector)) {
      state.sector = args.sector;
      fixed.add('sector');
    } else
      await ui.showError(l10n.t`Unknown sector "${String(args.sector)}": use sector_1, sector_2, sector_3 or default.`);
  }
  if (args.name !== undefined) {
    const problem = typeof args.name === 'string' ? nameProblem(args.name) : l10n.t('it is not text');
    if (problem) await ui.showError(l10n.t`The name "${String(args.name)}" cannot be used: ${problem}`);
    else state.name = cleanName(args.name) ?? null;
  }
  if (args.sshPublicKeyPath !== undefined) {
    const chosen = await keyFromFile(deps, args.sshPublicKeyPath);
    if (typeof chosen === 'string') await ui.showError(chosen);
    else {
      state.key = chosen;
      fixed.add('key');
    }
  }

  const defaultType = isInstanceType(deps.lastInstanceType) ? deps.lastInstanceType : DEFAULT_INSTANCE_TYPE;
  const steps = (): StepName[] => {
    const type = state.instanceType ?? defaultType;
    const all: StepName[] = [
      'type',
      ...(MACHINE_SPECS[type]?.supportsSector ? (['sector'] as const) : []),
      'key',
      'confirm',
    ];
    return all.filter((s) => !fixed.has(s));
  };

  let index = 0;
  for (;;) {
    const list = steps();
    const name = list[index];
    if (name === undefined) return planOf(deps, state);
    const frame: StepFrame = { title, step: index + 1, totalSteps: list.length, canGoBack: index > 0 };
    const result = await runStep(name, frame, deps, state, defaultType);
    if (result.kind === 'cancel') return undefined;
    if (result.kind === 'back') index = Math.max(0, index - 1);
    else if (result.value === 'changeKey')
      index = list.includes('key') ? list.indexOf('key') : index; // a key given as argument stays
    else index++;
  }
}

function planOf(deps: CreateWizardDeps, state: State): CreatePlan {
  const instanceType = state.instanceType!;
  const sector = MACHINE_SPECS[instanceType]?.supportsSector && state.sector ? state.sector : undefined;
  const name = chosenName(deps, state);
  const leaseHours = chosenLeaseHours(deps, state);
  return {
    instanceType,
    ...(sector && { sector }),
    key: state.key!,
    ...(name && { name }),
    ...(leaseHours > 0 && { leaseHours }),
  };
}

async function runStep(
  name: StepName,
  frame: StepFrame,
  deps: CreateWizardDeps,
  state: State,
  defaultType: InstanceType,
): Promise<StepResult<unknown>> {
  switch (name) {
    case 'type':
      return typeStep(frame, deps, state, defaultType);
    case 'sector':
      return sectorStep(frame, deps, state);
    case 'key':
      return keyStep(frame, deps, state);
    case 'confirm':
      return confirmStep(frame, deps, state, planOf(deps, state));
  }
}
