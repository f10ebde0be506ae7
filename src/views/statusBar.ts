// Status bar: how many machines are running and what they cost per hour (estimate).
// Hidden when nothing runs, so the extension costs no status bar space when idle.
import * as vscode from 'vscode';
import { formatUsd, hourlyRate } from '../core/cost';
import type { InstancesModel } from '../core/instancesModel';
import { statusLook } from '../core/status';

export class InstancesStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('fal.instances', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly model: InstancesModel,
    private hourlyUsd: Readonly<Record<string, number>>,
  ) {
    this.item.name = 'fal Compute instances';
    this.item.command = 'falCompute.instances.focus';
    this.subscription = model.onDidChange(() => this.update());
    this.update();
  }

  setRates(hourlyUsd: Readonly<Record<string, number>>): void {
    this.hourlyUsd = hourlyUsd;
    this.update();
  }

  private update(): void {
    // "Running" = everything that exists and is not stopped: fal bills from creation, not from ready.
    const running = this.model.list().filter((r) => statusLook(r.instance.status).kind !== 'stopped');
    if (running.length === 0) {
      this.item.hide();
      return;
    }
    const perHour = running.reduce((sum, r) => sum + (hourlyRate(r.instance.instance_type, this.hourlyUsd) ?? 0), 0);
    const ready = running.filter((r) => statusLook(r.instance.status).kind === 'ready').length;
    this.item.text = `$(server) ${running.length} · ~${formatUsd(perHour)}/h`;
    this.item.tooltip = new vscode.MarkdownString(
      `**fal Compute**: ${running.length} instance${running.length === 1 ? '' : 's'} (${ready} ready), ` +
        `about ${formatUsd(perHour)} per hour *(estimate from the hourly rates in settings)*.\n\nClick to show them.`,
    );
    this.item.accessibilityInformation = { label: `fal Compute: ${running.length} instances, about ${formatUsd(perHour)} per hour` };
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
