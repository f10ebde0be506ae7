// "fal: Show GPU Usage…" documents: read-only text on the `fal-gpu:` scheme, one per instance.
// The text follows the sampler (which samples only while the Instances view is visible and the
// window focused); opening or refreshing the report asks for exactly one sample — someone is looking.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { now } from '../base/timers';
import { machineLabel } from '../core/instanceTypes';
import type { InstancesModel } from '../core/instancesModel';
import type { GpuSampler } from '../gpu';
import { gpuReportText } from './gpuReport';
import { idleText } from './gpuPresentation';
import { GPU_REPORT_SCHEME } from './schemes';

export function gpuReportUri(id: string): vscode.Uri {
  // l10n-exempt: the report's address, read back by idOfReportUri (and kept by VS Code across reloads)
  return vscode.Uri.from({ scheme: GPU_REPORT_SCHEME, path: `/GPU usage ${id}` });
}

export function idOfReportUri(uri: vscode.Uri): string | undefined {
  return uri.scheme === GPU_REPORT_SCHEME ? /^\/GPU usage (.+)$/.exec(uri.path)?.[1] : undefined;
}

export class GpuReportProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly model: InstancesModel,
    private readonly sampler: GpuSampler,
    private readonly paused: () => string | undefined,
  ) {
    // Only reports that are open are told; VS Code asks for their text again.
    this.subscription = sampler.onDidChange((id) => {
      const uri = gpuReportUri(id);
      if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) this.changed.fire(uri);
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const id = idOfReportUri(uri) ?? '';
    const record = this.model.get(id);
    const since = this.sampler.idleSince(id);
    return gpuReportText({
      id,
      title: record ? machineLabel(record.instance.instance_type) : l10n.t('instance'),
      ip: record?.instance.ip ?? undefined,
      state: this.sampler.state(id),
      history: this.sampler.history(id),
      idleText: since !== undefined && this.sampler.isIdle(id) ? idleText(now() - since) : undefined,
      now: now(),
      note: record ? this.paused() : l10n.t('This instance is no longer listed.'),
    });
  }

  /** One sample of `id` now (the report was opened or its refresh button pressed), then new text. */
  async refresh(id: string): Promise<void> {
    await this.sampler.refresh(id);
    this.changed.fire(gpuReportUri(id));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
