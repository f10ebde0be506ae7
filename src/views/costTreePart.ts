// The cost guard's part of the Instances tree: which rows are protected from
// auto-delete (a lock), which have a lease (`deletes at 18:30`), which instances are "mine" (the Mine filter, the "(you)" creator group),
// and the Mine filter (views/mineFilter.ts), whose switch relays out the tree.
import * as vscode from 'vscode';
import type { ComputeInstance } from '../api';
import type { CostGuard, Ownership } from '../cost';
import type { MineFilter } from './mineFilter';

export class CostTreePart implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<readonly string[] | undefined>();
  /** Ids whose lock changed, or undefined when the filter changed (the whole tree). */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: { dispose(): void }[];

  constructor(
    private readonly guard: Pick<CostGuard, 'isProtected' | 'onDidChangeProtection' | 'leases'>,
    private readonly ownership: Pick<Ownership, 'isMine' | 'learnedNicknames'>,
    private readonly nickname: () => string,
    private readonly filter: MineFilter,
  ) {
    this.subscriptions = [
      guard.onDidChangeProtection((id) => this.changed.fire([id])),
      guard.leases.onDidChange((id) => this.changed.fire([id])),
      filter.onDidChange(() => this.changed.fire(undefined)),
    ];
  }

  get mineOnly(): boolean {
    return this.filter.mineOnly;
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
