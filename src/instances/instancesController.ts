// Keeps the instances model current: owns the refresh scheduler (the only poller) and the sync it
// runs, follows the session (no key, a rejected key: no polling), and tells the scheduler what it
// needs to know (whether someone looks: Watching; which key). Waits elsewhere hold the scheduler and
// watch the model. The scheduler also reads the account's balance (BillingSync → `credit`).
import * as vscode from 'vscode';
import type { FalSession, SessionState } from '../auth/falSession';
import { PAGE_SIZE } from '../auth/falApi';
import { now, realTimers } from '../base/timers';
import { BillingSync, CreditModel } from '../core/credit';
import { DeletionWatch } from '../core/deletionWatch';
import { InstancesModel } from '../core/instancesModel';
import { InstancesSync } from '../core/instancesSync';
import { RefreshScheduler } from '../core/refreshScheduler';
import type { StoredState } from '../core/storedState';
import { describeSchedule } from '../core/scheduleWords';
import type { Settings } from '../settings';
import type { Watching } from './watching';

export class InstancesController implements vscode.Disposable {
  readonly model: InstancesModel;
  /** The account's balance as last read (for the status bar, the spend report, the runway warning). */
  readonly credit: CreditModel;
  readonly scheduler: RefreshScheduler;
  /** Keeps fast refreshes going until deleted instances are gone from fal's list. */
  readonly deletions: DeletionWatch;
  private readonly disposables: vscode.Disposable[] = [];
  private billingKey: string | undefined;

  constructor(
    readonly session: FalSession,
    log: vscode.LogOutputChannel,
    private settings: Settings,
    stored: StoredState,
    watching: Watching,
  ) {
    const firstSeen = {
      get: () => stored.get('fal.instances.firstSeen'),
      set: (value: Record<string, number>) => stored.update('fal.instances.firstSeen', value),
    };
    this.model = new InstancesModel(firstSeen, (error) =>
      log.error('A view of the instances list failed to update:', error),
    );
    const sync = new InstancesSync({
      model: this.model,
      client: () => session.client(),
      pageSize: PAGE_SIZE,
      now,
      onKeyRejected: (rejection) => session.reject(rejection),
      log,
    });
    this.credit = new CreditModel((error) => log.error('A view of the credit balance failed to update:', error));
    const billing = new BillingSync({ model: this.credit, client: () => session.client(), now, log });
    this.scheduler = new RefreshScheduler({
      fetch: (kind, ids) => sync.fetch(kind, ids),
      fastMs: settings.fastRefreshMs,
      slowMs: settings.slowRefreshMs,
      onSchedule: (schedule) => log.info(describeSchedule(schedule)),
      billing: { fetch: () => billing.fetch() },
    });
    this.deletions = new DeletionWatch({ model: this.model, scheduler: this.scheduler, timers: realTimers, log });
    this.disposables.push(
      watching.tell(this.scheduler),
      session.onDidChange((state) => this.follow(state)),
    );
    this.follow(session.state);
  }

  updateSettings(settings: Settings): void {
    const baseUrlChanged = settings.apiBaseUrl !== this.settings.apiBaseUrl;
    this.settings = settings;
    this.scheduler.setIntervals(settings.fastRefreshMs, settings.slowRefreshMs);
    if (baseUrlChanged) void this.scheduler.refreshNow();
  }

  /**
   * The user asked (Refresh, Retry): the whole list now, skipping any back-off. After a 403 the
   * same key may have been given access meanwhile, so it is tried once more.
   */
  async refresh(): Promise<void> {
    if (this.session.state.kind === 'rejected') return this.session.recheck(); // signed in again → a full fetch
    return this.scheduler.refreshNow();
  }

  dispose(): void {
    this.deletions.dispose();
    this.scheduler.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private follow(state: SessionState): void {
    switch (state.kind) {
      case 'reading':
        return;
      case 'signedOut':
        this.model.signOut();
        this.credit.reset();
        break;
      case 'rejected':
        this.model.rejectKey(state.rejection);
        break;
      case 'signedIn':
        this.model.setLoading();
        // Another key may read billing where the last could not; the same key is not asked again.
        if (this.billingKey !== this.session.account) this.credit.reset();
        this.billingKey = this.session.account;
        this.scheduler.setBillingKey(this.session.account);
        break;
    }
    this.scheduler.setEnabled(state.kind === 'signedIn');
  }
}
