// "Extend Lease 1 h" and "Keep Until I Delete" (row context menu of an instance with a lease, or the
// palette with the shared picker): the lease moves an hour on from the later of now and its end,
// or is removed. Both go through the cost guard's LeaseBook, which the guard acts on at once.
import * as l10n from '@vscode/l10n';
import { clockText } from '../base/durations';
import { now } from '../base/timers';
import type { InstancesModel } from '../core/instancesModel';
import type { CostGuard } from '../cost';
import { pickInstance } from './instancePicker';
import { showInformationMessage } from '../notifications';

export async function extendLease(
  model: InstancesModel,
  guard: Pick<CostGuard, 'leases'>,
  arg: unknown,
): Promise<void> {
  const id = await pickLeased(model, guard, arg, l10n.t('Extend the lease of which instance by 1 h?'));
  if (!id) return;
  const end = guard.leases.extend(id, now());
  void showInformationMessage(
    end === undefined
      ? l10n.t`${id} has no lease any more.`
      : l10n.t`${id} now deletes at ${clockText(end, { today: now() })}, after a countdown.`,
  );
}

export async function keepInstance(
  model: InstancesModel,
  guard: Pick<CostGuard, 'leases'>,
  arg: unknown,
): Promise<void> {
  const id = await pickLeased(model, guard, arg, l10n.t('Keep which instance until you delete it?'));
  if (!id) return;
  guard.leases.remove(id);
  void showInformationMessage(l10n.t`${id} has no lease now: it runs, and bills, until you delete it.`);
}

/** The row's instance, or one picked among those with a lease. */
async function pickLeased(
  model: InstancesModel,
  guard: Pick<CostGuard, 'leases'>,
  arg: unknown,
  title: string,
): Promise<string | undefined> {
  const record = await pickInstance(model, arg, title, (r) => guard.leases.end(r.instance.id) !== undefined);
  return record?.instance.id;
}
