// One instance as a tree row: label, description, coloured status icon, tooltip, context value.
//
// THE ROW'S WORDS (the GPU view's part of the row follows them too). At 1440×900 with the
// default sidebar width a row has room for about 40 characters, so the words come in the order of
// what tells a person most, and whatever falls off the end is the least needed:
//   label        the user's name for the machine, else its id (what tells two machines apart, and
//                what the view's find/filter matches: VS Code filters tree rows on the label)
//   description  [status words] · [lease] · [setup words | GPU part] · [type]
//                - status words: omitted when ready (the green icon says it, and the tooltip and the
//                  screen-reader label say it in words); otherwise "provisioning", "deleting…",
//                  "starting" (fal's init/pending/provisioning), "deleting…", "still listed" … — an
//                  exception is always said first;
//                - lease: `deletes at 18:30` (or `lease waits (protected)`), said before the GPU part:
//                  that the machine will be gone matters more than its load;
//                - GPU part: ready rows only, from src/views/gpu* (e.g. `87 % · 61G`), passed to
//                  instanceDescription(), never appended after the type; live figures stand last,
//                  without the type: a named 8x row with its idle badge and its inline action has
//                  room for them only then (the tooltip, the children and the screen-reader label
//                  say the type and the GPU count);
//                - setup words (src/setup/setupWords.ts): while setup runs or when it failed they take
//                  the GPU part's place ("setting up… 2 min", "setup failed (exit 1)"); "set up" only
//                  when there is no GPU part to show, since the figures say more once it is done;
//                - type: "8x H100", last: the tooltip, grouping and sorting have it too.
//   e.g. "llama-70b finetune  95 % · 106G", "api  GPU: host key unknown · 8x H100",
//   "inst_ec786ab73f2k  starting · 1x H100".
// The IP is in the tooltip, the screen-reader label and Copy IP, not in the row.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { machineLabel } from '../core/instanceTypes';
import type { InstanceRecord } from '../core/instancesModel';
import { statusLook } from '../core/status';
import type { GpuRowPart } from './gpuPresentation';
import { CHOOSE_KEY_COMMAND } from './schemes';
import { invalidLabel, instanceTooltipMarkdown, type ItemContext } from './instanceTooltip';

export type { ItemContext } from './instanceTooltip';

/**
 * Values menus test with `viewItem =~ /^falInstance\.ready(\.protected)?(\.lease)?(\.setup)?$/` and friends
 * (see package.json): the status, then `.protected` for a row protected from auto-delete, then `.lease` for a
 * row with a lease (Extend Lease 1 h, Keep Until I Delete), then `.setup` when the machine has a setup run
 * (Show Setup Log, Run Setup Again).
 */
function instanceContextValue(record: InstanceRecord, isProtected: boolean, leased = false, hasSetup = false): string {
  // `falInstance.invalid` matches no menu: a row fal sent broken offers no actions.
  if (record.invalid) return 'falInstance.invalid';
  if (record.deleteStalled) return 'falInstance.deleteStalled';
  if (record.deleting) return 'falInstance.deleting';
  const kind = statusLook(record.instance.status).kind;
  const suffix = `${isProtected ? '.protected' : ''}${leased ? '.lease' : ''}${hasSetup && kind === 'ready' ? '.setup' : ''}`;
  return `falInstance.${kind}${suffix}`;
}

/**
 * The status in the row's words; '' for a ready instance (its icon says it). fal's three ways of
 * being on the way (init, pending, provisioning: none documented) all read "starting" here, which
 * leaves a 17-character id and the type whole at the default width; the tooltip and the
 * screen-reader label keep fal's word.
 */
export function statusWords(record: InstanceRecord): string {
  if (record.deleteStalled) return l10n.t('still listed');
  if (record.deleting) return l10n.t('deleting…');
  const look = statusLook(record.instance.status);
  if (look.kind === 'transitional') return l10n.t('starting');
  return look.kind === 'ready' ? '' : look.label;
}

/** What the row says about setup: `quiet` words ("set up") yield to the GPU part. */
export interface SetupRowPart {
  readonly words: string;
  readonly quiet: boolean;
}

/**
 * The row's description (see the top of this file); `gpu` and `setup` only for ready rows; `lease`:
 * `deletes at 18:30`.
 */
export function instanceDescription(
  record: InstanceRecord,
  gpu?: Pick<GpuRowPart, 'description' | 'summary'>,
  setup?: SetupRowPart,
  lease?: string,
): string {
  const status = statusWords(record);
  const setupShown = setup && !(setup.quiet && gpu);
  const middle = setupShown ? setup.words : gpu?.description;
  const figuresShown = !status && !setupShown && gpu?.summary !== undefined;
  return [
    status,
    record.deleting ? undefined : lease,
    status ? undefined : middle,
    figuresShown ? undefined : machineLabel(record.instance.instance_type),
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The row without its tooltip, which is built on hover (see resolveTreeItem). */
export function instanceTreeItem(
  record: InstanceRecord,
  name?: string,
  gpu?: GpuRowPart,
  isProtected = false,
  setup?: SetupRowPart & { readonly hasRun: boolean },
  /** The lease in the row's words (`deletes at 18:30`), if it has one. */
  lease?: string,
): vscode.TreeItem {
  if (record.invalid) return invalidRowItem(record, record.invalid);
  const { instance } = record;
  const look = statusLook(instance.status);
  const collapsible = gpu?.expandable
    ? vscode.TreeItemCollapsibleState.Collapsed
    : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(name ?? instance.id, collapsible);
  item.id = instance.id;
  item.description = instanceDescription(record, gpu, setup, lease);
  if (gpu?.resourceUri) item.resourceUri = gpu.resourceUri; // the idle decoration (idleDecorations.ts)
  // A protected row shows a lock in place of its status icon, in the status colour: the label and
  // description (the words that must fit the sidebar) stay as they are, and the GPU view's idle
  // decoration (on the label) composes with it.
  item.iconPath = record.deleteStalled
    ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.orange'))
    : record.deleting
      ? new vscode.ThemeIcon('loading~spin', new vscode.ThemeColor('errorForeground'))
      : new vscode.ThemeIcon(isProtected ? 'lock' : look.icon, new vscode.ThemeColor(look.color));
  item.contextValue = instanceContextValue(record, isProtected, lease !== undefined, setup?.hasRun);
  const words = statusWords(record);
  const status = !words
    ? look.label
    : look.kind === 'transitional' && !record.deleting
      ? `${words} (${look.label})`
      : words;
  const guard = record.deleting
    ? ''
    : `${isProtected ? l10n.t(', protected from auto-delete') : ''}${lease ? `, ${lease}` : ''}`;
  item.accessibilityInformation = {
    // l10n-exempt: only joins the parts (each one translated or a name/id) with commas and spaces
    label: `${name ? `${name}, ` : ''}${machineLabel(instance.instance_type)} ${instance.id}, ${status}${guard}${instance.ip ? `, ${l10n.t`IP ${instance.ip}`}` : ''}${setup ? `, ${setup.words}` : ''}${gpu?.description ? `, ${gpu.summary ?? gpu.description}` : ''}`,
  };
  return item;
}

function invalidRowItem(record: InstanceRecord, invalid: NonNullable<InstanceRecord['invalid']>): vscode.TreeItem {
  const item = new vscode.TreeItem(invalidLabel(), vscode.TreeItemCollapsibleState.None);
  item.id = record.instance.id;
  item.description = `${invalid.shownId ?? l10n.t('no id')} · ${invalid.problem}`;
  item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  item.contextValue = instanceContextValue(record, false);
  item.accessibilityInformation = { label: l10n.t`Invalid data from fal: ${item.description}` };
  return item;
}

/** The row's tooltip (instanceTooltip.ts). Trusted for one command only when the GPU section offers its link. */
export function instanceTooltip(record: InstanceRecord, ctx: ItemContext, gpuSection?: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(instanceTooltipMarkdown(record, ctx, gpuSection), true);
  // The no-key state's "Choose it…" link, nothing else. Every other part of the tooltip is our
  // words or outside text through markdownText (test/unit/lint/markupRule.ts, a property test), and
  // the command itself acts only on a listed instance that needs a key, after the user picks one.
  if (gpuSection?.includes(`(command:${CHOOSE_KEY_COMMAND}?`)) md.isTrusted = { enabledCommands: [CHOOSE_KEY_COMMAND] };
  return md;
}
