// The cost guard's words on screen, as plain text and Markdown: the countdown's live
// text and the status bar's spend part. No `vscode` import (unit-tested in plain node); the
// notification and status bar code (costNotices.ts, spendStatus.ts) only shows them.
import * as l10n from '@vscode/l10n';
import { countdownLeftText } from '../base/durations';
import type { CommandId } from '../core/commandIds';
import { formatUsd } from '../core/costEstimate';
import { commandUri, markdownCode, markdownText, notificationText } from '../core/markdownText';
import { budgetLevel, type Countdown, type SpendSummary } from '../cost';
import type { SpendFigures } from '../instances/spendFigures';
import type { StatusPart } from './statusBar';

export { leaseRowText, leaseTooltipText } from './leaseText';

export const KEEP_COMMAND: CommandId = 'fal.idle.keep';

/** The countdown's live text: the guard's words with the absolute deadline and what is left. */
export function countdownText(c: Countdown, at: string, leftMs: number): string {
  // The one link is ours; the guard's words carry names and fal's words, which must not make one.
  const keep = `[${l10n.t('Keep')}](${commandUri(KEEP_COMMAND, [c.instanceId])})`;
  const head = notificationText(c.headline);
  const left = countdownLeftText(leftMs);
  return c.cause === 'lease'
    ? l10n.t`${head} Delete at ${notificationText(at)} (in ${left}), ${notificationText(c.terms)} ${keep} keeps it until you delete it; Cancel moves its lease 1 h on.`
    : l10n.t`${head} Auto-delete at ${notificationText(at)} (in ${left}), ${notificationText(c.terms)} ${keep} protects it; Cancel stops the countdown.`;
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
    l10n.t(
      '**Estimated spend** *(hourly rates from settings × the time each instance existed; your fal invoice is the real figure)*',
    ),
    '',
    '| | |',
    '|---|---:|',
    `| ${l10n.t('Today')} | ${usd(day)} |`,
    `| ${l10n.t('This month')} | ${usd(month)} |`,
    ...(budget === undefined
      ? []
      : [
          `| ${l10n.t('Monthly budget')} | ${l10n.t`${formatUsd(budget)}, ${String(share)} % used`}${level === 'over' ? l10n.t(' — **over**') : level === 'warning' ? l10n.t(' — **80 % reached**') : ''} |`,
        ]),
    '',
  ];
  if (month.perInstance.length) {
    const shown = month.perInstance
      .slice(0, LIST_AT_MOST)
      .map(
        (i) =>
          `${markdownCode(i.id)} ${i.usd === undefined ? l10n.t('no rate') : `~${formatUsd(i.usd)}`}${i.sinceFirstSeen ? SINCE_SEEN : ''}${i.running ? '' : l10n.t(' (deleted)')}`,
      );
    const more =
      month.perInstance.length > LIST_AT_MOST ? l10n.t` · +${month.perInstance.length - LIST_AT_MOST} more` : '';
    lines.push(l10n.t`Per instance this month: ${shown.join(' · ')}${more}`, '');
    const creators = month.perCreator.map(
      (c) =>
        `${markdownText(c.label)}${c.key && nicknameIsMine(c.key) ? l10n.t(' (you)') : ''} ~${formatUsd(c.usd)}${c.sinceFirstSeen ? SINCE_SEEN : ''}`,
    );
    lines.push(l10n.t`Per creator this month: ${creators.join(' · ')}`, '');
  }
  if (month.sinceFirstSeen)
    lines.push(
      l10n.t`${SINCE_SEEN} since this VS Code first saw it: an instance not created here may have run (and cost) before.`,
      '',
    );
  lines.push(`[${l10n.t('Show Spend')}](command:fal.showSpend)`);
  const warn = level === 'warning' || level === 'over';
  return {
    // In the status bar's line only once it matters (80 % of the budget); below that, the tooltip says it.
    text: share === undefined || !warn ? '' : l10n.t`${share} % of the ${formatUsd(budget!)} budget`,
    tooltip: lines.join('\n'),
    accessibility:
      share === undefined
        ? l10n.t`Estimated spend this month about ${formatUsd(month.usd)}`
        : l10n.t`Estimated spend this month about ${formatUsd(month.usd)}, ${share} percent of the monthly budget`,
    urgency: warn ? 'warning' : 'info',
    ...(warn ? { command: 'fal.showSpend' } : {}),
  };
}

function usd(s: SpendSummary): string {
  return `~${formatUsd(s.usd)}${s.sinceFirstSeen ? ` ${SINCE_SEEN}` : ''}${s.unknownRateTypes.length ? l10n.t(' + unknown rates') : ''}`;
}
