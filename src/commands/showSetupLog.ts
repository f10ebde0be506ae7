// "Show Setup Log": the instance's setup log in a terminal that follows it (views/setupTerminal.ts).
import * as l10n from '@vscode/l10n';
import type { InstancesModel } from '../core/instancesModel';
import type { NameLookup } from '../instances/instanceNames';
import type { SetupMonitor } from '../instances/setupMonitor';
import type { SetupTerminals } from '../views/setupTerminal';
import { pickInstance } from './instancePicker';

export interface SetupCommandDeps {
  readonly model: InstancesModel;
  readonly names: NameLookup;
  readonly setup: SetupMonitor;
  readonly terminals: SetupTerminals;
}

export async function showSetupLog(deps: SetupCommandDeps, arg: unknown): Promise<void> {
  const record = await pickInstance(
    deps.model,
    arg,
    l10n.t('Show the setup log of which instance?'),
    (r) => deps.setup.coordinator.hasRun(r.instance.id),
    deps.names,
  );
  if (!record) return;
  const id = record.instance.id;
  deps.terminals.show(id, deps.names.get(id) ?? id);
}
