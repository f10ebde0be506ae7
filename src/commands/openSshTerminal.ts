// "Open SSH in Terminal": writes the host entry, checks the host key, then an integrated terminal
// named after the instance runs `ssh fal-<id>`.
import { openTerminal, prepareHost } from '../remote/hostPreparation';
import type { RemoteDeps } from './connect';
import { pickInstance } from './instancePicker';

export async function openSshTerminal(deps: RemoteDeps, arg: unknown): Promise<void> {
  const record = await pickInstance(
    deps.controller.model,
    arg,
    'Open SSH in a terminal to which instance?',
    (r) => !!r.instance.ip,
    deps.names,
  );
  if (!record) return;
  const host = await prepareHost(deps, record, 'terminal');
  if (host) await openTerminal(deps, host, true);
}
