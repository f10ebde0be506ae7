// A create, once the wizard has a plan and the pending entry is saved: ONE request (one
// Idempotency-Key) and a progress notification until the machine is ready. The wait holds the
// refresh scheduler in fast mode and watches the model: it never polls. A wait fal asks for
// (Retry-After) is shown, and Cancel during it ends the create (nothing is in flight then); a
// create whose outcome is unknown stays pending and is only ever resumed with its own key.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { ComputeInstance, RetryNotice } from '../api';
import { abortAfter, every, realTimers, type Timers } from '../base/timers';
import type { BudgetProjection } from '../cost';
import type { FalApi } from '../auth/falClient';
import { instanceTitle } from '../core/instanceName';
import { machineLabel } from '../core/instanceTypes';
import { notificationText } from '../core/markdownText';
import { waitForInstance, type WaitOutcome } from '../core/instanceWait';
import type { StoredState } from '../core/storedState';
import type { InstanceKeyStore } from '../instances/instanceKeyStore';
import type { InstanceNames } from '../instances/instanceNames';
import type { InstancesController } from '../instances/instancesController';
import {
  outcomeUnknown,
  REPLAY_WINDOW_MS,
  windowDeadline,
  type PendingCreate,
  type PendingCreates,
} from '../instances/pendingCreates';
import type { WizardUi } from '../wizard/wizardUi';
import { createFailureMessage, provisioningText, retryWaitText, stopWaitingButton } from './createMessages';
import { isCancellation, runInBackground, showLogsButton } from './registerCommand';
import { executeFalCommand } from '../falCommands';
import { showErrorMessage, showInformationMessage, showWarningMessage } from '../notifications';

export interface CreateDeps {
  readonly controller: InstancesController;
  /** Global state, read and written by its typed keys. */
  readonly stored: StoredState;
  readonly keyStore: InstanceKeyStore;
  readonly names: InstanceNames;
  readonly log: vscode.LogOutputChannel;
  readonly ui?: WizardUi;
  readonly costs?: CreateCosts;
  /** realTimers in the extension: the create's deadlines and its progress clock. */
  readonly timers?: Timers;
}

/** The cost guard's part in a create: the budget check and "created here". */
export interface CreateCosts {
  projectMonth(instanceType: string): BudgetProjection;
  /** `leaseHours` > 0: the wizard's Delete after, counted from now. */
  recordCreate(instance: ComputeInstance, leaseHours?: number): void;
}

/** Give up waiting for "ready" after this long (fal: 2–3 minutes is usual). */
const READY_TIMEOUT_MS = 20 * 60_000;

/**
 * Sends the create and waits for ready. Except during a wait fal asked for, the create itself is
 * never aborted by the user: it always settles, so its pending entry is cleared (or kept, when fal
 * may have started it) and the instance's key recorded even when the user stopped watching.
 */
export async function execute(
  deps: CreateDeps,
  client: FalApi,
  store: PendingCreates,
  pending: PendingCreate,
): Promise<ComputeInstance | undefined> {
  const { model, scheduler } = deps.controller;
  const timers = deps.timers ?? realTimers;
  const label = pending.name
    ? `${pending.name} (${machineLabel(pending.input.instanceType)})`
    : machineLabel(pending.input.instanceType);
  const endOperation = scheduler.beginOperation();
  let created: ComputeInstance | undefined;
  let retry: { until: number; status?: number } | undefined;
  let show: ((message: string) => void) | undefined;
  const inRetryWait = () => !created && retry !== undefined && timers.now() < retry.until;
  const cancel = new AbortController();
  const creating = (async () => {
    const window = windowDeadline(pending, timers);
    try {
      const instance = await client.createInstance(pending.input, {
        idempotencyKey: pending.idempotencyKey,
        signal: AbortSignal.any([window.signal, cancel.signal]),
        onRetry: (notice: RetryNotice) => {
          retry = { until: timers.now() + notice.delayMs, status: notice.status };
          show?.(retryWaitText(notice.delayMs, notice.status));
        },
      });
      created = instance;
      deps.costs?.recordCreate(instance, pending.leaseHours);
      if (pending.privateKeyPath) await deps.keyStore.set(instance.id, pending.privateKeyPath);
      if (pending.name) await deps.names.set(instance.id, pending.name);
      await store.clear(pending.idempotencyKey);
      deps.log.info(`Created ${label} ${instance.id} (Idempotency-Key ${pending.idempotencyKey})`);
      model.update([instance], [], timers.now()); // its row at once; the list follows
      return instance;
    } catch (error) {
      const cancelled = cancel.signal.aborted;
      runInBackground(deps.log, l10n.t('Create H100 Instance'), () =>
        createFailed(deps, client, store, pending, error, cancelled),
      );
      return undefined;
    } finally {
      window.clear();
      void scheduler.requestFull();
    }
  })();

  let outcome: WaitOutcome | undefined;
  try {
    outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, cancellable: stopWaitingButton() },
      async (progress, token) => {
        const started = timers.now();
        let status: string | undefined;
        show = (message) => progress.report({ message: notificationText(message) });
        show(l10n.t`Requesting ${label} from fal…`);
        const stopClock = every(timers, 1000, () => {
          if (created) show?.(provisioningText(label, timers.now() - started, status));
          else if (inRetryWait()) show?.(retryWaitText(retry!.until - timers.now(), retry!.status));
        });
        const stop = new AbortController();
        token.onCancellationRequested(() =>
          inRetryWait() ? cancel.abort() : stop.abort(new vscode.CancellationError()),
        );
        try {
          const instance = await Promise.race([creating, aborted(stop.signal)]);
          if (!instance) return undefined;
          const ready = abortAfter(timers, READY_TIMEOUT_MS);
          const signal = AbortSignal.any([stop.signal, ready.signal]);
          const endWaiting = scheduler.beginOperation({ waitingFor: instance.id }); // the user watches for "ready": asked by id every second
          try {
            return await waitForInstance(model, instance.id, {
              signal,
              onProgress: (r) => (status = r.instance.status),
            });
          } finally {
            endWaiting();
            ready.clear();
          }
        } finally {
          stopClock();
        }
      },
    );
  } catch (error) {
    if (!isCancellation(error) && !(error instanceof Error && error.name === 'TimeoutError')) throw error;
    void creating.finally(endOperation);
    stoppedWaiting(deps, label, creating, error);
    return created;
  }
  endOperation();
  if (outcome && created) report(deps, created, outcome);
  return outcome?.kind === 'settled' ? outcome.record.instance : created;
}

/** Sends a pending create again with its own Idempotency-Key, while fal's window allows. */
export async function resumeCreate(
  deps: CreateDeps,
  client: FalApi,
  store: PendingCreates,
  pending: PendingCreate,
): Promise<ComputeInstance | undefined> {
  if ((deps.timers ?? realTimers).now() - pending.startedAt < REPLAY_WINDOW_MS)
    return execute(deps, client, store, pending);
  await store.clear(pending.idempotencyKey);
  void showWarningMessage(
    l10n.t`The create of ${machineLabel(pending.input.instanceType)} is more than 9 minutes old and was not sent again, so a second machine cannot be started by mistake. Check the Instances list: it may or may not have been created.`,
  );
  return undefined;
}

/** Says why a create failed. One fal may have carried out stays pending, and can be resumed with its own key. */
async function createFailed(
  deps: CreateDeps,
  client: FalApi,
  store: PendingCreates,
  pending: PendingCreate,
  error: unknown,
  cancelled: boolean,
): Promise<void> {
  const label = machineLabel(pending.input.instanceType);
  const unknown = outcomeUnknown(error);
  if (!unknown) await store.clear(pending.idempotencyKey);
  const message = cancelled
    ? unknown
      ? l10n.t`Create of ${label} cancelled while fal was rate limiting. An earlier attempt may have started it. It is kept, and can only be resumed with the same request (never a second machine).`
      : l10n.t`Create of ${label} cancelled while fal was rate limiting. No instance was created.`
    : unknown
      ? l10n.t`${createFailureMessage(error)} It is kept, and can only be resumed with the same request (never a second machine).`
      : createFailureMessage(error);
  deps.log.error(
    `Create of ${label} failed (Idempotency-Key ${pending.idempotencyKey}${unknown ? ', outcome unknown: kept' : ''}): ${message}`,
  );
  const resume = l10n.t('Resume Create');
  const showLogs = showLogsButton();
  const buttons = unknown ? [resume, showLogs] : [showLogs];
  const choice = await showErrorMessage(message, ...buttons);
  if (choice === resume) await resumeCreate(deps, client, store, pending);
  else if (choice === showLogs) deps.log.show(true);
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}

function stoppedWaiting(
  deps: CreateDeps,
  label: string,
  creating: Promise<ComputeInstance | undefined>,
  why: unknown,
): void {
  // Said once the create has answered (it normally has): "Delete It" needs the instance's id.
  void creating.then((instance) => {
    deps.log.info(
      `Stopped waiting for ${instance ? `${label} ${instance.id}` : label}; the instance itself was not touched.`,
    );
    const what = instance ? instanceTitle(instance, deps.names.get(instance.id)) : label;
    const message = isCancellation(why)
      ? l10n.t`Stopped waiting. ${what} keeps starting, billed until deleted.`
      : l10n.t`${what} is not ready after 20 minutes.`;
    const deleteIt = l10n.t('Delete It');
    return offerDelete(instance, showInformationMessage(message, ...(instance ? [deleteIt] : [])), deleteIt);
  });
}

/** "Delete It" (the button `deleteIt`) runs the usual Delete (its modal confirmation, a fresh look at the list). */
async function offerDelete(
  instance: ComputeInstance | undefined,
  choice: Thenable<string | undefined>,
  deleteIt: string,
): Promise<void> {
  if (instance && (await choice) === deleteIt) await executeFalCommand('fal.deleteInstance', instance.id);
}

function report(deps: CreateDeps, instance: ComputeInstance, outcome: WaitOutcome): void {
  const name = instanceTitle(instance, deps.names.get(instance.id));
  if (outcome.kind === 'gone') void showWarningMessage(l10n.t`${name} was deleted before it became ready.`);
  else if (outcome.kind === 'settled' && outcome.record.instance.status === 'ready')
    void announceReady(outcome.record.instance, name);
  else if (outcome.kind === 'settled') {
    const deleteIt = l10n.t('Delete It');
    void offerDelete(
      instance,
      showErrorMessage(
        l10n.t`${name} is "${outcome.record.instance.status}", not starting. Delete it to stop billing.`,
        deleteIt,
      ),
      deleteIt,
    );
  }
}

async function announceReady(instance: ComputeInstance, name: string): Promise<void> {
  const connect = l10n.t('Connect');
  const copyIp = l10n.t('Copy IP');
  // A settled 'ready' has its address (instanceWait.ts); String() writes it as the template literal did.
  const choice = await showInformationMessage(l10n.t`${name} is ready at ${String(instance.ip)}.`, connect, copyIp);
  if (choice === connect) await executeFalCommand('fal.connect', instance.id);
  else if (choice === copyIp) await executeFalCommand('fal.copyIp', instance.id);
}
