// The last steps of an auto-delete or a lease's delete, after the countdown ran out: look at the
// machine (idle only), bring its results home (when `fal.results.paths` is set: "results first",
// issue 19 item 5), look again, run the user's beforeDelete command, look again, delete. A save
// that failed or threw leaves the machine running. Safe by construction: the guard's `blocker()`
// is asked again before every step, after every `await` on the way to the request (the save, the
// host's fresh look, freshDelete.ts) and right before the request itself is sent, so a setting
// turned off, a Protect, a cancelled countdown, an instance that woke up or vanished while we
// waited stops it. Every step and every refusal is logged with its reason.
import * as l10n from '@vscode/l10n';
import { errorText } from '../base/errorText';
import { substituteBeforeDelete } from './beforeDeleteCommand';
import { DeleteRefused, passGate, type DeleteGate } from './freshDelete';
import { judgeRecheck, type InspectResult } from './recheck';
import type { ResultsSaver } from './resultsFirst';
import { resultsFirst, type DeleteNote } from './resultsStep';

export interface AutoDeleteHost {
  inspect(instanceId: string): Promise<InspectResult>;
  /** Runs the (already substituted) command where the user can see it; resolves with its exit code. */
  runBeforeDelete(command: string, instanceId: string): Promise<number>;
  /** Brings results home before a delete; absent (or not configured): there is nothing to bring. */
  readonly results?: ResultsSaver;
  /**
   * Deletes the instance (the VS Code side does a fresh GET first and refuses if it changed),
   * asking `gate` after every `await` and right before the request, which is sent once. Throws
   * DeleteRefused when it did not send the request for a reason. `note` goes to the spend ledger.
   */
  deleteInstance(instanceId: string, gate: DeleteGate, note?: DeleteNote): Promise<void>;
}

export interface AutoDeleteJob {
  readonly instanceId: string;
  /** The instance's address, for `${host}`. */
  readonly host: string | undefined;
  readonly gpuPercent: number;
  /**
   * Whether to look at the machine first (idle, no GPU process, nobody logged in): the idle
   * auto-delete's premise. A lease's is the time the user chose, so it skips this look.
   */
  readonly recheckMachine: boolean;
  /** `fal.idle.beforeDelete` as it was when the countdown ran out ('' for none). */
  readonly beforeDelete: string;
  /** Why deleting now would be wrong, or undefined. Synchronous, re-evaluated before each step. */
  blocker(): string | undefined;
  /** Called synchronously right before the request is sent (the guard records "attempted"). */
  willDelete(): void;
  log(message: string): void;
}

export type AutoDeleteOutcome =
  | { readonly kind: 'deleted' }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

export async function runAutoDelete(job: AutoDeleteJob, host: AutoDeleteHost): Promise<AutoDeleteOutcome> {
  // Asked once: results paths set while we delete stop it (like a changed beforeDelete), never skip the save.
  const saver = host.results?.configured() ? host.results : undefined;
  const blocker = (): string | undefined =>
    job.blocker() ??
    (!saver && host.results?.configured() ? l10n.t('fal.results.paths was set while deleting') : undefined);
  const stop = (): AutoDeleteOutcome | undefined => {
    const reason = blocker();
    return reason === undefined ? undefined : { kind: 'refused', reason };
  };
  const recheck = async (when: string): Promise<AutoDeleteOutcome | undefined> => {
    const blocked = stop();
    if (blocked || !job.recheckMachine) return blocked;
    job.log(`re-checking the machine ${when}`);
    let result: InspectResult;
    try {
      result = await host.inspect(job.instanceId);
    } catch (error) {
      result = { ok: false, error: errorText(error) };
    }
    const verdict = judgeRecheck(result, job.gpuPercent);
    if (!verdict.ok) return { kind: 'refused', reason: verdict.reason };
    job.log(`re-check passed: ${verdict.summary}`);
    return stop();
  };

  // l10n-exempt: log line only (recheck's `when` goes into job.log)
  const first = await recheck('before deleting');
  if (first) return first;

  // Results first: a failed (or thrown) save refuses; a save can take minutes, so look again after it.
  if (saver) {
    const refusal = await resultsFirst(saver, job.instanceId, (m) => job.log(m));
    if (refusal !== undefined) return { kind: 'refused', reason: refusal };
    // l10n-exempt: log line only (recheck's `when` goes into job.log)
    const afterSave = await recheck('after saving the results');
    if (afterSave) return afterSave;
  }

  // The user's before-delete command, shared by the idle auto-delete and the lease.
  if (job.beforeDelete.trim()) {
    if (!job.host)
      return { kind: 'refused', reason: l10n.t('beforeDelete needs ${host}, but the instance has no address') };
    const sub = substituteBeforeDelete(job.beforeDelete, { host: job.host, instanceId: job.instanceId });
    if (!sub.ok) return { kind: 'refused', reason: l10n.t`beforeDelete was not run: ${sub.reason}` };
    job.log(`running beforeDelete: ${sub.command}`);
    let code: number;
    try {
      code = await host.runBeforeDelete(sub.command, job.instanceId);
    } catch (error) {
      return { kind: 'refused', reason: l10n.t`beforeDelete could not be run: ${errorText(error)}` };
    }
    if (code !== 0) return { kind: 'refused', reason: l10n.t`beforeDelete exited with ${code}` };
    job.log('beforeDelete exited with 0');
    // The command may have taken minutes: look again, right before the delete.
    // l10n-exempt: log line only (recheck's `when` goes into job.log)
    const second = await recheck('after beforeDelete');
    if (second) return second;
  }

  const blocked = stop();
  if (blocked) return blocked;
  job.log('all checks passed: deleting');
  const gate: DeleteGate = {
    check: blocker,
    beforeSend: () => {
      passGate(blocker());
      job.willDelete();
    },
  };
  try {
    await host.deleteInstance(job.instanceId, gate, { resultsSaved: saver !== undefined });
  } catch (error) {
    if (error instanceof DeleteRefused) return { kind: 'refused', reason: error.message };
    return { kind: 'failed', reason: l10n.t`the delete request failed: ${errorText(error)}` };
  }
  return { kind: 'deleted' };
}
