// Wiring only: every object is made here and every command is registered here, through the one
// helper that logs and shows errors (commands/registerCommand.ts). Features live in their modules.
import * as vscode from 'vscode';
import { ApiKeyStore } from './auth/apiKeyStore';
import { FalSession } from './auth/falSession';
import { connect } from './commands/connect';
import { copyIp } from './commands/copyIp';
import { copySshCommand } from './commands/copySshCommand';
import { createInstance } from './commands/createInstance';
import { deleteInstances } from './commands/deleteInstances';
import { finishInterruptedCreates } from './commands/finishInterruptedCreates';
import { forgetHostKey } from './commands/forgetHostKey';
import { importApiKey, offerKeyImport } from './commands/importApiKey';
import { openSshTerminal } from './commands/openSshTerminal';
import { refresh } from './commands/refresh';
import { registerCommand, runInBackground } from './commands/registerCommand';
import { removeSshConfigChangesCommand } from './commands/removeSshConfigChanges';
import { renameInstance } from './commands/renameInstance';
import { setApiKey } from './commands/setApiKey';
import { signOut } from './commands/signOut';
import { InstanceKeyStore } from './instances/instanceKeyStore';
import { InstanceNames } from './instances/instanceNames';
import { InstancesController } from './instances/instancesController';
import { NamePruner } from './instances/namePruner';
import { HostPruner } from './remote/hostPruner';
import { affectsSettings, readSettings } from './settings';
import { GettingStarted } from './views/gettingStarted';
import { InstancesView } from './views/instancesView';
import { FalStatusBar } from './views/statusBar';

export function activate(context: vscode.ExtensionContext): void {
  const version: string = context.extension.packageJSON.version;
  const log = vscode.window.createOutputChannel('fal Compute', { log: true });
  let settings = readSettings();
  const keys = new ApiKeyStore(context.secrets);
  const session = new FalSession(keys, log, version, () => settings.apiBaseUrl);
  const controller = new InstancesController(session, log, settings, context.globalState);
  const names = new InstanceNames(context.globalState, () => session.account);
  const view = new InstancesView(controller.model, settings, names);
  const statusBar = new FalStatusBar(controller.model, settings.hourlyUsd);
  const milestones = new GettingStarted(session, controller.model, context.globalState);
  controller.attachView(view.treeView);
  const instanceKeys = new InstanceKeyStore(context.globalState);
  const keyDeps = { keys, log, version };
  const deps = { controller, globalState: context.globalState, keyStore: instanceKeys, names, milestones, log };
  const command = <A extends unknown[]>(id: string, title: string, run: (...args: A) => unknown) => registerCommand(log, id, title, run);

  let importOffered = false;
  const offerImportOnce = () => {
    if (importOffered || !view.treeView.visible) return;
    importOffered = true;
    runInBackground(log, 'Use Existing fal Key', () => offerKeyImport(keyDeps));
  };

  context.subscriptions.push(
    log,
    keys,
    session,
    controller,
    view,
    statusBar,
    milestones,
    new HostPruner(controller.model, instanceKeys, log, () => readSettings().ssh.paths),
    new NamePruner(controller.model, names, () => session.account, log),
    session.onDidChange(() => names.accountChanged()),
    command('fal.showLogs', 'Show Logs', () => log.show(true)),
    command('fal.setApiKey', 'Set API Key', () => setApiKey(keyDeps)),
    command('fal.importApiKey', 'Use Existing fal Key', () => importApiKey(keyDeps)),
    command('fal.signOut', 'Sign Out', () => signOut(keys, log)),
    command('fal.refresh', 'Refresh Instances', () => refresh(controller)),
    command('fal.createInstance', 'Create H100 Instance', (args?: object) => createInstance(deps, args)),
    command('fal.deleteInstance', 'Delete Instance', (node?: unknown, selected?: readonly unknown[]) => deleteInstances(deps, node, selected)),
    command('fal.connect', 'Connect', (arg?: unknown) => connect(deps, arg)),
    command('fal.connectWhenReady', 'Connect When Ready', (arg?: unknown) => connect(deps, arg)),
    command('fal.openSshTerminal', 'Open SSH in Terminal', (arg?: unknown) => openSshTerminal(deps, arg)),
    command('fal.copySshCommand', 'Copy SSH Command', (arg?: unknown) => copySshCommand(deps, arg)),
    command('fal.copyIp', 'Copy IP', (arg?: unknown) => copyIp(deps, arg)),
    command('fal.forgetHostKey', 'Forget Host Key', (arg?: unknown) => forgetHostKey(deps, arg)),
    command('fal.removeSshConfigChanges', 'Remove SSH Config Changes', () => removeSshConfigChangesCommand(log)),
    command('fal.renameInstance', 'Rename Instance', (arg?: unknown) => renameInstance(deps, arg)),
    view.treeView.onDidChangeVisibility(offerImportOnce),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsSettings(e)) return;
      settings = readSettings();
      controller.updateSettings(settings);
      view.setOptions(settings);
      statusBar.setRates(settings.hourlyUsd);
    }),
  );
  offerImportOnce();
  runInBackground(log, 'Finishing an interrupted create', () => finishInterruptedCreates(deps));
  log.info(`fal Compute ${version} activated`);
}

export function deactivate(): void {}
