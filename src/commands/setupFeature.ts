// Setup on ready, put together for extension.ts: the monitor that feeds the coordinator, the
// terminals that follow logs, the tree part, the end notification and the two commands.
import * as l10n from '@vscode/l10n';
import type * as vscode from 'vscode';
import type { CommandTransport } from '../connections/commandTransport';
import type { CommandId } from '../core/commandIds';
import type { InstancesModel } from '../core/instancesModel';
import type { StoredState } from '../core/storedState';
import type { InstanceKeyStore } from '../instances/instanceKeyStore';
import type { NameLookup } from '../instances/instanceNames';
import { SetupMonitor } from '../instances/setupMonitor';
import type { Settings } from '../settings';
import { announceSetupEnd } from '../views/setupNotices';
import { SetupTerminals } from '../views/setupTerminal';
import { SetupTreePart } from '../views/setupTreePart';
import { runInBackground } from './registerCommand';
import { runSetupAgain } from './runSetupAgain';
import { showSetupLog } from './showSetupLog';

export interface SetupFeatureDeps {
  readonly model: InstancesModel;
  readonly keyStore: InstanceKeyStore;
  readonly stored: StoredState;
  readonly connections: CommandTransport;
  readonly settings: () => Settings;
  readonly names: NameLookup;
  readonly log: vscode.LogOutputChannel;
  readonly command: (id: CommandId, run: (arg?: unknown) => unknown) => vscode.Disposable;
  /** The workspace upload before a setup (fal.setup.uploadWorkspace); resolves with the copy's folder. */
  readonly uploadWorkspace?: (id: string, identityFile: string) => Promise<string>;
}

export function setupFeature(deps: SetupFeatureDeps) {
  const { names, log } = deps;
  const monitor = new SetupMonitor({
    ...deps,
    ended: (id, status) => runInBackground(log, l10n.t('Setup'), () => announceSetupEnd(names, id, status)),
  });
  const terminals = new SetupTerminals(monitor.coordinator, log);
  const commandDeps = { model: deps.model, names, setup: monitor, terminals };
  return {
    monitor,
    treePart: new SetupTreePart(monitor),
    disposables: [
      monitor,
      terminals,
      deps.command('fal.showSetupLog', (arg) => showSetupLog(commandDeps, arg)),
      deps.command('fal.runSetupAgain', (arg) => runSetupAgain(commandDeps, arg)),
    ],
  };
}
