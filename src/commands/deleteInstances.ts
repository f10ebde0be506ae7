// "fal: Delete Instance…": from a row's context menu (with multi-select) or the palette (a
// multi-select quick pick). Always behind a modal naming the machines; one DELETE per instance.
// With results paths set and a machine ready, the modal's default is Download Results, Then Delete
// (deleteAfterResults.ts): a machine whose results did not all arrive is left running, and said so.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { FalApi } from '../auth/falClient';
import { machineLabel } from '../core/instanceTypes';
import type { ResultsSaver } from '../cost';
import type { InstanceRecord } from '../core/instancesModel';
import type { InstanceDeleter } from '../instances/instanceDeleter';
import type { NameLookup } from '../instances/instanceNames';
import type { Milestones } from '../views/gettingStarted';
import type { InstancesController } from '../instances/instancesController';
import { deleteTargets } from './instanceArgs';
import { deleteAfterResults } from './deleteAfterResults';
import { deleteConfirmation, keptMessage, resultsButtons, type DeleteSubject } from './deleteText';
import { pickInstances } from './instancePicker';
import { CommandError } from './registerCommand';
import { showInformationMessage, showWarningMessage } from '../notifications';

export interface DeleteDeps {
  readonly controller: InstancesController;
  readonly deleter: InstanceDeleter;
  readonly names?: NameLookup;
  readonly milestones?: Milestones;
  readonly log: vscode.LogOutputChannel;
  /** Results first (issue 19 item 5): absent or not configured, the modal is the plain Delete. */
  readonly results?: ResultsSaver;
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
  const subjects = records.map((r) => subject(deps, r));
  const saver = deps.results?.configured() ? deps.results : undefined;
  const offer = saver !== undefined && subjects.some((s) => !s.notReady);
  const text = deleteConfirmation(subjects, offer);
  const buttons = resultsButtons();
  const titles = offer ? [buttons.downloadThenDelete, buttons.deleteOnly] : [buttons.deleteOnly];
  const answer = await showWarningMessage(text.message, { modal: true, detail: text.detail }, ...titles);
  if (answer === undefined || !titles.includes(answer)) {
    deps.log.info('Delete not confirmed; nothing was sent.');
    return;
  }

  const chosen = records.map((r) => r.instance.id);
  const { gone, failed } =
    saver && answer === buttons.downloadThenDelete
      ? await downloadThenDelete(deps, client, saver, subjects)
      : await deps.deleter.delete(client, chosen);
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

async function downloadThenDelete(deps: DeleteDeps, client: FalApi, saver: ResultsSaver, subjects: DeleteSubject[]) {
  const { model } = deps.controller;
  const ids = (ready: boolean) => subjects.filter((s) => !s.notReady === ready).map((s) => s.id);
  const outcome = await deleteAfterResults(ids(true), ids(false), {
    saver,
    remove: (list, saved) => deps.deleter.delete(client, list, '', undefined, saved),
    stillDeletable: (id) => {
      const record = model.get(id);
      return record !== undefined && deletable(record);
    },
    log: (line) => deps.log.info(line),
  });
  if (outcome.kept.length) {
    const byId = new Map(subjects.map((s) => [s.id, s]));
    const kept = outcome.kept.map((k) => ({ subject: byId.get(k.id)!, reason: k.reason }));
    void showWarningMessage(
      keptMessage(
        kept,
        outcome.gone.flatMap((id) => byId.get(id) ?? []),
      ),
    );
  }
  return outcome;
}

function subject(deps: DeleteDeps, r: InstanceRecord): DeleteSubject {
  const { id, instance_type, ip, status } = r.instance;
  const ready = status === 'ready' && !!ip && !r.deleting;
  return {
    id,
    label: machineLabel(instance_type),
    ip,
    name: deps.names?.get(id),
    ...(ready ? {} : { notReady: true }),
  };
}

/**
 * Not already being deleted (except one fal kept listing long after its delete: that may be deleted
 * again), and not a row fal sent broken ("invalid data from fal" offers no actions, here either).
 */
function deletable(record: InstanceRecord): boolean {
  return !record.invalid && (!record.deleting || record.deleteStalled === true);
}
