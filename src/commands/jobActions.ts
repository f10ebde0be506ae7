// What a job row offers: Show Output (its log terminal, from where it stopped), Stop (SIGTERM to
// its process group, SIGKILL after fal.jobs.stopGraceSeconds, both sent by the machine itself),
// Run Again (the same command, a new job) and Download Results (the instance's, per the job's own
// results when it was a task).
import * as l10n from '@vscode/l10n';
import { errorText } from '../base/errorText';
import { saveOutcome } from '../cost/resultsStep';
import { showInformationMessage } from '../notifications';
import type { JobNode } from '../views/jobsTreePart';
import { executeFalCommand } from '../falCommands';
import { requireTarget } from './jobLauncher';
import { CommandError } from './registerCommand';
import { startAndFollow, type RunJobDeps } from './runJob';
import type { JobStatus } from '../jobs/types';

export interface JobActionDeps extends RunJobDeps {
  readonly stopGraceSeconds: () => number;
}

/** The job a row (or a notification's button) names, as last listed; undefined for anything else. */
function jobOf(deps: JobActionDeps, arg: unknown): { node: JobNode; status: JobStatus } | undefined {
  if (!arg || typeof arg !== 'object' || (arg as { kind?: unknown }).kind !== 'job') return undefined;
  const node = arg as JobNode;
  if (typeof node.id !== 'string' || typeof node.jobId !== 'string') return undefined;
  const status = deps.jobs.watcher.known(node.id)?.jobs.find((j) => j.run.runId === node.jobId);
  return status ? { node, status } : undefined;
}

function requireJob(deps: JobActionDeps, arg: unknown): { node: JobNode; status: JobStatus } {
  const job = jobOf(deps, arg);
  if (!job) throw new CommandError(l10n.t('Choose a job in the Instances view (under its machine).'));
  return job;
}

export function showJobOutput(deps: JobActionDeps, arg: unknown): void {
  const { node, status } = requireJob(deps, arg);
  deps.terminals.show(requireTarget(deps, node.id), node.jobId, status.run.name);
}

export async function stopJob(deps: JobActionDeps, arg: unknown): Promise<void> {
  const { node, status } = requireJob(deps, arg);
  const lent = await deps.jobs.watcher.lend(requireTarget(deps, node.id)).catch((e: unknown) => {
    throw new CommandError(l10n.t`Cannot reach the machine: ${errorText(e)}`);
  });
  try {
    const outcome = await lent.jobs.stop(node.jobId, deps.stopGraceSeconds());
    deps.log.info(`Stop ${node.id}/${node.jobId}: ${JSON.stringify(outcome)}`);
    if (outcome.kind === 'failed') throw new CommandError(l10n.t`The job could not be stopped: ${outcome.detail}`);
    if (outcome.kind === 'notRunning') void showInformationMessage(l10n.t`${status.run.name} had already ended.`);
  } finally {
    await lent.release();
  }
  await deps.jobs.watcher.refresh(node.id);
}

export async function runJobAgain(deps: JobActionDeps, arg: unknown): Promise<void> {
  const { node, status } = requireJob(deps, arg);
  const before = deps.book.started(node.id, node.jobId);
  await startAndFollow(deps, {
    id: node.id,
    command: status.run.command,
    name: status.run.name,
    deleteWhenDone: before?.deleteWhenDone ?? 'never',
    ...(before?.results ? { results: before.results } : {}),
  });
}

export async function downloadJobResults(deps: JobActionDeps, arg: unknown): Promise<void> {
  const { node, status } = requireJob(deps, arg);
  const globs = deps.book.started(node.id, node.jobId)?.results;
  if (!globs) return void (await executeFalCommand('fal.downloadResults', node.id));
  // A task's own results: brought home like the delete paths do, and the outcome said.
  const title = l10n.t`Downloading the results of ${status.run.name}`;
  const outcome = await saveOutcome(deps.transfers, node.id, undefined, { globs, title });
  if (outcome.kind === 'failed') throw new CommandError(l10n.t`Not all results came home: ${outcome.reason}`);
  void showInformationMessage(l10n.t`Results of ${deps.names.get(node.id) ?? node.id} are home.`);
}
