// Setup on ready, put together for extension.ts: the monitor that feeds the coordinator, the
// terminals that follow logs, the tree part, the end notification and the two commands.
import * as l10n from '@vscode/l10n';
import type * as vscode from 'vscode';
import type { CommandId } from '../core/commandIds';
import { SetupMonitor, type SetupMonitorDeps } from '../instances/setupMonitor';
import { announceSetupEnd } from '../views/setupNotices';
import { SetupTerminals } from '../views/setupTerminal';
import { SetupTreePart } from '../views/setupTreePart';
import { runInBackground } from './registerCommand';
import { runSetupAgain } from './runSetupAgain';
import { showSetupLog } from './showSetupLog';

/** What the monitor needs (but its end notification, made here), and how to register a command. */
export interface SetupFeatureDeps extends Omit<SetupMonitorDeps, 'ended'> {
  readonly command: (id: CommandId, run: (arg?: unknown) => unknown) => vscode.Disposable;
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
