// Creates the Instances tree view and keeps its chrome in step with the model: the context key
// that picks the welcome content and the message line, one state at a time (viewState.ts).
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { now } from '../base/timers';
import type { InstancesModel } from '../core/instancesModel';
import type { MineFilter } from './mineFilter';
import type { InstanceNames } from '../instances/instanceNames';
import { InstancesTreeProvider, type TreeNode, type TreeOptions, type TreeParts } from './instancesTreeProvider';
import { setContextKey } from './contextKeys';
import { viewChrome, type ViewState } from './viewState';

export const INSTANCES_VIEW_ID = 'falCompute.instances';

export class InstancesView implements vscode.Disposable {
  readonly provider: InstancesTreeProvider;
  readonly treeView: vscode.TreeView<TreeNode>;
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly model: InstancesModel,
    options: TreeOptions,
    names: InstanceNames | undefined,
    private readonly mine: MineFilter,
  ) {
    this.provider = new InstancesTreeProvider(model, options, names, now);
    // The context key first: the view must not show a welcome meant for another state meanwhile.
    this.syncChrome();
    this.treeView = vscode.window.createTreeView(INSTANCES_VIEW_ID, {
      treeDataProvider: this.provider,
      canSelectMany: true,
    });
    this.syncChrome();
    this.subscriptions = [model.onDidChange(() => this.syncChrome()), mine.onDidChange(() => this.syncChrome())];
  }

  /** The features' parts of the rows, once they are built (first need): the tree is drawn again with them. */
  attach(parts: TreeParts): void {
    this.provider.attach(parts);
    if (parts.cost) this.subscriptions.push(parts.cost.onDidChange((ids) => ids === undefined && this.syncChrome()));
    // A new forward's row is shown: VS Code keeps a row that had no children collapsed when it gains some.
    const { ports } = parts;
    if (ports)
      this.subscriptions.push(
        ports.onDidOpen((node) => {
          // A row gone meanwhile cannot be revealed: nothing to show then.
          this.treeView.reveal(node, { select: false, focus: false, expand: false }).then(undefined, () => undefined);
        }),
      );
    this.syncChrome();
  }

  setOptions(options: TreeOptions): void {
    this.provider.setOptions(options);
    this.syncChrome();
  }

  private syncChrome(): void {
    const rows = this.model.list().length;
    const chrome = viewChrome(this.model.state, rows);
    // With rows on screen VS Code shows no welcome whatever the key says, so the key is left as it
    // is: switching it as the rows arrive would hide the welcome (Retry…) before the rows are drawn.
    if (chrome.state !== 'list') void setContextKey('fal.viewState', chrome.state);
    void setContextKey('fal.hasInstances', rows > 0); // menus (Delete in the palette), the walkthrough
    if (!this.treeView) return; // created after the first sync; a message is only ever needed above rows
    const message = chrome.message ?? this.filterMessage(chrome.state);
    if (this.treeView.message !== message) this.treeView.message = message;
    const description = this.mine.mineOnly ? l10n.t('mine') : undefined;
    if (this.treeView.description !== description) this.treeView.description = description;
  }

  /** The Mine filter hides rows: say so above them (the view's title has no room for it), or the view would look empty for no reason. */
  private filterMessage(state: ViewState): string | undefined {
    const hidden = this.provider.hiddenByFilter;
    if (!this.mine.mineOnly || state !== 'list' || hidden === 0) return undefined;
    if (hidden < this.model.list().length)
      return hidden === 1
        ? l10n.t`Only yours are shown: ${hidden} other instance is hidden by the filter.`
        : l10n.t`Only yours are shown: ${hidden} other instances are hidden by the filter.`;
    const none =
      hidden === 1 ? l10n.t('The one instance listed is not yours') : l10n.t`None of the ${hidden} instances is yours`;
    return l10n.t`${none} (created here, or under your fal nickname). The filter button above shows all.`;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.treeView.dispose();
    this.provider.dispose();
  }
}
