// The one fal status bar item, composed from parts: what runs and costs (estimate), a rejected key,
// and whatever other features add (setPart). One calm line: the count and $/h, then only what
// matters now (`· 1 idle`, `· 85 % of the $500 budget`), its colour from the most urgent part, the
// details in the tooltip. Hidden when no part has anything to say, so the extension costs no status
// bar space when idle.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { CommandId } from '../core/commandIds';
import { formatUsd } from '../core/costEstimate';
import { markdownText } from '../core/markdownText';
import type { InstancesModel } from '../core/instancesModel';
import { runningSummary } from '../core/runningSummary';

export interface StatusPart {
  /** Codicons allowed, e.g. `$(server) 2 · ~$3.78/h`; '' for a part that only adds to the tooltip. Parts join with ` · `. */
  readonly text: string;
  /** Markdown, one paragraph per part in the tooltip. */
  readonly tooltip: string;
  readonly accessibility: string;
  /** The most urgent part decides the click and the colour. */
  readonly urgency: 'info' | 'warning' | 'error';
  readonly command?: CommandId;
}

const URGENCY = { info: 0, warning: 1, error: 2 } as const;

export class FalStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('fal.instances', vscode.StatusBarAlignment.Left, 10);
  private readonly parts = new Map<string, StatusPart>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly model: InstancesModel,
    private hourlyUsd: Readonly<Record<string, number>>,
  ) {
    this.item.name = l10n.t('fal Compute');
    this.subscription = model.onDidChange(() => this.updateOwnParts());
    this.updateOwnParts();
  }

  setRates(hourlyUsd: Readonly<Record<string, number>>): void {
    this.hourlyUsd = hourlyUsd;
    this.updateOwnParts();
  }

  /** Adds, replaces or (undefined) removes a part (LINE_ORDER says where it stands). */
  setPart(id: string, part: StatusPart | undefined): void {
    this.put(id, part);
    this.render();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  private updateOwnParts(): void {
    const state = this.model.state;
    this.put('key', state.kind === 'keyRejected' ? keyPart(state.rejection.message) : undefined);
    this.put('instances', runningPart(this.model, this.hourlyUsd));
    this.render();
  }

  private put(id: string, part: StatusPart | undefined): void {
    if (part) this.parts.set(id, part);
    else this.parts.delete(id);
  }

  private render(): void {
    const parts = [...this.parts.entries()].sort(([a], [b]) => rank(a) - rank(b)).map(([, part]) => part);
    // Parts without text (spend with no budget set) only add to the tooltip of parts that show.
    if (!parts.some((p) => p.text)) {
      this.item.hide();
      return;
    }
    const lead = parts.reduce((a, b) => (URGENCY[b.urgency] > URGENCY[a.urgency] ? b : a));
    this.item.text = parts
      .map((p) => p.text)
      .filter(Boolean)
      .join(' · ');
    const tooltip = new vscode.MarkdownString(statusTooltipMarkdown(parts), true);
    // The spend part's "Show Spend" link. The command takes no argument and only opens the
    // read-only report, and every part escapes the outside text it shows (markdownText).
    tooltip.isTrusted = { enabledCommands: ['fal.showSpend' satisfies CommandId] };
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: parts.map((p) => p.accessibility).join('. ') };
    this.item.command = lead.command ?? 'falCompute.instances.focus';
    this.item.backgroundColor =
      lead.urgency === 'info' ? undefined : new vscode.ThemeColor(`statusBarItem.${lead.urgency}Background`);
    this.item.show();
  }
}

/** The line reads: a rejected key, what runs and costs, what is idle, the credit's runway, the budget; others after them. */
const LINE_ORDER = ['key', 'instances', 'jobs', 'idle', 'credit', 'spend'];
function rank(id: string): number {
  const at = LINE_ORDER.indexOf(id);
  return at < 0 ? LINE_ORDER.length : at;
}

/** One paragraph per part. */
function statusTooltipMarkdown(parts: readonly StatusPart[]): string {
  return parts.map((p) => p.tooltip).join('\n\n');
}

function keyPart(message: string): StatusPart {
  return {
    text: `$(key) ${l10n.t('fal: key rejected')}`,
    tooltip: `${l10n.t`**fal Compute**: ${markdownText(message)}`}\n\n${l10n.t('Click to set the API key.')}`,
    accessibility: l10n.t`fal Compute: ${message}`,
    urgency: 'warning',
    command: 'fal.setApiKey',
  };
}

/** The running count and $/h (estimate); rows fal sent broken and types without a rate are said, not guessed. */
function runningPart(model: InstancesModel, hourlyUsd: Readonly<Record<string, number>>): StatusPart | undefined {
  const s = runningSummary(model.list(), hourlyUsd);
  if (s.running === 0 && s.invalid === 0) return undefined;
  const count = s.running === 1 ? l10n.t`${s.running} instance` : l10n.t`${s.running} instances`;
  const cost = s.unpriced
    ? l10n.t`at least about ${formatUsd(s.perHour)} per hour`
    : l10n.t`about ${formatUsd(s.perHour)} per hour`;
  const notes = [
    s.unpriced
      ? l10n.t`${s.unpriced} of them of a type without an hourly rate (add it to \`fal.pricing.hourlyUsd\`)`
      : '',
    s.invalid
      ? s.invalid === 1
        ? l10n.t`${s.invalid} row fal sent with invalid data, not counted`
        : l10n.t`${s.invalid} rows fal sent with invalid data, not counted`
      : '',
  ].filter(Boolean);
  return {
    text: `$(server) ${s.running} · ~${formatUsd(s.perHour)}${s.unpriced ? '+' : ''}/h`,
    tooltip: `${l10n.t`**fal Compute**: ${count} (${s.ready} ready), ${cost} *(estimate from the hourly rates in settings)*.`}${notes.length ? ` ${notes.join('; ')}.` : ''}\n\n${l10n.t('Click to show them.')}`,
    accessibility: `${l10n.t`fal Compute: ${count}, ${cost}`}${notes.length ? `; ${notes.join('; ')}` : ''}`,
    urgency: 'info',
  };
}
