// The context keys the Get Started walkthrough's steps complete on (package.json `walkthroughs`,
// `completionEvents: onContext:…`): each says that the step was really done, not that its button
// was clicked — a key is stored (and not refused), an instance exists (`fal.hasInstances`, set by
// the Instances view), a connection was opened, an instance was deleted. The last two are kept in
// global state: they happened once, for good.
import * as vscode from 'vscode';
import type { FalSession } from '../auth/falSession';
import type { StoredState } from '../core/storedState';
import { setContextKey } from './contextKeys';

export type Milestone = 'connected' | 'deleted';

/** What commands report when a step of the walkthrough was done. */
export interface Milestones {
  reached(milestone: Milestone): void;
}

const STATE_KEY: Record<Milestone, 'fal.milestone.connected' | 'fal.milestone.deleted'> = {
  connected: 'fal.milestone.connected',
  deleted: 'fal.milestone.deleted',
};
const CONTEXT_KEY: Record<Milestone, 'fal.connectedOnce' | 'fal.deletedOnce'> = {
  connected: 'fal.connectedOnce',
  deleted: 'fal.deletedOnce',
};

export class GettingStarted implements Milestones, vscode.Disposable {
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly session: FalSession,
    private readonly stored: StoredState,
  ) {
    this.subscriptions = [session.onDidChange(() => this.sync())];
    this.sync();
  }

  reached(milestone: Milestone): void {
    if (!this.stored.get(STATE_KEY[milestone])) void this.stored.update(STATE_KEY[milestone], true);
    void setContextKey(CONTEXT_KEY[milestone], true);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private sync(): void {
    void setContextKey('fal.keyStored', this.session.state.kind === 'signedIn');
    for (const m of ['connected', 'deleted'] as const)
      void setContextKey(CONTEXT_KEY[m], this.stored.get(STATE_KEY[m]));
  }
}
