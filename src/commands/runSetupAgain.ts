// "Run Setup Again": a new run of the workspace's setup on the machine (asked again if its content
// changed since the user's last yes), followed in the setup terminal. Refused while a run runs.
import * as l10n from '@vscode/l10n';
import { showInformationMessage } from '../notifications';
import { startOutcomeText } from '../setup';
import { pickInstance } from './instancePicker';
import type { SetupCommandDeps } from './showSetupLog';

export async function runSetupAgain(deps: SetupCommandDeps, arg: unknown): Promise<void> {
  const record = await pickInstance(
    deps.model,
    arg,
    l10n.t('Run the setup again on which instance?'),
    (r) => deps.setup.coordinator.hasRun(r.instance.id),
    deps.names,
  );
  if (!record) return;
  const id = record.instance.id;
  const name = deps.names.get(id) ?? id;
  const outcome = await deps.setup.coordinator.runAgain(id);
  if (!outcome) return; // nothing to run, untrusted, or the user said no: said where it was decided
  if (outcome.kind === 'started') return deps.terminals.show(id, name);
  void showInformationMessage(startOutcomeText(outcome) ?? l10n.t`The setup of ${name} did not start.`);
}
