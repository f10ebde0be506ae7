import assert from 'node:assert/strict';
import { FalAbortError, FalApiError, FalNetworkError, FalResponseError } from '../../../src/api/errors';
import { clientFor, errorBody, instance, rejectionOf, sendJson, startServer, type TestServer } from './testServer';

describe('api/client errors and retries', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const cases: Array<{ status: number; type: string; apiMessage: string; expect: RegExp[] }> = [
    {
      status: 401,
      type: 'authorization_error',
      apiMessage: 'Authentication required',
      expect: [/rejected the API key/, /key_id:key_secret/, /fal\.ai\/dashboard\/keys/],
    },
    {
      status: 403,
      type: 'authorization_error',
      apiMessage: 'Access denied',
      expect: [/ADMIN/, /Compute access/, /fal\.ai\/dashboard/],
    },
    { status: 404, type: 'not_found', apiMessage: 'Resource not found', expect: [/Not found/] },
    { status: 500, type: 'server_error', apiMessage: 'An unexpected error occurred', expect: [/server error/] },
  ];
  for (const c of cases) {
    it(`turns ${c.status} into a FalApiError with type ${c.type} and a helpful message`, async () => {
      server = await startServer((_req, res) => sendJson(res, c.status, errorBody(c.type, c.apiMessage)));
      const err = await rejectionOf(clientFor(server, { retry: { maxAttempts: 1 } }).getInstance('inst_1'));
      assert.ok(err instanceof FalApiError);
      assert.equal(err.status, c.status);
      assert.equal(err.type, c.type);
      assert.equal(err.apiMessage, c.apiMessage);
      assert.equal(err.endpoint, 'GET /compute/instances/inst_1');
      for (const pattern of c.expect) assert.match(err.message, pattern);
      assert.ok(err.message.includes(c.apiMessage), 'keeps fal’s own message');
    });
  }

  it('parses request_id and docs_url from the error envelope', async () => {
    server = await startServer((_req, res) =>
      sendJson(
        res,
        403,
        errorBody('authorization_error', 'Access denied', { request_id: 'req_42', docs_url: 'https://fal.ai/docs/x' }),
      ),
    );
    const err = await rejectionOf(clientFor(server).listInstances());
    assert.ok(err instanceof FalApiError);
    assert.equal(err.requestId, 'req_42');
    assert.equal(err.docsUrl, 'https://fal.ai/docs/x');
    assert.match(err.message, /req_42/);
  });

  it('synthesizes type http_error when the error body is not fal’s envelope', async () => {
    server = await startServer((_req, res) =>
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html>\n  Bad   gateway</html>'),
    );
    const err = await rejectionOf(clientFor(server, { retry: { maxAttempts: 1 } }).listInstances());
    assert.ok(err instanceof FalApiError);
    assert.equal(err.type, 'http_error');
    assert.equal(err.apiMessage, '<html> Bad gateway</html>');
  });

  it('retries a 500 on GET and surfaces it after the maximum number of attempts', async () => {
    server = await startServer((_req, res) =>
      sendJson(res, 500, errorBody('server_error', 'An unexpected error occurred')),
    );
    const err = await rejectionOf(clientFor(server, { retry: { maxAttempts: 3, baseDelayMs: 1 } }).listInstances());
    assert.ok(err instanceof FalApiError && err.status === 500);
    assert.equal(server.requests.length, 3);
  });

  it('never retries 400, 401, 403 or 404', async () => {
    for (const status of [400, 401, 403]) {
      const s = await startServer((_req, res) => sendJson(res, status, errorBody('authorization_error', 'no')));
      await assert.rejects(clientFor(s).listInstances(), FalApiError);
      assert.equal(s.requests.length, 1, String(status));
      await s.close();
    }
    server = await startServer((_req, res) => sendJson(res, 404, errorBody('not_found', 'Resource not found')));
    await assert.rejects(clientFor(server).getInstance('gone'), FalApiError);
    assert.equal(server.requests.length, 1);
  });

  it('waits for Retry-After: 1 on a 429 and then succeeds', async () => {
    let calls = 0;
    server = await startServer((_req, res) => {
      if (calls++ === 0)
        return sendJson(res, 429, errorBody('rate_limited', 'Rate limit exceeded'), { 'retry-after': '1' });
      sendJson(res, 200, instance('inst_1'));
    });
    const started = performance.now();
    const got = await clientFor(server, { retry: { baseDelayMs: 5000, maxDelayMs: 5000 } }).getInstance('inst_1');
    const elapsed = performance.now() - started;
    assert.equal(got.id, 'inst_1');
    assert.ok(elapsed >= 900 && elapsed < 3000, `waited ${elapsed} ms`);
  });

  it('gives up at once with the 429 when Retry-After exceeds the retry budget', async () => {
    server = await startServer((_req, res) =>
      sendJson(res, 429, errorBody('rate_limited', 'Rate limit exceeded'), { 'retry-after': '120' }),
    );
    const started = performance.now();
    const err = await rejectionOf(clientFor(server).listInstances());
    assert.ok(err instanceof FalApiError && err.status === 429 && err.retryAfterMs === 120_000);
    assert.match(err.message, /rate limiting/);
    assert.equal(server.requests.length, 1);
    assert.ok(performance.now() - started < 1000);
  });

  it('reports a body that is not JSON as FalResponseError naming the endpoint', async () => {
    server = await startServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"instances": ['),
    );
    const err = await rejectionOf(clientFor(server).listInstances());
    assert.ok(err instanceof FalResponseError);
    assert.equal(err.kind, 'malformed');
    assert.match(err.message, /^GET \/compute\/instances returned a response that is not JSON/);
    assert.equal(server.requests.length, 1, 'malformed answers are not retried');
  });

  it('reports a schema violation of one instance with the path of the bad field', async () => {
    server = await startServer((_req, res) => sendJson(res, 200, { ...instance('d'), id: 4 }));
    const err = await rejectionOf(clientFor(server).getInstance('d'));
    assert.ok(err instanceof FalResponseError);
    assert.equal(
      err.message,
      "GET /compute/instances/d returned a response that does not match fal's API: id: expected string, received number",
    );
  });

  it('refuses a response body over maxResponseBytes, streamed or declared', async () => {
    const big = JSON.stringify(instance('x', { creator_user_nickname: 'n'.repeat(5000) }));
    for (const declareLength of [false, true]) {
      const s = await startServer((_req, res) => {
        res.writeHead(200, declareLength ? { 'content-length': Buffer.byteLength(big) } : {});
        res.end(big);
      });
      const err = await rejectionOf(clientFor(s, { maxResponseBytes: 1024 }).getInstance('x'));
      assert.ok(err instanceof FalResponseError, `declared length: ${declareLength}`);
      assert.match(err.message, /larger than 1024 bytes/);
      await s.close();
    }
  });

  it('turns an unanswered request into FalNetworkError kind timeout', async () => {
    server = await startServer(() => undefined);
    const err = await rejectionOf(clientFor(server, { timeoutMs: 150, retry: { maxAttempts: 1 } }).listInstances());
    assert.ok(err instanceof FalNetworkError);
    assert.equal(err.kind, 'timeout');
    assert.match(err.message, /did not answer GET \/compute\/instances within 150 ms/);
  });

  it('turns a refused connection into FalNetworkError kind network naming host and endpoint', async () => {
    const s = await startServer(() => undefined);
    await s.close();
    const err = await rejectionOf(clientFor(s, { retry: { maxAttempts: 2 } }).listInstances());
    assert.ok(err instanceof FalNetworkError);
    assert.equal(err.kind, 'network');
    assert.equal(err.code, 'ECONNREFUSED');
    assert.match(
      err.message,
      new RegExp(`127\\.0\\.0\\.1:\\d+ for GET /compute/instances: the connection was refused`),
    );
  });

  it('stops a backoff sleep promptly when the signal aborts', async () => {
    server = await startServer((_req, res) =>
      sendJson(res, 503, errorBody('server_error', 'busy'), { 'retry-after': '10' }),
    );
    const controller = new AbortController();
    const client = clientFor(server, { onRequest: () => setTimeout(() => controller.abort(), 50) });
    const started = performance.now();
    const err = await rejectionOf(client.listInstances({ signal: controller.signal }));
    assert.ok(err instanceof FalAbortError);
    assert.equal(err.name, 'AbortError');
    assert.ok(performance.now() - started < 1000);
    assert.equal(server.requests.length, 1);
  });

  it('aborts an in-flight request and refuses to start with an aborted signal', async () => {
    server = await startServer(() => undefined);
    const client = clientFor(server);
    await assert.rejects(client.listInstances({ signal: AbortSignal.abort() }), FalAbortError);
    assert.equal(server.requests.length, 0);
    await assert.rejects(client.listInstances({ signal: AbortSignal.timeout(100) }), FalAbortError);
  });
});
