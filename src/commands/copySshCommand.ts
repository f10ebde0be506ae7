// "Copy SSH Command": writes the host entry, then copies the `ssh …` line that reaches it.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { prepareHost, sshCommandFor } from '../remote/hostPreparation';
import type { RemoteDeps } from './connect';
import { pickInstance } from './instancePicker';
import { showInformationMessage } from '../notifications';

export async function copySshCommand(deps: RemoteDeps, arg: unknown): Promise<void> {
  const record = await pickInstance(
    deps.controller.model,
    arg,
    l10n.t('Copy the SSH command of which instance?'),
    (r) => !!r.instance.ip,
    deps.names,
  );
  if (!record) return;
  const host = await prepareHost(deps, record, 'copy');
  if (!host) return;
  const command = sshCommandFor(host);
  await vscode.env.clipboard.writeText(command);
  deps.log.info(`Copy SSH Command ${host.id}: ${command}`);
  void showInformationMessage(l10n.t`Copied "${command}".`);
}
