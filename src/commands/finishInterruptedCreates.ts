// On activation: finishes the creates a window reload interrupted (same body, same Idempotency-Key:
// never a second machine), or drops those too old to replay safely, and tells the user either way.
// A create whose outcome is still unknown stays pending and can be resumed.
import * as l10n from '@vscode/l10n';
import { instanceTitle } from '../core/instanceName';
import { machineLabel } from '../core/instanceTypes';
import { PendingCreates, reconcilePendingCreates } from '../instances/pendingCreates';
import { createFailureMessage } from './createMessages';
import { resumeCreate, type CreateDeps } from './createRun';
import { runInBackground, showLogsButton } from './registerCommand';
import { showErrorMessage, showInformationMessage, showWarningMessage } from '../notifications';

export async function finishInterruptedCreates(deps: CreateDeps): Promise<void> {
  const store = new PendingCreates(deps.stored);
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
        deps.costs?.recordCreate(o.instance, o.pending.leaseHours);
        deps.log.info(
          `Reconciled an interrupted create: ${label} ${o.instance.id} (same Idempotency-Key ${o.pending.idempotencyKey})`,
        );
        // Short enough for one line of a toast; the log has the whole story.
        void showInformationMessage(
          l10n.t`Create finished after reload (once): ${instanceTitle(o.instance, o.pending.name)}.`,
        );
      } else if (o.kind === 'expired') {
        deps.log.warn(
          `Dropped an interrupted create of ${label} older than 9 minutes (Idempotency-Key ${o.pending.idempotencyKey})`,
        );
        void showWarningMessage(
          l10n.t`A create of ${label} interrupted over 9 minutes ago was not retried (no risk of a second machine). Check the Instances list: it may exist.`,
          showLogsButton(),
        ).then((c) => c && deps.log.show(true));
      } else if (o.kind === 'unresolved') {
        deps.log.warn(
          `Interrupted create of ${label} is still unconfirmed (kept, Idempotency-Key ${o.pending.idempotencyKey}): ${createFailureMessage(o.error)}`,
        );
        const text = l10n.t`A create of ${label} interrupted by a window reload is still unconfirmed: ${createFailureMessage(o.error)} It is kept, and can only be resumed with the same request.`;
        const pending = o.pending;
        void showWarningMessage(text, l10n.t('Resume Create')).then((c) => {
          if (c) runInBackground(deps.log, l10n.t('Resume Create'), () => resumeCreate(deps, client, store, pending));
        });
      } else {
        deps.log.error(`Interrupted create of ${label} could not be finished: ${createFailureMessage(o.error)}`);
        void showErrorMessage(
          l10n.t`A create of ${label} interrupted by a window reload could not be finished. ${createFailureMessage(o.error)}`,
        );
      }
    }
  } finally {
    endOperation();
    void scheduler.requestFull();
  }
}
