// When a job seen running ends: one notification with its outcome, duration and estimated cost;
// for a job started here, its results brought home; and, when its task asked (deleteWhenDone), the
// machine deleted through the one delete path after a fresh look — never when the job failed
// (unless "always"), another job runs there, the machine is protected, the results did not all
// come home, or anything of that cannot be checked now.
import * as l10n from '@vscode/l10n';
import type * as vscode from 'vscode';
import type { FalApi } from '../auth/falClient';
import { errorText } from '../base/errorText';
import type { InstancesModel } from '../core/instancesModel';
import { deleteAfterFreshLook, DeleteRefused } from '../cost/freshDelete';
import { saveOutcome } from '../cost/resultsStep';
import { executeFalCommand } from '../falCommands';
import { jobEndText, lostDetail } from '../jobs/jobWords';
import { endDecision, type EndDecision } from '../jobs/taskDefinition';
import type { JobStatus } from '../jobs/types';
import { showInformationMessage, showWarningMessage } from '../notifications';
import type { InstanceDeleter } from './instanceDeleter';
import type { NameLookup } from './instanceNames';
import type { JobBook } from './jobBook';
import type { JobsMonitor } from './jobsMonitor';
import type { WorkspaceTransfers } from './workspaceTransfers';

export interface JobEndDeps {
  readonly model: InstancesModel;
  readonly names: NameLookup;
  readonly log: vscode.LogOutputChannel;
  readonly book: JobBook;
  readonly jobs: JobsMonitor;
  readonly transfers: WorkspaceTransfers;
  readonly deleter: InstanceDeleter;
  readonly requireClient: () => Promise<FalApi>;
  readonly isProtected: (id: string) => boolean;
  readonly hourlyUsd: (id: string) => number | undefined;
}

export async function jobEnded(deps: JobEndDeps, id: string, status: JobStatus, machineGone: boolean): Promise<void> {
  const machine = deps.names.get(id) ?? id;
  const job = { kind: 'job', id, jobId: status.run.runId };
  deps.log.info(`Job ${id}/${status.run.runId} ended: ${status.kind}${machineGone ? ' (machine gone)' : ''}`);
  if (machineGone) {
    void showWarningMessage(l10n.t`Job ${status.run.name} on ${machine} was lost.` + ' ' + lostDetail(true));
    return;
  }
  const started = deps.book.started(id, status.run.runId);
  const text = jobEndText(status.run.name, machine, status, deps.hourlyUsd(id));
  const showOutput = l10n.t('Show Output');
  const succeeded = status.kind === 'exited' && status.exitCode === 0 && !status.stopped;
  void (succeeded ? showInformationMessage(text, showOutput) : showWarningMessage(text, showOutput)).then(
    (choice) => choice === showOutput && executeFalCommand('fal.job.showOutput', job),
  );
  if (!started) return; // another window's job: that window brings its results home
  const globs = started.results;
  const hasResults = globs ? globs.length > 0 : deps.transfers.configured();
  let resultsHome = true;
  if (hasResults) {
    const title = l10n.t`Bringing the results of ${status.run.name} home from ${machine}`;
    const saved = await saveOutcome(deps.transfers, id, undefined, { title, ...(globs ? { globs } : {}) });
    resultsHome = saved.kind === 'saved';
    if (saved.kind === 'failed')
      void showWarningMessage(l10n.t`The results of ${status.run.name} did not all come home: ${saved.reason}`);
  }
  if (started.deleteWhenDone === 'never') return;
  const decision = endDecision({
    deleteWhenDone: started.deleteWhenDone,
    succeeded,
    otherJobsRunning: (await deps.jobs.freshRunning(id))?.some((j) => j.run.runId !== status.run.runId),
    isProtected: deps.isProtected(id),
    resultsHome,
  });
  deps.log.info(
    `Job ${id}/${status.run.runId}: deleteWhenDone ${started.deleteWhenDone} → ${JSON.stringify(decision)}`,
  );
  if (decision.kind === 'keep') {
    void showWarningMessage(l10n.t`${machine} is kept running (it bills): ${keepText(decision)}.`);
    return;
  }
  await deleteMachine(deps, id, status, hasResults);
}

async function deleteMachine(deps: JobEndDeps, id: string, status: JobStatus, resultsSaved: boolean): Promise<void> {
  const machine = deps.names.get(id) ?? id;
  const gate = {
    check: () => (deps.isProtected(id) ? l10n.t('it was protected meanwhile') : undefined),
    beforeSend: () => {
      if (deps.isProtected(id)) throw new DeleteRefused(l10n.t('it was protected meanwhile'));
    },
  };
  try {
    await deleteAfterFreshLook(
      {
        listed: (i) => deps.model.get(i)?.instance,
        requireClient: deps.requireClient,
        send: async (client, i, g) => {
          const saved = new Set(resultsSaved ? [i] : []);
          // l10n-exempt: the delete's log line, English
          const { failed } = await deps.deleter.delete(client, [i], ' (the job is done)', g, saved);
          if (failed.length) throw failed[0]!.error;
        },
      },
      id,
      gate,
    );
    void showInformationMessage(l10n.t`${machine} was deleted: its job ${status.run.name} is done (deleteWhenDone).`);
  } catch (e) {
    deps.log.warn(`deleteWhenDone of ${id} not done: ${errorText(e)}`);
    void showWarningMessage(l10n.t`${machine} was not deleted and still bills: ${errorText(e)}`);
  }
}

function keepText(decision: EndDecision & { kind: 'keep' }): string {
  switch (decision.reason) {
    case 'failed':
      return l10n.t('the job did not succeed (deleteWhenDone "always" deletes anyway)');
    case 'otherJobs':
      return l10n.t('another job runs there, or its jobs could not be checked');
    case 'protected':
      return l10n.t('it is protected');
    case 'noResults':
      return l10n.t('its results did not all come home');
    case 'notAsked':
      return l10n.t('deleteWhenDone is off');
  }
}
