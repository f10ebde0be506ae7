// Jobs (Run on H100, the `fal` task), put together for extension.ts: the watcher that reads jobs
// from the machines, what this VS Code remembers of them, their terminals, rows and status part,
// what happens when one ends, the commands, and the answers the cost guard asks (a running job
// makes its machine busy: never idle, never auto-deleted).
import * as l10n from '@vscode/l10n';
import type * as vscode from 'vscode';
import { realTimers } from '../base/timers';
import type { FalApi } from '../auth/falClient';
import type { CommandId } from '../core/commandIds';
import { hourlyRate } from '../core/costEstimate';
import type { StoredState } from '../core/storedState';
import { busyAwareIdle } from '../cost/busyIdle';
import type { IdleSource } from '../cost/types';
import type { InstanceDeleter } from '../instances/instanceDeleter';
import type { NameLookup } from '../instances/instanceNames';
import { JobBook } from '../instances/jobBook';
import { jobEnded } from '../instances/jobEnds';
import { JobsMonitor, type JobsMonitorDeps } from '../instances/jobsMonitor';
import type { WorkspaceTransfers } from '../instances/workspaceTransfers';
import type { SetupWaiter } from '../remote/setupWait';
import type { Settings } from '../settings';
import { FalTaskProvider } from './falTasks';
import { JobTerminals } from '../views/jobTerminals';
import { JobsTreePart } from '../views/jobsTreePart';
import { jobsPart } from '../views/jobsStatus';
import type { FalStatusBar } from '../views/statusBar';
import { downloadJobResults, runJobAgain, showJobOutput, stopJob } from './jobActions';
import { runInBackground } from './registerCommand';
import { runJobCommand } from './runJob';

/** What the monitor needs (but what is made here: its SSH settings and what a job's end does), and more. */
export interface JobsFeatureDeps extends Omit<JobsMonitorDeps, 'ssh' | 'ended'> {
  readonly stored: StoredState;
  readonly names: NameLookup;
  readonly command: (id: CommandId, run: (arg?: unknown) => unknown) => vscode.Disposable;
  readonly settings: () => Settings;
  readonly transfers: WorkspaceTransfers;
  readonly deleter: InstanceDeleter;
  readonly session: { requireClient(): Promise<FalApi> };
}

/** What jobs learn after the cost guard, setup and the status bar exist (they are built with jobs' answers). */
export interface JobsAttachments {
  readonly guard: () => { isProtected(id: string): boolean };
  readonly setup: SetupWaiter;
  readonly statusBar: Pick<FalStatusBar, 'setPart'>;
}

export function jobsFeature(deps: JobsFeatureDeps) {
  const { log, model } = deps;
  const book = new JobBook(deps.stored, realTimers, (e) => log.error(`Could not save jobs: ${String(e)}`));
  const hourlyUsd = (id: string) => {
    const type = model.get(id)?.instance.instance_type;
    return type ? hourlyRate(type, deps.settings().hourlyUsd) : undefined;
  };
  const monitor: JobsMonitor = new JobsMonitor({
    ...deps,
    ssh: () => deps.settings().ssh,
    ended: (id, status, gone) => runInBackground(log, l10n.t('Job'), () => jobEnded(endDeps, id, status, gone)),
  });
  let attached: JobsAttachments | undefined;
  const endDeps = {
    ...deps,
    book,
    jobs: monitor,
    hourlyUsd,
    requireClient: () => deps.session.requireClient(),
    // Until the guard is attached nothing is known of protection: a delete is then refused.
    isProtected: (id: string) => attached?.guard().isProtected(id) ?? true,
    get setup() {
      return attached?.setup;
    },
  };
  const terminals = new JobTerminals(monitor.watcher, book, log);
  const actionDeps = {
    ...endDeps,
    terminals,
    stopGraceSeconds: () => deps.settings().jobs.stopGraceSeconds,
  };
  const showCount = () => attached?.statusBar.setPart('jobs', jobsPart(monitor.watcher.runningCount()));
  return {
    monitor,
    attach: (a: JobsAttachments) => void (attached = a),
    treePart: new JobsTreePart(monitor, hourlyUsd),
    /** The `fal` task type's provider (registered at activation, answered from here). */
    taskProvider: new FalTaskProvider(endDeps),
    /** The GPU view's idle signal, with a machine where a job runs (or whose jobs are not known) never idle. */
    busyAware: (idle: IdleSource): IdleSource =>
      busyAwareIdle(idle, { hasRunning: (id) => monitor.watcher.hasRunning(id), onDidChange: monitor.onDidChange }),
    /** A fresh listing for the re-check before an auto-delete: the names of the running jobs, undefined when unreadable. */
    runningJobs: async (id: string): Promise<readonly string[] | undefined> =>
      (await monitor.freshRunning(id))?.map((j) => j.run.name),
    disposables: [
      monitor,
      terminals,
      monitor.onDidChange(showCount),
      deps.command('fal.runJob', (arg) => runJobCommand(actionDeps, arg)),
      deps.command('fal.job.showOutput', (arg) => showJobOutput(actionDeps, arg)),
      deps.command('fal.job.stop', (arg) => stopJob(actionDeps, arg)),
      deps.command('fal.job.runAgain', (arg) => runJobAgain(actionDeps, arg)),
      deps.command('fal.job.downloadResults', (arg) => downloadJobResults(actionDeps, arg)),
    ],
  };
}
