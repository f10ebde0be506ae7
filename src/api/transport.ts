// One request to fal, attempt after attempt: builds the URL and headers, runs each exchange, logs
// it, classifies it (settle.ts) and decides — with the retry policy, the caller's deadline and
// signal — whether to wait and try again. For a create it also tracks whether any attempt may have
// been carried out by fal, so that every error says if the outcome is unknown.
import type { Dispatcher } from 'undici';
import type { Timers } from '../base/timers';
import { FalAbortError, FalApiError, FalError } from './errors';
import { exchange } from './http';
import type { Redactor } from './redaction';
import { beyondWindowError, type RequestContext } from './responses';
import { decideRetry, type RetryPolicy } from './retry';
import { settle, type RequestOutcome, type StatusHandlers } from './settle';

/** One attempt, for the extension's log. Holds no header and no key. */
export interface RequestLogEntry {
  method: string;
  /** Path and query relative to the base URL, e.g. `/compute/instances?limit=100`; ids and cursors redacted and capped. */
  path: string;
  status?: number;
  durationMs: number;
  attempt: number;
  outcome: RequestOutcome;
}

/** A wait before the next attempt (e.g. fal's Retry-After), for progress the user can see. */
export interface RetryNotice {
  /** The attempt that just failed, starting at 1. */
  attempt: number;
  delayMs: number;
  /** The HTTP status that asked for the wait, when there was one (429: rate limiting). */
  status?: number;
}

export type Method = 'GET' | 'POST' | 'DELETE';

export interface Call<T> {
  method: Method;
  /** Already percent-encoded, relative to the base URL. */
  path: string;
  /** The same path for people (errors, the log): ids redacted and capped. */
  shownPath: string;
  query?: URLSearchParams;
  /** The query for people; server-chosen cursors redacted and capped. */
  shownQuery?: string;
  body?: unknown;
  idempotencyKey?: string;
  signal?: AbortSignal;
  handlers: StatusHandlers<T>;
  /** No attempt runs past `at` (timers.now()); `error` says why the call stopped. */
  deadline?: { at: number; error: (ctx: RequestContext) => FalError };
  onRetry?: (notice: RetryNotice) => void;
  /**
   * Runs synchronously right before each attempt is sent, with no `await` between it and the
   * request (nor between the caller's call and the first attempt): a throw ends the call with that
   * error and nothing is sent. The auto-delete's last check lives here.
   */
  beforeAttempt?: () => void;
  /** One attempt only: a failure is final (a request whose preconditions cannot be checked again). */
  once?: boolean;
}

export interface TransportOptions {
  base: URL;
  authorization: string;
  userAgent: string;
  timeoutMs: number;
  retry: RetryPolicy;
  maxResponseBytes: number;
  dispatcher: Dispatcher | undefined;
  timers: Timers;
  redactor: Redactor;
  onRequest: ((entry: RequestLogEntry) => void) | undefined;
}

export class Transport {
  // A private field: the options hold the Authorization value, which must never reach an error or a log.
  readonly #o: TransportOptions;

  constructor(options: TransportOptions) {
    this.#o = options;
  }

  async call<T>(call: Call<T>): Promise<T> {
    const url = new URL(this.#o.base);
    url.pathname = this.#o.base.pathname + call.path;
    url.search = call.query?.toString() ?? '';
    const ctx: RequestContext = {
      endpoint: `${call.method} ${call.shownPath}`,
      host: url.host,
      url,
      redactor: this.#o.redactor,
    };
    const requestClass = call.method === 'POST' ? 'create' : 'idempotent';
    const firstStart = this.#o.timers.now();
    let ambiguous = false;
    // For a create, every error says whether fal may have started the machine after all.
    const fail = (error: FalError): FalError => {
      if (requestClass === 'create') error.outcomeUnknown = ambiguous;
      return error;
    };
    for (let attempt = 1; ; attempt++) {
      if (call.signal?.aborted) throw fail(new FalAbortError(ctx.endpoint));
      const left = call.deadline ? call.deadline.at - this.#o.timers.now() : Infinity;
      if (left <= 0) throw fail(call.deadline!.error(ctx));
      const timeoutMs = Math.min(this.#o.timeoutMs, left);
      call.beforeAttempt?.();
      const attemptStart = this.#o.timers.now();
      const result = await exchange({
        url,
        method: call.method,
        headers: this.#headers(call),
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: call.signal,
        timeoutMs,
        maxResponseBytes: this.#o.maxResponseBytes,
        dispatcher: this.#o.dispatcher,
        timers: this.#o.timers,
      });
      const settled = settle(result, call.handlers, ctx, {
        timeoutMs,
        maxResponseBytes: this.#o.maxResponseBytes,
        now: this.#o.timers.now(),
      });
      this.#log({
        method: call.method,
        path: call.shownPath + (call.shownQuery ?? ''),
        status: settled.status,
        durationMs: Math.round(this.#o.timers.now() - attemptStart),
        attempt,
        outcome: settled.outcome,
      });
      if (settled.outcome === 'ok') return settled.value;
      ambiguous ||= settled.ambiguous;
      if (settled.outcome === 'timeout' && call.deadline && timeoutMs < this.#o.timeoutMs)
        throw fail(call.deadline.error(ctx));
      if (!settled.failure) throw fail(settled.error);
      const decision = decideRetry({
        requestClass,
        failure: settled.failure,
        attempt,
        elapsedMs: this.#o.timers.now() - firstStart,
        policy: call.once ? { ...this.#o.retry, maxAttempts: 1 } : this.#o.retry,
        random: Math.random,
      });
      if (!decision.retry) {
        const pastWindow =
          decision.reason === 'deadline' &&
          requestClass === 'create' &&
          settled.error instanceof FalApiError &&
          settled.error.retryAfterMs !== undefined;
        throw fail(pastWindow ? beyondWindowError(settled.error as FalApiError, decision.delayMs ?? 0) : settled.error);
      }
      if (call.deadline && this.#o.timers.now() + decision.delayMs >= call.deadline.at) throw fail(settled.error);
      call.onRetry?.({
        attempt,
        delayMs: decision.delayMs,
        ...(settled.status !== undefined && { status: settled.status }),
      });
      try {
        await this.#sleep(decision.delayMs, call.signal, ctx.endpoint);
      } catch (err) {
        throw err instanceof FalError ? fail(err) : err;
      }
    }
  }

  #headers(call: Call<unknown>): Record<string, string> {
    const headers: Record<string, string> = {
      authorization: this.#o.authorization,
      accept: 'application/json',
      'user-agent': this.#o.userAgent,
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.idempotencyKey !== undefined) headers['idempotency-key'] = call.idempotencyKey;
    return headers;
  }

  #log(entry: RequestLogEntry): void {
    try {
      this.#o.onRequest?.(entry);
    } catch {
      // A faulty logger must not turn a successful request into a failure.
    }
  }

  /** Waits between attempts; the caller's signal ends the wait at once. */
  #sleep(ms: number, signal: AbortSignal | undefined, endpoint: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new FalAbortError(endpoint));
      const onAbort = () => {
        this.#o.timers.clearTimeout(timer);
        reject(new FalAbortError(endpoint));
      };
      const timer = this.#o.timers.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
