// What activation does not need, built into its own file (dist/features.js, esbuild.mjs) and
// required on first use by extension.ts: the API client (on the first request), the commands' code,
// and the features — GPU sampling, the cost guard, spend and the reports, jobs, setup, the workspace
// sync and ports — built once, on first need (`startFeatures`): fal's first answer, a budget set, a
// feature's setting changed, a command, a report or a task asked for.
import * as vscode from 'vscode';
import type { ComputeInstance } from './api';
import type { ApiKeyStore } from './auth/apiKeyStore';
import type { FalSession } from './auth/falSession';
import { now } from './base/timers';
import { COMMAND_IDS, type CommandId } from './core/commandIds';
import type { StoredState } from './core/storedState';
import { connect } from './commands/connect';
import { copyIp } from './commands/copyIp';
import { copySshCommand } from './commands/copySshCommand';
import { costCommands } from './commands/costCommands';
import { createInstance } from './commands/createInstance';
import { deleteInstances } from './commands/deleteInstances';
import { finishInterruptedCreates } from './commands/finishInterruptedCreates';
import { forgetHostKey } from './commands/forgetHostKey';
import { gpuCommands } from './commands/gpuCommands';
import { jobsFeature } from './commands/jobsFeature';
import { openSshTerminal } from './commands/openSshTerminal';
import { portsFeature } from './commands/portsFeature';
import { renameInstance } from './commands/renameInstance';
import { setupFeature } from './commands/setupFeature';
import { transferFeature } from './commands/transferFeature';
import { createSshTransport, SshConnections } from './connections';
import { Ownership, SpendLedger } from './cost';
import { CostMonitor } from './instances/costMonitor';
import { GpuMonitor } from './instances/gpuMonitor';
import { InstanceDeleter } from './instances/instanceDeleter';
import type { InstanceKeyStore } from './instances/instanceKeyStore';
import type { InstanceNames } from './instances/instanceNames';
import type { InstancesController } from './instances/instancesController';
import { SpendFigures } from './instances/spendFigures';
import type { Watching } from './instances/watching';
import { HostPruner } from './remote/hostPruner';
import { readSettings, type Settings } from './settings';
import { CostNotices } from './views/costNotices';
import { CostTreePart } from './views/costTreePart';
import { CreditStatus } from './views/creditStatus';
import type { Milestones } from './views/gettingStarted';
import { GpuTreePart } from './views/gpuChildren';
import { GpuReportProvider } from './views/gpuReportProvider';
import { IdleDecorations } from './views/idleDecorations';
import { IDLE_PART, idlePart } from './views/idleStatus';
import type { InstancesView } from './views/instancesView';
import type { MineFilter } from './views/mineFilter';
import { SpendReportProvider } from './views/spendReportProvider';
import { SpendStatus } from './views/spendStatus';
import type { FalStatusBar } from './views/statusBar';

export { createFalClient } from './auth/falClient';
export { importApiKey, offerFoundKey } from './commands/importApiKey';
export { removeSshConfigChangesCommand } from './commands/removeSshConfigChanges';
export { setApiKey } from './commands/setApiKey';
export { signOut } from './commands/signOut';

/** What activation built, handed to the features. */
export interface Core {
  readonly log: vscode.LogOutputChannel;
  readonly settings: () => Settings;
  readonly keys: ApiKeyStore;
  readonly session: FalSession;
  readonly stored: StoredState;
  readonly watching: Watching;
  readonly controller: InstancesController;
  readonly instanceKeys: InstanceKeyStore;
  readonly names: InstanceNames;
  readonly milestones: Milestones;
  readonly statusBar: FalStatusBar;
  readonly view: InstancesView;
  readonly mine: MineFilter;
  /** The commands extension.ts answers itself; every other one is answered here. */
  readonly answeredAtActivation: readonly CommandId[];
  /** Relays to the providers registered at activation (a report changed, a decoration changed). */
  readonly relay: {
    readonly gpuReport: (uri: vscode.Uri) => void;
    readonly spendReport: (uri: vscode.Uri) => void;
    readonly decorations: (uris: vscode.Uri[]) => void;
  };
}

export type Features = ReturnType<typeof startFeatures>;
type CommandHandler = (...args: unknown[]) => unknown;

/** Builds the features once (extension.ts calls it on first need); nothing here runs before. */
export function startFeatures(core: Core) {
  const { controller, stored, instanceKeys, names, log, watching, session, statusBar } = core;
  const { model } = controller;
  const settings = core.settings;
  // Each feature registers its commands through `command`: here that files the handler, and the
  // command registered at activation (commands/registerCommand.ts, which reports failures) runs it.
  const handlers = new Map<CommandId, CommandHandler>();
  const command = <A extends unknown[]>(id: CommandId, run: (...args: A) => unknown) => {
    handlers.set(id, run as unknown as CommandHandler);
    return new vscode.Disposable(() => handlers.delete(id));
  };
  // One SSH connection per instance, shared by all that run commands there (GPU sampling, setup).
  const logLine = (line: string) => log.info(line);
  const sshTransport = createSshTransport({ knownHostsFile: settings().ssh.paths.knownHosts, log: logLine });
  const connections = new SshConnections(sshTransport, logLine);
  // The GPU view: the sampler is fed here and is the only thing that samples.
  const gpu = new GpuMonitor(model, instanceKeys, settings(), log, connections, watching);
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
  const notices = new CostNotices(log);
  const machineDeps = { model, keyStore: instanceKeys, stored, connections, names, log, command, watching, settings };
  const transfer = transferFeature(machineDeps);
  // Setup on ready: the coordinator (src/setup) is the only thing that runs or reads setup on machines.
  const setup = setupFeature({
    ...machineDeps,
    uploadWorkspace: (id, key) => transfer.transfers.uploadBeforeSetup(id, key),
  });
  // Jobs: the watcher (src/jobs) is the only thing that reads jobs from the machines.
  const jobs = jobsFeature({ ...machineDeps, transfers: transfer.transfers, deleter, session });
  jobs.attach({ guard: () => cost.guard, setup: setup.monitor.coordinator, statusBar });
  const cost = new CostMonitor({
    model,
    session,
    sampler: gpu.sampler,
    idle: jobs.busyAware(gpu.idleSource),
    runningJobs: jobs.runningJobs,
    ownership,
    nameOf: (id) => names.get(id),
    ledger,
    deleter,
    state: stored,
    settings: settings().cost,
    sampleSeconds: () => gpu.settings.sampleSeconds,
    log,
    watching: core.watching,
    notices,
    results: transfer.transfers,
  });
  const costTree = new CostTreePart(cost.guard, ownership, () => settings().cost.creatorNickname, core.mine);
  const figures = new SpendFigures(ledger, model, () => ({
    hourlyUsd: settings().hourlyUsd,
    monthlyBudgetUsd: settings().cost.monthlyBudgetUsd,
  }));
  const ports = portsFeature(machineDeps);
  const gpuTree = new GpuTreePart(gpu.sampler, () => gpu.settings);
  core.view.attach({ gpu: gpuTree, cost: costTree, setup: setup.treePart, jobs: jobs.treePart, ports: ports.treePart });
  const spendStatus = new SpendStatus(statusBar, figures, model, (nick) => costTree.isMyNickname(nick), core.watching);
  const creditStatus = new CreditStatus(
    statusBar,
    controller.credit,
    model,
    () => ({ hourlyUsd: settings().hourlyUsd, warnHours: settings().creditWarnHours }),
    log,
  );
  const spendReports = new SpendReportProvider(figures, model, () => creditStatus.reportLines());
  const idleDecorations = new IdleDecorations(gpu.sampler, idleOn);
  const showIdle = () =>
    statusBar.setPart(
      IDLE_PART,
      idleOn() ? idlePart(model, gpu.sampler, settings().hourlyUsd, settings().gpu.idleMinutes) : undefined,
    );
  const reports = new GpuReportProvider(model, gpu.sampler, () => gpu.pausedNote());
  const costs = {
    projectMonth: (type: string) => figures.projection(now(), type),
    recordCreate: (i: ComputeInstance, leaseHours?: number) => {
      cost.recordCreate(i, leaseHours);
      setup.monitor.recordCreate(i.id);
    },
  };
  const deps = {
    ...{ controller, stored, keyStore: instanceKeys, names, milestones: core.milestones, log, deleter, costs },
    setup: setup.monitor.coordinator,
    results: transfer.transfers,
  };
  const disposables: { dispose(): unknown }[] = [
    new HostPruner(model, instanceKeys, log, () => readSettings().ssh.paths),
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
    reports.onDidChange(core.relay.gpuReport),
    spendReports.onDidChange(core.relay.spendReport),
    idleDecorations.onDidChangeFileDecorations(core.relay.decorations),
    gpu.sampler.onDidChangeIdle(showIdle),
    model.onDidChange(showIdle),
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
    command('fal.renameInstance', (arg?: unknown) => renameInstance(deps, arg)),
    ...gpuCommands({ model, reports, sampler: gpu.sampler, remote: deps, command }),
    ...costCommands({ model, guard: cost.guard, notices, spendReports, command }),
  ];
  showIdle();
  const unanswered = COMMAND_IDS.filter((id) => !handlers.has(id) && !core.answeredAtActivation.includes(id));
  if (unanswered.length) log.error(`Commands without a handler: ${unanswered.join(', ')}`);
  return {
    /** The handler of each command built here (every command but the few extension.ts answers itself). */
    handlers: handlers as ReadonlyMap<CommandId, CommandHandler>,
    gpuReports: reports,
    spendReports,
    idleDecorations,
    taskProvider: jobs.taskProvider,
    finishInterruptedCreates: () => finishInterruptedCreates(deps),
    settingsChanged(next: Settings): void {
      gpu.updateSettings(next);
      setup.monitor.settingsChanged();
      cost.updateSettings(next.cost);
      costTree.refresh();
      spendStatus.update();
      creditStatus.update();
      spendReports.refresh();
      idleDecorations.refreshAll();
      showIdle();
    },
    dispose(): void {
      for (const d of disposables) d.dispose();
    },
    /** Closes every SSH connection cleanly (SSH disconnect) before the host goes away. */
    async close(): Promise<void> {
      await gpu.close();
      await connections.closeAll();
    },
  };
}
