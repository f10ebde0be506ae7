// "Protect from Auto-Delete" / "Unprotect from Auto-Delete" (row context menu, or the palette with
// the shared picker): the cost guard never auto-deletes a protected instance. Shown as a lock in
// the row; remembered across reloads; logged with the cost guard's decisions.
import * as l10n from '@vscode/l10n';
import type { InstancesModel } from '../core/instancesModel';
import { statusLook } from '../core/status';
import type { CostGuard } from '../cost';
import { readSettings } from '../settings';
import { pickInstance } from './instancePicker';
import { showInformationMessage } from '../notifications';

export async function setProtection(
  model: InstancesModel,
  guard: CostGuard,
  arg: unknown,
  protect: boolean,
): Promise<void> {
  const title = protect
    ? l10n.t('Protect which instance from auto-delete?')
    : l10n.t('Allow auto-delete again for which instance?');
  const record = await pickInstance(
    model,
    arg,
    title,
    (r) => statusLook(r.instance.status).kind !== 'stopped' && guard.isProtected(r.instance.id) !== protect,
  );
  if (!record) return;
  const { id } = record.instance;
  guard.setProtected(id, protect);
  const settingOff = !readSettings().cost.guard.autoDelete;
  const leased = guard.leases.end(id) !== undefined;
  void showInformationMessage(
    protect
      ? leased
        ? l10n.t`${id} is protected from auto-delete. It will never be auto-deleted, and its lease waits until you unprotect it.`
        : l10n.t`${id} is protected from auto-delete. It will never be auto-deleted.`
      : settingOff
        ? l10n.t`${id} is no longer protected from auto-delete. (Auto-delete itself is off: fal.idle.autoDelete.)`
        : l10n.t`${id} is no longer protected from auto-delete.`,
  );
}
