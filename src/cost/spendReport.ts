// "fal: Show Spend": a small Markdown report (readable as plain text too) of the estimated spend
// today and this month, per instance and per creator, with every caveat of the estimate spelled out.
import * as l10n from '@vscode/l10n';
import { formatUsd } from '../core/costEstimate';
import { machineLabel } from '../core/instanceTypes';
import { markdownDocumentText as cell } from '../core/markdownText';
import type { BudgetLevel, BudgetProjection } from './budget';
import type { InstanceSpend, SpendSummary } from './spend';

export interface SpendReportInput {
  readonly today: SpendSummary;
  readonly month: SpendSummary;
  /** The month projection (without a proposed create), when a budget is set. */
  readonly budget?: BudgetProjection;
  /** The credit balance and runway section (markdown lines, made by views/creditPresentation.ts), when there is one. */
  readonly credit?: readonly string[];
}

const SINCE_SEEN = '¹';
const END_UNSURE = '²';

export function buildSpendReport(input: SpendReportInput): string {
  const { today, month, budget } = input;
  const lines = [
    l10n.t('# fal Compute — estimated spend'),
    '',
    l10n.t(
      "*Estimates: hourly rates from `fal.pricing.hourlyUsd` × the time each instance existed while this VS Code\nwas watching (fal's API has no spend per instance and no creation time). Your fal invoice is the real figure.*",
    ),
    '',
    l10n.t('| period | estimated spend |'),
    '| --- | ---: |',
    l10n.t`| Today (since local midnight) | ${total(today)} |`,
    l10n.t`| This month (since the 1st, local time) | ${total(month)} |`,
  ];
  if (budget?.budgetUsd !== undefined) {
    const share = Math.round((budget.monthToDateUsd / budget.budgetUsd) * 100);
    lines.push(l10n.t`| Monthly budget | ${formatUsd(budget.budgetUsd)} — ${share} % used so far |`);
    lines.push(
      l10n.t`| Projected month total if everything running keeps running | ${formatUsd(budget.projectedUsd)} (${levelWord(budget.level)}) |`,
    );
  }
  if (input.credit?.length) lines.push('', ...input.credit);
  lines.push('', l10n.t('## This month, per instance'), '');
  lines.push(...instanceTable(month.perInstance));
  lines.push('', l10n.t('## This month, per creator'), '');
  if (month.perCreator.length === 0) lines.push(l10n.t('No spend recorded this month.'));
  else {
    lines.push(l10n.t('| creator | instances | estimated |'), '| --- | ---: | ---: |');
    for (const c of month.perCreator) {
      const mark = c.sinceFirstSeen ? ` ${SINCE_SEEN}` : '';
      lines.push(
        `| ${cell(c.label)} | ${c.instances} | ${formatUsd(c.usd)}${c.unknownRate ? l10n.t(' + unknown') : ''}${mark} |`,
      );
    }
  }
  lines.push('', l10n.t('## Today, per instance'), '');
  lines.push(...instanceTable(today.perInstance));
  lines.push('', ...notes(month));
  return lines.join('\n') + '\n';
}

function total(s: SpendSummary): string {
  const unknown = s.unknownRateTypes.length
    ? l10n.t` + unknown (no rate for ${s.unknownRateTypes.map(cell).join(', ')})`
    : '';
  const mark = s.sinceFirstSeen ? ` ${SINCE_SEEN}` : '';
  return l10n.t`about ${formatUsd(s.usd)}${unknown}${mark}`;
}

function instanceTable(rows: readonly InstanceSpend[]): string[] {
  if (rows.length === 0) return [l10n.t('No instances in this period.')];
  const out = [
    l10n.t('| instance | type | creator | hours | estimated | |'),
    '| --- | --- | --- | ---: | ---: | --- |',
  ];
  for (const r of rows) {
    const usd = r.usd === undefined ? l10n.t('unknown rate') : formatUsd(r.usd);
    const marks = `${r.sinceFirstSeen ? ` ${SINCE_SEEN}` : ''}${r.endUncertain ? ` ${END_UNSURE}` : ''}`;
    const state = r.running ? l10n.t('running') : r.resultsSaved ? l10n.t('deleted, results saved') : l10n.t('deleted');
    out.push(
      `| ${cell(r.id)} | ${cell(machineLabel(r.instanceType))} | ${cell(r.creator ?? l10n.t('unknown creator'))} | ${r.hours.toFixed(1)} | ${usd}${marks} | ${state} |`,
    );
  }
  return out;
}

function notes(month: SpendSummary): string[] {
  const saved = month.perInstance.some((r) => r.resultsSaved);
  return [
    ...(saved
      ? [l10n.t('*results saved*: its results (`fal.results.paths`) were downloaded before it was deleted.')]
      : []),
    l10n.t`${SINCE_SEEN} since this VS Code first saw it: the instance was not created here, so it may have run (and cost) before.`,
    l10n.t`${END_UNSURE} found deleted while VS Code was not watching: counted until it was last seen, so the figure may be low.`,
    ...(month.unknownRateTypes.length
      ? [l10n.t('Types without a rate are left out of the sums: add them to `fal.pricing.hourlyUsd`.')]
      : []),
  ];
}

/** The budget level's word (the level itself is an id). */
function levelWord(level: BudgetLevel): string {
  const words: Record<BudgetLevel, string> = {
    none: l10n.t('none'),
    ok: l10n.t('ok'),
    warning: l10n.t('warning'),
    over: l10n.t('over'),
  };
  return words[level];
}
