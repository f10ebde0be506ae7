// Every failure of the API layer is a FalError with a user-facing `message`. Nothing here
// ever holds the API key, request headers or raw undici errors: errors end up in logs,
// notifications and telemetry.
import * as l10n from '@vscode/l10n';

export type FalErrorKind = 'http' | 'network' | 'timeout' | 'malformed' | 'config' | 'input' | 'aborted';

/** What is kept of an underlying error: never the original object, which may carry headers. */
export interface SanitizedCause {
  code?: string;
  message: string;
}

export abstract class FalError extends Error {
  abstract readonly kind: FalErrorKind;
  /** `METHOD /path`, e.g. `GET /compute/instances`, when the error belongs to a request. */
  readonly endpoint: string | undefined;
  /** Set on every error from createInstance after a key was chosen, so the caller can resume. */
  idempotencyKey: string | undefined;
  /**
   * From createInstance: true when fal may have started the machine after all (an attempt was
   * dropped, timed out, got a 5xx, 408 or 409, or an unreadable success). Such a create must be
   * resumed with the same idempotencyKey, never sent anew with a new one. False when every attempt
   * was refused outright (4xx): nothing was created.
   */
  outcomeUnknown: boolean;

  constructor(message: string, endpoint?: string, cause?: SanitizedCause) {
    super(message, cause ? { cause } : undefined);
    this.endpoint = endpoint;
    this.idempotencyKey = undefined;
    this.outcomeUnknown = false;
  }
}

export interface FalApiErrorInit {
  status: number;
  /** `error.type` from fal's envelope, or a synthesized one (`http_error`, `redirect`). */
  type: string;
  message: string;
  apiMessage: string;
  endpoint: string;
  requestId?: string;
  docsUrl?: string;
  retryAfterMs?: number;
  /** A create was not retried because fal's Retry-After would pass its idempotency window. */
  pastIdempotencyWindow?: boolean;
}

/** fal answered with a non-2xx status. */
export class FalApiError extends FalError {
  override readonly name = 'FalApiError';
  readonly kind = 'http';
  readonly status: number;
  readonly type: string;
  readonly apiMessage: string;
  readonly requestId: string | undefined;
  readonly docsUrl: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly pastIdempotencyWindow: boolean;

  constructor(init: FalApiErrorInit) {
    super(init.message, init.endpoint);
    this.status = init.status;
    this.type = init.type;
    this.apiMessage = init.apiMessage;
    this.requestId = init.requestId;
    this.docsUrl = init.docsUrl;
    this.retryAfterMs = init.retryAfterMs;
    this.pastIdempotencyWindow = init.pastIdempotencyWindow ?? false;
  }
}

/** No usable HTTP answer: connection refused/reset/dropped, DNS, TLS (`network`) or our own timeout (`timeout`). */
export class FalNetworkError extends FalError {
  override readonly name = 'FalNetworkError';
  readonly kind: 'network' | 'timeout';
  readonly host: string;
  readonly code: string | undefined;

  constructor(init: {
    kind: 'network' | 'timeout';
    message: string;
    endpoint: string;
    host: string;
    cause?: SanitizedCause;
  }) {
    super(init.message, init.endpoint, init.cause);
    this.kind = init.kind;
    this.host = init.host;
    this.code = init.cause?.code;
  }
}

/** fal answered 2xx, but the body is not JSON, does not match the API, or is too large. */
export class FalResponseError extends FalError {
  override readonly name = 'FalResponseError';
  readonly kind = 'malformed';
  readonly status: number | undefined;

  constructor(message: string, endpoint: string, status?: number) {
    super(message, endpoint);
    this.status = status;
  }
}

/** The client cannot be built: bad base URL, bad API key shape, bad option. */
export class FalConfigError extends FalError {
  override readonly name = 'FalConfigError';
  readonly kind = 'config';
}

/** A call was refused locally, before any network I/O (e.g. a private SSH key was passed). */
export class FalInputError extends FalError {
  override readonly name = 'FalInputError';
  readonly kind = 'input';
}

/**
 * The caller's AbortSignal fired. Named `AbortError` like the DOM's, so generic
 * `err.name === 'AbortError'` checks keep working.
 */
export class FalAbortError extends FalError {
  override readonly name = 'AbortError';
  readonly kind = 'aborted';

  constructor(endpoint?: string) {
    super(endpoint ? l10n.t`${endpoint} was cancelled.` : l10n.t('The request was cancelled.'), endpoint);
  }
}
