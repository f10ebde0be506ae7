// On activation: finishes the creates a window reload interrupted (same body, same Idempotency-Key:
// never a second machine), or drops those too old to replay safely, and tells the user either way.
import * as vscode from 'vscode';
import { instanceTitle } from '../core/instanceName';
import { machineLabel } from '../core/instanceTypes';
import type { InstanceKeyStore } from '../instances/instanceKeyStore';
import type { InstanceNames } from '../instances/instanceNames';
import type { InstancesController } from '../instances/instancesController';
import { PendingCreates, reconcilePendingCreates } from '../instances/pendingCreates';
import { createFailureMessage } from './createMessages';

export interface FinishDeps {
  readonly controller: InstancesController;
  readonly globalState: vscode.Memento;
  readonly keyStore: InstanceKeyStore;
  readonly names: InstanceNames;
  readonly log: vscode.LogOutputChannel;
}

export async function finishInterruptedCreates(deps: FinishDeps): Promise<void> {
  const store = new PendingCreates(deps.globalState);
  if (store.list().length === 0) return;
  const client = await deps.controller.session.client().catch(() => undefined);
  if (!client) return; // signed out (or a base URL the client refuses): kept until a key is set or the window passes
  const { scheduler } = deps.controller;
  const endOperation = scheduler.beginOperation();
  try {
    const outcomes = await reconcilePendingCreates({
      pending: store,
      client,
      rememberKey: (id, path) => deps.keyStore.set(id, path),
      rememberName: (id, name) => deps.names.set(id, name),
    });
    for (const o of outcomes) {
      const label = machineLabel(o.pending.input.instanceType);
      if (o.kind === 'created') {
        deps.log.info(`Reconciled an interrupted create: ${label} ${o.instance.id} (same Idempotency-Key ${o.pending.idempotencyKey})`);
        // Short enough for one line of a toast; the log has the whole story.
        void vscode.window.showInformationMessage(`Create finished after reload (once): ${instanceTitle(o.instance, o.pending.name)}.`);
      } else if (o.kind === 'expired') {
        deps.log.warn(`Dropped an interrupted create of ${label} older than 9 minutes (Idempotency-Key ${o.pending.idempotencyKey})`);
        void vscode.window.showWarningMessage(
          `A create of ${label} interrupted over 9 minutes ago was not retried (no risk of a second machine). Check the Instances list: it may exist.`,
          'Show Logs',
        ).then((c) => c && deps.log.show(true));
      } else {
        deps.log.error(`Interrupted create of ${label} could not be finished: ${createFailureMessage(o.error)}`);
        void vscode.window.showErrorMessage(`A create of ${label} interrupted by a window reload could not be finished. ${createFailureMessage(o.error)}`);
      }
    }
  } finally {
    endOperation();
    void scheduler.requestFull();
  }
}
