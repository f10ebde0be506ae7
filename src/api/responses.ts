// Turning what came back from fal into values or user-facing FalErrors. Every text that
// came from the network or from undici passes through `redact` before it reaches an error.
import type * as z from 'zod/mini';
import { redact } from './apiKey';
import { FalApiError, FalNetworkError, FalResponseError } from './errors';
import type { HttpResult } from './http';
import { describeSchemaIssues, ErrorEnvelopeSchema } from './schemas';

export type HttpResponse = Extract<HttpResult, { kind: 'response' }>;

/** Everything about the request an error message may mention. Never holds the key itself. */
export interface RequestContext {
  endpoint: string;
  host: string;
  url: URL;
  redactKey: string;
}

export function parseJsonBody<S extends z.ZodMiniType>(res: HttpResponse, schema: S, ctx: RequestContext): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    throw new FalResponseError(`${ctx.endpoint} returned a response that is not JSON (HTTP ${res.status}).`, ctx.endpoint, res.status);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = redact(describeSchemaIssues(parsed.error), ctx.redactKey);
    throw new FalResponseError(`${ctx.endpoint} returned a response that does not match fal's API: ${problems}`, ctx.endpoint, res.status);
  }
  return parsed.data;
}

export function unexpectedSuccessError(res: HttpResponse, ctx: RequestContext): FalResponseError {
  return new FalResponseError(`${ctx.endpoint} returned HTTP ${res.status}, which fal's API does not use here.`, ctx.endpoint, res.status);
}

export function tooLargeError(status: number, maxBytes: number, ctx: RequestContext): FalResponseError {
  return new FalResponseError(`${ctx.endpoint} returned a response larger than ${maxBytes} bytes; it was not read.`, ctx.endpoint, status);
}

export function redirectError(res: HttpResponse, ctx: RequestContext): FalApiError {
  const target = originOf(res.headers['location'], ctx.url);
  return new FalApiError({
    status: res.status,
    type: 'redirect',
    apiMessage: '',
    endpoint: ctx.endpoint,
    message:
      `fal answered ${ctx.endpoint} with a redirect (HTTP ${res.status}${target ? ` to ${target}` : ''}). ` +
      'Redirects are never followed, so the API key is not sent elsewhere; check the fal API base URL setting.',
  });
}

export function apiError(res: HttpResponse, ctx: RequestContext, retryAfterMs: number | undefined): FalApiError {
  const envelope = parseErrorEnvelope(res.body);
  const apiMessage = redact(envelope?.message ?? bodySnippet(res.body), ctx.redactKey);
  const requestId = envelope?.request_id;
  const said = apiMessage ? ` fal said: "${apiMessage}".` : '';
  const reference = requestId ? ` (request id ${requestId})` : '';
  return new FalApiError({
    status: res.status,
    type: envelope?.type ?? 'http_error',
    apiMessage,
    endpoint: ctx.endpoint,
    requestId,
    docsUrl: envelope?.docs_url,
    retryAfterMs,
    message: `${adviceForStatus(res.status)}${said}${reference}`,
  });
}

function adviceForStatus(status: number): string {
  if (status === 401) {
    return 'fal rejected the API key. Set a valid fal API key (format key_id:key_secret) from https://fal.ai/dashboard/keys.';
  }
  if (status === 403) {
    return (
      'fal denied access. fal Compute needs an ADMIN-scope API key, and the fal account needs Compute access ' +
      '(an enterprise feature: request it via https://fal.ai/dashboard).'
    );
  }
  if (status === 404) return 'Not found: fal has no such resource in this workspace (it may have been deleted).';
  if (status === 429) return 'fal is rate limiting requests. Try again shortly.';
  if (status >= 500) return `fal had a server error (HTTP ${status}). Try again in a moment.`;
  if (status === 400 || status === 422) return `fal rejected the request as invalid (HTTP ${status}).`;
  return `fal answered HTTP ${status}.`;
}

function parseErrorEnvelope(body: string) {
  try {
    const parsed = ErrorEnvelopeSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data.error : undefined;
  } catch {
    return undefined;
  }
}

/** Proxies and load balancers answer with HTML or plain text; a short excerpt helps diagnose. */
function bodySnippet(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function originOf(location: string | undefined, base: URL): string | undefined {
  if (!location) return undefined;
  try {
    return new URL(location, base).origin;
  } catch {
    return undefined;
  }
}

const NETWORK_PHRASES: Array<[RegExp, string]> = [
  [/^ECONNREFUSED$/, 'the connection was refused'],
  [/^(ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED)$/, 'the connection was dropped'],
  [/^(ENOTFOUND|EAI_AGAIN)$/, 'the host name could not be resolved (DNS)'],
  [/^(ENETUNREACH|EHOSTUNREACH|ENETDOWN)$/, 'the network is unreachable'],
  [/TLS|CERT|SSL|VERIFY/, 'the secure (TLS) connection failed'],
];

export function networkError(result: Extract<HttpResult, { kind: 'network' }>, ctx: RequestContext): FalNetworkError {
  const phrase = NETWORK_PHRASES.find(([pattern]) => result.code && pattern.test(result.code))?.[1] ?? 'a network error occurred';
  const code = result.code ? ` (${result.code})` : '';
  return new FalNetworkError({
    kind: 'network',
    endpoint: ctx.endpoint,
    host: ctx.host,
    message: `Could not reach fal at ${ctx.host} for ${ctx.endpoint}: ${phrase}${code}.`,
    cause: { code: result.code, message: redact(result.detail, ctx.redactKey) },
  });
}

export function timeoutError(timeoutMs: number, ctx: RequestContext): FalNetworkError {
  return new FalNetworkError({
    kind: 'timeout',
    endpoint: ctx.endpoint,
    host: ctx.host,
    message: `fal at ${ctx.host} did not answer ${ctx.endpoint} within ${formatSeconds(timeoutMs)}.`,
  });
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
