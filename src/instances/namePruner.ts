// After each successful list, forgets the names of instances that no longer exist, with the same
// rule as the host entries and key files (core/goneTracker.ts). Per account: another key starts over.
import { errorText } from '../base/errorText';
import { GoneTracker } from '../core/goneTracker';
import type { InstancesModel } from '../core/instancesModel';
import type { InstanceNames } from './instanceNames';

export class NamePruner {
  private readonly tracker = new GoneTracker();
  private account: string | undefined;
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
      this.tracker.reset();
    }
    // Decided now, while the names read are this account's.
    const gone = this.tracker.list(this.model.list().map((r) => r.instance.id)).gone(this.names.ids());
    if (gone.length === 0) return;
    this.tracker.enqueue(
      async () => {
        await this.names.forget(gone);
        this.log.info(`Forgot the names of ${gone.join(', ')}: no longer listed by fal`);
      },
      (e) => this.log.warn(`Forgetting the names of deleted instances failed: ${errorText(e)}`),
    );
  }
}
