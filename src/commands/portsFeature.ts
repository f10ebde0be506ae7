// Port forwarding put together for extension.ts (fal: Open Port…): the one owner of the forwards,
// their rows under the instance, and the two commands.
import type * as vscode from 'vscode';
import type { CommandId } from '../core/commandIds';
import { PortForwards, type PortForwardsDeps } from '../instances/portForwards';
import type { InstanceKeyStore } from '../instances/instanceKeyStore';
import { PortsTreePart } from '../views/portsTreePart';
import { openPortCommand } from './openPort';

export interface PortsFeatureDeps extends PortForwardsDeps {
  readonly keyStore: InstanceKeyStore;
  readonly command: (id: CommandId, run: (arg?: unknown) => unknown) => vscode.Disposable;
}

export function portsFeature(deps: PortsFeatureDeps) {
  const forwards = new PortForwards(deps);
  const commandDeps = { ...deps, forwards };
  return {
    forwards,
    treePart: new PortsTreePart(forwards),
    disposables: [
      forwards,
      deps.command('fal.openPort', (arg) => openPortCommand(commandDeps, arg)),
      deps.command('fal.stopForwarding', (arg) => stopForwarding(forwards, arg)),
    ],
  };
}

/** Stop Forwarding on a forward's row (`{kind: 'port', id, remotePort}`). */
async function stopForwarding(forwards: PortForwards, arg: unknown): Promise<void> {
  const node = arg as { kind?: unknown; id?: unknown; remotePort?: unknown } | undefined;
  if (node?.kind !== 'port' || typeof node.id !== 'string' || typeof node.remotePort !== 'number') return;
  await forwards.stop(node.id, node.remotePort);
}
