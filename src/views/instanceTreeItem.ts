// One instance as a tree row: label, description, coloured status icon, tooltip, context value.
import * as vscode from 'vscode';
import { estimatedCostSince, formatDuration, formatUsd, hourlyRate } from '../core/cost';
import { describeSpec, machineLabel, machineSpec } from '../core/instanceTypes';
import type { InstanceRecord } from '../core/instancesModel';
import { statusLook } from '../core/status';

export interface ItemContext {
  readonly now: number;
  readonly hourlyUsd: Readonly<Record<string, number>>;
  /** Marked "Protect from Auto-Delete" (issue 13). */
  readonly protected?: boolean;
}

/**
 * Values menus test with `viewItem =~ /^falInstance\.ready(\.protected)?$/` and friends (see
 * package.json): the status, then `.protected` for a row protected from auto-delete.
 */
export function instanceContextValue(record: InstanceRecord, isProtected = false): string {
  // `falInstance.invalid` matches no menu: a row fal sent broken offers no actions.
  if (record.invalid) return 'falInstance.invalid';
  if (record.deleting) return 'falInstance.deleting';
  return `falInstance.${statusLook(record.instance.status).kind}${isProtected ? '.protected' : ''}`;
}

/** What the GPU view adds to a ready row (gpuChildren.ts): text after the description, children, the idle decoration's URI. */
export interface RowGpuPart {
  readonly description: string;
  readonly expandable: boolean;
  readonly resourceUri: vscode.Uri;
}

/** The row without its tooltip, which is built on hover (see resolveTreeItem). */
export function instanceTreeItem(record: InstanceRecord, gpu?: RowGpuPart, isProtected = false): vscode.TreeItem {
  if (record.invalid) return invalidRowItem(record, record.invalid);
  const { instance } = record;
  const look = statusLook(instance.status);
  const collapsible = gpu?.expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(machineLabel(instance.instance_type), collapsible);
  item.id = instance.id;
  const status = record.deleting ? 'deleting…' : look.label;
  // Once ready, the IP tells machines apart; before that, the id does. The GPU view's text takes
  // the place of "ready" (only ready rows have one; the icon, tooltip and screen reader still say
  // ready), so the figures fit the default sidebar width.
  item.description = `${gpu ? gpu.description : status} · ${instance.ip ?? instance.id}`;
  if (gpu) item.resourceUri = gpu.resourceUri;
  // A protected row shows a lock in place of its status icon, in the status colour: the label and
  // description (the words that must fit the sidebar) stay as they are, and the GPU view's idle
  // decoration (on the label) composes with it.
  item.iconPath = record.deleting
    ? new vscode.ThemeIcon('loading~spin', new vscode.ThemeColor('errorForeground'))
    : new vscode.ThemeIcon(isProtected ? 'lock' : look.icon, new vscode.ThemeColor(look.color));
  item.contextValue = instanceContextValue(record, isProtected);
  const guard = isProtected && !record.deleting ? ', protected from auto-delete' : '';
  item.accessibilityInformation = {
    label: `${machineLabel(instance.instance_type)} ${instance.id}, ${status}${guard}${instance.ip ? `, IP ${instance.ip}` : ''}${gpu ? `, ${gpu.description}` : ''}`,
  };
  return item;
}

const INVALID_LABEL = 'invalid data from fal';

function invalidRowItem(record: InstanceRecord, invalid: NonNullable<InstanceRecord['invalid']>): vscode.TreeItem {
  const item = new vscode.TreeItem(INVALID_LABEL, vscode.TreeItemCollapsibleState.None);
  item.id = record.instance.id;
  item.description = `${invalid.shownId ?? 'no id'} · ${invalid.problem}`;
  item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  item.contextValue = instanceContextValue(record);
  item.accessibilityInformation = { label: `Invalid data from fal: ${item.description}` };
  return item;
}

/** `gpuSection`: the GPU view's markdown (gpuPresentation.ts), appended under the table. */
export function instanceTooltip(record: InstanceRecord, ctx: ItemContext, gpuSection?: string): vscode.MarkdownString {
  if (record.invalid) {
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${INVALID_LABEL}** ${record.invalid.shownId === undefined ? '(no id)' : codeSpan(record.invalid.shownId)}\n\n`);
    md.appendMarkdown(`fal listed a row this version cannot use: ${escape(record.invalid.problem)}.\n\n`);
    md.appendMarkdown('It is shown so that nothing is hidden, and offers no actions. **fal: Show Logs** has the details.');
    return md;
  }
  const { instance } = record;
  const look = statusLook(instance.status);
  const spec = machineSpec(instance.instance_type);
  const rate = hourlyRate(instance.instance_type, ctx.hourlyUsd);
  const rows: [string, string][] = [
    ['Status', `$(${look.icon.replace('~spin', '')}) ${look.label}${look.kind === 'unrecognized' ? ' (a status this version does not know)' : ''}`],
    ['Type', spec ? `${spec.dashboardName} (${codeSpan(instance.instance_type)})` : codeSpan(instance.instance_type)],
    ['Hardware', spec ? describeSpec(spec) : 'unknown to this version'],
    ['Region', instance.region],
    ['Sector', instance.sector ?? '—'],
    ['IP', instance.ip ?? '— (assigned when ready)'],
    ['Created by', instance.creator_user_nickname ?? '—'],
    ...(ctx.protected ? ([['Auto-delete', '$(lock) protected: never auto-deleted']] as [string, string][]) : []),
    ['First seen', `${new Date(record.firstSeenAt).toLocaleString()} (${formatDuration(ctx.now - record.firstSeenAt)} ago)`],
    [
      'Cost so far',
      rate === undefined
        ? 'no hourly rate set for this type'
        : `~${formatUsd(estimatedCostSince(record.firstSeenAt, ctx.now, rate))} *(estimate: ${formatUsd(rate)}/h since first seen)*`,
    ],
  ];
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(machineLabel(instance.instance_type))}** ${codeSpan(instance.id)}\n\n`);
  md.appendMarkdown('| | |\n|---|---|\n');
  for (const [name, value] of rows) md.appendMarkdown(`| ${name} | ${escapeCell(value)} |\n`);
  if (gpuSection) md.appendMarkdown(`\n---\n\n${gpuSection}\n`);
  return md;
}

// Values come from the network: keep them from being read as markdown or table syntax.
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>]/g, (c) => `\\${c}`);
}

// Backslash escapes do not work inside code spans; a value cannot contain a backtick to break out.
function codeSpan(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
