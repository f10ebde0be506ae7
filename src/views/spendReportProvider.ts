// "fal: Show Spend": a read-only Markdown report on the `fal-spend:` scheme — the estimated spend
// today and this month, per instance and per creator, the budget and its projection, with every
// caveat of the estimate spelled out (cost/spendReport.ts). Its text follows the instances list.
import * as vscode from 'vscode';
import { SPEND_REPORT_SCHEME } from './schemes';
import { realTimers } from '../base/timers';
import type { InstancesModel } from '../core/instancesModel';
import { buildSpendReport } from '../cost';
import type { SpendFigures } from '../instances/spendFigures';

// l10n-exempt: the report's address, compared with open documents' URIs (and kept by VS Code across reloads)
export const SPEND_REPORT_URI = vscode.Uri.from({ scheme: SPEND_REPORT_SCHEME, path: '/fal Compute spend.md' });

export class SpendReportProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly figures: SpendFigures,
    model: InstancesModel,
    /** The credit section (creditStatus.ts), when the balance was read. */
    private readonly credit: () => readonly string[] = () => [],
  ) {
    this.subscription = model.onDidChange(() => this.refresh());
  }

  provideTextDocumentContent(): string {
    const now = realTimers.now();
    const budget = this.figures.budgetUsd === undefined ? undefined : this.figures.projection(now);
    return buildSpendReport({
      today: this.figures.today(now),
      month: this.figures.month(now),
      ...(budget ? { budget } : {}),
      credit: this.credit(),
    });
  }

  /** New text for the report, if it is open. */
  refresh(): void {
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === SPEND_REPORT_URI.toString()))
      this.changed.fire(SPEND_REPORT_URI);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export async function showSpend(reports: SpendReportProvider): Promise<void> {
  reports.refresh();
  const doc = await vscode.workspace.openTextDocument(SPEND_REPORT_URI);
  await vscode.window.showTextDocument(doc, { preview: false });
}
