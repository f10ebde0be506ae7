// "fal: Create H100 Instance": runs the wizard, saves the create as pending (its Idempotency-Key in
// global state before the first request), then sends it and waits for ready (createRun.ts).
import * as l10n from '@vscode/l10n';
import { randomUUID } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import * as vscode from 'vscode';
import { createRequestBody, type ComputeInstance, type CreateInstanceInput } from '../api';
import { now } from '../base/timers';
import { formatUsd } from '../core/costEstimate';
import { machineLabel } from '../core/instanceTypes';
import { proposedName } from '../core/instanceName';
import { PendingCreates, type PendingCreate } from '../instances/pendingCreates';
import { readSettings } from '../settings';
import { generateKeyPair, listPublicKeys } from '../ssh';
import { runCreateWizard, type CreateArgs, type CreatePlan } from '../wizard/createWizard';
import { VscodeWizardUi } from '../wizard/vscodeWizardUi';
import { createFailureMessage } from './createMessages';
import { execute, type CreateDeps } from './createRun';
import { CommandError } from './registerCommand';
import { showInformationMessage, showWarningMessage } from '../notifications';

export async function createInstance(deps: CreateDeps, args?: CreateArgs): Promise<ComputeInstance | undefined> {
  const client = await deps.controller.session.requireClient(); // a missing or rejected key is said before the wizard
  const { hourlyUsd, ssh, cost } = readSettings();
  const { sshDir } = ssh.paths;
  const plan = await runCreateWizard(
    {
      ui: deps.ui ?? new VscodeWizardUi(),
      hourlyUsd,
      lastInstanceType: deps.stored.get('fal.create.lastInstanceType'),
      sshDir,
      sshDirShown: shownPath(sshDir),
      defaultLeaseHours: cost.leaseDefaultHours,
      now,
      defaultName: proposedName(
        vscode.workspace.workspaceFolders?.[0]?.name,
        deps.controller.model.list().flatMap((r) => deps.names.get(r.instance.id) ?? []),
      ),
      listKeys: async () => (await listPublicKeys(sshDir)).keys,
      readFile: (path) => readFile(path, 'utf8'),
      fileExists: (path) =>
        access(path).then(
          () => true,
          () => false,
        ),
      ...(deps.costs ? { projectMonth: (type: string) => deps.costs!.projectMonth(type) } : {}),
    },
    args && typeof args === 'object' ? args : {},
  );
  if (!plan) {
    deps.log.info('Create cancelled in the wizard; nothing was sent.');
    return undefined;
  }
  await deps.stored.update('fal.create.lastInstanceType', plan.instanceType);
  if (!(await withinBudget(deps, plan))) return undefined;

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
    ...(plan.leaseHours && { leaseHours: plan.leaseHours }),
    startedAt: now(),
  };
  const store = new PendingCreates(deps.stored);
  await store.save(pending); // before the first request: a reload from here on is reconciled
  return execute(deps, client, store, pending);
}

/** A create that would pass fal.budget.monthlyUsd needs an explicit "Create anyway" (a fresh projection, after the wizard). */
async function withinBudget(deps: CreateDeps, plan: CreatePlan): Promise<boolean> {
  const projection = deps.costs?.projectMonth(plan.instanceType);
  if (!projection?.exceedsBudget || projection.budgetUsd === undefined) return true;
  const label = machineLabel(plan.instanceType);
  const createAnyway = l10n.t('Create anyway');
  const answer = await showWarningMessage(
    l10n.t`Creating this ${label} would pass your monthly budget of ${formatUsd(projection.budgetUsd)}.`,
    {
      modal: true,
      detail: l10n.t`Projected this month if all keeps running: ~${formatUsd(projection.projectedUsd)} — about ${formatUsd(projection.monthToDateUsd)} so far, ${formatUsd(projection.runningToMonthEndUsd)} for what runs now and ${formatUsd(projection.proposedToMonthEndUsd)} for this ${label} until the month ends. Estimates from fal.pricing.hourlyUsd. Nothing is created unless you choose Create anyway.`,
    },
    createAnyway,
  );
  const go = answer === createAnyway;
  deps.log.info(
    `Create of ${label}: projected ${formatUsd(projection.projectedUsd)} passes the budget of ${formatUsd(projection.budgetUsd)}; ${go ? '"Create anyway" chosen' : 'not confirmed, nothing was sent'}`,
  );
  return go;
}

async function materialize(
  plan: CreatePlan,
  sshDir: string,
  log: vscode.LogOutputChannel,
): Promise<{ input: CreateInstanceInput; privateKeyPath?: string }> {
  const base = { instanceType: plan.instanceType, ...(plan.sector && { sector: plan.sector }) };
  if (plan.key.kind === 'existing') {
    return {
      input: { ...base, sshKey: plan.key.parsed.line },
      ...(plan.key.privateKeyPath && { privateKeyPath: plan.key.privateKeyPath }),
    };
  }
  const pair = await generateKeyPair({ sshDir });
  log.info(`Generated a new ed25519 key pair: ${pair.privateKeyPath} (0600) and ${pair.publicKeyPath}`);
  void showInformationMessage(
    l10n.t`New SSH key ${basename(pair.privateKeyPath)} in ${shownPath(dirname(pair.privateKeyPath))}.`,
  );
  return { input: { ...base, sshKey: pair.parsed.line }, privateKeyPath: pair.privateKeyPath };
}

/** `~/.ssh` for a folder under the home directory, else the path as it is. */
function shownPath(path: string): string {
  const rel = relative(homedir(), path);
  return rel && !rel.startsWith('..') && !rel.startsWith('/') ? join('~', rel) : path;
}
