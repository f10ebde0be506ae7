// "fal: Delete Instance…": from a row's context menu (with multi-select) or the palette (a
// multi-select quick pick). Always behind a modal naming the machines; one DELETE per instance.
import * as vscode from 'vscode';
import { errorMessage } from '../core/apiFailures';
import { machineLabel } from '../core/instanceTypes';
import type { InstanceRecord } from '../core/instancesModel';
import type { InstanceKeyStore } from '../instances/instanceKeyStore';
import type { NameLookup } from '../instances/instanceNames';
import type { Milestones } from '../views/gettingStarted';
import type { InstancesController } from '../instances/instancesController';
import { deleteTargets } from './instanceArgs';
import { deleteConfirmation } from './deleteText';
import { pickInstances } from './instancePicker';
import { CommandError } from './registerCommand';

export interface DeleteDeps {
  readonly controller: InstancesController;
  readonly keyStore: InstanceKeyStore;
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
      void vscode.window.showInformationMessage('There are no instances to delete.');
      return;
    }
    const picked = await pickInstances(candidates, 'Delete Instance…', 'Check the instances to delete (you confirm once more)', deps.names);
    if (!picked) return;
    ids = picked;
  }
  const records = ids.map((id) => model.get(id)).filter((r): r is InstanceRecord => r !== undefined && deletable(r));
  if (records.length === 0) return;
  const text = deleteConfirmation(
    records.map((r) => ({ id: r.instance.id, label: machineLabel(r.instance.instance_type), ip: r.instance.ip, name: deps.names?.get(r.instance.id) })),
  );
  const answer = await vscode.window.showWarningMessage(text.message, { modal: true, detail: text.detail }, 'Delete');
  if (answer !== 'Delete') {
    deps.log.info('Delete not confirmed; nothing was sent.');
    return;
  }

  const targets = records.map((r) => r.instance.id);
  model.markDeleting(targets);
  const endOperation = deps.controller.scheduler.beginOperation();
  try {
    const results = await Promise.allSettled(targets.map((id) => client.deleteInstance(id)));
    const gone: string[] = [];
    const failed: string[] = [];
    results.forEach((r, i) => {
      const id = targets[i]!;
      if (r.status === 'fulfilled') {
        gone.push(id);
        deps.log.info(`Deleted ${id}${r.value.alreadyGone ? ' (it was already gone: 404)' : ''}`);
      } else {
        failed.push(`${id}: ${errorMessage(r.reason)}`);
        deps.log.error(`Deleting ${id} failed: ${errorMessage(r.reason)}`);
        model.markDeleting([id], false);
      }
    });
    // The rows stay ("deleting…") until fal stops listing them: fast refreshes until then.
    deps.controller.deletions.watch(gone);
    if (gone.length) deps.milestones?.reached('deleted');
    for (const id of gone) await deps.keyStore.delete(id);
    if (failed.length) throw new CommandError(`Could not delete ${failed.length === 1 ? 'the instance' : `${failed.length} instances`}: ${failed.join('; ')}`);
  } finally {
    endOperation();
    void deps.controller.scheduler.requestFull();
  }
}

/**
 * Not already being deleted (except one fal kept listing long after its delete: that may be deleted
 * again), and not a row fal sent broken ("invalid data from fal" offers no actions, here either).
 */
function deletable(record: InstanceRecord): boolean {
  return !record.invalid && (!record.deleting || record.deleteStalled === true);
}
