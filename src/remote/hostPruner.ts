// After each successful list, removes what we keep for instances that no longer exist: their
// Host blocks in our managed file (only `fal-*` blocks there; the user's own hosts are never
// read or touched) and their InstanceKeyStore entries. When no host entry is left, every trace
// in the SSH setup goes too (src/ssh/sshTidy.ts): the user's config is its original bytes again.
import type * as vscode from 'vscode';
import { errorText } from '../base/errorText';
import { GoneTracker, type GoneRule } from '../core/goneTracker';
import type { InstancesModel } from '../core/instancesModel';
import type { InstanceKeyStore } from '../instances/instanceKeyStore';
import { tidyIfNoHosts, type SshPaths } from '../ssh';
import { staleAliases } from '../ssh/remoteSsh';
import { managedAliases, removeAliases } from './hostSync';

export class HostPruner implements vscode.Disposable {
  private readonly tracker = new GoneTracker();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly model: InstancesModel,
    private readonly keyStore: InstanceKeyStore,
    private readonly log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>,
    /** Where the managed file is (read at each prune: settings may change). */
    private readonly paths: () => SshPaths,
  ) {
    this.subscription = model.onDidChange(() => this.onChange());
    // Built on first need, when the first list may already be in: it is pruned against now.
    this.onChange();
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private onChange(): void {
    if (this.model.state.kind !== 'loaded') return;
    const rule = this.tracker.list(this.model.list().map((r) => r.instance.id));
    this.tracker.enqueue(
      () => this.prune(rule),
      (e) => this.log.warn(`Pruning SSH host entries failed: ${errorText(e)}`),
    );
  }

  private async prune(rule: GoneRule): Promise<void> {
    const paths = this.paths();
    const stale = staleAliases(await managedAliases(paths), rule.listed, rule.seen, rule.firstList);
    const removed = stale.length ? await removeAliases(paths, stale) : [];
    for (const alias of removed)
      this.log.info(`Removed host entry ${alias} from ${paths.managedConfig}: its instance no longer exists`);
    // Leftovers of an earlier session (a Connect that stopped halfway) are tidied on the first list.
    if (removed.length || rule.firstList) {
      const report = await tidyIfNoHosts(paths, paths.home);
      for (const line of report?.removed ?? []) this.log.info(`Removed ${line}: no fal host entry is left`);
      for (const line of report?.kept ?? []) this.log.warn(`Kept ${line}`);
    }
    for (const id of rule.gone(this.keyStore.ids())) {
      await this.keyStore.delete(id);
      this.log.info(`Forgot the key file of ${id}: the instance no longer exists`);
    }
  }
}
