// Client for fal's compute instance endpoints (Platform API v1). No VS Code dependency:
// the extension, the tests and scripts all use it the same way.
import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { parseApiKey } from './apiKey';
import { DEFAULT_BASE_URL, parseBaseUrl } from './baseUrl';
import { createRequestBody, type CreateInstanceInput } from './createInput';
import { FalAbortError, FalError, FalInputError, FalResponseError } from './errors';
import { exchange, type HttpResult } from './http';
import {
  apiError,
  networkError,
  parseJsonBody,
  redirectError,
  timeoutError,
  tooLargeError,
  unexpectedSuccessError,
  type HttpResponse,
  type RequestContext,
} from './responses';
import { headerValue, positiveInteger, retryPolicy } from './options';
import { decideRetry, parseRetryAfterMs, type AttemptFailure, type RetryPolicy } from './retry';
import { ComputeInstanceSchema, ListPageSchema, type ComputeInstance, type ListPage } from './schemas';

export type RequestOutcome = 'ok' | 'http_error' | 'network_error' | 'timeout' | 'malformed' | 'aborted';

/** One attempt, for the extension's log. Holds no header and no key. */
export interface RequestLogEntry {
  method: string;
  /** Path and query relative to the base URL, e.g. `/compute/instances?limit=100`. */
  path: string;
  status?: number;
  durationMs: number;
  attempt: number;
  outcome: RequestOutcome;
}

export interface FalComputeClientOptions {
  apiKey: string;
  baseUrl?: string;
  /** Per attempt, covering connect, headers and body. */
  timeoutMs?: number;
  userAgent?: string;
  retry?: Partial<RetryPolicy>;
  onRequest?: (entry: RequestLogEntry) => void;
  dispatcher?: Dispatcher;
  maxResponseBytes?: number;
  pageSize?: number;
  maxPages?: number;
}

export interface CreateInstanceOptions {
  /** Reuse the key of an earlier, unfinished attempt to resume it without a second instance. */
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Called with the key before the first request, so the caller can persist it. */
  onIdempotencyKey?: (key: string) => void;
}

type Method = 'GET' | 'POST' | 'DELETE';
type StatusHandlers<T> = Partial<Record<number, (res: HttpResponse, ctx: RequestContext) => T>>;

interface Call<T> {
  method: Method;
  /** Already percent-encoded, relative to the base URL. */
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  idempotencyKey?: string;
  signal?: AbortSignal;
  handlers: StatusHandlers<T>;
}

type Attempt<T> =
  | { outcome: 'ok'; status: number; value: T }
  | { outcome: Exclude<RequestOutcome, 'ok'>; status?: number; error: FalError; failure?: AttemptFailure };

const INSTANCES_PATH = '/compute/instances';
const IDEMPOTENCY_KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

export class FalComputeClient {
  readonly baseUrl: string;
  // Private fields stay out of JSON.stringify, util.inspect and error objects.
  readonly #authorization: string;
  readonly #apiKey: string;
  readonly #base: URL;
  readonly #timeoutMs: number;
  readonly #userAgent: string;
  readonly #retry: RetryPolicy;
  readonly #onRequest: ((entry: RequestLogEntry) => void) | undefined;
  readonly #dispatcher: Dispatcher | undefined;
  readonly #maxResponseBytes: number;
  readonly #pageSize: number;
  readonly #maxPages: number;

  constructor(options: FalComputeClientOptions) {
    const { keyId, keySecret } = parseApiKey(options.apiKey);
    this.#apiKey = `${keyId}:${keySecret}`;
    this.#authorization = `Key ${this.#apiKey}`;
    this.#base = parseBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
    this.baseUrl = this.#base.href.replace(/\/$/, '');
    this.#timeoutMs = positiveInteger('timeoutMs', options.timeoutMs ?? 30_000);
    this.#userAgent = headerValue('userAgent', options.userAgent ?? 'fal-compute-vscode');
    this.#retry = retryPolicy(options.retry);
    this.#onRequest = options.onRequest;
    this.#dispatcher = options.dispatcher;
    this.#maxResponseBytes = positiveInteger('maxResponseBytes', options.maxResponseBytes ?? 16 * 1024 * 1024);
    this.#pageSize = positiveInteger('pageSize', options.pageSize ?? 100);
    this.#maxPages = positiveInteger('maxPages', options.maxPages ?? 100);
  }

  /** Every instance of the workspace, following `next_cursor` across pages. */
  async listInstances(opts: { signal?: AbortSignal } = {}): Promise<ComputeInstance[]> {
    const instances: ComputeInstance[] = [];
    const seenCursors = new Set<string>();
    let cursor: string | undefined;
    for (let pages = 1; ; pages++) {
      const page = await this.listInstancesPage({ cursor, signal: opts.signal });
      instances.push(...page.instances);
      cursor = nextCursor(page);
      if (cursor === undefined) return instances;
      if (seenCursors.has(cursor)) throw listError(`returned the same next_cursor twice (after ${pages} pages); stopped to avoid looping forever.`);
      if (pages >= this.#maxPages) throw listError(`still had more pages after ${pages} pages; stopped. Some instances are not shown.`);
      seenCursors.add(cursor);
    }
  }

  async listInstancesPage(opts: { cursor?: string; limit?: number; signal?: AbortSignal } = {}): Promise<ListPage> {
    const query = new URLSearchParams({ limit: String(opts.limit === undefined ? this.#pageSize : inputLimit(opts.limit)) });
    if (opts.cursor !== undefined) query.set('cursor', opts.cursor);
    return this.#call({
      method: 'GET',
      path: INSTANCES_PATH,
      query,
      signal: opts.signal,
      handlers: { 200: (res, ctx) => parseJsonBody(res, ListPageSchema, ctx) },
    });
  }

  async getInstance(id: string, opts: { signal?: AbortSignal } = {}): Promise<ComputeInstance> {
    return this.#call({
      method: 'GET',
      path: instancePath(id),
      signal: opts.signal,
      handlers: { 200: (res, ctx) => parseJsonBody(res, ComputeInstanceSchema, ctx) },
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
      throw new FalInputError('The Idempotency-Key must be 1–255 printable ASCII characters without spaces.');
    }
    opts.onIdempotencyKey?.(idempotencyKey);
    const parseInstance = (res: HttpResponse, ctx: RequestContext) => parseJsonBody(res, ComputeInstanceSchema, ctx);
    try {
      return await this.#call({
        method: 'POST',
        path: INSTANCES_PATH,
        body,
        idempotencyKey,
        signal: opts.signal,
        handlers: { 200: parseInstance, 201: parseInstance },
      });
    } catch (err) {
      if (err instanceof FalError) err.idempotencyKey = idempotencyKey;
      throw err;
    }
  }

  /** Terminates the instance (irreversible). A 404 means it was already gone. */
  async deleteInstance(id: string, opts: { signal?: AbortSignal } = {}): Promise<{ alreadyGone: boolean }> {
    const deleted = () => ({ alreadyGone: false });
    return this.#call({
      method: 'DELETE',
      path: instancePath(id),
      signal: opts.signal,
      handlers: { 200: deleted, 202: deleted, 204: deleted, 404: () => ({ alreadyGone: true }) },
    });
  }

  async #call<T>(call: Call<T>): Promise<T> {
    const url = new URL(this.#base);
    url.pathname = this.#base.pathname + call.path;
    url.search = call.query?.toString() ?? '';
    const ctx: RequestContext = { endpoint: `${call.method} ${call.path}`, host: url.host, url, redactKey: this.#apiKey };
    const logPath = call.path + url.search;
    const firstStart = performance.now();
    for (let attempt = 1; ; attempt++) {
      if (call.signal?.aborted) throw new FalAbortError(ctx.endpoint);
      const attemptStart = performance.now();
      const result = await exchange({
        url,
        method: call.method,
        headers: this.#headers(call),
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: call.signal,
        timeoutMs: this.#timeoutMs,
        maxResponseBytes: this.#maxResponseBytes,
        dispatcher: this.#dispatcher,
      });
      const settled = this.#settle(result, call, ctx);
      this.#log({
        method: call.method,
        path: logPath,
        status: settled.status,
        durationMs: Math.round(performance.now() - attemptStart),
        attempt,
        outcome: settled.outcome,
      });
      if (settled.outcome === 'ok') return settled.value;
      if (!settled.failure) throw settled.error;
      const decision = decideRetry({
        requestClass: call.method === 'POST' ? 'create' : 'idempotent',
        failure: settled.failure,
        attempt,
        elapsedMs: performance.now() - firstStart,
        policy: this.#retry,
        random: Math.random,
      });
      if (!decision.retry) throw settled.error;
      await sleep(decision.delayMs, call.signal, ctx.endpoint);
    }
  }

  #headers(call: Call<unknown>): Record<string, string> {
    const headers: Record<string, string> = {
      authorization: this.#authorization,
      accept: 'application/json',
      'user-agent': this.#userAgent,
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.idempotencyKey !== undefined) headers['idempotency-key'] = call.idempotencyKey;
    return headers;
  }

  /** Classifies one attempt; only `failure` attempts are candidates for a retry. */
  #settle<T>(result: HttpResult, call: Call<T>, ctx: RequestContext): Attempt<T> {
    switch (result.kind) {
      case 'aborted':
        return { outcome: 'aborted', error: new FalAbortError(ctx.endpoint) };
      case 'timeout':
        return { outcome: 'timeout', error: timeoutError(this.#timeoutMs, ctx), failure: { kind: 'timeout' } };
      case 'network':
        return { outcome: 'network_error', error: networkError(result, ctx), failure: { kind: 'network' } };
      case 'too_large':
        return { outcome: 'malformed', status: result.status, error: tooLargeError(result.status, this.#maxResponseBytes, ctx) };
      case 'response':
        return settleResponse(result, call.handlers, ctx);
    }
  }

  #log(entry: RequestLogEntry): void {
    try {
      this.#onRequest?.(entry);
    } catch {
      // A faulty logger must not turn a successful request into a failure.
    }
  }
}

function settleResponse<T>(res: HttpResponse, handlers: StatusHandlers<T>, ctx: RequestContext): Attempt<T> {
  const status = res.status;
  const handler = handlers[status];
  if (handler) {
    try {
      return { outcome: 'ok', status, value: handler(res, ctx) };
    } catch (err) {
      if (err instanceof FalResponseError) return { outcome: 'malformed', status, error: err };
      throw err;
    }
  }
  if (status >= 200 && status < 300) return { outcome: 'malformed', status, error: unexpectedSuccessError(res, ctx) };
  if (status >= 300 && status < 400) return { outcome: 'http_error', status, error: redirectError(res, ctx) };
  const retryAfterMs = parseRetryAfterMs(res.headers['retry-after'], Date.now());
  return {
    outcome: 'http_error',
    status,
    error: apiError(res, ctx, retryAfterMs),
    failure: { kind: 'status', status, retryAfterMs },
  };
}

function nextCursor(page: ListPage): string | undefined {
  if (page.next_cursor) return page.next_cursor;
  if (page.has_more) throw listError('said has_more: true but gave no next_cursor, so the remaining instances cannot be fetched.');
  return undefined;
}

function listError(problem: string): FalResponseError {
  return new FalResponseError(`GET ${INSTANCES_PATH} ${problem}`, `GET ${INSTANCES_PATH}`);
}

function instancePath(id: string): string {
  if (typeof id !== 'string' || id.trim() === '') throw new FalInputError('An instance id is required.');
  return `${INSTANCES_PATH}/${encodeURIComponent(id)}`;
}

function inputLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) throw new FalInputError('The page size (limit) must be a whole number of at least 1.');
  return limit;
}

/** Waits between attempts; the caller's signal ends the wait at once. */
function sleep(ms: number, signal: AbortSignal | undefined, endpoint: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new FalAbortError(endpoint));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new FalAbortError(endpoint));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
