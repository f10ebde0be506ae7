// Wiring only: what activation needs is made here — the Instances view and what its first paint
// needs (the session, the list and its one poller, the status bar) — and every command is
// registered here, through the one helper that logs and shows errors (commands/registerCommand.ts).
// The rest is src/features.ts, in its own file (dist/features.js, esbuild.mjs): its code is
// required on first use, and its features built once, on first need (core/firstNeed.ts).
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { ApiKeyStore } from './auth/apiKeyStore';
import { FalSession, type ClientFactory } from './auth/falSession';
import { COMMAND_IDS, errorTitles, type CommandId } from './core/commandIds';
import { featuresNeeded } from './core/firstNeed';
import { StoredState } from './core/storedState';
import { refresh } from './commands/refresh';
import { registerCommand, runInBackground } from './commands/registerCommand';
import { plainTextLog } from './core/plainLog';
import { InstanceKeyStore } from './instances/instanceKeyStore';
import { InstanceNames } from './instances/instanceNames';
import { InstancesController } from './instances/instancesController';
import { Watching } from './instances/watching';
import { NamePruner } from './instances/namePruner';
import { affectsSettings, readSettings } from './settings';
import { GettingStarted } from './views/gettingStarted';
import { InstancesView } from './views/instancesView';
import { MineFilter } from './views/mineFilter';
import { FAL_TASK_TYPE, GPU_REPORT_SCHEME, SPEND_REPORT_SCHEME } from './views/schemes';
import { FalStatusBar } from './views/statusBar';
import type { Core, Features } from './features';

type FeaturesCode = typeof import('./features');
let started: Features | undefined;

/** dist/features.js: a function of the namespaces of the modules it shares with this bundle (esbuild.mjs). */
function loadFeaturesCode(): FeaturesCode {
  const shared = (require('fal-shared-modules') as { default: unknown }).default;
  return (require('./features.js') as (shared: unknown) => FeaturesCode)(shared);
}

export function activate(context: vscode.ExtensionContext): void {
  // Every floor words what it shows through @vscode/l10n's `l10n.t` (pure floors cannot import
  // vscode); it gets VS Code's bundle for the display language before anything is worded.
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const version: string = context.extension.packageJSON.version;
  const log = plainTextLog(vscode.window.createOutputChannel(l10n.t('fal Compute'), { log: true }));
  let settings = readSettings();
  let loaded: FeaturesCode | undefined;
  const code = () => (loaded ??= loadFeaturesCode());
  const keys = new ApiKeyStore(context.secrets);
  const makeClient: ClientFactory = (...args) => code().createFalClient(...args);
  const session = new FalSession(keys, log, version, () => settings.apiBaseUrl, makeClient);
  const stored = new StoredState(context.globalState, (line) => log.warn(line));
  // Whether someone looks (the view visible, the window focused): fed here once, followed by every watcher.
  const watching = new Watching(vscode.window, (e) => log.error('A follower of the view and window failed:', e));
  const controller = new InstancesController(session, log, settings, stored, watching);
  const instanceKeys = new InstanceKeyStore(stored);
  const names = new InstanceNames(stored, () => session.account);
  const titles = errorTitles(context.extension.packageJSON);
  const title = (id: CommandId) => titles.get(id) ?? id;
  const command = <A extends unknown[]>(id: CommandId, run: (...args: A) => unknown) =>
    registerCommand(log, id, title(id), run);
  const statusBar = new FalStatusBar(controller.model, settings.hourlyUsd);
  const mine = new MineFilter(stored);
  const relays = {
    gpuReport: new vscode.EventEmitter<vscode.Uri>(),
    spendReport: new vscode.EventEmitter<vscode.Uri>(),
    decorations: new vscode.EventEmitter<vscode.Uri[]>(),
  };
  // The features, built the first time they are needed (before the view redraws: this listener comes first).
  const features = (): Features => (started ??= code().startFeatures(core));
  const needed = () => {
    // Asked on every change of the list: once the features are built, nothing more (no sort of the rows).
    if (started) return;
    const rows = controller.model.list().length;
    const { monthlyBudgetUsd } = settings.cost;
    if (featuresNeeded({ state: controller.model.state.kind, rows, monthlyBudgetUsd })) features();
  };
  const firstNeed = [controller.model.onDidChange(needed), controller.credit.onDidChange(() => features())];
  const view = new InstancesView(controller.model, settings, names, mine);
  const milestones = new GettingStarted(session, stored);
  const core: Core = {
    ...{ log, settings: () => settings, keys, session, stored, watching, controller, instanceKeys, names },
    ...{ milestones, statusBar, view, mine },
    get answeredAtActivation() {
      return Object.keys(answeredHere) as CommandId[];
    },
    relay: {
      gpuReport: (uri) => relays.gpuReport.fire(uri),
      spendReport: (uri) => relays.spendReport.fire(uri),
      decorations: (uris) => relays.decorations.fire(uris),
    },
  };
  watching.attachView(view.treeView);
  const keyDeps = { keys, log, version };
  // Answered here; every other command by the features (built on their first command).
  const answeredHere: Partial<Record<CommandId, (...args: never[]) => unknown>> = {
    'fal.showLogs': () => log.show(true),
    'fal.setApiKey': () => code().setApiKey(keyDeps),
    'fal.importApiKey': () => code().importApiKey(keyDeps),
    'fal.signOut': () => code().signOut(keys, log),
    'fal.refresh': () => refresh(controller),
    'fal.removeSshConfigChanges': () => code().removeSshConfigChangesCommand(log),
    'fal.filterMine': () => mine.set(true),
    'fal.filterAll': () => mine.set(false),
  };
  const runFeature = (id: CommandId, args: unknown[]) => {
    const run = features().handlers.get(id);
    // l10n-exempt: a bug's message (every command has its handler in features.ts), logged with its stack
    if (!run) throw new Error(`${id} has no handler`);
    return run(...args);
  };

  let importOffered = false;
  const offerImportOnce = () => {
    if (importOffered || !watching.visible) return;
    importOffered = true;
    runInBackground(log, title('fal.importApiKey'), async () => {
      if (!(await keys.get())) await code().offerFoundKey(keyDeps);
    });
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
    new NamePruner(controller.model, names, () => session.account, log),
    session.onDidChange(() => names.accountChanged()),
    ...firstNeed,
    { dispose: () => started?.dispose() },
    ...Object.values(relays),
    vscode.window.registerFileDecorationProvider({
      onDidChangeFileDecorations: relays.decorations.event,
      // Nothing is idle before the GPU view is built: no decoration, and nothing built for it.
      provideFileDecoration: (uri) => started?.idleDecorations.provideFileDecoration(uri),
    }),
    vscode.workspace.registerTextDocumentContentProvider(GPU_REPORT_SCHEME, {
      onDidChange: relays.gpuReport.event,
      provideTextDocumentContent: (uri) => features().gpuReports.provideTextDocumentContent(uri),
    }),
    vscode.workspace.registerTextDocumentContentProvider(SPEND_REPORT_SCHEME, {
      onDidChange: relays.spendReport.event,
      provideTextDocumentContent: () => features().spendReports.provideTextDocumentContent(),
    }),
    vscode.tasks.registerTaskProvider(FAL_TASK_TYPE, {
      provideTasks: () => features().taskProvider.provideTasks(),
      resolveTask: (task) => features().taskProvider.resolveTask(task),
    }),
    ...COMMAND_IDS.map((id) => command(id, answeredHere[id] ?? ((...args: unknown[]) => runFeature(id, args)))),
    watching.onDidChange(offerImportOnce),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!affectsSettings(e)) return;
      settings = readSettings();
      controller.updateSettings(settings);
      view.setOptions(settings);
      statusBar.setRates(settings.hourlyUsd);
      // A feature's setting changed: they are built now if they were not (their own setting is what they follow).
      if (started) started.settingsChanged(settings);
      else features();
    }),
  );
  needed();
  offerImportOnce();
  // A create a window reload interrupted is finished now (the features record it: they are built for it).
  if (Object.keys(stored.get('fal.pendingCreates')).length)
    runInBackground(log, l10n.t('Finishing an interrupted create'), () => features().finishInterruptedCreates());
  log.info(`fal Compute ${version} activated`);
}

/** Closes every SSH connection cleanly (SSH disconnect) before the host goes away. */
export async function deactivate(): Promise<void> {
  await started?.close();
}
