// Creates the Instances tree view and keeps its chrome in step with the model: the context key
// that picks the welcome content, the error message line, the badge-free title.
import * as vscode from 'vscode';
import type { InstancesModel } from '../core/instancesModel';
import { InstancesTreeProvider, type TreeNode, type TreeOptions } from './instancesTreeProvider';

export const INSTANCES_VIEW_ID = 'falCompute.instances';

/** Values of the `fal.viewState` context key, used by viewsWelcome in package.json. */
export type ViewState = 'signedOut' | 'loading' | 'error' | 'empty' | 'list';

export function viewStateOf(model: InstancesModel): ViewState {
  const state = model.state;
  if (state.kind === 'signedOut' || state.kind === 'loading') return state.kind;
  if (model.list().length > 0) return 'list';
  return state.kind === 'error' ? 'error' : 'empty';
}

export class InstancesView implements vscode.Disposable {
  readonly provider: InstancesTreeProvider;
  readonly treeView: vscode.TreeView<TreeNode>;
  private readonly subscription: { dispose(): void };
  private lastState: ViewState | undefined;

  constructor(
    private readonly model: InstancesModel,
    options: TreeOptions,
  ) {
    this.provider = new InstancesTreeProvider(model, options);
    this.treeView = vscode.window.createTreeView(INSTANCES_VIEW_ID, { treeDataProvider: this.provider, canSelectMany: true });
    this.subscription = model.onDidChange(() => this.syncChrome());
    this.syncChrome();
  }

  setOptions(options: TreeOptions): void {
    this.provider.setOptions(options);
  }

  private syncChrome(): void {
    const state = viewStateOf(this.model);
    if (state !== this.lastState) {
      this.lastState = state;
      void vscode.commands.executeCommand('setContext', 'fal.viewState', state);
    }
    const load = this.model.state;
    // With rows on screen an error is a line above them; with none, the welcome view explains it.
    this.treeView.message = load.kind === 'error' ? load.message : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.treeView.dispose();
    this.provider.dispose();
  }
}
