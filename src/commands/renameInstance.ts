// "fal: Rename…": a name for an instance, kept in VS Code per fal account (fal has no names). The
// name becomes the row's label (what the view's filter matches) and names the machine in toasts,
// modals, the SSH terminal and the host entry's comment. An empty name removes it.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { MAX_NAME_LENGTH, nameProblem } from '../core/instanceName';
import { machineLabel } from '../core/instanceTypes';
import type { InstanceNames } from '../instances/instanceNames';
import type { InstancesController } from '../instances/instancesController';
import { pickInstance } from './instancePicker';

export interface RenameDeps {
  readonly controller: Pick<InstancesController, 'model'>;
  readonly names: InstanceNames;
  readonly log: vscode.LogOutputChannel;
}

export async function renameInstance(deps: RenameDeps, arg: unknown): Promise<void> {
  const record = await pickInstance(
    deps.controller.model,
    arg,
    l10n.t('Rename which instance?'),
    () => true,
    deps.names,
  );
  if (!record) return;
  const { id, instance_type } = record.instance;
  const current = deps.names.get(id);
  const typed = await vscode.window.showInputBox({
    title: l10n.t`Rename ${machineLabel(instance_type)} ${id}`,
    value: current ?? '',
    valueSelection: [0, (current ?? '').length],
    placeHolder: l10n.t('e.g. training-run (empty: no name)'),
    prompt: l10n.t`Up to ${MAX_NAME_LENGTH} characters, kept in VS Code on this computer (fal has no names).`,
    validateInput: (text) => nameProblem(text),
    ignoreFocusOut: true,
  });
  if (typed === undefined) return;
  await deps.names.set(id, typed);
  const now = deps.names.get(id);
  deps.log.info(now ? `Named ${id} "${now}"` : `Removed the name of ${id}`);
}
