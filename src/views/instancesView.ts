// Creates the Instances tree view and keeps its chrome in step with the model: the context key
// that picks the welcome content and the message line, one state at a time (viewState.ts).
import * as vscode from 'vscode';
import type { InstancesModel } from '../core/instancesModel';
import type { InstanceNames } from '../instances/instanceNames';
import { InstancesTreeProvider, type TreeNode, type TreeOptions } from './instancesTreeProvider';
import { viewChrome, type ViewState } from './viewState';

export const INSTANCES_VIEW_ID = 'falCompute.instances';

export class InstancesView implements vscode.Disposable {
  readonly provider: InstancesTreeProvider;
  readonly treeView: vscode.TreeView<TreeNode>;
  private readonly subscription: { dispose(): void };
  private lastState: ViewState | undefined;

  constructor(
    private readonly model: InstancesModel,
    options: TreeOptions,
    names?: InstanceNames,
  ) {
    this.provider = new InstancesTreeProvider(model, options, names);
    // The context key first: the view must not show a welcome meant for another state meanwhile.
    this.syncChrome();
    this.treeView = vscode.window.createTreeView(INSTANCES_VIEW_ID, { treeDataProvider: this.provider, canSelectMany: true });
    this.subscription = model.onDidChange(() => this.syncChrome());
  }

  setOptions(options: TreeOptions): void {
    this.provider.setOptions(options);
  }

  private syncChrome(): void {
    const chrome = viewChrome(this.model.state, this.model.list().length);
    if (chrome.state !== this.lastState) {
      this.lastState = chrome.state;
      void vscode.commands.executeCommand('setContext', 'fal.viewState', chrome.state);
    }
    // The tree is created after the first sync; a message there is only ever needed above rows.
    if (this.treeView && this.treeView.message !== chrome.message) this.treeView.message = chrome.message;
  }

  dispose(): void {
    this.subscription.dispose();
    this.treeView.dispose();
    this.provider.dispose();
  }
}
