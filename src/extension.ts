// Wiring only: every object is made here and every command is registered here, through the one
// helper that logs and shows errors (commands/registerCommand.ts). Features live in their modules.
import * as vscode from 'vscode';
import { ApiKeyStore } from './auth/apiKeyStore';
import { FalSession } from './auth/falSession';
import { chooseInstanceKey } from './commands/chooseInstanceKey';
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
import { refreshGpuUsage, showGpuUsage } from './commands/showGpuUsage';
import { registerCommand, runInBackground } from './commands/registerCommand';
import { removeSshConfigChangesCommand } from './commands/removeSshConfigChanges';
import { renameInstance } from './commands/renameInstance';
import { setApiKey } from './commands/setApiKey';
import { signOut } from './commands/signOut';
import { GpuMonitor } from './instances/gpuMonitor';
import { InstanceKeyStore } from './instances/instanceKeyStore';
import { InstanceNames } from './instances/instanceNames';
import { InstancesController } from './instances/instancesController';
import { NamePruner } from './instances/namePruner';
import { HostPruner } from './remote/hostPruner';
import { affectsSettings, readSettings } from './settings';
import { GettingStarted } from './views/gettingStarted';
import { GpuTreePart } from './views/gpuChildren';
import { GPU_REPORT_SCHEME, GpuReportProvider } from './views/gpuReportProvider';
import { IdleDecorations } from './views/idleDecorations';
import { IDLE_PART, idlePart } from './views/idleStatus';
import { InstancesView } from './views/instancesView';
import { FalStatusBar } from './views/statusBar';

let gpuMonitor: GpuMonitor | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const version: string = context.extension.packageJSON.version;
  const log = vscode.window.createOutputChannel('fal Compute', { log: true });
  let settings = readSettings();
  const keys = new ApiKeyStore(context.secrets);
  const session = new FalSession(keys, log, version, () => settings.apiBaseUrl);
  const controller = new InstancesController(session, log, settings, context.globalState);
  const instanceKeys = new InstanceKeyStore(context.globalState);
  // The GPU view (issue 12): the sampler is fed here and is the only thing that samples.
  const gpu = (gpuMonitor = new GpuMonitor(controller.model, instanceKeys, settings, log));
  const gpuOn = () => gpu.settings.sampleSeconds > 0;
  const idleOn = () => gpuOn() && gpu.settings.idleMinutes > 0;
  const names = new InstanceNames(context.globalState, () => session.account);
  const view = new InstancesView(controller.model, settings, names, new GpuTreePart(gpu.sampler, () => gpu.settings));
  const statusBar = new FalStatusBar(controller.model, settings.hourlyUsd);
  const milestones = new GettingStarted(session, controller.model, context.globalState);
  controller.attachView(view.treeView);
  gpu.attachView(view.treeView);
  const idleDecorations = new IdleDecorations(gpu.sampler, idleOn);
  const showIdle = () => statusBar.setPart(IDLE_PART, idleOn() ? idlePart(controller.model, gpu.sampler, settings.hourlyUsd, settings.gpu.idleMinutes) : undefined);
  const reports = new GpuReportProvider(controller.model, gpu.sampler, () => gpu.pausedNote());
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
    gpu,
    idleDecorations,
    reports,
    vscode.window.registerFileDecorationProvider(idleDecorations),
    vscode.workspace.registerTextDocumentContentProvider(GPU_REPORT_SCHEME, reports),
    gpu.sampler.onDidChangeIdle(showIdle),
    controller.model.onDidChange(showIdle),
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
    command('fal.showGpuUsage', 'Show GPU Usage', (arg?: unknown) => showGpuUsage(controller.model, reports, arg)),
    command('fal.refreshGpuUsage', 'Refresh GPU Usage', (uri?: unknown) => refreshGpuUsage(reports, uri)),
    command('fal.gpu.chooseKey', 'Choose Private Key', (arg?: unknown) => chooseInstanceKey(deps, arg)),
    command('fal.gpu.retry', 'Retry GPU Sample', (id: string) => gpu.sampler.refresh(id)),
    command('fal.removeSshConfigChanges', 'Remove SSH Config Changes', () => removeSshConfigChangesCommand(log)),
    command('fal.renameInstance', 'Rename Instance', (arg?: unknown) => renameInstance(deps, arg)),
    view.treeView.onDidChangeVisibility(offerImportOnce),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsSettings(e)) return;
      settings = readSettings();
      controller.updateSettings(settings);
      view.setOptions(settings);
      statusBar.setRates(settings.hourlyUsd);
      gpu.updateSettings(settings);
      idleDecorations.refreshAll();
      showIdle();
    }),
  );
  offerImportOnce();
  runInBackground(log, 'Finishing an interrupted create', () => finishInterruptedCreates(deps));
  log.info(`fal Compute ${version} activated`);
}

/** Closes the GPU view's SSH connections cleanly (SSH disconnect) before the host goes away. */
export function deactivate(): Promise<void> | undefined {
  const closing = gpuMonitor?.close();
  gpuMonitor = undefined;
  return closing;
}
