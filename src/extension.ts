// Wiring only: every object is made here and every command is registered here, through the one
// helper that logs and shows errors (commands/registerCommand.ts). Features live in their modules.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { ComputeInstance } from './api';
import { ApiKeyStore } from './auth/apiKeyStore';
import { FalSession } from './auth/falSession';
import { now } from './base/timers';
import { errorTitles, type CommandId } from './core/commandIds';
import { StoredState } from './core/storedState';
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
import { gpuCommands } from './commands/gpuCommands';
import { registerCommand, runInBackground } from './commands/registerCommand';
import { removeSshConfigChangesCommand } from './commands/removeSshConfigChanges';
import { plainTextLog } from './core/plainLog';
import { renameInstance } from './commands/renameInstance';
import { setApiKey } from './commands/setApiKey';
import { costCommands } from './commands/costCommands';
import { signOut } from './commands/signOut';
import { Ownership, SpendLedger } from './cost';
import { CostMonitor } from './instances/costMonitor';
import { InstanceDeleter } from './instances/instanceDeleter';
import { SpendFigures } from './instances/spendFigures';
import { GpuMonitor } from './instances/gpuMonitor';
import { transferFeature } from './commands/transferFeature';
import { setupFeature } from './commands/setupFeature';
import { jobsFeature } from './commands/jobsFeature';
import { portsFeature } from './commands/portsFeature';
import { createSshTransport, SshConnections } from './connections';
import { InstanceKeyStore } from './instances/instanceKeyStore';
import { InstanceNames } from './instances/instanceNames';
import { InstancesController } from './instances/instancesController';
import { Watching } from './instances/watching';
import { NamePruner } from './instances/namePruner';
import { HostPruner } from './remote/hostPruner';
import { affectsSettings, readSettings } from './settings';
import { CostTreePart } from './views/costTreePart';
import { CostNotices } from './views/costNotices';
import { CreditStatus } from './views/creditStatus';
import { GettingStarted } from './views/gettingStarted';
import { GpuTreePart } from './views/gpuChildren';
import { GPU_REPORT_SCHEME, GpuReportProvider } from './views/gpuReportProvider';
import { IdleDecorations } from './views/idleDecorations';
import { IDLE_PART, idlePart } from './views/idleStatus';
import { InstancesView } from './views/instancesView';
import { FalStatusBar } from './views/statusBar';
import { SpendReportProvider } from './views/spendReportProvider';
import { SpendStatus } from './views/spendStatus';

let gpuMonitor: GpuMonitor | undefined;
let sshConnections: SshConnections | undefined;

export function activate(context: vscode.ExtensionContext): void {
  // Every floor words what it shows through @vscode/l10n's `l10n.t` (pure floors cannot import
  // vscode); it gets VS Code's bundle for the display language before anything is worded.
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const version: string = context.extension.packageJSON.version;
  const log = plainTextLog(vscode.window.createOutputChannel(l10n.t('fal Compute'), { log: true }));
  let settings = readSettings();
  const keys = new ApiKeyStore(context.secrets);
  const session = new FalSession(keys, log, version, () => settings.apiBaseUrl);
  const stored = new StoredState(context.globalState, (line) => log.warn(line));
  // Whether someone looks (the view visible, the window focused): fed here once, followed by every watcher.
  const watching = new Watching(vscode.window, (e) => log.error('A follower of the view and window failed:', e));
  const controller = new InstancesController(session, log, settings, stored, watching);
  const instanceKeys = new InstanceKeyStore(stored);
  // One SSH connection per instance, shared by all that run commands there (GPU sampling, setup).
  const logLine = (line: string) => log.info(line);
  const sshTransport = createSshTransport({ knownHostsFile: settings.ssh.paths.knownHosts, log: logLine });
  const connections = (sshConnections = new SshConnections(sshTransport, logLine));
  // The GPU view: the sampler is fed here and is the only thing that samples.
  const gpu = (gpuMonitor = new GpuMonitor(controller.model, instanceKeys, settings, log, connections, watching));
  const idleOn = () => gpu.settings.sampleSeconds > 0 && gpu.settings.idleMinutes > 0;
  // The cost guard: whose instances are ours, what they cost, one delete path for all.
  const ownership = new Ownership(stored, (e) => log.error(`Could not save the instances created here: ${String(e)}`));
  const ledger = new SpendLedger(
    stored,
    (id) => ownership.createdHere(id),
    (e) => log.error(`Could not save the spend ledger: ${String(e)}`),
  );
  const deleter = new InstanceDeleter(controller, instanceKeys, log, (id, at, saved) =>
    ledger.recordDeleted(id, at, saved),
  );
  const names = new InstanceNames(stored, () => session.account);
  const notices = new CostNotices(log);
  const titles = errorTitles(context.extension.packageJSON);
  const title = (id: CommandId) => titles.get(id) ?? id;
  const command = <A extends unknown[]>(id: CommandId, run: (...args: A) => unknown) =>
    registerCommand(log, id, title(id), run);
  const machineDeps = {
    ...{ model: controller.model, keyStore: instanceKeys, stored, connections, names, log, command, watching },
    settings: () => settings,
  };
  const transfer = transferFeature(machineDeps);
  // Setup on ready: the coordinator (src/setup) is the only thing that runs or reads setup on machines.
  const setup = setupFeature({
    ...machineDeps,
    uploadWorkspace: (id, key) => transfer.transfers.uploadBeforeSetup(id, key),
  });
  const statusBar = new FalStatusBar(controller.model, settings.hourlyUsd);
  // Jobs: the watcher (src/jobs) is the only thing that reads jobs from the machines.
  const jobs = jobsFeature({ ...machineDeps, transfers: transfer.transfers, deleter, session });
  jobs.attach({ guard: () => cost.guard, setup: setup.monitor.coordinator, statusBar });
  const cost = new CostMonitor({
    model: controller.model,
    session,
    sampler: gpu.sampler,
    idle: jobs.busyAware(gpu.idleSource),
    runningJobs: jobs.runningJobs,
    ownership,
    nameOf: (id) => names.get(id),
    ledger,
    deleter,
    state: stored,
    settings: settings.cost,
    sampleSeconds: () => gpu.settings.sampleSeconds,
    log,
    notices,
    results: transfer.transfers,
  });
  const costTree = new CostTreePart(cost.guard, ownership, () => settings.cost.creatorNickname, stored);
  const figures = new SpendFigures(ledger, controller.model, () => ({
    hourlyUsd: settings.hourlyUsd,
    monthlyBudgetUsd: settings.cost.monthlyBudgetUsd,
  }));
  const ports = portsFeature(machineDeps);
  const view = new InstancesView(
    controller.model,
    settings,
    names,
    new GpuTreePart(gpu.sampler, () => gpu.settings),
    costTree,
    setup.treePart,
    jobs.treePart,
    ports.treePart,
  );
  const milestones = new GettingStarted(session, stored);
  const spendStatus = new SpendStatus(statusBar, figures, controller.model, (nick) => costTree.isMyNickname(nick));
  const creditStatus = new CreditStatus(
    statusBar,
    controller.credit,
    controller.model,
    () => ({ hourlyUsd: settings.hourlyUsd, warnHours: settings.creditWarnHours }),
    log,
  );
  const spendReports = new SpendReportProvider(figures, controller.model, () => creditStatus.reportLines());
  watching.attachView(view.treeView);
  const idleDecorations = new IdleDecorations(gpu.sampler, idleOn);
  const showIdle = () =>
    statusBar.setPart(
      IDLE_PART,
      idleOn() ? idlePart(controller.model, gpu.sampler, settings.hourlyUsd, settings.gpu.idleMinutes) : undefined,
    );
  const reports = new GpuReportProvider(controller.model, gpu.sampler, () => gpu.pausedNote());
  const keyDeps = { keys, log, version };
  const costs = {
    projectMonth: (type: string) => figures.projection(now(), type),
    recordCreate: (i: ComputeInstance, leaseHours?: number) => {
      cost.recordCreate(i, leaseHours);
      setup.monitor.recordCreate(i.id);
    },
  };
  const deps = {
    ...{ controller, stored, keyStore: instanceKeys, names, milestones, log, deleter, costs },
    setup: setup.monitor.coordinator,
    results: transfer.transfers,
  };

  let importOffered = false;
  const offerImportOnce = () => {
    if (importOffered || !watching.visible) return;
    importOffered = true;
    runInBackground(log, title('fal.importApiKey'), () => offerKeyImport(keyDeps));
  };

  context.subscriptions.push(
    log,
    keys,
    session,
    watching,
    controller,
    view,
    statusBar,
    milestones,
    new HostPruner(controller.model, instanceKeys, log, () => readSettings().ssh.paths),
    new NamePruner(controller.model, names, () => session.account, log),
    session.onDidChange(() => names.accountChanged()),
    gpu,
    ...setup.disposables,
    ...jobs.disposables,
    ...transfer.disposables,
    ...ports.disposables,
    cost,
    notices,
    costTree,
    spendStatus,
    creditStatus,
    spendReports,
    controller.credit.onDidChange(() => spendReports.refresh()),
    idleDecorations,
    reports,
    vscode.window.registerFileDecorationProvider(idleDecorations),
    vscode.workspace.registerTextDocumentContentProvider(GPU_REPORT_SCHEME, reports),
    vscode.workspace.registerTextDocumentContentProvider('fal-spend', spendReports),
    gpu.sampler.onDidChangeIdle(showIdle),
    controller.model.onDidChange(showIdle),
    command('fal.showLogs', () => log.show(true)),
    command('fal.setApiKey', () => setApiKey(keyDeps)),
    command('fal.importApiKey', () => importApiKey(keyDeps)),
    command('fal.signOut', () => signOut(keys, log)),
    command('fal.refresh', () => refresh(controller)),
    command('fal.createInstance', (args?: object) => createInstance(deps, args)),
    command('fal.deleteInstance', (node?: unknown, selected?: readonly unknown[]) =>
      deleteInstances(deps, node, selected),
    ),
    command('fal.connect', (arg?: unknown) => connect(deps, arg)),
    command('fal.connectWhenReady', (arg?: unknown) => connect(deps, arg)),
    command('fal.openSshTerminal', (arg?: unknown) => openSshTerminal(deps, arg)),
    command('fal.copySshCommand', (arg?: unknown) => copySshCommand(deps, arg)),
    command('fal.copyIp', (arg?: unknown) => copyIp(deps, arg)),
    command('fal.forgetHostKey', (arg?: unknown) => forgetHostKey(deps, arg)),
    ...gpuCommands({ model: controller.model, reports, sampler: gpu.sampler, remote: deps, command }),
    ...costCommands({ model: controller.model, guard: cost.guard, notices, costTree, spendReports, command }),
    command('fal.removeSshConfigChanges', () => removeSshConfigChangesCommand(log)),
    command('fal.renameInstance', (arg?: unknown) => renameInstance(deps, arg)),
    watching.onDidChange(offerImportOnce),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsSettings(e)) return;
      settings = readSettings();
      controller.updateSettings(settings);
      view.setOptions(settings);
      statusBar.setRates(settings.hourlyUsd);
      gpu.updateSettings(settings);
      setup.monitor.settingsChanged();
      cost.updateSettings(settings.cost);
      costTree.refresh();
      spendStatus.update();
      creditStatus.update();
      spendReports.refresh();
      idleDecorations.refreshAll();
      showIdle();
    }),
  );
  offerImportOnce();
  runInBackground(log, l10n.t('Finishing an interrupted create'), () => finishInterruptedCreates(deps));
  log.info(`fal Compute ${version} activated`);
}

/** Closes every SSH connection cleanly (SSH disconnect) before the host goes away. */
export async function deactivate(): Promise<void> {
  const monitor = gpuMonitor;
  const connections = sshConnections;
  gpuMonitor = undefined;
  sshConnections = undefined;
  await monitor?.close();
  await connections?.closeAll();
}
