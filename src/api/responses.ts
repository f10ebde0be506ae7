// Turning failed exchanges into user-facing FalErrors. Every text that came from the network or
// from undici passes through the client's Redactor (redacted, then capped) before it reaches an
// error; successful bodies are read in rows.ts.
import * as l10n from '@vscode/l10n';
import { waitText } from '../base/durations';
import { parseBoundedJson } from './boundedJson';
import { FalApiError, FalNetworkError, FalResponseError } from './errors';
import type { HttpResult } from './http';
import type { Redactor } from './redaction';
import { ErrorEnvelopeSchema } from './schemas';

export type HttpResponse = Extract<HttpResult, { kind: 'response' }>;

/** Everything about the request an error message may mention. Never holds the key itself. */
export interface RequestContext {
  /** `METHOD /path` for people: ids and cursors in it are already redacted and capped. */
  endpoint: string;
  host: string;
  url: URL;
  redactor: Redactor;
}

/** Caps for what the server chose to say in an error (a 3 MiB message stays out of err.message). */
const SHOWN_CHARS = {
  type: 64,
  message: 500,
  snippet: 200,
  requestId: 128,
  docsUrl: 256,
  origin: 200,
  networkDetail: 300,
  code: 64,
} as const;

export function unexpectedSuccessError(res: HttpResponse, ctx: RequestContext): FalResponseError {
  return new FalResponseError(
    l10n.t`${ctx.endpoint} returned HTTP ${res.status}, which fal's API does not use here.`,
    ctx.endpoint,
    res.status,
  );
}

export function tooLargeError(status: number, maxBytes: number, ctx: RequestContext): FalResponseError {
  return new FalResponseError(
    l10n.t`${ctx.endpoint} returned a response larger than ${maxBytes} bytes; it was not read.`,
    ctx.endpoint,
    status,
  );
}

export function redirectError(res: HttpResponse, ctx: RequestContext): FalApiError {
  const origin = originOf(res.headers['location'], ctx.url);
  const target = origin && ctx.redactor.text(origin, SHOWN_CHARS.origin);
  const answered = target
    ? l10n.t`fal answered ${ctx.endpoint} with a redirect (HTTP ${res.status} to ${target}).`
    : l10n.t`fal answered ${ctx.endpoint} with a redirect (HTTP ${res.status}).`;
  return new FalApiError({
    status: res.status,
    type: 'redirect',
    apiMessage: '',
    endpoint: ctx.endpoint,
    message: `${answered} ${l10n.t('Redirects are never followed, so the API key is not sent elsewhere; check the fal API base URL setting.')}`,
  });
}

export function apiError(
  res: HttpResponse,
  ctx: RequestContext,
  retryAfterMs: number | undefined,
  message?: string,
): FalApiError {
  const shown = (text: string | undefined, max: number) =>
    text ? ctx.redactor.text(text, max) || undefined : undefined;
  const envelope = parseErrorEnvelope(res.body);
  // Proxies and load balancers answer with HTML or plain text; a short excerpt helps diagnose.
  const apiMessage = envelope
    ? (shown(envelope.message, SHOWN_CHARS.message) ?? '')
    : (shown(res.body, SHOWN_CHARS.snippet) ?? '');
  const requestId = shown(envelope?.request_id, SHOWN_CHARS.requestId);
  const said = apiMessage ? ` ${l10n.t`fal said: "${apiMessage}".`}` : '';
  const reference = requestId ? ` ${l10n.t`(request id ${requestId})`}` : '';
  return new FalApiError({
    status: res.status,
    type: shown(envelope?.type, SHOWN_CHARS.type) ?? 'http_error',
    apiMessage,
    endpoint: ctx.endpoint,
    requestId,
    docsUrl: webLink(shown(envelope?.docs_url, SHOWN_CHARS.docsUrl)),
    retryAfterMs,
    message: `${message ?? adviceForStatus(res.status)}${said}${reference}`,
  });
}

/** A create that fal asks to retry only after its idempotency window has closed: stopped, and why. */
export function beyondWindowError(err: FalApiError, waitMs: number): FalApiError {
  const wait = waitText(waitMs);
  const asks =
    err.status === 429
      ? l10n.t`fal is rate limiting and asks to wait ${wait} before the create is sent again.`
      : l10n.t`fal answered HTTP ${err.status} and asks to wait ${wait} before the create is sent again.`;
  const said = err.apiMessage ? ` ${l10n.t`fal said: "${err.apiMessage}".`}` : '';
  return new FalApiError({
    status: err.status,
    type: err.type,
    apiMessage: err.apiMessage,
    endpoint: err.endpoint ?? '',
    requestId: err.requestId,
    docsUrl: err.docsUrl,
    retryAfterMs: err.retryAfterMs,
    pastIdempotencyWindow: true,
    message: `${asks} ${l10n.t`That is past fal's 10-minute idempotency window, inside which a repeated create can never start a second machine, so it was not retried. Try again in ${wait}.`}${said}`,
  });
}

function adviceForStatus(status: number): string {
  if (status === 401) {
    return l10n.t(
      'fal rejected the API key. Set a valid fal API key (format key_id:key_secret) from https://fal.ai/dashboard/keys.',
    );
  }
  if (status === 403) {
    return l10n.t(
      'fal denied access. fal Compute needs an ADMIN-scope API key, and the fal account needs Compute access (an enterprise feature: request it via https://fal.ai/dashboard).',
    );
  }
  if (status === 404)
    return l10n.t('Not found: fal has no such resource in this workspace (it may have been deleted).');
  if (status === 429) return l10n.t('fal is rate limiting requests. Try again shortly.');
  if (status >= 500) return l10n.t`fal had a server error (HTTP ${status}). Try again in a moment.`;
  if (status === 400 || status === 422) return l10n.t`fal rejected the request as invalid (HTTP ${status}).`;
  return l10n.t`fal answered HTTP ${status}.`;
}

function parseErrorEnvelope(body: string) {
  const json = parseBoundedJson(body);
  if (!json.ok) return undefined;
  const parsed = ErrorEnvelopeSchema.safeParse(json.value);
  return parsed.success ? parsed.data.error : undefined;
}

/** A docs link is kept only when it is one: http(s), nothing a click could run. */
function webLink(text: string | undefined): string | undefined {
  if (!text || !/^https?:\/\/\S+$/i.test(text)) return undefined;
  try {
    new URL(text);
    return text;
  } catch {
    return undefined;
  }
}

function originOf(location: string | undefined, base: URL): string | undefined {
  if (!location) return undefined;
  try {
    return new URL(location, base).origin;
  } catch {
    return undefined;
  }
}

/** What a network error code means, in words (made when shown, after extension.ts gave the bundle). */
function networkPhrase(code: string | undefined): string {
  if (code) {
    if (/^ECONNREFUSED$/.test(code)) return l10n.t('the connection was refused');
    if (/^(ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED)$/.test(code)) return l10n.t('the connection was dropped');
    if (/^(ENOTFOUND|EAI_AGAIN)$/.test(code)) return l10n.t('the host name could not be resolved (DNS)');
    if (/^(ENETUNREACH|EHOSTUNREACH|ENETDOWN)$/.test(code)) return l10n.t('the network is unreachable');
    if (/TLS|CERT|SSL|VERIFY/.test(code)) return l10n.t('the secure (TLS) connection failed');
  }
  return l10n.t('a network error occurred');
}

export function networkError(result: Extract<HttpResult, { kind: 'network' }>, ctx: RequestContext): FalNetworkError {
  const phrase = networkPhrase(result.code);
  const shownCode = result.code ? ctx.redactor.text(result.code, SHOWN_CHARS.code) : undefined;
  const code = shownCode ? ` (${shownCode})` : '';
  return new FalNetworkError({
    kind: 'network',
    endpoint: ctx.endpoint,
    host: ctx.host,
    message: l10n.t`Could not reach fal at ${ctx.host} for ${ctx.endpoint}: ${phrase}${code}.`,
    cause: { code: shownCode, message: ctx.redactor.text(result.detail, SHOWN_CHARS.networkDetail) },
  });
}

export function timeoutError(timeoutMs: number, ctx: RequestContext): FalNetworkError {
  return new FalNetworkError({
    kind: 'timeout',
    endpoint: ctx.endpoint,
    host: ctx.host,
    message: l10n.t`fal at ${ctx.host} did not answer ${ctx.endpoint} within ${formatSeconds(timeoutMs)}.`,
  });
}

/** A whole listing (every page, every retry) ran past its deadline. */
export function listingDeadlineError(deadlineMs: number, pages: number, ctx: RequestContext): FalNetworkError {
  return new FalNetworkError({
    kind: 'timeout',
    endpoint: ctx.endpoint,
    host: ctx.host,
    message:
      pages === 1
        ? l10n.t`fal at ${ctx.host} did not finish listing instances within ${formatSeconds(deadlineMs)} (${pages} page received).`
        : l10n.t`fal at ${ctx.host} did not finish listing instances within ${formatSeconds(deadlineMs)} (${pages} pages received).`,
  });
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
