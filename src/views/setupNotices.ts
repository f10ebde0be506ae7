// What a person hears when a setup run they did not stop to watch ends: one notification, with the
// next step as its buttons (Connect after a good end; the log and another run after a bad one).
import * as l10n from '@vscode/l10n';
import { spanText } from '../base/durations';
import type { NameLookup } from '../instances/instanceNames';
import { executeFalCommand } from '../falCommands';
import { showInformationMessage, showWarningMessage } from '../notifications';
import { setupRowText, setupStatusDetail } from '../setup/setupWords';
import type { SetupStatus } from '../setup/setupStatus';

export async function announceSetupEnd(names: NameLookup, id: string, status: SetupStatus): Promise<void> {
  const name = names.get(id) ?? id;
  const showLog = l10n.t('Show Setup Log');
  if (status.kind === 'exited' && status.exitCode === 0) {
    const connect = l10n.t('Connect');
    const took = spanText(Math.max(0, status.endedAtMs - status.run.startedAtMs));
    const choice = await showInformationMessage(l10n.t`${name} is set up (setup took ${took}).`, connect, showLog);
    if (choice === connect) await executeFalCommand('fal.connect', id);
    if (choice === showLog) await executeFalCommand('fal.showSetupLog', id);
    return;
  }
  const again = l10n.t('Run Setup Again');
  const words = setupRowText(status, 0, 0) ?? '';
  const detail = setupStatusDetail(status);
  const choice = await showWarningMessage(l10n.t`${name}: ${words}.${detail ? ` ${detail}` : ''}`, showLog, again);
  if (choice === showLog) await executeFalCommand('fal.showSetupLog', id);
  if (choice === again) await executeFalCommand('fal.runSetupAgain', id);
}
