// "fal: Create H100 Instance": runs the wizard, then sends ONE create (one Idempotency-Key, saved
// in global state before the first request) and shows a cancellable progress notification until
// the machine is ready. Also finishes creates a window reload interrupted (reconcileOnActivation).
import { randomUUID } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { createRequestBody, type ComputeInstance, type CreateInstanceInput, type FalComputeClient } from '../api';
import { machineLabel } from '../core/instanceTypes';
import type { InstanceKeyStore } from '../instances/instanceKeyStore';
import type { InstancesController } from '../instances/instancesController';
import { PendingCreates, reconcilePendingCreates, windowSignal, type PendingCreate } from '../instances/pendingCreates';
import { readSettings } from '../settings';
import { generateKeyPair, listPublicKeys, sshPaths } from '../ssh';
import { runCreateWizard, type CreateArgs, type CreatePlan } from '../wizard/createWizard';
import { createFailureMessage, provisioningText } from '../wizard/createMessages';
import type { WizardUi } from '../wizard/wizardUi';
import { VscodeWizardUi } from '../wizard/vscodeWizardUi';

export const LAST_TYPE_KEY = 'fal.create.lastInstanceType';
/** Give up waiting for "ready" after this long (fal: 2–3 minutes is usual). */
const READY_TIMEOUT_MS = 20 * 60_000;

export interface CreateDeps {
  readonly controller: InstancesController;
  readonly globalState: vscode.Memento;
  readonly keyStore: InstanceKeyStore;
  readonly log: vscode.LogOutputChannel;
  readonly ui?: WizardUi;
}

export async function createInstance(deps: CreateDeps, args?: CreateArgs): Promise<ComputeInstance | undefined> {
  const client = await clientOrExplain(deps);
  if (!client) return undefined;
  const settings = readSettings();
  const { sshDir } = sshPaths(homedir());
  const plan = await runCreateWizard(
    {
      ui: deps.ui ?? new VscodeWizardUi(),
      hourlyUsd: settings.hourlyUsd,
      lastInstanceType: deps.globalState.get<string>(LAST_TYPE_KEY),
      sshDir,
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
    void vscode.window.showErrorMessage(createFailureMessage(error));
    return undefined;
  }

  const pending: PendingCreate = { idempotencyKey: randomUUID(), input, ...(privateKeyPath && { privateKeyPath }), startedAt: Date.now() };
  const store = new PendingCreates(deps.globalState);
  await store.save(pending); // before the first request: a reload from here on is reconciled
  return execute(deps, client, store, pending);
}

async function clientOrExplain(deps: CreateDeps): Promise<FalComputeClient | undefined> {
  try {
    const client = await deps.controller.currentClient();
    if (client) return client;
  } catch (error) {
    void vscode.window.showErrorMessage(createFailureMessage(error));
    return undefined;
  }
  const choice = await vscode.window.showWarningMessage('Set your fal API key first: creating an instance needs an ADMIN-scope key.', 'Set API Key');
  if (choice === 'Set API Key') await vscode.commands.executeCommand('fal.setApiKey');
  return undefined;
}

async function materialize(plan: CreatePlan, sshDir: string, log: vscode.LogOutputChannel): Promise<{ input: CreateInstanceInput; privateKeyPath?: string }> {
  const base = { instanceType: plan.instanceType, ...(plan.sector && { sector: plan.sector }) };
  if (plan.key.kind === 'existing') {
    return { input: { ...base, sshKey: plan.key.parsed.line }, ...(plan.key.privateKeyPath && { privateKeyPath: plan.key.privateKeyPath }) };
  }
  const pair = await generateKeyPair({ sshDir });
  log.info(`Generated a new ed25519 key pair: ${pair.privateKeyPath} (0600) and ${pair.publicKeyPath}`);
  void vscode.window.showInformationMessage(`New SSH key written to ${pair.privateKeyPath} (and .pub).`);
  return { input: { ...base, sshKey: pair.parsed.line }, privateKeyPath: pair.privateKeyPath };
}

async function execute(deps: CreateDeps, client: FalComputeClient, store: PendingCreates, pending: PendingCreate): Promise<ComputeInstance | undefined> {
  const label = machineLabel(pending.input.instanceType);
  const endOperation = deps.controller.scheduler.beginOperation();
  let stopWaiting = false;
  let ready: ComputeInstance | undefined;
  let created: ComputeInstance | undefined;

  // The create itself is never aborted by the user: it always settles, so its pending entry is
  // cleared and the instance's key recorded even when the user stopped watching.
  const creating = (async () => {
    try {
      const instance = await client.createInstance(pending.input, {
        idempotencyKey: pending.idempotencyKey,
        signal: windowSignal(pending, Date.now()),
      });
      created = instance;
      if (pending.privateKeyPath) await deps.keyStore.set(instance.id, pending.privateKeyPath);
      await store.clear(pending.idempotencyKey);
      deps.log.info(`Created ${label} ${instance.id} (Idempotency-Key ${pending.idempotencyKey})`);
      void deps.controller.refresh();
      return instance;
    } catch (error) {
      await store.clear(pending.idempotencyKey);
      deps.log.error(`Create of ${label} failed: ${createFailureMessage(error)}`);
      void vscode.window.showErrorMessage(createFailureMessage(error));
      void deps.controller.refresh();
      return undefined;
    }
  })();

  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, cancellable: true },
      async (progress, token) => {
        const started = Date.now();
        let status: string | undefined;
        progress.report({ message: `Requesting ${label} from fal…` });
        const cancelled = new Promise<void>((resolve) => token.onCancellationRequested(() => resolve()));
        const tick = setInterval(() => created && progress.report({ message: provisioningText(label, Date.now() - started, status) }), 1000);
        const waiting = (async () => {
          const instance = await creating;
          if (!instance || stopWaiting) return;
          progress.report({ message: provisioningText(label, Date.now() - started, instance.status) });
          ready = await waitUntilReady(client, instance, deps, () => stopWaiting, (s) => (status = s));
        })();
        try {
          await Promise.race([waiting, cancelled]);
        } finally {
          clearInterval(tick);
          if (token.isCancellationRequested) stopWaiting = true;
        }
      },
    );
  } finally {
    if (!stopWaiting) endOperation();
    else void creating.finally(endOperation);
  }

  if (stopWaiting) {
    void creating.then((instance) => {
      const what = instance ? `${label} ${instance.id}` : label;
      deps.log.info(`Stopped waiting for ${what}; the instance itself was not touched.`);
    });
    void vscode.window.showInformationMessage(
      `Stopped waiting for ${label}. The instance was not cancelled: it keeps starting and is billed until you delete it. It stays in the Instances list.`,
    );
    return created;
  }
  if (ready) void announceReady(ready);
  return ready ?? created;
}

async function waitUntilReady(
  client: FalComputeClient,
  instance: ComputeInstance,
  deps: CreateDeps,
  stopped: () => boolean,
  onStatus: (status: string) => void,
): Promise<ComputeInstance | undefined> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let current = instance;
  while (!(current.status === 'ready' && current.ip)) {
    if (stopped()) return undefined;
    if (Date.now() > deadline) {
      void vscode.window.showWarningMessage(`${machineLabel(instance.instance_type)} ${instance.id} is still "${current.status}" after 20 minutes. It stays in the Instances list; delete it there if it never becomes ready.`);
      return undefined;
    }
    if (current.status === 'stopped') {
      void vscode.window.showErrorMessage(`${machineLabel(instance.instance_type)} ${instance.id} stopped while starting. Delete it from the Instances list to stop billing.`);
      return undefined;
    }
    await new Promise((r) => setTimeout(r, Math.min(3000, readSettings().fastRefreshMs)));
    if (stopped()) return undefined;
    try {
      current = await client.getInstance(instance.id);
      onStatus(current.status);
    } catch (error) {
      deps.log.warn(`Checking ${instance.id} failed: ${createFailureMessage(error)}`);
    }
  }
  void deps.controller.refresh();
  return current;
}

async function announceReady(instance: ComputeInstance): Promise<void> {
  const buttons: string[] = [];
  if ((await vscode.commands.getCommands(true)).includes('fal.connect')) buttons.push('Connect');
  buttons.push('Copy IP');
  const choice = await vscode.window.showInformationMessage(`Instance ready: ${machineLabel(instance.instance_type)} at ${instance.ip} (${instance.id})`, ...buttons);
  if (choice === 'Connect') await vscode.commands.executeCommand('fal.connect', instance.id);
  else if (choice === 'Copy IP' && instance.ip) {
    await vscode.env.clipboard.writeText(instance.ip);
    void vscode.window.showInformationMessage(`Copied ${instance.ip}`);
  }
}

/** On activation: finishes creates a window reload interrupted (same body, same key), or drops old ones. */
export async function reconcileOnActivation(deps: CreateDeps): Promise<void> {
  const store = new PendingCreates(deps.globalState);
  if (store.list().length === 0) return;
  let client: FalComputeClient | undefined;
  try {
    client = await deps.controller.currentClient();
  } catch {
    return;
  }
  if (!client) return; // signed out: kept until a key is set or the window passes
  const endOperation = deps.controller.scheduler.beginOperation();
  try {
    const outcomes = await reconcilePendingCreates({ pending: store, client, rememberKey: (id, path) => deps.keyStore.set(id, path) });
    for (const o of outcomes) {
      const label = machineLabel(o.pending.input.instanceType);
      if (o.kind === 'created') {
        deps.log.info(`Reconciled an interrupted create: ${label} ${o.instance.id} (same Idempotency-Key ${o.pending.idempotencyKey})`);
        void vscode.window.showInformationMessage(
          `A create of ${label} interrupted by a window reload was finished with the same request: ${o.instance.id} (no second instance). It is in the Instances list.`,
        );
      } else if (o.kind === 'expired') {
        deps.log.warn(`Dropped an interrupted create of ${label} older than 9 minutes (Idempotency-Key ${o.pending.idempotencyKey})`);
        void vscode.window.showWarningMessage(
          `A create of ${label} was interrupted more than 9 minutes ago and was not retried, so a second machine cannot be started by mistake. Check the Instances list: it may or may not have been created.`,
        );
      } else {
        deps.log.error(`Interrupted create of ${label} could not be finished: ${createFailureMessage(o.error)}`);
        void vscode.window.showErrorMessage(`A create of ${label} interrupted by a window reload could not be finished. ${createFailureMessage(o.error)}`);
      }
    }
  } finally {
    endOperation();
    void deps.controller.refresh();
  }
}
