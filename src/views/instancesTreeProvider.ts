// The Instances tree: rows in a stable order, optionally grouped, repainting only what changed.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { realTimers } from '../base/timers';
import type { InstancesModel, ModelChange } from '../core/instancesModel';
import type { InstanceNames } from '../instances/instanceNames';
import { groupInstances, sortInstances, type GroupBy, type SortBy } from '../core/ordering';
import { groupByCreator } from '../cost/ownership';
import { leaseRowText } from './leaseText';
import type { CostTreePart } from './costTreePart';
import type { GpuNode, GpuTreePart } from './gpuChildren';
import type { JobNode, JobsTreePart } from './jobsTreePart';
import type { SetupTreePart } from './setupTreePart';
import type { PortNode, PortsTreePart } from './portsTreePart';
import { instanceTooltip, instanceTreeItem } from './instanceTreeItem';

export type InstanceNode = { readonly kind: 'instance'; readonly id: string };
export type GroupNode = { readonly kind: 'group'; readonly key: string; label: string; ids: string[] };
export type TreeNode = InstanceNode | GroupNode | GpuNode | JobNode | PortNode;

/** What the features add to the rows (each absent until they are built). */
export interface TreeParts {
  readonly gpu?: GpuTreePart;
  readonly cost?: CostTreePart;
  readonly setup?: SetupTreePart;
  readonly jobs?: JobsTreePart;
  readonly ports?: PortsTreePart;
}

export interface TreeOptions {
  groupBy: GroupBy;
  sortBy: SortBy;
  hourlyUsd: Readonly<Record<string, number>>;
}

export class InstancesTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  // Node objects are kept per id so VS Code sees the same element across refreshes.
  private readonly instanceNodes = new Map<string, InstanceNode>();
  private groups: GroupNode[] = [];
  private rootIds: string[] = [];
  private layoutKey = '';
  private readonly subscriptions: { dispose(): void }[];
  private gpu?: GpuTreePart;
  private cost?: CostTreePart;
  private setup?: SetupTreePart;
  private jobs?: JobsTreePart;
  private ports?: PortsTreePart;

  constructor(
    private readonly model: InstancesModel,
    private options: TreeOptions,
    private readonly names?: Pick<InstanceNames, 'get' | 'onDidChange'>,
    private readonly now: () => number = realTimers.now,
    gpu?: GpuTreePart,
    cost?: CostTreePart,
    setup?: SetupTreePart,
    jobs?: JobsTreePart,
    ports?: PortsTreePart,
  ) {
    this.subscriptions = [model.onDidChange((change) => this.onModelChange(change))];
    // A name is the row's label: repaint the renamed rows (all of them when the account changed).
    if (names)
      this.subscriptions.push(
        names.onDidChange((ids) =>
          this.changed.fire(ids ? ids.filter((id) => model.get(id)).map((id) => this.nodeFor(id)) : undefined),
        ),
      );
    this.follow({ gpu, cost, setup, jobs, ports });
    this.relayout();
  }

  /**
   * The parts of the rows that the features add (GPU figures, the lock and lease, setup, jobs,
   * forwards), when they are built: on first need, after the first paint. The whole tree is drawn again.
   */
  attach(parts: TreeParts): void {
    this.follow(parts);
    this.setOptions(this.options);
  }

  private follow({ gpu, cost, setup, jobs, ports }: TreeParts): void {
    [this.gpu, this.cost, this.setup, this.jobs, this.ports] = [gpu, cost, setup, jobs, ports];
    // A GPU change repaints that one row (and its children, if expanded), never the whole tree.
    if (gpu) this.subscriptions.push(gpu.onDidChange((change) => this.repaint(change.rows, change.lines)));
    // A Protect repaints its row (the lock); the Mine filter or "mine" itself changing relays out the tree.
    if (cost)
      this.subscriptions.push(cost.onDidChange((ids) => (ids ? this.repaint(ids, []) : this.setOptions(this.options))));
    if (setup) this.subscriptions.push(setup.onDidChange((ids) => this.repaint(ids, [])));
    // A row whose jobs changed repaints with its children (its job rows, and whether it expands).
    if (jobs) this.subscriptions.push(jobs.onDidChange((ids) => this.repaint(ids, [])));
    // A forward opened or closed repaints its row (its children and whether it expands).
    if (ports) this.subscriptions.push(ports.onDidChange((id) => this.repaint([id], [])));
  }

  /** Rows hidden by the Mine filter right now (the view says so when they are all hidden). */
  get hiddenByFilter(): number {
    return this.model.list().length - this.rootIds.length;
  }

  setOptions(options: TreeOptions): void {
    this.options = options;
    this.relayout();
    this.changed.fire(undefined);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.key;
      item.description = String(node.ids.length);
      item.contextValue = 'falGroup';
      return item;
    }
    if (node.kind === 'gpu') return this.gpu?.treeItem(node) ?? new vscode.TreeItem(l10n.t('(gone)'));
    if (node.kind === 'job') return this.jobs?.treeItem(node) ?? new vscode.TreeItem(l10n.t('(gone)'));
    if (node.kind === 'port') return this.ports?.treeItem(node) ?? new vscode.TreeItem(l10n.t('(gone)'));
    const record = this.model.get(node.id);
    if (!record) return new vscode.TreeItem(l10n.t('(gone)'));
    const isProtected = this.cost?.isProtected(node.id) ?? false;
    const leaseEnd = this.cost?.leaseEnd(node.id);
    const lease = leaseEnd === undefined ? undefined : leaseRowText(leaseEnd, this.now(), isProtected);
    const gpu = this.gpu?.row(node.id);
    const item = instanceTreeItem(record, this.names?.get(node.id), gpu, isProtected, this.setup?.row(node.id), lease);
    // A row with forwards shows them (expanded the first time it has any).
    if (this.ports?.has(node.id) && item.collapsibleState === vscode.TreeItemCollapsibleState.None)
      item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
    if (this.jobs?.hasJobs(node.id) && item.collapsibleState === vscode.TreeItemCollapsibleState.None)
      item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
    return item;
  }

  // Tooltips are built on hover so their "first seen … ago" and cost estimate are current.
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    const record = node.kind === 'instance' ? this.model.get(node.id) : undefined;
    if (record) {
      const id = record.instance.id;
      const ctx = {
        now: this.now(),
        hourlyUsd: this.options.hourlyUsd,
        name: this.names?.get(id),
        protected: this.cost?.isProtected(id) ?? false,
        setup: this.setup?.tooltip(id),
        leaseEnd: this.cost?.leaseEnd(id),
      };
      item.tooltip = instanceTooltip(record, ctx, this.gpu?.tooltip(id));
    }
    return item;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return this.options.groupBy === 'none' ? this.rootIds.map((id) => this.nodeFor(id)) : this.groups;
    if (node.kind === 'group') return node.ids.map((id) => this.nodeFor(id));
    if (node.kind === 'job' || node.kind === 'port') return [];
    // An instance row's children: its jobs (newest first), its forwards, then the GPU view's lines (GPUs, processes, or why there are none).
    const gpu = this.gpu?.children(node.id, node.kind === 'gpu' ? node : undefined) ?? [];
    if (node.kind !== 'instance') return gpu;
    return [...(this.jobs?.children(node.id) ?? []), ...(this.ports?.children(node.id) ?? []), ...gpu];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node.kind === 'group') return undefined;
    if (node.kind === 'job' || node.kind === 'port') return this.nodeFor(node.id);
    if (node.kind === 'gpu') {
      const parentKey = this.gpu?.parentKey(node);
      return parentKey ? this.gpu?.children(node.id).find((n) => n.key === parentKey) : this.nodeFor(node.id);
    }
    return this.groups.find((g) => g.ids.includes(node.id));
  }

  /** The node of an instance, for `TreeView.reveal`. */
  nodeFor(id: string): InstanceNode {
    let node = this.instanceNodes.get(id);
    if (!node) {
      node = { kind: 'instance', id };
      this.instanceNodes.set(id, node);
    }
    return node;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private repaint(ids: readonly string[], lines: readonly GpuNode[]): void {
    const nodes: TreeNode[] = ids.filter((id) => this.instanceNodes.has(id)).map((id) => this.nodeFor(id));
    nodes.push(...lines.filter((l) => this.instanceNodes.has(l.id)));
    if (nodes.length) this.changed.fire(nodes);
  }

  private onModelChange(change: ModelChange): void {
    const before = this.layoutKey;
    this.relayout();
    if (change.structural || this.layoutKey !== before) {
      this.changed.fire(undefined);
    } else if (change.changed.length) {
      this.changed.fire(change.changed.map((id) => this.nodeFor(id)));
    }
  }

  private relayout(): void {
    const records = this.model.list();
    const order = new Map(records.map((r, i) => [r.instance.id, i]));
    const cost = this.cost;
    const shown = cost?.mineOnly ? records.filter((r) => cost.isMine(r.instance)) : records;
    const sorted = sortInstances(
      shown.map((r) => r.instance),
      this.options.sortBy,
      (id) => order.get(id) ?? 0,
    );
    this.rootIds = sorted.map((i) => i.id);
    const groupBy = this.options.groupBy;
    const groups =
      groupBy === 'none'
        ? []
        : groupBy === 'creator'
          ? groupByCreator(sorted, (i) => i.creator_user_nickname).map((g) => ({
              key: `creator:${g.key}`,
              label: g.key && cost?.isMyNickname(g.key) ? l10n.t`${g.label} (you)` : g.label,
              items: g.items,
            }))
          : groupInstances(sorted, groupBy);
    this.groups = groups.map((g) =>
      this.groupNode(
        g.key,
        g.label,
        g.items.map((i) => i.id),
      ),
    );
    for (const id of this.instanceNodes.keys()) if (!order.has(id)) this.instanceNodes.delete(id);
    this.gpu?.prune(new Set(order.keys()));
    this.layoutKey = JSON.stringify([this.rootIds, this.groups.map((g) => [g.key, g.ids])]);
  }

  private groupNode(key: string, label: string, ids: string[]): GroupNode {
    // Reuse group objects too, so expanded/collapsed state and selection stick.
    const existing = this.groups.find((g) => g.key === key);
    if (existing) {
      existing.label = label;
      existing.ids = ids;
      return existing;
    }
    return { kind: 'group', key, label, ids };
  }
}
