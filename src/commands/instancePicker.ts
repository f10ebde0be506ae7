// The one way a command learns which instance(s) it acts on: the tree row(s) or id it was invoked
// with, else a quick pick of the listed instances (one layout for Connect, its companions and Delete).
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { machineLabel } from '../core/instanceTypes';
import type { InstanceRecord, InstancesModel } from '../core/instancesModel';
import { labelText } from '../core/markdownText';
import { statusLook } from '../core/status';
import type { NameLookup } from '../instances/instanceNames';
import { idOfArg } from './instanceArgs';
import { showInformationMessage, showWarningMessage } from '../notifications';

type Item = vscode.QuickPickItem & { id: string };

function items(records: readonly InstanceRecord[], names?: NameLookup): Item[] {
  return records.map((r) => {
    const name = names?.get(r.instance.id);
    const type = machineLabel(r.instance.instance_type);
    // Quick picks draw `$(name)` as an icon in all three lines: fal's words and the names are escaped.
    return {
      label: labelText(name ?? type),
      description: labelText(
        `${name ? `${type} · ` : ''}${statusLook(r.instance.status).label} · ${r.instance.ip ?? l10n.t('no IP yet')}`,
      ),
      detail: labelText(r.instance.id),
      id: r.instance.id,
    };
  });
}

/**
 * The listed instance `arg` names, or the one picked among the `eligible` ones. Undefined when the
 * user cancelled or the instance is no longer listed (said in a warning).
 */
export async function pickInstance(
  model: InstancesModel,
  arg: unknown,
  title: string,
  eligible: (r: InstanceRecord) => boolean,
  names?: NameLookup,
): Promise<InstanceRecord | undefined> {
  let id = idOfArg(arg);
  if (!id) {
    // Rows fal sent broken ("invalid data from fal") are never offered.
    const records = model.list().filter((r) => !r.deleting && !r.invalid && eligible(r));
    if (records.length === 0) {
      void showInformationMessage(
        l10n.t('No fal instance to choose from (refresh the Instances view, or create one).'),
      );
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(items(records, names), {
      title,
      placeHolder: l10n.t('Instance'),
      matchOnDescription: true,
      matchOnDetail: true,
      ignoreFocusOut: true,
    });
    id = picked?.id;
    if (!id) return undefined;
  }
  const record = model.get(id);
  if (!record) void showWarningMessage(l10n.t`Instance ${id} is no longer listed; it may have been deleted.`);
  return record?.invalid ? undefined : record;
}

/** Several instances at once (checkboxes), for Delete. Undefined when nothing was picked. */
export async function pickInstances(
  records: readonly InstanceRecord[],
  title: string,
  placeHolder: string,
  names?: NameLookup,
): Promise<string[] | undefined> {
  const picked = await vscode.window.showQuickPick(items(records, names), {
    title,
    placeHolder,
    canPickMany: true,
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  return picked && picked.length ? picked.map((p) => p.id) : undefined;
}
