// "fal: Show GPU Usage…": pick a ready instance (the shared picker), open its read-only report,
// and take one sample for it. "Refresh GPU Usage" (the report's editor title) samples again.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { statusLook } from '../core/status';
import type { InstancesModel } from '../core/instancesModel';
import { gpuReportUri, idOfReportUri, type GpuReportProvider } from '../views/gpuReportProvider';
import { CommandError } from './registerCommand';
import { pickInstance } from './instancePicker';

export async function showGpuUsage(model: InstancesModel, reports: GpuReportProvider, arg: unknown): Promise<void> {
  const record = await pickInstance(
    model,
    arg,
    l10n.t('Show GPU usage of which instance?'),
    (r) => statusLook(r.instance.status).kind === 'ready' && !!r.instance.ip,
  );
  if (!record) return;
  const { id } = record.instance;
  if (statusLook(record.instance.status).kind !== 'ready')
    throw new CommandError(
      l10n.t`${id} is ${statusLook(record.instance.status).label}: only a ready instance has GPUs to show.`,
    );
  const doc = await vscode.workspace.openTextDocument(gpuReportUri(id));
  await vscode.window.showTextDocument(doc, { preview: false });
  await reports.refresh(id);
}

export async function refreshGpuUsage(reports: GpuReportProvider, uri?: unknown): Promise<void> {
  const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
  const id = target && idOfReportUri(target);
  if (!id) throw new CommandError(l10n.t('Open a GPU usage report first (fal: Show GPU Usage…).'));
  await reports.refresh(id);
}
