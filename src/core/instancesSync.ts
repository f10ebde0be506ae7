// One fetch of the refresh scheduler, done the cheapest way, and its result applied to the model.
// A `full` fetch lists every page. A `changes` fetch asks only about the transitional instances,
// the deleted ones still listed and the ones someone waits for (GET /compute/instances/{id}, one at
// a time) when they are fewer than the pages of a full list; otherwise the list is the cheaper
// question. With 1 provisioning among 1,000 that is one request per fast tick instead of ten. A
// `watched` fetch asks the one instance someone waits for by id, whatever the list's size.
import type { ComputeInstance, InstanceListing, InvalidInstanceRow } from '../api';
import {
  errorMessage,
  failureKind,
  failureStatus,
  isNotFound,
  keyRejectionOf,
  retryAfterMs,
  type KeyRejection,
} from './apiFailures';
import type { InstancesModel } from './instancesModel';
import type { FetchKind, FetchOutcome } from './refreshScheduler';
import { isTransitional } from './status';

/** The part of FalComputeClient a sync needs. */
export interface InstancesApi {
  listInstances(): Promise<InstanceListing>;
  getInstance(id: string): Promise<ComputeInstance>;
}

export interface InstancesSyncOptions {
  readonly model: InstancesModel;
  /** The client for the stored key; undefined when signed out. May throw (a base URL the client refuses). */
  client(): Promise<InstancesApi | undefined>;
  /** Instances per page of a full list (the client's page size). */
  readonly pageSize: number;
  now(): number;
  /** fal refused the key: the caller stops polling until the key changes (apiFailures.ts decides what counts). */
  onKeyRejected(rejection: KeyRejection): void;
  readonly log?: { warn(message: string): void };
}

export class InstancesSync {
  /** Pages the last full list took (a full list costs this many requests). */
  private pages = 1;
  private loggedInvalidRows = '';

  constructor(private readonly options: InstancesSyncOptions) {}

  /**
   * The ids a fetch asks about by id, or undefined when the full list is cheaper. `waited`: the
   * instances someone waits for (a `watched` fetch asks only these, by id).
   */
  plan(kind: FetchKind, waited: readonly string[] = []): readonly string[] | undefined {
    if (kind === 'full') return undefined;
    if (kind === 'watched') return waited;
    // Deleted instances fal still lists are watched too: a 404 is the news that they are gone.
    const ids = new Set(
      this.options.model
        .list()
        .filter((r) => isTransitional(r.instance.status) || r.deleting)
        .map((r) => r.instance.id),
    );
    for (const id of waited) ids.add(id);
    return ids.size > 0 && ids.size < this.pages ? [...ids] : undefined;
  }

  async fetch(kind: FetchKind, waited: readonly string[] = []): Promise<FetchOutcome> {
    const { model } = this.options;
    try {
      const client = await this.options.client();
      if (!client) return { ok: true, transitional: false };
      const ids = this.plan(kind, waited);
      if (ids) await this.fetchByIds(client, ids);
      else {
        const listing = await client.listInstances();
        const rows = listing.instances.length + listing.invalid.length;
        this.pages = Math.max(1, Math.ceil(rows / this.options.pageSize));
        model.apply(listing.instances, this.options.now(), listing.invalid);
        this.logInvalidRows(listing.invalid);
      }
      return { ok: true, transitional: model.list().some((r) => isTransitional(r.instance.status)) };
    } catch (error) {
      const rejection = keyRejectionOf(error);
      if (rejection) {
        this.options.onKeyRejected(rejection);
        return { ok: false };
      }
      this.options.log?.warn(`Refreshing instances (${kind}) failed: ${errorMessage(error)}`);
      model.fail(errorMessage(error), failureKind(error), this.options.now(), failureStatus(error));
      return { ok: false, retryAfterMs: retryAfterMs(error) };
    }
  }

  /** Says once (not at every refresh) which rows fal sent broken and what was wrong with them. */
  private logInvalidRows(rows: readonly InvalidInstanceRow[]): void {
    const described =
      rows
        .slice(0, 10)
        // l10n-exempt: log line only (written by the warn below)
        .map((r) => `${r.id ?? '(no id)'}: ${r.problem}`)
        // l10n-exempt: log line only (written by the warn below)
        .join('; ') + (rows.length > 10 ? `; and ${rows.length - 10} more` : '');
    if (described === this.loggedInvalidRows) return;
    this.loggedInvalidRows = described;
    if (rows.length)
      this.options.log?.warn(
        `fal listed ${rows.length} row(s) this version cannot use, shown as "invalid data from fal" with no actions: ${described}`,
      );
  }

  /** One GET at a time (never two requests in flight); a 404 means the instance is gone. */
  private async fetchByIds(client: InstancesApi, ids: readonly string[]): Promise<void> {
    const found: ComputeInstance[] = [];
    const gone: string[] = [];
    for (const id of ids) {
      try {
        found.push(await client.getInstance(id));
      } catch (error) {
        if (!isNotFound(error)) throw error;
        gone.push(id);
      }
    }
    this.options.model.update(found, gone, this.options.now());
  }
}
