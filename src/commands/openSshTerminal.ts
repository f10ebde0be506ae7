// "Open SSH in Terminal": writes the host entry, checks the host key, then an integrated terminal
// named after the instance runs `ssh fal-<id>`.
import * as l10n from '@vscode/l10n';
import { openTerminal, prepareHost } from '../remote/hostPreparation';
import type { RemoteDeps } from './connect';
import { pickInstance } from './instancePicker';

export async function openSshTerminal(deps: RemoteDeps, arg: unknown): Promise<void> {
  const record = await pickInstance(
    deps.controller.model,
    arg,
    l10n.t('Open SSH in a terminal to which instance?'),
    (r) => !!r.instance.ip,
    deps.names,
  );
  if (!record) return;
  const host = await prepareHost(deps, record, 'terminal');
  if (host) await openTerminal(deps, host, true);
}
