// "fal: Show Spend": a small Markdown report (readable as plain text too) of the estimated spend
// today and this month, per instance and per creator, with every caveat of the estimate spelled out.
import { formatUsd } from '../core/costEstimate';
import { machineLabel } from '../core/instanceTypes';
import { markdownDocumentText as cell } from '../core/markdownText';
import type { BudgetProjection } from './budget';
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
    '# fal Compute — estimated spend',
    '',
    '*Estimates: hourly rates from `fal.pricing.hourlyUsd` × the time each instance existed while this VS Code',
    "was watching (fal's API has no spend per instance and no creation time). Your fal invoice is the real figure.*",
    '',
    '| period | estimated spend |',
    '| --- | ---: |',
    `| Today (since local midnight) | ${total(today)} |`,
    `| This month (since the 1st, local time) | ${total(month)} |`,
  ];
  if (budget?.budgetUsd !== undefined) {
    const share = Math.round((budget.monthToDateUsd / budget.budgetUsd) * 100);
    lines.push(`| Monthly budget | ${formatUsd(budget.budgetUsd)} — ${share} % used so far |`);
    lines.push(
      `| Projected month total if everything running keeps running | ${formatUsd(budget.projectedUsd)} (${budget.level}) |`,
    );
  }
  if (input.credit?.length) lines.push('', ...input.credit);
  lines.push('', '## This month, per instance', '');
  lines.push(...instanceTable(month.perInstance));
  lines.push('', '## This month, per creator', '');
  if (month.perCreator.length === 0) lines.push('No spend recorded this month.');
  else {
    lines.push('| creator | instances | estimated |', '| --- | ---: | ---: |');
    for (const c of month.perCreator) {
      const mark = c.sinceFirstSeen ? ` ${SINCE_SEEN}` : '';
      lines.push(
        `| ${cell(c.label)} | ${c.instances} | ${formatUsd(c.usd)}${c.unknownRate ? ' + unknown' : ''}${mark} |`,
      );
    }
  }
  lines.push('', '## Today, per instance', '');
  lines.push(...instanceTable(today.perInstance));
  lines.push('', ...notes(month));
  return lines.join('\n') + '\n';
}

function total(s: SpendSummary): string {
  const unknown = s.unknownRateTypes.length
    ? ` + unknown (no rate for ${s.unknownRateTypes.map(cell).join(', ')})`
    : '';
  const mark = s.sinceFirstSeen ? ` ${SINCE_SEEN}` : '';
  return `about ${formatUsd(s.usd)}${unknown}${mark}`;
}

function instanceTable(rows: readonly InstanceSpend[]): string[] {
  if (rows.length === 0) return ['No instances in this period.'];
  const out = ['| instance | type | creator | hours | estimated | |', '| --- | --- | --- | ---: | ---: | --- |'];
  for (const r of rows) {
    const usd = r.usd === undefined ? 'unknown rate' : formatUsd(r.usd);
    const marks = `${r.sinceFirstSeen ? ` ${SINCE_SEEN}` : ''}${r.endUncertain ? ` ${END_UNSURE}` : ''}`;
    const state = r.running ? 'running' : 'deleted';
    out.push(
      `| ${cell(r.id)} | ${cell(machineLabel(r.instanceType))} | ${cell(r.creator ?? 'unknown creator')} | ${r.hours.toFixed(1)} | ${usd}${marks} | ${state} |`,
    );
  }
  return out;
}

function notes(month: SpendSummary): string[] {
  return [
    `${SINCE_SEEN} since this VS Code first saw it: the instance was not created here, so it may have run (and cost) before.`,
    `${END_UNSURE} found deleted while VS Code was not watching: counted until it was last seen, so the figure may be low.`,
    ...(month.unknownRateTypes.length
      ? ['Types without a rate are left out of the sums: add them to `fal.pricing.hourlyUsd`.']
      : []),
  ];
}
