// "fal: Create H100 Instance": runs the wizard, then sends ONE create (one Idempotency-Key, saved
// in global state before the first request) and shows a progress notification until the machine is
// ready. The wait holds the refresh scheduler in fast mode and watches the model: it never polls.
import { randomUUID } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import * as vscode from 'vscode';
import { createRequestBody, type ComputeInstance, type CreateInstanceInput } from '../api';
import type { FalApi } from '../auth/falClient';
import { instanceTitle, proposedName } from '../core/instanceName';
import { machineLabel } from '../core/instanceTypes';
import { waitForInstance, type WaitOutcome } from '../core/instanceWait';
import { every, realTimers } from '../core/timers';
import type { InstanceKeyStore } from '../instances/instanceKeyStore';
import type { InstanceNames } from '../instances/instanceNames';
import type { InstancesController } from '../instances/instancesController';
import { PendingCreates, windowSignal, type PendingCreate } from '../instances/pendingCreates';
import { readSettings } from '../settings';
import { generateKeyPair, listPublicKeys } from '../ssh';
import { runCreateWizard, type CreateArgs, type CreatePlan } from '../wizard/createWizard';
import { VscodeWizardUi } from '../wizard/vscodeWizardUi';
import type { WizardUi } from '../wizard/wizardUi';
import { createFailureMessage, provisioningText, stopWaitingButton } from './createMessages';
import { CommandError, isCancellation, SHOW_LOGS } from './registerCommand';

const LAST_TYPE_KEY = 'fal.create.lastInstanceType';
/** Give up waiting for "ready" after this long (fal: 2–3 minutes is usual). */
const READY_TIMEOUT_MS = 20 * 60_000;

export interface CreateDeps {
  readonly controller: InstancesController;
  readonly globalState: vscode.Memento;
  readonly keyStore: InstanceKeyStore;
  readonly names: InstanceNames;
  readonly log: vscode.LogOutputChannel;
  readonly ui?: WizardUi;
}

const DELETE_IT = 'Delete It';

export async function createInstance(deps: CreateDeps, args?: CreateArgs): Promise<ComputeInstance | undefined> {
  const client = await deps.controller.session.requireClient(); // a missing or rejected key is said before the wizard
  const { hourlyUsd, ssh } = readSettings();
  const { sshDir } = ssh.paths;
  const plan = await runCreateWizard(
    {
      ui: deps.ui ?? new VscodeWizardUi(),
      hourlyUsd,
      lastInstanceType: deps.globalState.get<string>(LAST_TYPE_KEY),
      sshDir,
      sshDirShown: shownPath(sshDir),
      defaultName: proposedName(
        vscode.workspace.workspaceFolders?.[0]?.name,
        deps.controller.model.list().flatMap((r) => deps.names.get(r.instance.id) ?? []),
      ),
      listKeys: async () => (await listPublicKeys(sshDir)).keys,
      readFile: (path) => readFile(path, 'utf8'),
      fileExists: (path) => access(path).then(() => true, () => false),
    },
    args && typeof args === 'object' ? args : {},
  );
  if (!plan) {
    deps.log.info('Create cancelled in the wizard; nothing was sent.');
    return undefined;
  }
  await deps.globalState.update(LAST_TYPE_KEY, plan.instanceType);

  let input: CreateInstanceInput;
  let privateKeyPath: string | undefined;
  try {
    ({ input, privateKeyPath } = await materialize(plan, sshDir, deps.log));
    createRequestBody(input); // the same local checks the client makes, before anything is saved
  } catch (error) {
    throw new CommandError(createFailureMessage(error));
  }

  const pending: PendingCreate = {
    idempotencyKey: randomUUID(),
    input,
    ...(privateKeyPath && { privateKeyPath }),
    ...(plan.name && { name: plan.name }),
    startedAt: Date.now(),
  };
  const store = new PendingCreates(deps.globalState);
  await store.save(pending); // before the first request: a reload from here on is reconciled
  return execute(deps, client, store, pending);
}

async function materialize(plan: CreatePlan, sshDir: string, log: vscode.LogOutputChannel): Promise<{ input: CreateInstanceInput; privateKeyPath?: string }> {
  const base = { instanceType: plan.instanceType, ...(plan.sector && { sector: plan.sector }) };
  if (plan.key.kind === 'existing') {
    return { input: { ...base, sshKey: plan.key.parsed.line }, ...(plan.key.privateKeyPath && { privateKeyPath: plan.key.privateKeyPath }) };
  }
  const pair = await generateKeyPair({ sshDir });
  log.info(`Generated a new ed25519 key pair: ${pair.privateKeyPath} (0600) and ${pair.publicKeyPath}`);
  void vscode.window.showInformationMessage(`New SSH key ${basename(pair.privateKeyPath)} in ${shownPath(dirname(pair.privateKeyPath))}.`);
  return { input: { ...base, sshKey: pair.parsed.line }, privateKeyPath: pair.privateKeyPath };
}

/**
 * Sends the create and waits for ready. The create itself is never aborted by the user: it always
 * settles, so its pending entry is cleared and the instance's key recorded even when the user
 * stopped watching.
 */
async function execute(deps: CreateDeps, client: FalApi, store: PendingCreates, pending: PendingCreate): Promise<ComputeInstance | undefined> {
  const { model, scheduler } = deps.controller;
  const label = pending.name ? `${pending.name} (${machineLabel(pending.input.instanceType)})` : machineLabel(pending.input.instanceType);
  const endOperation = scheduler.beginOperation();
  let created: ComputeInstance | undefined;
  const creating = (async () => {
    try {
      const instance = await client.createInstance(pending.input, { idempotencyKey: pending.idempotencyKey, signal: windowSignal(pending, Date.now()) });
      created = instance;
      if (pending.privateKeyPath) await deps.keyStore.set(instance.id, pending.privateKeyPath);
      if (pending.name) await deps.names.set(instance.id, pending.name);
      await store.clear(pending.idempotencyKey);
      deps.log.info(`Created ${label} ${instance.id} (Idempotency-Key ${pending.idempotencyKey})`);
      model.update([instance], [], Date.now()); // its row at once; the list follows
      return instance;
    } catch (error) {
      await store.clear(pending.idempotencyKey);
      const message = createFailureMessage(error);
      deps.log.error(`Create of ${label} failed: ${message}`);
      void vscode.window.showErrorMessage(message, SHOW_LOGS).then((c) => c === SHOW_LOGS && deps.log.show(true));
      return undefined;
    } finally {
      void scheduler.requestFull();
    }
  })();

  let outcome: WaitOutcome | undefined;
  try {
    outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, cancellable: stopWaitingButton() }, async (progress, token) => {
      const started = Date.now();
      let status: string | undefined;
      progress.report({ message: `Requesting ${label} from fal…` });
      const stopClock = every(realTimers, 1000, () => created && progress.report({ message: provisioningText(label, Date.now() - started, status) }));
      const stop = new AbortController();
      token.onCancellationRequested(() => stop.abort(new vscode.CancellationError()));
      try {
        const instance = await Promise.race([creating, aborted(stop.signal)]);
        if (!instance) return undefined;
        const signal = AbortSignal.any([stop.signal, AbortSignal.timeout(READY_TIMEOUT_MS)]);
        return await waitForInstance(model, instance.id, { signal, onProgress: (r) => (status = r.instance.status) });
      } finally {
        stopClock();
      }
    });
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

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}

function stoppedWaiting(deps: CreateDeps, label: string, creating: Promise<ComputeInstance | undefined>, why: unknown): void {
  // Said once the create has answered (it normally has): "Delete It" needs the instance's id.
  void creating.then((instance) => {
    deps.log.info(`Stopped waiting for ${instance ? `${label} ${instance.id}` : label}; the instance itself was not touched.`);
    const what = instance ? instanceTitle(instance, deps.names.get(instance.id)) : label;
    const message = isCancellation(why) ? `Stopped waiting. ${what} keeps starting, billed until deleted.` : `${what} is not ready after 20 minutes.`;
    return offerDelete(instance, vscode.window.showInformationMessage(message, ...(instance ? [DELETE_IT] : [])));
  });
}

/** "Delete It" runs the usual Delete (its modal confirmation, a fresh look at the list). */
async function offerDelete(instance: ComputeInstance | undefined, choice: Thenable<string | undefined>): Promise<void> {
  if (instance && (await choice) === DELETE_IT) await vscode.commands.executeCommand('fal.deleteInstance', instance.id);
}

function report(deps: CreateDeps, instance: ComputeInstance, outcome: WaitOutcome): void {
  const name = instanceTitle(instance, deps.names.get(instance.id));
  if (outcome.kind === 'gone') void vscode.window.showWarningMessage(`${name} was deleted before it became ready.`);
  else if (outcome.kind === 'settled' && outcome.record.instance.status === 'ready') void announceReady(outcome.record.instance, name);
  else if (outcome.kind === 'settled') {
    void offerDelete(instance, vscode.window.showErrorMessage(`${name} is "${outcome.record.instance.status}", not starting. Delete it to stop billing.`, DELETE_IT));
  }
}

async function announceReady(instance: ComputeInstance, name: string): Promise<void> {
  const choice = await vscode.window.showInformationMessage(`${name} is ready at ${instance.ip}.`, 'Connect', 'Copy IP');
  if (choice === 'Connect') await vscode.commands.executeCommand('fal.connect', instance.id);
  else if (choice === 'Copy IP') await vscode.commands.executeCommand('fal.copyIp', instance.id);
}

/** `~/.ssh` for a folder under the home directory, else the path as it is. */
function shownPath(path: string): string {
  const rel = relative(homedir(), path);
  return rel && !rel.startsWith('..') && !rel.startsWith('/') ? join('~', rel) : path;
}
