// The `fal` task type: a job from tasks.json, run from Run Task or a key binding like any task. Its
// terminal is the task's own: it picks (or creates) the machine, starts the job through the same
// launcher as Run on H100, follows the log, and ends with the job's exit code. Closing it leaves
// the job running on the machine (Show Output on its row follows it again); its end — results,
// deleteWhenDone — is handled by the jobs watcher whether or not the terminal is open.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { errorText } from '../base/errorText';
import { pickRunTarget, untrustedText } from './runJob';
import { launchJob, type LaunchDeps } from './jobLauncher';
import { jobNameFor } from '../jobs/jobCommandLine';
import { jobOutcomeText } from '../jobs/jobWords';
import { readFalTask } from '../jobs/taskDefinition';
import { FAL_TASK_TYPE } from '../views/schemes';
import type { JobAnswer } from '../jobs/types';
import type { SetupLogFollower } from '../setup/logFollower';
import { followLog } from '../views/logTerminals';

export class FalTaskProvider implements vscode.TaskProvider {
  constructor(private readonly deps: LaunchDeps) {}

  /** fal tasks are the user's, in tasks.json: none is made up here. */
  provideTasks(): vscode.Task[] {
    return [];
  }

  resolveTask(task: vscode.Task): vscode.Task {
    return new vscode.Task(
      task.definition,
      task.scope ?? vscode.TaskScope.Workspace,
      task.name,
      FAL_TASK_TYPE,
      new vscode.CustomExecution(async (definition) => taskTerminal(this.deps, definition)),
    );
  }
}

function taskTerminal(deps: LaunchDeps, definition: vscode.TaskDefinition): vscode.Pseudoterminal {
  const write = new vscode.EventEmitter<string>();
  const done = new vscode.EventEmitter<number>();
  const line = (text: string) => write.fire(`${text.replace(/\r?\n/g, '\r\n')}\r\n`);
  let follower: SetupLogFollower<JobAnswer> | undefined;
  let release: (() => Promise<void>) | undefined;
  let closed = false;
  const run = async (): Promise<number> => {
    if (!vscode.workspace.isTrusted) return (line(untrustedText()), 1);
    const read = readFalTask(definition);
    if ('problem' in read) return (line(read.problem), 2);
    const task = read.task;
    const id = await pickRunTarget(deps, task.instanceType);
    if (!id || closed) return (line(l10n.t('Nothing was started.')), 1);
    const name = task.name ?? jobNameFor(task.command);
    const started = await launchJob(deps, {
      id,
      command: task.command,
      name,
      deleteWhenDone: task.deleteWhenDone,
      ...(task.results ? { results: task.results } : {}),
    });
    if (!started) return (line(l10n.t('Nothing was started.')), 1);
    line(l10n.t`[job ${name} started on ${deps.names.get(id) ?? id}; closing this terminal leaves it running]`);
    const lent = await deps.jobs.watcher.lend(started.target);
    release = lent.release;
    return new Promise<number>((resolve) => {
      follower = followLog(
        { readLog: (start, max) => lent.jobs.readLog(started.jobId, start, max) },
        {
          logPath: `~/.fal/jobs/${started.jobId}/log`,
          write: (text) => write.fire(text),
          endLine: (status: JobAnswer) =>
            status.kind === 'none' || status.kind === 'unknown' ? undefined : `[${jobOutcomeText(status)}]`,
          onEnd: (status) => resolve(status.kind === 'exited' ? status.exitCode : 1),
          onReadFailed: (reason) => deps.log.info(`Task log ${started.jobId}: read failed, trying again (${reason})`),
        },
      );
    });
  };
  return {
    onDidWrite: write.event,
    onDidClose: done.event,
    open: () =>
      void run().then(
        (code) => {
          void release?.();
          done.fire(code);
        },
        (e: unknown) => {
          line(errorText(e));
          void release?.();
          done.fire(1);
        },
      ),
    close: () => {
      closed = true;
      follower?.stop();
      void release?.();
    },
  };
}
