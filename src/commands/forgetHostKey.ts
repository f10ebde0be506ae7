// "Forget Host Key…": removes an instance's remembered host key from our known_hosts (fal reuses
// IP addresses, so a new machine may answer on an old address with a new key).
import * as l10n from '@vscode/l10n';
import { forgetHostKey as forget } from '../remote/hostKeyCheck';
import { readSettings } from '../settings';
import type { RemoteDeps } from './connect';
import { pickInstance } from './instancePicker';
import { showWarningMessage } from '../notifications';

export async function forgetHostKey(
  deps: Pick<RemoteDeps, 'controller' | 'log' | 'names'>,
  arg: unknown,
): Promise<void> {
  const record = await pickInstance(
    deps.controller.model,
    arg,
    l10n.t('Forget the remembered host key of which instance?'),
    (r) => !!r.instance.ip,
    deps.names,
  );
  if (!record) return;
  const { id, ip } = record.instance;
  if (!ip) {
    void showWarningMessage(l10n.t`Instance ${id} has no IP address.`);
    return;
  }
  await forget(deps.log, id, ip, readSettings().ssh);
}
