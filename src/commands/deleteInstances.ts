// "fal: Delete Instance…": from a row's context menu (with multi-select) or the palette (a
// multi-select quick pick). Always behind a modal naming the machines; one DELETE per instance.
import * as vscode from 'vscode';
import { machineLabel } from '../core/instanceTypes';
import { statusLook } from '../core/status';
import type { InstanceRecord } from '../core/instancesModel';
import type { InstanceKeyStore } from '../instances/instanceKeyStore';
import type { InstancesController } from '../instances/instancesController';
import { errorMessage } from '../instances/errorMessage';
import { deleteConfirmation, deleteTargets } from '../wizard/deleteText';

export interface DeleteDeps {
  readonly controller: InstancesController;
  readonly keyStore: InstanceKeyStore;
  readonly log: vscode.LogOutputChannel;
}

/** A tree row (`{kind:'instance', id}`) or an instance id, as menus and keybindings pass them. */
export type DeleteTarget = { kind?: string; id?: string } | string | undefined;

/** `node` is the row the menu was opened on, `selected` every selected row (VS Code passes both). */
export async function deleteInstances(deps: DeleteDeps, node?: DeleteTarget, selected?: readonly DeleteTarget[]): Promise<void> {
  const model = deps.controller.model;
  let ids = deleteTargets(node, selected);
  if (ids.length === 0) {
    // Rows fal sent broken ("invalid data from fal") offer no actions, here either.
    const picked = await pickInstances(model.list().filter((r) => !r.deleting && !r.invalid));
    if (!picked) return;
    ids = picked;
  }
  const records = ids.map((id) => model.get(id)).filter((r): r is InstanceRecord => r !== undefined && !r.deleting && !r.invalid);
  if (records.length === 0) return;
  const text = deleteConfirmation(records.map((r) => ({ id: r.instance.id, label: machineLabel(r.instance.instance_type), ip: r.instance.ip })));
  const answer = await vscode.window.showWarningMessage(text.message, { modal: true, detail: text.detail }, 'Delete');
  if (answer !== 'Delete') return;

  const targets = records.map((r) => r.instance.id);
  model.markDeleting(targets);
  const endOperation = deps.controller.scheduler.beginOperation();
  try {
    const client = await deps.controller.currentClient();
    if (!client) throw new Error('Signed out: set your fal API key to delete instances.');
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
    model.remove(gone);
    for (const id of gone) await deps.keyStore.delete(id);
    if (failed.length) void vscode.window.showErrorMessage(`Could not delete ${failed.length === 1 ? 'the instance' : `${failed.length} instances`}: ${failed.join('; ')}`);
  } catch (error) {
    model.markDeleting(targets, false);
    void vscode.window.showErrorMessage(`Could not delete: ${errorMessage(error)}`);
  } finally {
    endOperation();
    void deps.controller.refresh();
  }
}

async function pickInstances(records: readonly InstanceRecord[]): Promise<string[] | undefined> {
  if (records.length === 0) {
    void vscode.window.showInformationMessage('There are no instances to delete.');
    return undefined;
  }
  const items = records.map((r) => ({
    label: machineLabel(r.instance.instance_type),
    description: `${statusLook(r.instance.status).label} · ${r.instance.ip ?? 'no IP yet'}`,
    detail: r.instance.id,
    id: r.instance.id,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Delete Instance…',
    placeHolder: 'Check the instances to delete, then press Enter (you confirm once more)',
    canPickMany: true,
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  return picked && picked.length ? picked.map((p) => p.id) : undefined;
}
