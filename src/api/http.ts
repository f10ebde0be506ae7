// One HTTP exchange with undici, reduced to plain data. Redirects are never followed
// (undici's `request` does not follow them, and no redirect interceptor is installed): a
// redirect would carry the Authorization header to wherever fal's answer points.
import type { Dispatcher } from 'undici';
import { errorText } from '../base/errorText';
import type { Timers } from '../base/timers';

// undici is loaded on the first request, not when the extension activates: evaluating it is most
// of the bundle's load time (~60 ms), and activation must not pay for a request it may never make.
// A plain require (not import()): the bundle stays CommonJS end to end, as the extension host expects.
let undici: typeof import('undici') | undefined;
const loadUndici = (): typeof import('undici') => (undici ??= require('undici'));

export interface HttpExchange {
  url: URL;
  method: 'GET' | 'POST' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** For the whole exchange: connect, headers and body. */
  timeoutMs: number;
  maxResponseBytes: number;
  dispatcher?: Dispatcher;
  timers: Timers;
}

export type HttpResult =
  | { kind: 'response'; status: number; headers: Record<string, string | undefined>; body: string }
  | { kind: 'too_large'; status: number }
  | { kind: 'network'; code: string | undefined; detail: string }
  | { kind: 'timeout' }
  | { kind: 'aborted' };

export async function exchange(x: HttpExchange): Promise<HttpResult> {
  const timeout = new AbortController();
  const timer = x.timers.setTimeout(() => timeout.abort(), x.timeoutMs);
  const signal = x.signal ? AbortSignal.any([x.signal, timeout.signal]) : timeout.signal;
  try {
    const { request } = loadUndici();
    const res = await request(x.url, {
      method: x.method,
      headers: x.headers,
      body: x.body,
      signal,
      dispatcher: x.dispatcher,
    });
    const headers = flattenHeaders(res.headers);
    const body = await readCapped(res.body, declaredLength(headers), x.maxResponseBytes);
    if (body === undefined) return { kind: 'too_large', status: res.statusCode };
    return { kind: 'response', status: res.statusCode, headers, body };
  } catch (err) {
    if (x.signal?.aborted) return { kind: 'aborted' };
    if (timeout.signal.aborted) return { kind: 'timeout' };
    return describeTransportError(err);
  } finally {
    x.timers.clearTimeout(timer);
  }
}

/** The body as text, or undefined once it exceeds maxBytes (the rest is not downloaded). */
async function readCapped(body: Dispatcher.ResponseData['body'], declared: number | undefined, maxBytes: number) {
  if (declared !== undefined && declared > maxBytes) return discard(body);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) return discard(body);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Closes the connection instead of downloading the rest. */
function discard(body: Dispatcher.ResponseData['body']): undefined {
  // undici reports the destruction as an 'error' event; with no listener it would be uncaught.
  body.on('error', () => undefined);
  body.destroy();
  return undefined;
}

function declaredLength(headers: Record<string, string | undefined>): number | undefined {
  const value = headers['content-length'];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>) {
  const flat: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/** Only the code and message survive; undici's error objects may reference the request. */
function describeTransportError(err: unknown): HttpResult {
  const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : undefined;
  if (code && TIMEOUT_CODES.has(code)) return { kind: 'timeout' };
  const detail = errorText(err);
  return { kind: 'network', code, detail };
}
