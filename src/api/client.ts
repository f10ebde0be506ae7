// Client for fal's compute instance endpoints (Platform API v1). No VS Code dependency:
// the extension, the tests and scripts all use it the same way.
import { randomUUID } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import type { Dispatcher } from 'undici';
import { realTimers, type Timers } from '../base/timers';
import { parseApiKey } from './apiKey';
import { DEFAULT_BASE_URL, parseBaseUrl } from './baseUrl';
import { billingCall, type BillingRead } from './billing';
import { createRequestBody, type CreateInstanceInput } from './createInput';
import { FalError, FalInputError, FalResponseError } from './errors';
import { checkedInstanceId } from './instanceId';
import { collectListing, MAX_CURSOR_CHARS } from './listing';
import { headerValue, positiveInteger, retryPolicy } from './options';
import { Redactor } from './redaction';
import { listingDeadlineError, type RequestContext } from './responses';
import type { RetryPolicy } from './retry';
import { parseInstance, parseListPage } from './rows';
import type { ComputeInstance, InstanceListing, ListPage } from './schemas';
import { Transport, type Call, type RequestLogEntry, type RetryNotice } from './transport';

export type { RequestOutcome } from './settle';
export type { RequestLogEntry, RetryNotice } from './transport';

export interface FalComputeClientOptions {
  apiKey: string;
  baseUrl?: string;
  /** Per attempt, covering connect, headers and body. */
  timeoutMs?: number;
  /** For a whole listInstances: every page, every retry. */
  listDeadlineMs?: number;
  userAgent?: string;
  retry?: Partial<RetryPolicy>;
  onRequest?: (entry: RequestLogEntry) => void;
  dispatcher?: Dispatcher;
  maxResponseBytes?: number;
  pageSize?: number;
  maxPages?: number;
  /** Time for deadlines and waits between attempts (tests pass fake timers). */
  timers?: Timers;
}

export interface CreateInstanceOptions {
  /** Reuse the key of an earlier, unfinished attempt to resume it without a second instance. */
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Called before each wait between attempts (the signal cancels the wait). */
  onRetry?: (notice: RetryNotice) => void;
}

const INSTANCES_PATH = '/compute/instances';
const IDEMPOTENCY_KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

export class FalComputeClient {
  readonly baseUrl: string;
  // Private fields stay out of JSON.stringify, util.inspect and error objects.
  readonly #transport: Transport;
  readonly #redactor: Redactor;
  readonly #listDeadlineMs: number;
  readonly #pageSize: number;
  readonly #maxPages: number;
  readonly #timers: Timers;

  constructor(options: FalComputeClientOptions) {
    const { keyId, keySecret } = parseApiKey(options.apiKey);
    const base = parseBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
    this.baseUrl = base.href.replace(/\/$/, '');
    this.#redactor = new Redactor(`${keyId}:${keySecret}`);
    this.#timers = options.timers ?? realTimers;
    this.#transport = new Transport({
      base,
      // l10n-exempt: the Authorization header fal reads, never shown
      authorization: `Key ${keyId}:${keySecret}`,
      userAgent: headerValue('userAgent', options.userAgent ?? 'fal-compute-vscode'),
      timeoutMs: positiveInteger('timeoutMs', options.timeoutMs ?? 30_000),
      retry: retryPolicy(options.retry),
      maxResponseBytes: positiveInteger('maxResponseBytes', options.maxResponseBytes ?? 16 * 1024 * 1024),
      dispatcher: options.dispatcher,
      timers: this.#timers,
      redactor: this.#redactor,
      onRequest: options.onRequest,
    });
    this.#listDeadlineMs = positiveInteger('listDeadlineMs', options.listDeadlineMs ?? 60_000);
    this.#pageSize = positiveInteger('pageSize', options.pageSize ?? 100);
    this.#maxPages = positiveInteger('maxPages', options.maxPages ?? 100);
  }

  /** Every instance of the workspace, following `next_cursor` across pages, within one deadline. */
  async listInstances(opts: { signal?: AbortSignal } = {}): Promise<InstanceListing> {
    const at = this.#timers.now() + this.#listDeadlineMs;
    return collectListing(
      (cursor, pagesSoFar) =>
        this.#listPage(
          { cursor, signal: opts.signal },
          { at, error: (ctx) => listingDeadlineError(this.#listDeadlineMs, pagesSoFar, ctx) },
        ),
      // l10n-exempt: the HTTP method and path, named in messages as they are sent
      { maxPages: this.#maxPages, endpoint: `GET ${INSTANCES_PATH}` },
    );
  }

  async listInstancesPage(opts: { cursor?: string; limit?: number; signal?: AbortSignal } = {}): Promise<ListPage> {
    return this.#listPage(opts);
  }

  async getInstance(id: string, opts: { signal?: AbortSignal } = {}): Promise<ComputeInstance> {
    return this.#transport.call({
      method: 'GET',
      ...this.#instancePath(id),
      signal: opts.signal,
      handlers: { 200: (res, ctx) => sameInstance(parseInstance(res, ctx), id, ctx) },
    });
  }

  /**
   * Starts a billable machine. Retries only replay the same Idempotency-Key, so however often
   * the request is sent, fal starts at most one instance for it.
   */
  async createInstance(input: CreateInstanceInput, opts: CreateInstanceOptions = {}): Promise<ComputeInstance> {
    const body = createRequestBody(input);
    const idempotencyKey = opts.idempotencyKey ?? randomUUID();
    if (!IDEMPOTENCY_KEY_SHAPE.test(idempotencyKey)) {
      throw new FalInputError(l10n.t('The Idempotency-Key must be 1–255 printable ASCII characters without spaces.'));
    }
    try {
      return await this.#transport.call({
        method: 'POST',
        path: INSTANCES_PATH,
        shownPath: INSTANCES_PATH,
        body,
        idempotencyKey,
        signal: opts.signal,
        onRetry: opts.onRetry,
        handlers: { 200: parseInstance, 201: parseInstance },
      });
    } catch (err) {
      if (err instanceof FalError) err.idempotencyKey = idempotencyKey;
      throw err;
    }
  }

  /**
   * Terminates the instance (irreversible). A 404 means it was already gone. `beforeAttempt` is
   * asked synchronously right before each attempt is sent (the first one within this call); a
   * throw stops the delete with nothing sent. `once`: no retry, a failure is final.
   */
  async deleteInstance(
    id: string,
    opts: { signal?: AbortSignal; beforeAttempt?: () => void; once?: boolean } = {},
  ): Promise<{ alreadyGone: boolean }> {
    const deleted = () => ({ alreadyGone: false });
    return this.#transport.call({
      method: 'DELETE',
      ...this.#instancePath(id),
      signal: opts.signal,
      beforeAttempt: opts.beforeAttempt,
      once: opts.once,
      handlers: { 200: deleted, 202: deleted, 204: deleted, 404: () => ({ alreadyGone: true }) },
    });
  }

  /**
   * The account's username and credit balance (billing.ts). A 403 or 404 is returned as
   * `{ readable: false }`, never thrown: it says nothing about the key's access to Compute.
   */
  async getAccountBilling(opts: { signal?: AbortSignal } = {}): Promise<BillingRead> {
    return this.#transport.call(billingCall(opts.signal));
  }

  #listPage(
    opts: { cursor?: string; limit?: number; signal?: AbortSignal },
    deadline?: Call<ListPage>['deadline'],
  ): Promise<ListPage> {
    const limit = String(opts.limit === undefined ? this.#pageSize : inputLimit(opts.limit));
    const query = new URLSearchParams({ limit });
    let shownQuery = `?limit=${limit}`;
    if (opts.cursor !== undefined) {
      if (opts.cursor.length > MAX_CURSOR_CHARS)
        throw new FalInputError(l10n.t`A list cursor is at most ${MAX_CURSOR_CHARS} characters.`);
      query.set('cursor', opts.cursor);
      shownQuery += `&cursor=${this.#redactor.text(opts.cursor, 64)}`;
    }
    return this.#transport.call({
      method: 'GET',
      path: INSTANCES_PATH,
      shownPath: INSTANCES_PATH,
      query,
      shownQuery,
      signal: opts.signal,
      deadline,
      handlers: { 200: parseListPage },
    });
  }

  /** The checked, encoded path of one instance (FalInputError, before any request, for a bad id). */
  #instancePath(id: string): { path: string; shownPath: string } {
    const checked = checkedInstanceId(id, this.#redactor);
    return {
      path: `${INSTANCES_PATH}/${encodeURIComponent(checked)}`,
      shownPath: `${INSTANCES_PATH}/${this.#redactor.text(checked, 128)}`,
    };
  }
}

/** fal answered a get with another instance: its status and IP must not be shown as this one's. */
function sameInstance(instance: ComputeInstance, id: string, ctx: RequestContext): ComputeInstance {
  if (instance.id === id) return instance;
  throw new FalResponseError(
    l10n.t`${ctx.endpoint} returned a different instance (${ctx.redactor.text(instance.id, 64)}).`,
    ctx.endpoint,
    200,
  );
}

function inputLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1)
    throw new FalInputError(l10n.t('The page size (limit) must be a whole number of at least 1.'));
  return limit;
}
