// Registers Connect and its companions (Open SSH in Terminal, Copy SSH Command, Copy IP,
// Forget Host Key) and the pruning of host entries of deleted instances. Logic: src/remote.
import * as vscode from 'vscode';
import type { InstanceKeyStore } from '../instances/instanceKeyStore';
import type { InstancesController } from '../instances/instancesController';
import { readConnectSettings } from '../remote/connectSettings';
import { HostPruner } from '../remote/hostPruner';
import { RemoteService } from '../remote/remoteService';
import { copyIp } from './copyIp';
import { copySshCommand } from './copySshCommand';
import { openSshTerminal } from './openSshTerminal';

export function registerConnectCommands(
  controller: InstancesController,
  keyStore: InstanceKeyStore,
  log: vscode.LogOutputChannel,
): vscode.Disposable[] {
  const remote = new RemoteService({ controller, log, keyStore });
  const run = (name: string, fn: (arg: unknown) => Promise<void>) => async (arg: unknown) => {
    try {
      await fn(arg);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      log.error(`${name} failed: ${message}`);
      void vscode.window.showErrorMessage(`${name} failed: ${message}`);
    }
  };
  return [
    new HostPruner(controller.model, keyStore, log, () => readConnectSettings().paths),
    vscode.commands.registerCommand('fal.connect', run('Connect', (arg) => remote.connect(arg))),
    vscode.commands.registerCommand('fal.connectWhenReady', run('Connect', (arg) => remote.connect(arg))),
    vscode.commands.registerCommand('fal.openSshTerminal', run('Open SSH in Terminal', (arg) => openSshTerminal(remote, arg))),
    vscode.commands.registerCommand('fal.copySshCommand', run('Copy SSH Command', (arg) => copySshCommand(remote, arg))),
    vscode.commands.registerCommand('fal.copyIp', run('Copy IP', (arg) => copyIp(remote, arg))),
    vscode.commands.registerCommand('fal.forgetHostKey', run('Forget Host Key', (arg) => remote.forgetHostKey(arg))),
  ];
}
