// Keeps the instances model current: owns the API client for the stored key and the refresh
// scheduler, and feeds the scheduler what it needs to know (view visible, window focused).
import * as vscode from 'vscode';
import type { FalComputeClient, InvalidInstanceRow } from '../api';
import type { ApiKeyStore } from '../auth/apiKeyStore';
import { InstancesModel } from '../core/instancesModel';
import { RefreshScheduler, type FetchOutcome } from '../core/refreshScheduler';
import { isTransitional } from '../core/status';
import type { Settings } from '../settings';
import { errorMessage, retryAfterMs } from './errorMessage';
import { createFalClient } from './falClientFactory';

const FIRST_SEEN_KEY = 'fal.instances.firstSeen';

export class InstancesController implements vscode.Disposable {
  readonly model: InstancesModel;
  readonly scheduler: RefreshScheduler;
  private client: FalComputeClient | undefined;
  private clientFor: { key: string; baseUrl: string } | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private loggedInvalidRows = '';

  constructor(
    private readonly keys: ApiKeyStore,
    private readonly log: vscode.LogOutputChannel,
    private settings: Settings,
    globalState: vscode.Memento,
    private readonly version: string,
  ) {
    this.model = new InstancesModel({
      get: () => globalState.get<Record<string, number>>(FIRST_SEEN_KEY, {}),
      set: (value) => globalState.update(FIRST_SEEN_KEY, value),
    });
    this.scheduler = new RefreshScheduler({
      fetch: () => this.fetch(),
      fastMs: settings.fastRefreshMs,
      slowMs: settings.slowRefreshMs,
    });
    this.scheduler.setFocused(vscode.window.state.focused);
    this.disposables.push(
      vscode.window.onDidChangeWindowState((s) => this.scheduler.setFocused(s.focused)),
      keys.onDidChange(() => void this.onKeyChanged()),
    );
    void this.onKeyChanged();
  }

  /** The client for the stored key, or undefined when signed out. */
  async currentClient(): Promise<FalComputeClient | undefined> {
    const key = await this.keys.get();
    if (!key) return undefined;
    const { apiBaseUrl } = this.settings;
    if (!this.client || this.clientFor?.key !== key || this.clientFor.baseUrl !== apiBaseUrl) {
      this.client = createFalClient(key, apiBaseUrl, this.log, this.version);
      this.clientFor = { key, baseUrl: apiBaseUrl };
    }
    return this.client;
  }

  attachView(view: vscode.TreeView<unknown>): void {
    this.scheduler.setVisible(view.visible);
    this.disposables.push(view.onDidChangeVisibility((e) => this.scheduler.setVisible(e.visible)));
  }

  updateSettings(settings: Settings): void {
    const baseUrlChanged = settings.apiBaseUrl !== this.settings.apiBaseUrl;
    this.settings = settings;
    this.scheduler.setIntervals(settings.fastRefreshMs, settings.slowRefreshMs);
    if (baseUrlChanged) void this.scheduler.refreshNow();
  }

  refresh(): Promise<void> {
    return this.scheduler.refreshNow();
  }

  dispose(): void {
    this.scheduler.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private async onKeyChanged(): Promise<void> {
    const signedIn = (await this.keys.get()) !== undefined;
    if (!signedIn) {
      this.client = undefined;
      this.clientFor = undefined;
      this.model.signOut();
    } else {
      this.model.setLoading();
    }
    this.scheduler.setEnabled(signedIn);
  }

  /** Says once (not at every refresh) which rows fal sent broken and what was wrong with them. */
  private logInvalidRows(rows: readonly InvalidInstanceRow[]): void {
    const described = rows.slice(0, 10).map((r) => `${r.id ?? '(no id)'}: ${r.problem}`).join('; ') + (rows.length > 10 ? `; and ${rows.length - 10} more` : '');
    if (described === this.loggedInvalidRows) return;
    this.loggedInvalidRows = described;
    if (rows.length) this.log.warn(`fal listed ${rows.length} row(s) this version cannot use, shown as "invalid data from fal" with no actions: ${described}`);
  }

  private async fetch(): Promise<FetchOutcome> {
    let client: FalComputeClient | undefined;
    try {
      client = await this.currentClient();
    } catch (error) {
      // e.g. an http:// base URL that is not loopback: a settings problem, shown in the view.
      this.model.fail(errorMessage(error), Date.now());
      return { ok: false };
    }
    if (!client) return { ok: true, transitional: false };
    try {
      const listing = await client.listInstances();
      this.model.apply(listing.instances, Date.now(), listing.invalid);
      this.logInvalidRows(listing.invalid);
      return { ok: true, transitional: listing.instances.some((i) => isTransitional(i.status)) };
    } catch (error) {
      this.log.warn(`Listing instances failed: ${errorMessage(error)}`);
      this.model.fail(errorMessage(error), Date.now());
      return { ok: false, retryAfterMs: retryAfterMs(error) };
    }
  }
}
