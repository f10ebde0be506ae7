// The GPU part of the Instances tree: what a ready row gains (description, expandable, a resource
// URI for the idle decoration, the tooltip section) and its children, as TreeItems. The tree
// provider asks this for anything GPU and repaints only the rows whose GPU state changed.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { realTimers, type Timers } from '../base/timers';
import type { CommandId } from '../core/commandIds';
import type { GpuSampler } from '../gpu';
import type { GpuSettings } from '../settings';
import { gpuLines, gpuRowPart, type GpuLine, type GpuRowPart } from './gpuPresentation';
import { gpuTooltipMarkdown } from './gpuTooltip';
import { rendered, whatToRepaint, type Rendered } from './gpuRepaint';
import { instanceUri } from './idleDecorations';

export type GpuNode = { readonly kind: 'gpu'; readonly id: string; readonly key: string };

/** The history the tooltip draws (the sampler keeps 10 minutes). */
const HISTORY_MS = 600_000;
/** Changes this close together repaint together. */
const REPAINT_BATCH_MS = 50;

export class GpuTreePart {
  private readonly nodes = new Map<string, GpuNode>();
  /** What each instance showed at its last repaint. */
  private readonly shown = new Map<string, { readonly rendered: Rendered; readonly at: number }>();

  constructor(
    private readonly sampler: GpuSampler,
    private readonly settings: () => GpuSettings,
    private readonly timers: Timers = realTimers,
  ) {}

  private now(): number {
    return this.timers.now();
  }

  /**
   * Fires with the rows and lines whose content changed (gpuRepaint.ts: an unchanged sample
   * repaints nothing, so an open tooltip stays), coalesced over a short window: a thousand ready
   * rows answering "no key known" at once repaint in one go, not in a thousand tree events.
   * (A repaint batch, not a poller: nothing is scheduled without a change.)
   */
  onDidChange(listener: (change: { rows: string[]; lines: GpuNode[] }) => void): vscode.Disposable {
    const pending = new Set<string>();
    let timer: unknown;
    const flush = () => {
      timer = undefined;
      const rows: string[] = [];
      const lines: GpuNode[] = [];
      for (const id of pending) {
        const after = rendered(this.enabled() ? this.sampler.state(id) : undefined, this.idleShown(id));
        const before = this.shown.get(id);
        const what = whatToRepaint(before?.rendered, after, before ? this.now() - before.at : 0);
        this.shown.set(id, { rendered: after, at: what.row ? this.now() : before!.at });
        if (what.row) rows.push(id);
        else lines.push(...what.lines.map((key) => this.node(id, key)));
      }
      pending.clear();
      if (rows.length || lines.length) listener({ rows, lines });
    };
    const add = (id: string) => {
      pending.add(id);
      timer ??= this.timers.setTimeout(flush, REPAINT_BATCH_MS);
    };
    const a = this.sampler.onDidChange(add);
    const b = this.sampler.onDidChangeIdle(add);
    return new vscode.Disposable(() => {
      a.dispose();
      b.dispose();
      if (timer !== undefined) this.timers.clearTimeout(timer);
    });
  }

  row(id: string): GpuRowPart | undefined {
    if (!this.enabled()) return undefined;
    const part = gpuRowPart(this.sampler.state(id));
    return part && { ...part, resourceUri: instanceUri(id) };
  }

  tooltip(id: string): string | undefined {
    if (!this.enabled()) return undefined;
    return gpuTooltipMarkdown({
      id,
      state: this.sampler.state(id),
      history: this.sampler.history(id),
      idleSince: this.sampler.idleSince(id),
      idle: this.idleShown(id),
      idleGpuPercent: this.settings().idleGpuPercent,
      now: this.now(),
      windowMs: HISTORY_MS,
    });
  }

  /** Children of an instance row, or of a GPU node (the processes under "Processes"). */
  children(id: string, parent?: GpuNode): GpuNode[] {
    if (!this.enabled()) return [];
    const lines = parent ? (this.line(parent)?.children ?? []) : gpuLines(this.sampler.state(id));
    return lines.map((l) => this.node(id, l.key));
  }

  treeItem(node: GpuNode): vscode.TreeItem {
    const line = this.line(node);
    if (!line) return new vscode.TreeItem(l10n.t('(gone)'));
    const item = new vscode.TreeItem(
      line.label,
      line.children?.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `${node.id}/${node.key}`;
    item.description = line.description;
    item.tooltip = line.tooltip;
    item.iconPath = new vscode.ThemeIcon(line.icon, line.iconColor ? new vscode.ThemeColor(line.iconColor) : undefined);
    item.contextValue = `falGpu.${node.key.split(':')[0]}`;
    item.accessibilityInformation = { label: `${line.label}${line.description ? `, ${line.description}` : ''}` };
    if (line.action) item.command = actionCommand(line, node.id);
    return item;
  }

  /** The parent of a GPU node: the instance (undefined) or the processes node. */
  parentKey(node: GpuNode): string | undefined {
    return node.key.startsWith('process:') ? 'processes' : undefined;
  }

  private idleShown(id: string): boolean {
    return this.settings().idleMinutes > 0 && this.sampler.isIdle(id);
  }

  private enabled(): boolean {
    return this.settings().sampleSeconds > 0;
  }

  private line(node: GpuNode): GpuLine | undefined {
    const lines = gpuLines(this.sampler.state(node.id));
    return (
      lines.find((l) => l.key === node.key) ?? lines.flatMap((l) => l.children ?? []).find((l) => l.key === node.key)
    );
  }

  private node(id: string, key: string): GpuNode {
    const k = `${id}/${key}`;
    let node = this.nodes.get(k);
    if (!node) {
      node = { kind: 'gpu', id, key };
      this.nodes.set(k, node);
    }
    return node;
  }

  /** Forgets the nodes of instances no longer listed (the tree keeps node objects per id). */
  prune(ids: ReadonlySet<string>): void {
    for (const [k, node] of this.nodes) if (!ids.has(node.id)) this.nodes.delete(k);
    for (const id of this.shown.keys()) if (!ids.has(id)) this.shown.delete(id);
  }
}

function actionCommand(line: GpuLine, id: string): vscode.Command {
  return { ...lineAction(line.action), arguments: [id] };
}

function lineAction(action: GpuLine['action']): { command: CommandId; title: string } {
  switch (action) {
    case 'chooseKey':
      return { command: 'fal.gpu.chooseKey', title: l10n.t('Choose Private Key…') };
    case 'openSshTerminal':
      return { command: 'fal.openSshTerminal', title: l10n.t('Open SSH in Terminal') };
    default:
      return { command: 'fal.gpu.retry', title: l10n.t('Retry GPU Sample') };
  }
}
