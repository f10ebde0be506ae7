// The markdown of an instance row's tooltip: a title, a table of what fal says about the machine,
// and the GPU view's section under it. No vscode import (unit-tested in plain node, rendered there
// by a CommonMark renderer); instanceTreeItem.ts wraps it in a MarkdownString.
//
// Every value from fal or from the user goes in through markdownText/markdownCode; the words, the
// icons and the one command link are this file's own (and gpuPresentation.ts's).
import * as l10n from '@vscode/l10n';
import { agoText } from '../base/durations';
import { estimatedCostSince, formatUsd, hourlyRate } from '../core/costEstimate';
import { describeSpec, machineLabel, machineSpec } from '../core/instanceTypes';
import type { InstanceRecord } from '../core/instancesModel';
import { markdownCode, markdownText } from '../core/markdownText';
import { statusLook } from '../core/status';
import { leaseTooltipText } from './leaseText';

export interface ItemContext {
  readonly now: number;
  readonly hourlyUsd: Readonly<Record<string, number>>;
  /** The user's name for the instance, if any. */
  readonly name?: string;
  /** Marked "Protect from Auto-Delete". */
  readonly protected?: boolean;
  /** When its lease ends (epoch ms), if it has one ("delete after", chosen at create). */
  readonly leaseEnd?: number;
  /** The setup run's words (plain text: escaped here), when the machine has one. */
  readonly setup?: string;
}

/** The label of a row fal sent broken (the row's and the tooltip's title). */
export function invalidLabel(): string {
  return l10n.t('invalid data from fal');
}

/** `gpuSectionMarkdown`: the GPU view's section (gpuTooltip.ts), appended under the table. */
export function instanceTooltipMarkdown(record: InstanceRecord, ctx: ItemContext, gpuSectionMarkdown?: string): string {
  if (record.invalid) {
    const shown = record.invalid.shownId === undefined ? l10n.t('(no id)') : markdownCode(record.invalid.shownId);
    return [
      `**${invalidLabel()}** ${shown}`,
      l10n.t`fal listed a row this version cannot use: ${markdownText(record.invalid.problem)}.`,
      l10n.t('It is shown so that nothing is hidden, and offers no actions. **fal: Show Logs** has the details.'),
    ].join('\n\n');
  }
  const { instance } = record;
  const look = statusLook(instance.status);
  const spec = machineSpec(instance.instance_type);
  const rate = hourlyRate(instance.instance_type, ctx.hourlyUsd);
  const falStatus = markdownText(look.label);
  const status = record.deleteStalled
    ? `$(warning) ${l10n.t`fal answered the delete but still lists it (as ${falStatus}), so it may still be billed. Refresh to check again, or delete it again.`}`
    : record.deleting
      ? `$(loading) ${l10n.t`being deleted (fal lists it as ${falStatus})`}`
      : `$(${look.icon.replace('~spin', '')}) ${falStatus}${look.kind === 'unrecognized' ? l10n.t(' (a status this version does not know)') : ''}`;
  const type = markdownCode(instance.instance_type);
  const rows: [string, string][] = [
    [l10n.t('Status'), status],
    [l10n.t('Type'), spec ? `${spec.dashboardName} (${type})` : type],
    [l10n.t('Hardware'), spec ? describeSpec(spec) : l10n.t('unknown to this version')],
    [l10n.t('Region'), markdownText(instance.region)],
    [l10n.t('Sector'), instance.sector === undefined ? '—' : markdownText(instance.sector)],
    [l10n.t('IP'), instance.ip === undefined ? l10n.t('— (assigned when ready)') : markdownText(instance.ip)],
    [
      l10n.t('Created by'),
      instance.creator_user_nickname === undefined ? '—' : markdownText(instance.creator_user_nickname),
    ],
    ...(ctx.protected
      ? ([[l10n.t('Auto-delete'), `$(lock) ${l10n.t('protected: never auto-deleted')}`]] as [string, string][])
      : []),
    ...(ctx.leaseEnd === undefined
      ? []
      : ([[l10n.t('Lease'), leaseTooltipText(ctx.leaseEnd, ctx.now, ctx.protected ?? false)]] as [string, string][])),
    ...(ctx.setup ? ([[l10n.t('Setup'), markdownText(ctx.setup)]] as [string, string][]) : []),
    [
      l10n.t('First seen'),
      `${new Date(record.firstSeenAt).toLocaleString()} (${agoText(ctx.now - record.firstSeenAt)})`,
    ],
    [
      l10n.t('Cost so far'),
      rate === undefined
        ? l10n.t('no hourly rate set for this type')
        : l10n.t`~${formatUsd(estimatedCostSince(record.firstSeenAt, ctx.now, rate))} *(estimate: ${formatUsd(rate)}/h since first seen)*`,
    ],
  ];
  const typeLabel = markdownText(machineLabel(instance.instance_type));
  const title = ctx.name ? `**${markdownText(ctx.name)}** · ${typeLabel}` : `**${typeLabel}**`;
  const lines = [
    `${title} ${markdownCode(instance.id)}`,
    '',
    '| | |',
    '|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
  if (ctx.name)
    lines.push(
      '',
      l10n.t('*The name is kept in VS Code on this computer (fal has no names): **Rename…** changes it.*'),
    );
  if (gpuSectionMarkdown) lines.push('', '---', '', gpuSectionMarkdown);
  return `${lines.join('\n')}\n`;
}
