// Wiring only: each feature lives in its own module under src/commands, src/views, src/instances.
import * as vscode from 'vscode';
import { ApiKeyStore } from './auth/apiKeyStore';
import { registerConnectCommands } from './commands/connect';
import { createInstance } from './commands/createInstance';
import { reconcileOnActivation } from './commands/finishInterruptedCreates';
import { deleteInstances, type DeleteTarget } from './commands/deleteInstances';
import { importApiKey, offerKeyImport } from './commands/importApiKey';
import { removeSshConfigChangesCommand } from './commands/removeSshConfigChanges';
import { setApiKey } from './commands/setApiKey';
import { signOut } from './commands/signOut';
import { InstanceKeyStore } from './instances/instanceKeyStore';
import { InstancesController } from './instances/instancesController';
import { affectsSettings, readSettings } from './settings';
import { InstancesStatusBar } from './views/statusBar';
import { InstancesView } from './views/instancesView';

export function activate(context: vscode.ExtensionContext): void {
  const version: string = context.extension.packageJSON.version;
  const log = vscode.window.createOutputChannel('fal Compute', { log: true });
  const keys = new ApiKeyStore(context.secrets);
  let settings = readSettings();
  const controller = new InstancesController(keys, log, settings, context.globalState, version);
  const view = new InstancesView(controller.model, settings);
  const statusBar = new InstancesStatusBar(controller.model, settings.hourlyUsd);
  controller.attachView(view.treeView);
  const keyDeps = { keys, log, version };
  const instanceKeys = new InstanceKeyStore(context.globalState);
  const createDeps = { controller, globalState: context.globalState, keyStore: instanceKeys, log };

  let importOffered = false;
  const offerImportOnce = () => {
    if (importOffered || !view.treeView.visible) return;
    importOffered = true;
    void offerKeyImport(keyDeps);
  };

  context.subscriptions.push(
    log,
    keys,
    controller,
    view,
    statusBar,
    vscode.commands.registerCommand('fal.showLogs', () => log.show(true)),
    vscode.commands.registerCommand('fal.setApiKey', () => setApiKey(keyDeps)),
    vscode.commands.registerCommand('fal.importApiKey', () => importApiKey(keyDeps)),
    vscode.commands.registerCommand('fal.signOut', () => signOut(keys, log)),
    vscode.commands.registerCommand('fal.refresh', () => controller.refresh()),
    vscode.commands.registerCommand('fal.createInstance', (args?: object) => createInstance(createDeps, args)),
    vscode.commands.registerCommand('fal.deleteInstance', (node?: DeleteTarget, selected?: readonly DeleteTarget[]) =>
      deleteInstances(createDeps, node, selected),
    ),
    ...registerConnectCommands(controller, instanceKeys, log),
    vscode.commands.registerCommand('fal.removeSshConfigChanges', () => removeSshConfigChangesCommand(log)),
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
  void reconcileOnActivation(createDeps);
  log.info(`fal Compute ${version} activated`);
}

export function deactivate(): void {}
