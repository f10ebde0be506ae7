// Whether someone looks: the Instances view is visible and the window focused. Everything that asks
// fal or the machines by itself (the refresh scheduler, GPU sampling, setup, jobs) does so only while
// someone looks, so this is the one owner of the two signals: extension.ts feeds it once (the window
// state here, the tree view through attachView) and every watcher reads it and follows its one event.
// No runtime `vscode` import: unit-testable in plain node.
import type * as vscode from 'vscode';
import { Emitter, type Subscription } from '../base/emitter';

/** The signal that changed. */
export type Look = 'visible' | 'focused';

/** A policy that takes the two signals apart (the refresh scheduler, the GPU sampler: a blur has its own grace). */
export interface LookFollower {
  setVisible(visible: boolean): void;
  setFocused(focused: boolean): void;
}

export class Watching implements vscode.Disposable {
  private readonly changed: Emitter<Look>;
  /** Fires with the signal that changed; a signal reported again unchanged fires nothing. */
  readonly onDidChange: Emitter<Look>['event'];
  private readonly now: Record<Look, boolean>;
  private readonly subscriptions: vscode.Disposable[];

  /** `onListenerError` hears what a follower threw (the log); the followers after it still hear the change. */
  constructor(
    window: Pick<typeof vscode.window, 'state' | 'onDidChangeWindowState'>,
    onListenerError?: (error: unknown) => void,
  ) {
    this.changed = new Emitter<Look>(onListenerError);
    this.onDidChange = this.changed.event;
    this.now = { visible: false, focused: window.state.focused };
    this.subscriptions = [window.onDidChangeWindowState((s) => this.set('focused', s.focused))];
  }

  /** The Instances view is visible (false until it is attached). */
  get visible(): boolean {
    return this.now.visible;
  }

  get focused(): boolean {
    return this.now.focused;
  }

  get someoneLooks(): boolean {
    return this.now.visible && this.now.focused;
  }

  /** The Instances view, once it exists: its visibility is reported now (even if hidden) and on every change. */
  attachView(view: Pick<vscode.TreeView<unknown>, 'visible' | 'onDidChangeVisibility'>): void {
    this.now.visible = view.visible;
    this.changed.fire('visible');
    this.subscriptions.push(view.onDidChangeVisibility((e) => this.set('visible', e.visible)));
  }

  /** Tells `follower` both signals now, then each one as it changes (and only that one). */
  tell(follower: LookFollower): Subscription {
    follower.setVisible(this.visible);
    follower.setFocused(this.focused);
    return this.onDidChange((look) =>
      look === 'visible' ? follower.setVisible(this.visible) : follower.setFocused(this.focused),
    );
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.clear();
  }

  private set(look: Look, value: boolean): void {
    if (this.now[look] === value) return;
    this.now[look] = value;
    this.changed.fire(look);
  }
}
