// The status bar's spend part (issue 13): the tooltip gives the estimated spend today and this
// month, per instance and per creator, flagged "since this VS Code first saw it" where that limits
// the figure; with a budget set, the text shows the share used and the item turns to the warning
// colour from 80 % of it. Recomputed when the list changes, the settings change, and once a minute
// while the window is focused (a clock for the figures, no I/O).
import * as vscode from 'vscode';
import { formatUsd } from '../core/cost';
import type { InstancesModel } from '../core/instancesModel';
import { every, realTimers } from '../core/timers';
import { budgetLevel, type SpendSummary } from '../cost';
import type { SpendFigures } from '../instances/spendFigures';
import type { FalStatusBar, StatusPart } from './statusBar';

export const SPEND_PART = 'spend';
const LIST_AT_MOST = 5;
const SINCE_SEEN = '¹';

export function spendPart(figures: SpendFigures, now: number, nicknameIsMine: (nick: string) => boolean = () => false): StatusPart | undefined {
  const day = figures.today(now);
  const month = figures.month(now);
  const budget = figures.budgetUsd;
  if (month.perInstance.length === 0 && budget === undefined) return undefined;
  const level = budgetLevel(month.usd, budget);
  const share = budget === undefined ? undefined : Math.round((100 * month.usd) / budget);
  const lines = [
    '**Estimated spend** *(hourly rates from settings × the time each instance existed; your fal invoice is the real figure)*',
    '',
    '| | |',
    '|---|---:|',
    `| Today | ${usd(day)} |`,
    `| This month | ${usd(month)} |`,
    ...(budget === undefined ? [] : [`| Monthly budget | ${formatUsd(budget)}, ${share} % used${level === 'over' ? ' — **over**' : level === 'warning' ? ' — **80 % reached**' : ''} |`]),
    '',
  ];
  if (month.perInstance.length) {
    const shown = month.perInstance.slice(0, LIST_AT_MOST).map((i) => `\`${i.id}\` ${i.usd === undefined ? 'no rate' : `~${formatUsd(i.usd)}`}${i.sinceFirstSeen ? SINCE_SEEN : ''}${i.running ? '' : ' (deleted)'}`);
    const more = month.perInstance.length > LIST_AT_MOST ? ` · +${month.perInstance.length - LIST_AT_MOST} more` : '';
    lines.push(`Per instance this month: ${shown.join(' · ')}${more}`, '');
    const creators = month.perCreator.map((c) => `${c.key && nicknameIsMine(c.key) ? `${c.label} (you)` : c.label} ~${formatUsd(c.usd)}${c.sinceFirstSeen ? SINCE_SEEN : ''}`);
    lines.push(`Per creator this month: ${creators.join(' · ')}`, '');
  }
  if (month.sinceFirstSeen) lines.push(`${SINCE_SEEN} since this VS Code first saw it: an instance not created here may have run (and cost) before.`, '');
  lines.push('[Show Spend](command:fal.showSpend)');
  const warn = level === 'warning' || level === 'over';
  return {
    text: share === undefined ? '' : `$(credit-card) ${share} % of ${formatUsd(budget!)}`,
    tooltip: lines.join('\n'),
    accessibility: `Estimated spend this month about ${formatUsd(month.usd)}${share === undefined ? '' : `, ${share} percent of the monthly budget`}`,
    urgency: warn ? 'warning' : 'info',
    ...(warn ? { command: 'fal.showSpend' } : {}),
  };
}

function usd(s: SpendSummary): string {
  return `~${formatUsd(s.usd)}${s.sinceFirstSeen ? ` ${SINCE_SEEN}` : ''}${s.unknownRateTypes.length ? ' + unknown rates' : ''}`;
}

/** Keeps the spend part of the status bar current. */
export class SpendStatus implements vscode.Disposable {
  private stopClock: (() => void) | undefined;
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly statusBar: FalStatusBar,
    private readonly figures: SpendFigures,
    model: InstancesModel,
    private readonly nicknameIsMine: (nick: string) => boolean,
  ) {
    this.subscriptions = [model.onDidChange(() => this.update()), vscode.window.onDidChangeWindowState((s) => this.follow(s.focused))];
    this.follow(vscode.window.state.focused);
  }

  update(): void {
    this.statusBar.setPart(SPEND_PART, spendPart(this.figures, Date.now(), this.nicknameIsMine));
  }

  dispose(): void {
    this.stopClock?.();
    for (const s of this.subscriptions) s.dispose();
  }

  private follow(focused: boolean): void {
    this.stopClock?.();
    this.stopClock = focused ? every(realTimers, 60_000, () => this.update()) : undefined;
    this.update();
  }
}
