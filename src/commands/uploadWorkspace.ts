// "fal: Upload Workspace": the open folder into `~/<folder name>` on a ready machine, only what the
// machine's own copy lacks (src/sync), with progress and Cancel. What it left home is said by name:
// files that look like secrets can be sent on purpose from that message, after a modal naming them.
import * as l10n from '@vscode/l10n';
import type * as vscode from 'vscode';
import { sizeText } from '../base/durations';
import type { InstancesModel } from '../core/instancesModel';
import { statusLook } from '../core/status';
import type { InstanceKeyStore } from '../instances/instanceKeyStore';
import type { NameLookup } from '../instances/instanceNames';
import {
  namesText,
  noFolderText,
  transferFolder,
  TransferError,
  type WorkspaceTransfers,
} from '../instances/workspaceTransfers';
import { showInformationMessage, showWarningMessage } from '../notifications';
import { chooseKey } from '../remote/hostPreparation';
import { pickInstance } from './instancePicker';
import { CommandError } from './registerCommand';

export interface TransferCommandDeps {
  readonly model: InstancesModel;
  readonly keyStore: InstanceKeyStore;
  readonly names: NameLookup;
  readonly transfers: WorkspaceTransfers;
  readonly log: vscode.LogOutputChannel;
}

/** The ready instance (picked when the palette gave none) and its key: undefined when the user stopped. */
export async function transferTarget(
  deps: TransferCommandDeps,
  arg: unknown,
  question: string,
  noFolder: string,
): Promise<{ id: string; name: string; identityFile: string; folder: vscode.WorkspaceFolder } | undefined> {
  const folder = transferFolder();
  if (!folder) throw new CommandError(noFolder);
  const ready = (r: { instance: { status: string } }) => statusLook(r.instance.status).kind === 'ready';
  const record = await pickInstance(deps.model, arg, question, ready, deps.names);
  if (!record) return undefined;
  const id = record.instance.id;
  const identityFile = await chooseKey(deps, id);
  if (!identityFile) return undefined;
  return { id, name: deps.names.get(id) ?? id, identityFile, folder };
}

export async function uploadWorkspaceCommand(deps: TransferCommandDeps, arg: unknown): Promise<void> {
  const target = await transferTarget(
    deps,
    arg,
    l10n.t('Upload the workspace to which instance?'),
    noFolderText('upload'),
  );
  if (!target) return;
  const result = await run(() => deps.transfers.upload(target.id, target.identityFile));
  const where = `~/${deps.transfers.remoteDirOf(target.folder)}`;
  const summary =
    result.sentFiles === 0
      ? l10n.t`${where} on ${target.name} is up to date (${filesText(result.upToDateFiles)}).`
      : l10n.t`Uploaded ${filesText(result.sentFiles)} (${sizeText(result.sentBytes)}) to ${where} on ${target.name}; ${filesText(result.upToDateFiles)} already there.`;
  if (result.skippedSecrets.length === 0) {
    const others = result.leftOut.length ? ' ' + l10n.t('{0} left home (see the log).', result.leftOut.length) : '';
    void showInformationMessage(summary + others);
    return;
  }
  const sendToo = l10n.t('Upload Them Too…');
  const answer = await showInformationMessage(
    summary + ' ' + l10n.t('Left home because they look like secrets: {0}.', namesText(result.skippedSecrets)),
    sendToo,
  );
  if (answer !== sendToo) return;
  const yes = l10n.t('Upload');
  const sure = await showWarningMessage(
    result.skippedSecrets.length === 1
      ? l10n.t`Upload ${result.skippedSecrets[0]!.path}, which looks like a secret, to ${target.name}?`
      : l10n.t`Upload ${result.skippedSecrets.length} files that look like secrets to ${target.name}?`,
    {
      modal: true,
      detail:
        result.skippedSecrets.map((s) => `• ${s.path} — ${s.reason}`).join('\n') +
        '\n\n' +
        l10n.t('Anyone who can log in to the machine can read them.'),
    },
    yes,
  );
  if (sure !== yes) return;
  const paths = result.skippedSecrets.map((s) => s.path);
  const again = await run(() => deps.transfers.upload(target.id, target.identityFile, paths));
  void showInformationMessage(l10n.t`Uploaded ${filesText(again.sentFiles)} more to ${where} on ${target.name}.`);
}

/** A transfer's own failures are already in words: shown as they are. */
export async function run<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof TransferError ? new CommandError(error.message) : error;
  }
}

/** "1 file", "3 files". */
export function filesText(n: number): string {
  return n === 1 ? l10n.t('1 file') : l10n.t('{0} files', n);
}
