// "Copy IP": the instance's address to the clipboard.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { RemoteDeps } from './connect';
import { pickInstance } from './instancePicker';
import { showInformationMessage, showWarningMessage } from '../notifications';

export async function copyIp(deps: Pick<RemoteDeps, 'controller' | 'log' | 'names'>, arg: unknown): Promise<void> {
  const record = await pickInstance(
    deps.controller.model,
    arg,
    l10n.t('Copy the IP address of which instance?'),
    (r) => !!r.instance.ip,
    deps.names,
  );
  if (!record) return;
  const { id, ip } = record.instance;
  if (!ip) {
    void showWarningMessage(l10n.t`Instance ${id} has no IP address yet.`);
    return;
  }
  await vscode.env.clipboard.writeText(ip);
  deps.log.info(`Copy IP ${id}: ${ip}`);
  void showInformationMessage(l10n.t`Copied ${ip}.`);
}
