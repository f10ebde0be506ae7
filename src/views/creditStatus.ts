// Keeps the status bar's credit part current and says when the runway crosses under
// fal.credits.warnHours: looks again whenever the balance is read, the list changes (the burn) or
// the settings change — the figures only, no I/O (the refresh scheduler reads the balance). The
// warning colour follows every look; the notification comes once per crossing (cost/runway.ts).
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { CreditModel, CreditState } from '../core/credit';
import type { InstancesModel } from '../core/instancesModel';
import { runningSummary } from '../core/runningSummary';
import { ARMED_ALARM, runwayOf, runwaySide, stepAlarm } from '../cost/runway';
import { executeFalCommand } from '../falCommands';
import { showWarningMessage } from '../notifications';
import { CREDIT_PART, creditPart } from './creditPresentation';
import { creditReportLines, creditWarningText, type CreditView } from './creditWords';
import type { FalStatusBar } from './statusBar';

export interface CreditSettings {
  readonly hourlyUsd: Readonly<Record<string, number>>;
  readonly warnHours: number;
}

export class CreditStatus implements vscode.Disposable {
  private alarm = ARMED_ALARM;
  private view: CreditView | undefined;
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly statusBar: FalStatusBar,
    private readonly credit: CreditModel,
    private readonly model: InstancesModel,
    private readonly settings: () => CreditSettings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [credit.onDidChange(() => this.update()), model.onDidChange(() => this.update())];
    this.update();
  }

  /** The spend report's credit section, as of the last look. */
  reportLines(): string[] {
    return this.view ? creditReportLines(this.view) : [];
  }

  update(): void {
    const { hourlyUsd, warnHours } = this.settings();
    const burn = runningSummary(this.model.list(), hourlyUsd);
    // A rejected key says so in the status bar; what it read before is not shown beside that.
    const credit: CreditState = this.model.state.kind === 'keyRejected' ? { kind: 'unread' } : this.credit.state;
    const runway = runwayOf(credit, burn.perHour);
    const step = stepAlarm(this.alarm, runwaySide(runway, warnHours));
    this.alarm = step.alarm;
    const view: CreditView = { credit, runway, below: step.below, warnHours, unpriced: burn.unpriced > 0 };
    this.view = view;
    this.statusBar.setPart(CREDIT_PART, creditPart(view));
    const warning = step.notify ? creditWarningText(view) : undefined;
    if (warning) this.warn(warning);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private warn(message: string): void {
    this.log.warn(`Credit runway under fal.credits.warnHours: ${message}`);
    const show = l10n.t('Show Spend');
    void Promise.resolve(showWarningMessage(message, show)).then((answer) => {
      if (answer === show) void executeFalCommand('fal.showSpend');
    });
  }
}
