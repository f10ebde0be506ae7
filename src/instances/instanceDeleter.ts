// The one way instances are deleted, whoever asks (the Delete command after its modal, an
// auto-delete after its countdown and checks): the rows marked "deleting…", the refresh scheduler
// held in fast mode, one DELETE per instance (each in the request log), the rows kept "deleting…"
// until fal stops listing them, the instance's key mapping forgotten, and the end recorded in the
// spend ledger (with "results saved" when its results came home first) — so every path leaves the same trace.
import type * as vscode from 'vscode';
import type { FalApi } from '../auth/falClient';
import { now } from '../base/timers';
import { errorMessage } from '../core/apiFailures';
import { DeleteRefused, type DeleteGate } from '../cost';
import type { InstanceKeyStore } from './instanceKeyStore';
import type { InstancesController } from './instancesController';

export interface DeleteOutcome {
  readonly gone: readonly string[];
  /** `error`: as thrown, e.g. a DeleteRefused from the auto-delete's gate (nothing was sent). */
  readonly failed: readonly { readonly id: string; readonly message: string; readonly error: unknown }[];
}

export class InstanceDeleter {
  constructor(
    private readonly controller: InstancesController,
    private readonly keyStore: InstanceKeyStore,
    private readonly log: vscode.LogOutputChannel,
    /** Told of every instance fal confirmed deleted (the spend ledger's end time and mark). */
    private readonly onDeleted: (id: string, at: number, resultsSaved: boolean) => void,
  ) {}

  /**
   * `gate`: the auto-delete's last check, asked right before its request is sent, which is then
   * sent once (a failed auto-delete is not retried: its checks could not be repeated honestly).
   * `resultsSaved`: the ids whose results came home before this delete (results first).
   */
  async delete(
    client: FalApi,
    ids: readonly string[],
    why = '',
    gate?: DeleteGate,
    resultsSaved: ReadonlySet<string> = new Set(),
  ): Promise<DeleteOutcome> {
    const { model, scheduler } = this.controller;
    const endOperation = scheduler.beginOperation();
    try {
      const options = gate ? { beforeAttempt: () => gate.beforeSend(), once: true } : {};
      // The requests start (each asking its gate synchronously) before the rows are marked
      // "deleting…": marking stops the GPU sampling of the row, and with it the idle state the gate checks.
      const requests = ids.map((id) => client.deleteInstance(id, options));
      model.markDeleting(ids);
      const results = await Promise.allSettled(requests);
      const gone: string[] = [];
      const failed: { id: string; message: string; error: unknown }[] = [];
      results.forEach((r, i) => {
        const id = ids[i]!;
        if (r.status === 'fulfilled') {
          gone.push(id);
          const saved = resultsSaved.has(id);
          this.onDeleted(id, now(), saved);
          this.log.info(
            `Deleted ${id}${why}${saved ? ' (results saved first)' : ''}${r.value.alreadyGone ? ' (it was already gone: 404)' : ''}`,
          );
        } else {
          failed.push({ id, message: errorMessage(r.reason), error: r.reason });
          if (r.reason instanceof DeleteRefused) this.log.info(`Not deleting ${id}${why}: ${r.reason.message}`);
          else this.log.error(`Deleting ${id} failed: ${errorMessage(r.reason)}`);
          model.markDeleting([id], false);
        }
      });
      // The rows stay ("deleting…") until fal stops listing them: fast refreshes until then.
      this.controller.deletions.watch(gone);
      for (const id of gone) await this.keyStore.delete(id);
      return { gone, failed };
    } finally {
      endOperation();
      void scheduler.requestFull();
    }
  }
}
