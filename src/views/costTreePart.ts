// The cost guard's part of the Instances tree: which rows are protected from
// auto-delete (a lock), which have a lease (`deletes at 18:30`), which instances are "mine" (the Mine filter, the "(you)" creator group),
// and the Mine filter itself — toggled from the view title by two commands that a context key
// swaps, as VS Code's own views do. The filter is remembered across reloads.
import * as vscode from 'vscode';
import type { ComputeInstance } from '../api';
import type { StoredState } from '../core/storedState';
import type { CostGuard, Ownership } from '../cost';
import { setContextKey } from './contextKeys';

export class CostTreePart implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<readonly string[] | undefined>();
  /** Ids whose lock changed, or undefined when the filter changed (the whole tree). */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: { dispose(): void }[];
  private mine: boolean;

  constructor(
    private readonly guard: Pick<CostGuard, 'isProtected' | 'onDidChangeProtection' | 'leases'>,
    private readonly ownership: Pick<Ownership, 'isMine' | 'learnedNicknames'>,
    private readonly nickname: () => string,
    private readonly stored: StoredState,
  ) {
    this.mine = stored.get('fal.instances.mineOnly');
    void setContextKey('fal.mineOnly', this.mine);
    this.subscriptions = [
      guard.onDidChangeProtection((id) => this.changed.fire([id])),
      guard.leases.onDidChange((id) => this.changed.fire([id])),
    ];
  }

  get mineOnly(): boolean {
    return this.mine;
  }

  async setMineOnly(on: boolean): Promise<void> {
    if (on === this.mine) return;
    this.mine = on;
    await setContextKey('fal.mineOnly', on);
    this.changed.fire(undefined);
    await this.stored.update('fal.instances.mineOnly', on);
  }

  isProtected(id: string): boolean {
    return this.guard.isProtected(id);
  }

  /** When the instance's lease ends (epoch ms), if it has one. */
  leaseEnd(id: string): number | undefined {
    return this.guard.leases.end(id);
  }

  isMine(instance: Pick<ComputeInstance, 'id' | 'creator_user_nickname'>): boolean {
    return this.ownership.isMine(instance, this.nickname());
  }

  /** Whether a creator nickname is yours (learned from your creates, or fal.creatorNickname). */
  isMyNickname(nickname: string): boolean {
    const nick = nickname.trim();
    return nick !== '' && (nick === this.nickname() || this.ownership.learnedNicknames().includes(nick));
  }

  /** The settings changed (fal.creatorNickname): what counts as mine may have changed. */
  refresh(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}
