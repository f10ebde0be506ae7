// "fal: Delete Instance…": from a row's context menu (with multi-select) or the palette (a
// multi-select quick pick). Always behind a modal naming the machines; one DELETE per instance.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { machineLabel } from '../core/instanceTypes';
import type { InstanceRecord } from '../core/instancesModel';
import type { InstanceDeleter } from '../instances/instanceDeleter';
import type { NameLookup } from '../instances/instanceNames';
import type { Milestones } from '../views/gettingStarted';
import type { InstancesController } from '../instances/instancesController';
import { deleteTargets } from './instanceArgs';
import { deleteConfirmation } from './deleteText';
import { pickInstances } from './instancePicker';
import { CommandError } from './registerCommand';
import { showInformationMessage, showWarningMessage } from '../notifications';

export interface DeleteDeps {
  readonly controller: InstancesController;
  readonly deleter: InstanceDeleter;
  readonly names?: NameLookup;
  readonly milestones?: Milestones;
  readonly log: vscode.LogOutputChannel;
}

/** `node` is the row the menu was opened on, `selected` every selected row (VS Code passes both). */
export async function deleteInstances(deps: DeleteDeps, node?: unknown, selected?: readonly unknown[]): Promise<void> {
  const { model, session } = deps.controller;
  const client = await session.requireClient(); // before anything is asked: a missing key is said first
  let ids = deleteTargets(node, selected);
  if (ids.length === 0) {
    const candidates = model.list().filter(deletable);
    if (candidates.length === 0) {
      void showInformationMessage(l10n.t('There are no instances to delete.'));
      return;
    }
    const picked = await pickInstances(
      candidates,
      l10n.t('Delete Instance…'),
      l10n.t('Check the instances to delete (you confirm once more)'),
      deps.names,
    );
    if (!picked) return;
    ids = picked;
  }
  const records = ids.map((id) => model.get(id)).filter((r): r is InstanceRecord => r !== undefined && deletable(r));
  if (records.length === 0) return;
  const text = deleteConfirmation(
    records.map((r) => ({
      id: r.instance.id,
      label: machineLabel(r.instance.instance_type),
      ip: r.instance.ip,
      name: deps.names?.get(r.instance.id),
    })),
  );
  const deleteButton = l10n.t('Delete');
  const answer = await showWarningMessage(text.message, { modal: true, detail: text.detail }, deleteButton);
  if (answer !== deleteButton) {
    deps.log.info('Delete not confirmed; nothing was sent.');
    return;
  }

  const { gone, failed } = await deps.deleter.delete(
    client,
    records.map((r) => r.instance.id),
  );
  if (gone.length) deps.milestones?.reached('deleted');
  if (failed.length) {
    const list = failed.map((f) => `${f.id}: ${f.message}`).join('; ');
    throw new CommandError(
      failed.length === 1
        ? l10n.t`Could not delete the instance: ${list}`
        : l10n.t`Could not delete ${failed.length} instances: ${list}`,
    );
  }
}

/**
 * Not already being deleted (except one fal kept listing long after its delete: that may be deleted
 * again), and not a row fal sent broken ("invalid data from fal" offers no actions, here either).
 */
function deletable(record: InstanceRecord): boolean {
  return !record.invalid && (!record.deleting || record.deleteStalled === true);
}
