// "fal: Create H100 Instance": runs the wizard, then sends ONE create (one Idempotency-Key, saved
// in global state before the first request) and shows a cancellable progress notification until
// the machine is ready — including any wait fal asks for (Retry-After), which Cancel ends. A create
// whose outcome is unknown stays pending and is only ever resumed with its own key.
import { randomUUID } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { createRequestBody, type ComputeInstance, type CreateInstanceInput, type FalComputeClient, type RetryNotice } from '../api';
import { machineLabel } from '../core/instanceTypes';
import type { InstanceKeyStore } from '../instances/instanceKeyStore';
import type { InstancesController } from '../instances/instancesController';
import { outcomeUnknown, PendingCreates, REPLAY_WINDOW_MS, windowSignal, type PendingCreate } from '../instances/pendingCreates';
import { readSettings } from '../settings';
import { generateKeyPair, listPublicKeys, sshPaths } from '../ssh';
import { runCreateWizard, type CreateArgs, type CreatePlan } from '../wizard/createWizard';
import { createFailureMessage, provisioningText, retryWaitText } from '../wizard/createMessages';
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
  // A wait fal asked for is shown in the progress; Cancel during it ends the create (nothing is in flight then).
  let retry: { until: number; status?: number } | undefined;
  let show: ((message: string) => void) | undefined;
  const inRetryWait = () => !created && retry !== undefined && Date.now() < retry.until;
  const cancel = new AbortController();

  // Otherwise the create itself is never aborted by the user: it always settles, so its pending entry
  // is cleared (or kept, when fal may have started it) and the instance's key recorded.
  const creating = (async () => {
    try {
      const instance = await client.createInstance(pending.input, {
        idempotencyKey: pending.idempotencyKey,
        signal: AbortSignal.any([windowSignal(pending, Date.now()), cancel.signal]),
        onRetry: (notice: RetryNotice) => {
          retry = { until: Date.now() + notice.delayMs, status: notice.status };
          show?.(retryWaitText(notice.delayMs, notice.status));
        },
      });
      created = instance;
      if (pending.privateKeyPath) await deps.keyStore.set(instance.id, pending.privateKeyPath);
      await store.clear(pending.idempotencyKey);
      deps.log.info(`Created ${label} ${instance.id} (Idempotency-Key ${pending.idempotencyKey})`);
      void deps.controller.refresh();
      return instance;
    } catch (error) {
      void createFailed(deps, client, store, pending, error, cancel.signal.aborted);
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
        show = (message) => progress.report({ message });
        show(`Requesting ${label} from fal…`);
        const cancelled = new Promise<void>((resolve) => token.onCancellationRequested(() => resolve()));
        const tick = setInterval(() => {
          if (created) show?.(provisioningText(label, Date.now() - started, status));
          else if (inRetryWait()) show?.(retryWaitText(retry!.until - Date.now(), retry!.status));
        }, 1000);
        const waiting = (async () => {
          const instance = await creating;
          if (!instance || stopWaiting) return;
          show(provisioningText(label, Date.now() - started, instance.status));
          ready = await waitUntilReady(client, instance, deps, () => stopWaiting, (s) => (status = s));
        })();
        try {
          await Promise.race([waiting, cancelled]);
        } finally {
          clearInterval(tick);
          if (token.isCancellationRequested && inRetryWait()) cancel.abort();
          else if (token.isCancellationRequested) stopWaiting = true;
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

const RESUME = 'Resume Create';

/** Says why a create failed. One fal may have carried out stays pending, and can be resumed with its own key. */
async function createFailed(deps: CreateDeps, client: FalComputeClient, store: PendingCreates, pending: PendingCreate, error: unknown, cancelled: boolean): Promise<void> {
  const label = machineLabel(pending.input.instanceType);
  const unknown = outcomeUnknown(error);
  if (!unknown) await store.clear(pending.idempotencyKey);
  const kept = unknown ? ' It is kept, and can only be resumed with the same request (never a second machine).' : '';
  const message = cancelled
    ? `Create of ${label} cancelled while fal was rate limiting.${unknown ? ' An earlier attempt may have started it.' : ' No instance was created.'}${kept}`
    : `${createFailureMessage(error)}${kept}`;
  deps.log.error(`Create of ${label} failed (Idempotency-Key ${pending.idempotencyKey}${unknown ? ', outcome unknown: kept' : ''}): ${message}`);
  if (!unknown) return void vscode.window.showErrorMessage(message);
  if ((await vscode.window.showErrorMessage(message, RESUME)) === RESUME) await resumeCreate(deps, client, store, pending);
}

/** Sends a pending create again with its own Idempotency-Key, while fal's window allows. */
export async function resumeCreate(deps: CreateDeps, client: FalComputeClient, store: PendingCreates, pending: PendingCreate): Promise<ComputeInstance | undefined> {
  if (Date.now() - pending.startedAt < REPLAY_WINDOW_MS) return execute(deps, client, store, pending);
  await store.clear(pending.idempotencyKey);
  void vscode.window.showWarningMessage(
    `The create of ${machineLabel(pending.input.instanceType)} is more than 9 minutes old and was not sent again, so a second machine cannot be started by mistake. Check the Instances list: it may or may not have been created.`,
  );
  return undefined;
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
