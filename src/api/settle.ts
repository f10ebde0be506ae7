// What one attempt came to: a value, or a typed error plus — when trying again could help — the
// failure the retry policy decides on, and whether a create may have been carried out anyway.
import * as l10n from '@vscode/l10n';
import { FalAbortError, FalResponseError, type FalError } from './errors';
import type { HttpResult } from './http';
import {
  apiError,
  networkError,
  redirectError,
  timeoutError,
  tooLargeError,
  unexpectedSuccessError,
  type HttpResponse,
  type RequestContext,
} from './responses';
import { parseRetryAfterMs, type AttemptFailure } from './retry';

export type RequestOutcome = 'ok' | 'http_error' | 'network_error' | 'timeout' | 'malformed' | 'aborted';

export type StatusHandlers<T> = Partial<Record<number, (res: HttpResponse, ctx: RequestContext) => T>>;

export type Attempt<T> =
  | { outcome: 'ok'; status: number; value: T }
  | {
      outcome: Exclude<RequestOutcome, 'ok'>;
      status?: number;
      error: FalError;
      failure?: AttemptFailure;
      /** fal may have acted on the request although no usable answer came back. */
      ambiguous: boolean;
    };

export interface SettleContext {
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly now: number;
}

/** Failures that happen before a request can have reached fal: nothing was sent. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN']);

export function settle<T>(
  result: HttpResult,
  handlers: StatusHandlers<T>,
  ctx: RequestContext,
  s: SettleContext,
): Attempt<T> {
  switch (result.kind) {
    case 'aborted':
      return { outcome: 'aborted', error: new FalAbortError(ctx.endpoint), ambiguous: true };
    case 'timeout':
      return {
        outcome: 'timeout',
        error: timeoutError(s.timeoutMs, ctx),
        failure: { kind: 'timeout' },
        ambiguous: true,
      };
    case 'network':
      return {
        outcome: 'network_error',
        error: networkError(result, ctx),
        failure: { kind: 'network' },
        ambiguous: !NOT_SENT_CODES.has(result.code ?? ''),
      };
    case 'too_large':
      return unusable(result.status, tooLargeError(result.status, s.maxResponseBytes, ctx));
    case 'response':
      return settleResponse(result, handlers, ctx, s);
  }
}

function settleResponse<T>(
  res: HttpResponse,
  handlers: StatusHandlers<T>,
  ctx: RequestContext,
  s: SettleContext,
): Attempt<T> {
  const status = res.status;
  const handler = handlers[status];
  if (handler) {
    try {
      return { outcome: 'ok', status, value: handler(res, ctx) };
    } catch (err) {
      // Whatever a body does to the parser, the caller gets a FalError: never a raw RangeError.
      const error =
        err instanceof FalResponseError
          ? err
          : new FalResponseError(
              l10n.t`${ctx.endpoint} returned a response this version cannot read (HTTP ${status}).`,
              ctx.endpoint,
              status,
            );
      return unusable(status, error);
    }
  }
  if (status >= 200 && status < 300) return unusable(status, unexpectedSuccessError(res, ctx));
  if (status >= 300 && status < 400)
    return { outcome: 'http_error', status, error: redirectError(res, ctx), ambiguous: true };
  const retryAfterMs = parseRetryAfterMs(res.headers['retry-after'], s.now);
  return {
    outcome: 'http_error',
    status,
    error: apiError(res, ctx, retryAfterMs),
    failure: { kind: 'status', status, retryAfterMs },
    // Only a plain refusal says nothing was done; 408, 409 and 5xx leave it open.
    ambiguous: !(status >= 400 && status < 500 && status !== 408 && status !== 409),
  };
}

/** A 2xx that cannot be used: for a create an unknown outcome (replayed like a dropped answer). */
function unusable<T>(status: number, error: FalError): Attempt<T> {
  const success = status >= 200 && status < 300;
  const failure: AttemptFailure | undefined = success ? { kind: 'unreadable' } : undefined;
  return { outcome: 'malformed', status, error, failure, ambiguous: success || status >= 500 };
}
