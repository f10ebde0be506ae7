// Starting a job from VS Code, for Run on H100 and the `fal` task alike: the machine's key, its
// setup (a job waits for the environment it needs), the workspace up (only what changed), then the
// command started detached in the machine's copy, remembered for its end, and its row and
// terminal. Every step that does not finish stops the run with words that say why; nothing is
// started on a machine whose upload did not finish.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { errorText } from '../base/errorText';
import type { SshTarget } from '../connections/types';
import type { InstanceKeyStore } from '../instances/instanceKeyStore';
import type { NameLookup } from '../instances/instanceNames';
import type { JobBook, StartedJob } from '../instances/jobBook';
import type { JobsMonitor } from '../instances/jobsMonitor';
import type { WorkspaceTransfers } from '../instances/workspaceTransfers';
import { transferFolder } from '../instances/workspaceTransfers';
import { CommandError } from './registerCommand';
import { chooseKey } from '../remote/hostPreparation';
import type { SetupWaiter } from '../remote/setupWait';
import { setupRowText } from '../setup/setupWords';
import { showWarningMessage } from '../notifications';
import type { InstancesModel } from '../core/instancesModel';

export interface LaunchDeps {
  readonly model: InstancesModel;
  readonly keyStore: InstanceKeyStore;
  readonly names: NameLookup;
  readonly log: vscode.LogOutputChannel;
  readonly jobs: JobsMonitor;
  readonly book: JobBook;
  readonly transfers: WorkspaceTransfers;
  readonly setup?: SetupWaiter;
}

export interface LaunchRequest extends StartedJob {
  readonly id: string;
  readonly command: string;
}

/** Starts the job; resolves with its target and id, or undefined when the user stopped on the way. Throws CommandError with the reason otherwise. */
export async function launchJob(
  deps: LaunchDeps,
  request: LaunchRequest,
): Promise<{ target: SshTarget; jobId: string } | undefined> {
  const { id } = request;
  const machine = deps.names.get(id) ?? id;
  if (!(await chooseKey(deps, id))) return undefined;
  const target = requireTarget(deps, id);
  if (!(await setupSettled(deps, id, machine))) return undefined;
  const folder = transferFolder();
  if (!folder) throw new CommandError(l10n.t('Open a folder first: a job runs the open folder’s code on the machine.'));
  await deps.transfers.upload(id, target.identityFile);
  const workdir = deps.transfers.remoteDirOf(folder);
  const lent = await deps.jobs.watcher.lend(target).catch((e: unknown) => {
    throw new CommandError(l10n.t`Cannot reach ${machine}: ${errorText(e)}`);
  });
  try {
    const outcome = await lent.jobs.start({ name: request.name, command: request.command, workdir });
    if (outcome.kind === 'missingTool')
      throw new CommandError(l10n.t`${machine} lacks ${outcome.tool}, which a job needs: nothing was started.`);
    if (outcome.kind === 'failed')
      throw new CommandError(
        l10n.t`The job could not be started on ${machine} (${outcome.step}): is its disk full? Nothing runs.`,
      );
    deps.log.info(`Job ${outcome.jobId} started on ${id} in ~/${workdir}: ${JSON.stringify(request.name)}`);
    await deps.book.recordStart(id, outcome.jobId, {
      name: request.name,
      deleteWhenDone: request.deleteWhenDone,
      ...(request.results ? { results: request.results } : {}),
    });
    deps.jobs.watcher.expect(id, outcome.jobId);
    void deps.jobs.watcher.refresh(id);
    return { target, jobId: outcome.jobId };
  } finally {
    await lent.release();
  }
}

/** The machine as an SSH target with its key (Run, Stop, Show Output); a CommandError when it is not ready or no key is known. */
export function requireTarget(deps: Pick<LaunchDeps, 'jobs' | 'names'>, id: string): SshTarget {
  const target = deps.jobs.target(id);
  if (!target) throw new CommandError(l10n.t`${deps.names.get(id) ?? id} is not reachable now (not ready, or no key).`);
  return target;
}

/** Waits for the machine's setup (a progress notification, cancellable); asks before running on a failed one. */
async function setupSettled(deps: LaunchDeps, id: string, machine: string): Promise<boolean> {
  if (!deps.setup?.pending(id)) return true;
  const setup = deps.setup;
  const status = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: l10n.t`Waiting for the setup of ${machine}: the job starts when it ends`,
      cancellable: true,
    },
    (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return setup.waitUntilSettled(id, abort.signal).catch(() => 'cancelled' as const);
    },
  );
  if (status === 'cancelled') return false;
  if (!status || status.kind === 'none' || (status.kind === 'exited' && status.exitCode === 0)) return true;
  const run = l10n.t('Run Anyway');
  const answer = await showWarningMessage(
    l10n.t`${machine}: ${setupRowText(status, 0, 0) ?? ''}. Run the job anyway?`,
    run,
  );
  return answer === run;
}
