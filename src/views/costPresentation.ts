// The cost guard's words on screen, as plain text and Markdown: the countdown's live
// text and the status bar's spend part. No `vscode` import (unit-tested in plain node); the
// notification and status bar code (costNotices.ts, spendStatus.ts) only shows them.
import { countdownLeftText } from '../base/durations';
import type { CommandId } from '../core/commandIds';
import { formatUsd } from '../core/costEstimate';
import { commandUri, markdownCode, markdownText, notificationText } from '../core/markdownText';
import { budgetLevel, type Countdown, type SpendSummary } from '../cost';
import type { SpendFigures } from '../instances/spendFigures';
import type { StatusPart } from './statusBar';

export const KEEP_COMMAND: CommandId = 'fal.idle.keep';

/** The countdown's live text: the guard's words with the absolute deadline and what is left. */
export function countdownText(c: Countdown, at: string, leftMs: number): string {
  // The one link is ours; the guard's words carry names and fal's words, which must not make one.
  const keep = `[Keep](${commandUri(KEEP_COMMAND, [c.instanceId])})`;
  return `${notificationText(c.headline)} Auto-delete at ${notificationText(at)} (in ${countdownLeftText(leftMs)}), ${notificationText(c.terms)} ${keep} protects it; Cancel stops the countdown.`;
}

export const SPEND_PART = 'spend';
const LIST_AT_MOST = 5;
const SINCE_SEEN = '¹';

export function spendPart(
  figures: SpendFigures,
  now: number,
  nicknameIsMine: (nick: string) => boolean = () => false,
): StatusPart | undefined {
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
    ...(budget === undefined
      ? []
      : [
          `| Monthly budget | ${formatUsd(budget)}, ${share} % used${level === 'over' ? ' — **over**' : level === 'warning' ? ' — **80 % reached**' : ''} |`,
        ]),
    '',
  ];
  if (month.perInstance.length) {
    const shown = month.perInstance
      .slice(0, LIST_AT_MOST)
      .map(
        (i) =>
          `${markdownCode(i.id)} ${i.usd === undefined ? 'no rate' : `~${formatUsd(i.usd)}`}${i.sinceFirstSeen ? SINCE_SEEN : ''}${i.running ? '' : ' (deleted)'}`,
      );
    const more = month.perInstance.length > LIST_AT_MOST ? ` · +${month.perInstance.length - LIST_AT_MOST} more` : '';
    lines.push(`Per instance this month: ${shown.join(' · ')}${more}`, '');
    const creators = month.perCreator.map(
      (c) =>
        `${markdownText(c.label)}${c.key && nicknameIsMine(c.key) ? ' (you)' : ''} ~${formatUsd(c.usd)}${c.sinceFirstSeen ? SINCE_SEEN : ''}`,
    );
    lines.push(`Per creator this month: ${creators.join(' · ')}`, '');
  }
  if (month.sinceFirstSeen)
    lines.push(
      `${SINCE_SEEN} since this VS Code first saw it: an instance not created here may have run (and cost) before.`,
      '',
    );
  lines.push('[Show Spend](command:fal.showSpend)');
  const warn = level === 'warning' || level === 'over';
  return {
    // In the status bar's line only once it matters (80 % of the budget); below that, the tooltip says it.
    text: share === undefined || !warn ? '' : `${share} % of the ${formatUsd(budget!)} budget`,
    tooltip: lines.join('\n'),
    accessibility: `Estimated spend this month about ${formatUsd(month.usd)}${share === undefined ? '' : `, ${share} percent of the monthly budget`}`,
    urgency: warn ? 'warning' : 'info',
    ...(warn ? { command: 'fal.showSpend' } : {}),
  };
}

function usd(s: SpendSummary): string {
  return `~${formatUsd(s.usd)}${s.sinceFirstSeen ? ` ${SINCE_SEEN}` : ''}${s.unknownRateTypes.length ? ' + unknown rates' : ''}`;
}
