// Issue 10 item 1: every string the server chose passes one redaction step — before it is cut to
// length — and is capped, wherever it can reach: an error, a request log line, the UI (rows).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { RequestLogEntry } from '../../../src/api/client';
import { FalApiError, FalError } from '../../../src/api/errors';
import { LEAK_KEY, LEAK_SECRET, keyFragmentsIn, leaksIn } from './leaks';
import { clientFor, errorBody, instance, rejectionOf, sendJson, serversPerTest, type TestServer } from './testServer';

/** The secret as a hostile server might echo it: whole, in another case, or with invisible characters inside. */
const echoedSecret = fc.oneof(
  fc.constant(LEAK_SECRET),
  fc.constant(LEAK_SECRET.toUpperCase()),
  fc.constant(LEAK_SECRET.toLowerCase()),
  fc.constant(`Key ${LEAK_KEY}`),
  fc.nat({ max: LEAK_SECRET.length - 1 }).map((i) => `${LEAK_SECRET.slice(0, i)}\u200b${LEAK_SECRET.slice(i)}`),
  fc.nat({ max: LEAK_SECRET.length - 1 }).map((i) => `${LEAK_SECRET.slice(0, i)}\u0000${LEAK_SECRET.slice(i)}`),
  fc.integer({ min: 4, max: LEAK_SECRET.length }).map((n) => LEAK_SECRET.slice(0, n)),
  fc.integer({ min: 4, max: LEAK_SECRET.length }).map((n) => LEAK_SECRET.slice(-n)),
);
/** Some text around it: nothing, a little, or a lot. */
const padding = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 40 }),
  fc.nat({ max: 5000 }).map((n) => 'x'.repeat(n)),
);
const withSecret = fc.tuple(padding, echoedSecret, padding).map(([a, s, b]) => `${a}${s}${b}`);

const CAPS = { type: 64, requestId: 128, docsUrl: 256, apiMessage: 500, message: 1200 };

describe('api: server text is redacted before it is cut, and capped (item 1)', () => {
  const serve = serversPerTest();
  let server: TestServer | undefined;

  it('200 generated error envelopes with the key in type, message, request_id or docs_url: no key fragment ≥ 4 chars in any error view, every field capped', async () => {
    let next: { status: number; body: unknown } = { status: 500, body: {} };
    server = await serve((_req, res) => sendJson(res, next.status, next.body));
    const field = fc.constantFrom('type', 'message', 'request_id', 'docs_url');
    const status = fc.constantFrom(400, 401, 403, 404, 409, 422, 429, 500, 503);
    await fc.assert(
      fc.asyncProperty(field, withSecret, status, async (where, text, code) => {
        const error: Record<string, string> = {
          type: 'validation_error',
          message: 'Invalid request parameters',
          request_id: 'req_1',
        };
        error[where] = text;
        next = { status: code, body: { error } };
        const err = await rejectionOf(
          clientFor(server!, { apiKey: LEAK_KEY, retry: { maxAttempts: 1 } }).getInstance('inst_1'),
        );
        assert.ok(err instanceof FalApiError, String(err));
        assert.deepEqual(leaksIn(err), []);
        assert.ok(err.type.length <= CAPS.type, `type ${err.type.length}`);
        assert.ok((err.requestId ?? '').length <= CAPS.requestId, `request id ${err.requestId?.length}`);
        assert.ok((err.docsUrl ?? '').length <= CAPS.docsUrl, `docs url ${err.docsUrl?.length}`);
        assert.ok(err.apiMessage.length <= CAPS.apiMessage, `apiMessage ${err.apiMessage.length}`);
        assert.ok(err.message.length <= CAPS.message, `message ${err.message.length}`);
      }),
      { numRuns: 200 },
    );
  });

  it('redaction runs before truncation: a key straddling the snippet cut leaks no fragment ≥ 4 chars (every offset 150–260)', async () => {
    let body = '';
    server = await serve((_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end(body));
    for (let offset = 150; offset <= 260; offset++) {
      body = `${'.'.repeat(offset)}${LEAK_SECRET}${'.'.repeat(50)}`;
      const err = await rejectionOf(clientFor(server, { apiKey: LEAK_KEY, retry: { maxAttempts: 1 } }).listInstances());
      assert.ok(err instanceof FalApiError);
      assert.deepEqual(leaksIn(err), [], `offset ${offset}`);
    }
  });

  it('a 3 MiB error message and a 3 MiB non-JSON error body become capped error texts', async () => {
    const huge = 'm'.repeat(3 * 1024 * 1024);
    for (const body of [
      JSON.stringify(errorBody('server_error', huge, { request_id: huge, docs_url: `https://fal.ai/${huge}` })),
      huge,
    ]) {
      const s = await serve((_req, res) => res.writeHead(500).end(body));
      const err = await rejectionOf(clientFor(s, { retry: { maxAttempts: 1 } }).listInstances());
      await s.close();
      assert.ok(err instanceof FalApiError);
      assert.ok(err.message.length <= CAPS.message, `message ${err.message.length}`);
      assert.ok(err.apiMessage.length <= CAPS.apiMessage, `apiMessage ${err.apiMessage.length}`);
      assert.ok((err.requestId ?? '').length <= CAPS.requestId);
      assert.ok((err.docsUrl ?? '').length <= CAPS.docsUrl);
    }
  });

  it('a server-chosen next_cursor reaches the request log redacted and capped, and is sent unchanged', async () => {
    const cursor = `c-${LEAK_SECRET}-${'z'.repeat(300)}`;
    let page = 0;
    server = await serve((_req, res) =>
      sendJson(
        res,
        200,
        page++ === 0
          ? { instances: [instance('a')], next_cursor: cursor, has_more: true }
          : { instances: [instance('b')], next_cursor: null, has_more: false },
      ),
    );
    const log: RequestLogEntry[] = [];
    const listing = await clientFor(server, { apiKey: LEAK_KEY, onRequest: (e) => log.push(e) }).listInstances();
    assert.deepEqual(
      listing.instances.map((i) => i.id),
      ['a', 'b'],
    );
    assert.equal(
      new URL(server.requests[1]!.url, 'http://x').searchParams.get('cursor'),
      cursor,
      'fal gets its cursor back verbatim',
    );
    assert.equal(log.length, 2);
    assert.deepEqual(keyFragmentsIn(JSON.stringify(log)), []);
    assert.ok(log[1]!.path.length <= 160, `logged path ${log[1]!.path.length} chars`);
  });

  it('a next_cursor with the key that ends in an error: the error names no key fragment', async () => {
    const cursor = `${LEAK_SECRET}`;
    server = await serve((req, res) =>
      req.url.includes('cursor=')
        ? sendJson(res, 500, errorBody('server_error', 'boom'))
        : sendJson(res, 200, { instances: [], next_cursor: cursor, has_more: true }),
    );
    const log: RequestLogEntry[] = [];
    const err = await rejectionOf(
      clientFor(server, { apiKey: LEAK_KEY, onRequest: (e) => log.push(e), retry: { maxAttempts: 1 } }).listInstances(),
    );
    assert.ok(err instanceof FalError);
    assert.deepEqual(leaksIn(err), []);
    assert.deepEqual(keyFragmentsIn(JSON.stringify(log)), []);
  });

  it('a 1 MiB status becomes a capped status; the key in any row field is redacted from what is returned', async () => {
    const rows = [
      instance('a', { status: 's'.repeat(1024 * 1024) }),
      instance('b', { creator_user_nickname: `me ${LEAK_SECRET}` }),
      instance('c', { region: LEAK_SECRET, instance_type: `gpu_${LEAK_SECRET}`, ip: LEAK_SECRET, sector: LEAK_SECRET }),
      instance('d', { status: 'ready\n[error] injected log line' }),
    ];
    server = await serve((_req, res) => sendJson(res, 200, { instances: rows, next_cursor: null, has_more: false }));
    const listing = await clientFor(server, { apiKey: LEAK_KEY }).listInstances();
    const byId = new Map(listing.instances.map((i) => [i.id, i]));
    assert.ok(byId.get('a')!.status.length <= 65, `status ${byId.get('a')!.status.length} chars`);
    assert.deepEqual(keyFragmentsIn(JSON.stringify(listing)), []);
    assert.ok(!byId.get('d')!.status.includes('\n'), 'no line break survives into a label or a log line');
  });

  it('a redirect whose Location carries the key (even lower-cased into a host name) names no key fragment', async () => {
    for (const location of [
      `https://${LEAK_SECRET}.evil.example/x`,
      `https://evil.example/${LEAK_SECRET}`,
      `//${LEAK_SECRET}/`,
    ]) {
      const s = await serve((_req, res) => res.writeHead(307, { location }).end());
      const err = await rejectionOf(clientFor(s, { apiKey: LEAK_KEY }).listInstances());
      await s.close();
      assert.ok(err instanceof FalApiError && err.type === 'redirect');
      assert.deepEqual(leaksIn(err), [], location);
    }
  });
});
