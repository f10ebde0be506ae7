// After each successful list, forgets the names of instances that no longer exist, with the same
// rule as the host entries and key files (ssh/remoteSsh.ts goneIds): gone from a list after being
// listed in this session, or absent from the first list. Per account: another key starts over.
import { errorText } from '../base/errorText';
import type { InstancesModel } from '../core/instancesModel';
import { goneIds } from '../ssh/remoteSsh';
import type { InstanceNames } from './instanceNames';

export class NamePruner {
  private seen = new Set<string>();
  private firstList = true;
  private account: string | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly model: InstancesModel,
    private readonly names: InstanceNames,
    private readonly currentAccount: () => string | undefined,
    private readonly log: { info(message: string): void; warn(message: string): void },
  ) {
    this.subscription = model.onDidChange(() => this.onChange());
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private onChange(): void {
    if (this.model.state.kind !== 'loaded') return;
    const account = this.currentAccount();
    if (!account) return;
    if (account !== this.account) {
      this.account = account;
      this.seen = new Set();
      this.firstList = true;
    }
    const listed = new Set(this.model.list().map((r) => r.instance.id));
    const gone = goneIds(this.names.ids(), listed, this.seen, this.firstList);
    this.firstList = false;
    for (const id of listed) this.seen.add(id);
    if (gone.length === 0) return;
    this.queue = this.queue
      .then(() => this.names.forget(gone))
      .then(() => this.log.info(`Forgot the names of ${gone.join(', ')}: no longer listed by fal`))
      .catch((e: unknown) => this.log.warn(`Forgetting the names of deleted instances failed: ${errorText(e)}`));
  }
}
