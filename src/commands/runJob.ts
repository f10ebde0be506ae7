// "fal: Run on H100…": the command to run (the active file with its interpreter, or what ran last
// in this folder; editable), a ready machine or a new one, then the job started detached there
// (instances/jobLauncher.ts) and its log followed in a terminal. Like VS Code's own tasks, it runs
// only in a trusted workspace: the command comes from the folder the user opened.
import * as l10n from '@vscode/l10n';
import { relative } from 'node:path';
import * as vscode from 'vscode';
import type { ComputeInstance } from '../api';
import { labelText } from '../core/markdownText';
import { machineLabel } from '../core/instanceTypes';
import { statusLook } from '../core/status';
import { launchJob, type LaunchDeps } from './jobLauncher';
import { transferFolder } from '../instances/workspaceTransfers';
import { defaultCommandFor, jobNameFor } from '../jobs/jobCommandLine';
import type { InstanceType } from '../api/schemas';
import type { JobTerminals } from '../views/jobTerminals';
import { executeFalCommand } from '../falCommands';
import { idOfArg } from './instanceArgs';
import { CommandError } from './registerCommand';

export interface RunJobDeps extends LaunchDeps {
  readonly terminals: JobTerminals;
}

/** Why nothing runs in an untrusted workspace, and where to change that. */
export function untrustedText(): string {
  return l10n.t(
    'Run on H100 runs a command from this folder on the machine: trust the workspace first (Manage Workspace Trust).',
  );
}

export async function runJobCommand(deps: RunJobDeps, arg: unknown): Promise<void> {
  if (!vscode.workspace.isTrusted) throw new CommandError(untrustedText());
  const folder = transferFolder();
  if (!folder) throw new CommandError(l10n.t('Open a folder first: a job runs the open folder’s code on the machine.'));
  const file = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  const fromFile = file?.scheme === 'file' ? defaultCommandFor(relative(folder.uri.fsPath, file.fsPath)) : undefined;
  const command = await vscode.window.showInputBox({
    title: l10n.t('Run on H100'),
    prompt: l10n.t`Runs in ~/${folder.name} on the machine, detached: it goes on when VS Code closes.`,
    value:
      (arg instanceof vscode.Uri ? fromFile : undefined) ??
      deps.book.lastCommand(folder.uri.toString()) ??
      fromFile ??
      '',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : l10n.t('Type the command to run, e.g. python3 train.py')),
  });
  if (!command?.trim()) return;
  deps.book.setLastCommand(folder.uri.toString(), command);
  const id = idOfArg(arg) ?? (await pickRunTarget(deps, undefined));
  if (!id) return;
  await startAndFollow(deps, { id, command, name: jobNameFor(command), deleteWhenDone: 'never' });
}

/** Starts the job and opens its terminal; resolves with its id (undefined when the user stopped). */
export async function startAndFollow(
  deps: RunJobDeps,
  request: Parameters<typeof launchJob>[1],
): Promise<{ target: Parameters<JobTerminals['show']>[0]; jobId: string } | undefined> {
  const started = await launchJob(deps, request);
  if (started) deps.terminals.show(started.target, started.jobId, request.name);
  return started;
}

/**
 * A ready machine to run on (of `instanceType` when given), or a new one from the create wizard
 * (with its lease), waited for until ready. Undefined when the user stopped.
 */
export async function pickRunTarget(
  deps: LaunchDeps,
  instanceType: InstanceType | undefined,
): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { id?: string };
  const ready = deps.model
    .list()
    .filter((r) => !r.deleting && !r.invalid && statusLook(r.instance.status).kind === 'ready')
    .filter((r) => !instanceType || r.instance.instance_type === instanceType);
  const items: Item[] = ready.map((r) => ({
    label: labelText(deps.names.get(r.instance.id) ?? machineLabel(r.instance.instance_type)),
    description: labelText(`${machineLabel(r.instance.instance_type)} · ${r.instance.ip ?? ''}`),
    detail: labelText(r.instance.id),
    id: r.instance.id,
  }));
  const createLabel = instanceType
    ? l10n.t`$(add) Create a new ${machineLabel(instanceType)}…`
    : l10n.t('$(add) Create a new H100…');
  items.push({
    label: createLabel,
    detail: l10n.t('The create wizard, with its lease; the job starts when it is ready'),
  });
  const picked = await vscode.window.showQuickPick(items, {
    title: l10n.t('Run on which machine?'),
    placeHolder: l10n.t('A ready machine, or a new one'),
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.id) return picked.id;
  const created = await executeFalCommand<ComputeInstance | undefined>(
    'fal.createInstance',
    instanceType ? { instanceType } : undefined,
  );
  if (!created) return undefined;
  if (statusLook(deps.model.get(created.id)?.instance.status ?? created.status).kind !== 'ready')
    throw new CommandError(
      l10n.t`${deps.names.get(created.id) ?? created.id} is not ready yet: run the job from its row when it is.`,
    );
  return created.id;
}
