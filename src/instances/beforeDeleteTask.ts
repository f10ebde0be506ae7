// `fal.idle.beforeDelete`, run where the user sees it: a VS Code task whose terminal shows the
// command and its output, in the first workspace folder (the home folder when none is open). Its
// exit code decides: the cost guard deletes only after a 0. A task that ends without an exit code
// (it could not start, the user killed it) is a failure, never a pass.
import { randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { realTimers } from '../base/timers';

export const BEFORE_DELETE_TASK_TYPE = 'fal-before-delete';

export function runBeforeDeleteTask(command: string, instanceId: string): Promise<number> {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  const runId = randomUUID();
  const task = new vscode.Task(
    { type: BEFORE_DELETE_TASK_TYPE, instanceId, runId },
    folder ?? vscode.TaskScope.Global,
    `beforeDelete ${instanceId}`, // l10n-exempt: the task's name is the setting's name and the instance id, no words
    'fal Compute', // l10n-exempt: the task's source is the product's name, as the "fal Compute" log is named
    new vscode.ShellExecution(command, { cwd: folder?.uri.fsPath ?? homedir() }),
  );
  task.presentationOptions = {
    reveal: vscode.TaskRevealKind.Always,
    focus: false,
    panel: vscode.TaskPanelKind.Dedicated,
    clear: true,
    showReuseMessage: false,
  };
  const ours = (execution: vscode.TaskExecution) => execution.task.definition.runId === runId;

  return new Promise<number>((resolve, reject) => {
    let settled = false;
    const done = (finish: () => void) => {
      if (settled) return;
      settled = true;
      for (const s of subscriptions) s.dispose();
      finish();
    };
    const subscriptions = [
      vscode.tasks.onDidEndTaskProcess((e) => {
        if (!ours(e.execution)) return;
        done(() =>
          e.exitCode === undefined
            ? reject(new Error(l10n.t('the task ended without an exit code')))
            : resolve(e.exitCode),
        );
      }),
      // A task whose process never started ends without onDidEndTaskProcess; give that event its turn first.
      vscode.tasks.onDidEndTask((e) => {
        if (ours(e.execution))
          realTimers.setTimeout(
            () => done(() => reject(new Error(l10n.t('the task ended without running its command')))),
            0,
          );
      }),
    ];
    vscode.tasks
      .executeTask(task)
      .then(undefined, (error: unknown) =>
        done(() => reject(error instanceof Error ? error : new Error(String(error)))),
      );
  });
}
