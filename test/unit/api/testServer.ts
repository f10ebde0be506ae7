// A tiny real HTTP server on 127.0.0.1:0 for client tests: records every request and lets
// each test answer however it likes (including dropping the connection).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FalComputeClient, type FalComputeClientOptions } from '../../../src/api/client';

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/v1/compute/instances?limit=100`. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (req: RecordedRequest, res: http.ServerResponse) => unknown;

export interface TestServer {
  /** `http://127.0.0.1:PORT/v1` */
  baseUrl: string;
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Distinctive, so a leak is found by a plain substring search. */
export const API_KEY = 'zkid-7Q3x9:zsecret-LEAKCHECK-4f8e2b1a9c';
export const API_SECRET = 'zsecret-LEAKCHECK-4f8e2b1a9c';

export const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 5 };

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a handler that throws fails the test's request, which the test sees
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(recorded);
    await handler(recorded, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `${origin}/v1`,
    origin,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** For a describe block: starts servers on demand and closes every one after each test. */
export function serversPerTest(): (handler: Handler) => Promise<TestServer> {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (handler) => {
    const server = await startServer(handler);
    servers.push(server);
    return server;
  };
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function errorBody(type: string, message: string, extra: Record<string, string> = {}) {
  return { error: { type, message, ...extra } };
}

export function instance(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    instance_type: 'gpu_1x_h100_sxm5',
    region: 'us-west',
    status: 'ready',
    ip: '203.0.113.42',
    ...overrides,
  };
}

export const ED25519_PUBLIC_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHVsdGltYXRlbHkgYSB0ZXN0IGtleSBmb3IgZmFs user@laptop';

/** Resolves with the rejection of `promise`; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}

export function clientFor(server: TestServer, options: Partial<FalComputeClientOptions> = {}): FalComputeClient {
  return new FalComputeClient({ apiKey: API_KEY, baseUrl: server.baseUrl, retry: FAST_RETRY, ...options });
}
