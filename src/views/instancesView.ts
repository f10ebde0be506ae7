// Creates the Instances tree view and keeps its chrome in step with the model: the context key
// that picks the welcome content and the message line, one state at a time (viewState.ts).
import * as vscode from 'vscode';
import type { InstancesModel } from '../core/instancesModel';
import type { GpuTreePart } from './gpuChildren';
import type { InstanceNames } from '../instances/instanceNames';
import { InstancesTreeProvider, type TreeNode, type TreeOptions } from './instancesTreeProvider';
import { viewChrome, type ViewState } from './viewState';

export const INSTANCES_VIEW_ID = 'falCompute.instances';

export class InstancesView implements vscode.Disposable {
  readonly provider: InstancesTreeProvider;
  readonly treeView: vscode.TreeView<TreeNode>;
  private readonly subscription: { dispose(): void };
  private lastState: ViewState | undefined;
  private hadRows: boolean | undefined;

  constructor(
    private readonly model: InstancesModel,
    options: TreeOptions,
    names?: InstanceNames,
    gpu?: GpuTreePart,
  ) {
    this.provider = new InstancesTreeProvider(model, options, names, Date.now, gpu);
    // The context key first: the view must not show a welcome meant for another state meanwhile.
    this.syncChrome();
    this.treeView = vscode.window.createTreeView(INSTANCES_VIEW_ID, { treeDataProvider: this.provider, canSelectMany: true });
    this.subscription = model.onDidChange(() => this.syncChrome());
  }

  setOptions(options: TreeOptions): void {
    this.provider.setOptions(options);
  }

  private syncChrome(): void {
    const rows = this.model.list().length;
    const chrome = viewChrome(this.model.state, rows);
    // With rows on screen VS Code shows no welcome whatever the key says, so the key is left as it
    // is: switching it as the rows arrive would hide the welcome (Retry…) before the rows are drawn.
    if (chrome.state !== 'list' && chrome.state !== this.lastState) {
      this.lastState = chrome.state;
      void vscode.commands.executeCommand('setContext', 'fal.viewState', chrome.state);
    }
    if ((rows > 0) !== this.hadRows) {
      this.hadRows = rows > 0;
      void vscode.commands.executeCommand('setContext', 'fal.hasInstances', this.hadRows); // menus (Delete in the palette)
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
