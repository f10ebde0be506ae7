// Small HTTP helpers shared by the fal API routes and the control plane.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a handler decided to answer; the server may still drop or delay it (faults). */
export interface ApiResponse {
  status: number;
  /** JSON-serialised unless undefined (then the body is empty, e.g. 204). */
  body?: unknown;
  /** Sent verbatim as the JSON body instead of `body` (to send broken JSON). */
  rawJson?: string;
  /** Sent verbatim as a text/html body instead (a gateway's page; only hostile faults use it). */
  html?: string;
  headers?: Record<string, string>;
}

export type ErrorType =
  'authorization_error' | 'validation_error' | 'not_found' | 'rate_limited' | 'server_error' | 'not_implemented';

/** fal's messages from the OpenAPI examples, per status (fal §4). */
const DEFAULT_ERRORS: Record<number, { type: ErrorType; message: string }> = {
  400: { type: 'validation_error', message: 'Invalid request parameters' },
  401: { type: 'authorization_error', message: 'Authentication required' },
  403: { type: 'authorization_error', message: 'Access denied' },
  404: { type: 'not_found', message: 'Resource not found' },
  429: { type: 'rate_limited', message: 'Rate limit exceeded' },
  500: { type: 'server_error', message: 'An unexpected error occurred' },
  501: { type: 'not_implemented', message: 'Not implemented' },
};

/** fal's error envelope; every emulator error carries a request_id so clients can show one. */
export function errorResponse(
  status: number,
  overrides: { type?: string; message?: string; requestId?: string } = {},
  headers?: Record<string, string>,
): ApiResponse {
  const fallback = DEFAULT_ERRORS[status] ?? (status >= 500 ? DEFAULT_ERRORS[500]! : DEFAULT_ERRORS[400]!);
  const error = {
    type: overrides.type ?? fallback.type,
    message: overrides.message ?? fallback.message,
    request_id: overrides.requestId ?? `req_${randomBytes(8).toString('hex')}`,
  };
  return { status, body: { error }, ...(headers ? { headers } : {}) };
}

export function writeResponse(res: ServerResponse, response: ApiResponse): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = { ...response.headers };
  if (response.html !== undefined) {
    headers['content-type'] = 'text/html; charset=utf-8';
    headers['content-length'] = String(Buffer.byteLength(response.html));
    res.writeHead(response.status, headers).end(response.html);
    return;
  }
  if (response.body === undefined && response.rawJson === undefined) {
    res.writeHead(response.status, headers).end();
    return;
  }
  const text = response.rawJson ?? JSON.stringify(response.body);
  headers['content-type'] = 'application/json';
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(response.status, headers).end(text);
}

/** Reads the request body; bodies over `limitBytes` are discarded and reported as too large. */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > limitBytes }));
    req.on('error', reject);
  });
}

/** Parsed JSON, or the text itself when it is not JSON; undefined for an empty body. */
export function parseLoosely(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
