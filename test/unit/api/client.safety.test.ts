import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { FalComputeClient, type RequestLogEntry } from '../../../src/api/client';
import { FalApiError, FalConfigError, FalError } from '../../../src/api/errors';
import {
  API_KEY,
  API_SECRET,
  clientFor,
  ED25519_PUBLIC_KEY,
  errorBody,
  instance,
  rejectionOf,
  sendJson,
  startServer,
  type TestServer,
} from './testServer';

describe('api/client safety', () => {
  const servers: TestServer[] = [];
  const start = async (...args: Parameters<typeof startServer>) => {
    const s = await startServer(...args);
    servers.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('does not follow a redirect to another origin', async () => {
    const elsewhere = await start((_req, res) =>
      sendJson(res, 200, { instances: [], next_cursor: null, has_more: false }),
    );
    const fal = await start((_req, res) =>
      res.writeHead(302, { location: `${elsewhere.baseUrl}/compute/instances` }).end(),
    );
    const err = await rejectionOf(clientFor(fal).listInstances());
    assert.ok(err instanceof FalApiError);
    assert.equal(err.status, 302);
    assert.equal(err.type, 'redirect');
    assert.match(err.message, /redirect/);
    assert.ok(err.message.includes(elsewhere.origin));
    assert.equal(fal.requests.length, 1);
    assert.equal(elsewhere.requests.length, 0);
  });

  it('accepts https:// and loopback http:// base URLs and refuses others', () => {
    const make = (baseUrl: string) => new FalComputeClient({ apiKey: API_KEY, baseUrl });
    assert.equal(make('https://api.fal.ai/v1/').baseUrl, 'https://api.fal.ai/v1');
    for (const ok of [
      'http://127.0.0.1:8080/v1',
      'http://localhost:9/v1',
      'http://[::1]:9/v1',
      'http://127.4.5.6/v1',
    ]) {
      assert.doesNotThrow(() => make(ok), ok);
    }
    const refused: Array<[string, RegExp]> = [
      ['http://api.fal.ai/v1', /https:\/\//],
      ['http://10.0.0.1/v1', /https:\/\//],
      ['http://127.0.0.1.evil.example/v1', /https:\/\//],
      ['ftp://api.fal.ai/v1', /https:\/\//],
      ['https://user:pass@api.fal.ai/v1', /user name or password/],
      ['https://api.fal.ai/v1?token=x', /query/],
      ['https://api.fal.ai/v1#x', /fragment/],
      ['not a url', /not a valid URL/],
    ];
    for (const [url, message] of refused)
      assert.throws(
        () => make(url),
        (e: unknown) => e instanceof FalConfigError && message.test(e.message),
        url,
      );
  });

  it('refuses a badly shaped API key and bad numeric options', () => {
    assert.throws(() => new FalComputeClient({ apiKey: `Key ${API_KEY}` }), FalConfigError);
    assert.throws(() => new FalComputeClient({ apiKey: API_KEY, timeoutMs: 0 }), FalConfigError);
    assert.throws(() => new FalComputeClient({ apiKey: API_KEY, retry: { maxAttempts: 0 } }), FalConfigError);
    assert.throws(() => new FalComputeClient({ apiKey: API_KEY, userAgent: 'x\r\ny' }), FalConfigError);
  });

  it('never puts the API key into any kind of error', async () => {
    const errors: unknown[] = [];
    const collect = async (p: Promise<unknown>) => errors.push(await rejectionOf(p));
    const echo = await start((req, res) =>
      sendJson(res, 401, errorBody('authorization_error', `bad header ${req.headers.authorization}`)),
    );
    await collect(clientFor(echo).listInstances());
    const malformed = await start((_req, res) => res.writeHead(200).end(`not json ${API_KEY}`));
    await collect(clientFor(malformed).listInstances());
    await collect(clientFor(malformed, { maxResponseBytes: 4 }).listInstances());
    const wrongShape = await start((_req, res) => sendJson(res, 200, { id: API_KEY }));
    await collect(clientFor(wrongShape).getInstance('x'));
    const wrongRows = await start((_req, res) =>
      sendJson(res, 200, { instances: [{ id: API_KEY }, instance(API_KEY)], next_cursor: null, has_more: false }),
    );
    const listing = await clientFor(wrongRows).listInstances();
    assert.equal(listing.invalid.length, 2);
    assert.ok(!JSON.stringify(listing).includes(API_SECRET), 'invalid rows show the key redacted');
    const redirect = await start((_req, res) =>
      res.writeHead(307, { location: `https://evil.example/${API_KEY}` }).end(),
    );
    await collect(clientFor(redirect).listInstances());
    const silent = await start(() => undefined);
    await collect(clientFor(silent, { timeoutMs: 50, retry: { maxAttempts: 1 } }).listInstances());
    await collect(clientFor(silent).listInstances({ signal: AbortSignal.timeout(30) }));
    const dropped = await start((_req, res) => res.socket?.destroy());
    await collect(clientFor(dropped).createInstance({ instanceType: 'gpu_1x_h100_sxm5', sshKey: ED25519_PUBLIC_KEY }));
    await collect(clientFor(dropped).createInstance({ instanceType: 'gpu_1x_h100_sxm5', sshKey: API_KEY }));
    const closed = await start(() => undefined);
    await closed.close();
    await collect(clientFor(closed, { retry: { maxAttempts: 1 } }).getInstance('x'));
    const badConfigs = [
      { apiKey: `Key ${API_KEY}` },
      { apiKey: `FAL_KEY=${API_KEY}` },
      { apiKey: `${API_KEY} ${API_KEY}` },
      { apiKey: API_KEY, baseUrl: `https://x:${API_SECRET}@api.fal.ai/v1` },
    ];
    for (const options of badConfigs) errors.push(await rejectionOf((async () => new FalComputeClient(options))()));

    const falErrors = errors.filter((e): e is FalError => e instanceof FalError);
    const kinds = new Set(falErrors.map((e) => e.kind));
    for (const kind of ['http', 'malformed', 'timeout', 'aborted', 'network', 'input', 'config'])
      assert.ok(kinds.has(kind as FalError['kind']), kind);
    for (const err of falErrors) {
      const views = [err.message, err.stack ?? '', JSON.stringify(err), inspect(err, { depth: 10, showHidden: true })];
      for (const view of views)
        assert.ok(!view.includes(API_SECRET), `${err.name} (${err.kind}) leaks the key: ${view}`);
    }
  });

  it('logs every attempt without the key or any header', async () => {
    const entries: RequestLogEntry[] = [];
    let calls = 0;
    const s = await start((_req, res) => {
      if (calls++ === 0) return sendJson(res, 503, errorBody('server_error', 'busy'));
      sendJson(res, 200, instance('inst_1'));
    });
    await clientFor(s, { onRequest: (e) => entries.push(e) }).getInstance('inst_1');
    assert.deepEqual(
      entries.map(({ durationMs: _d, ...rest }) => rest),
      [
        { method: 'GET', path: '/compute/instances/inst_1', status: 503, attempt: 1, outcome: 'http_error' },
        { method: 'GET', path: '/compute/instances/inst_1', status: 200, attempt: 2, outcome: 'ok' },
      ],
    );
    assert.ok(entries.every((e) => typeof e.durationMs === 'number'));
    assert.ok(!JSON.stringify(entries).includes(API_SECRET));
  });
});
