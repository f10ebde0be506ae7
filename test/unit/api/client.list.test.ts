import assert from 'node:assert/strict';
import { FalInputError, FalResponseError } from '../../../src/api/errors';
import { API_KEY, clientFor, instance, rejectionOf, sendJson, startServer, type TestServer } from './testServer';

describe('api/client list and get', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Serves `pages` in order; each entry is the envelope to return for that request. */
  async function serveListPages(pages: unknown[]) {
    let next = 0;
    server = await startServer((_req, res) => sendJson(res, 200, pages[Math.min(next++, pages.length - 1)]));
    return server;
  }

  it('returns every instance of a 3-page list, sending limit and the cursors it was given', async () => {
    const s = await serveListPages([
      { instances: [instance('a'), instance('b')], next_cursor: 'Mg==', has_more: true },
      { instances: [instance('c')], next_cursor: 'Mw==', has_more: true },
      { instances: [instance('d')], next_cursor: null, has_more: false },
    ]);
    const all = await clientFor(s, { pageSize: 2 }).listInstances();
    assert.deepEqual(
      all.instances.map((i) => i.id),
      ['a', 'b', 'c', 'd'],
    );
    assert.deepEqual(
      s.requests.map((r) => r.url),
      [
        '/v1/compute/instances?limit=2',
        '/v1/compute/instances?limit=2&cursor=Mg%3D%3D',
        '/v1/compute/instances?limit=2&cursor=Mw%3D%3D',
      ],
    );
  });

  it('sends the documented headers on GET and no Content-Type or Idempotency-Key', async () => {
    const s = await serveListPages([{ instances: [], next_cursor: null, has_more: false }]);
    await clientFor(s, { userAgent: 'fal-compute-vscode/9.9.9' }).listInstances();
    const headers = s.requests[0]!.headers;
    assert.equal(headers.authorization, `Key ${API_KEY}`);
    assert.equal(headers.accept, 'application/json');
    assert.equal(headers['user-agent'], 'fal-compute-vscode/9.9.9');
    assert.equal(headers['content-type'], undefined);
    assert.equal(headers['idempotency-key'], undefined);
  });

  it('fails with FalResponseError when fal repeats a cursor', async () => {
    const s = await serveListPages([{ instances: [instance('a')], next_cursor: 'Mg==', has_more: true }]);
    const err = await rejectionOf(clientFor(s).listInstances());
    assert.ok(err instanceof FalResponseError);
    assert.match(err.message, /GET \/compute\/instances returned the same next_cursor twice/);
    assert.equal(s.requests.length, 2);
  });

  it('fails with FalResponseError when has_more is true but next_cursor is missing', async () => {
    for (const cursor of [null, '']) {
      const s = await serveListPages([{ instances: [instance('a')], next_cursor: cursor, has_more: true }]);
      const err = await rejectionOf(clientFor(s).listInstances());
      assert.ok(err instanceof FalResponseError);
      assert.match(err.message, /has_more: true but gave no next_cursor/);
      await s.close();
    }
  });

  it('stops after maxPages pages', async () => {
    let page = 0;
    server = await startServer((_req, res) =>
      sendJson(res, 200, { instances: [instance(`i${page}`)], next_cursor: `c${++page}`, has_more: true }),
    );
    const err = await rejectionOf(clientFor(server, { maxPages: 3 }).listInstances());
    assert.ok(err instanceof FalResponseError);
    assert.match(err.message, /more pages after 3 pages/);
    assert.equal(server.requests.length, 3);
  });

  it('listInstancesPage passes limit and cursor and returns the envelope', async () => {
    const s = await serveListPages([{ instances: [instance('a')], next_cursor: 'Mw==', has_more: true }]);
    const page = await clientFor(s).listInstancesPage({ cursor: 'Mg==', limit: 5 });
    assert.equal(s.requests[0]!.url, '/v1/compute/instances?limit=5&cursor=Mg%3D%3D');
    assert.equal(page.next_cursor, 'Mw==');
    assert.equal(page.has_more, true);
    await assert.rejects(clientFor(s).listInstancesPage({ limit: 0 }), FalInputError);
  });

  it('getInstance URL-encodes the id and parses the instance', async () => {
    server = await startServer((_req, res) =>
      sendJson(res, 200, instance('a:b+c=ä', { status: 'provisioning', ip: null })),
    );
    const got = await clientFor(server).getInstance('a:b+c=ä');
    assert.equal(server.requests[0]!.url, '/v1/compute/instances/a%3Ab%2Bc%3D%C3%A4');
    assert.equal(got.id, 'a:b+c=ä');
    assert.equal(got.ip, undefined);
  });

  it("getInstance refuses an answer about another instance (its status and IP are not this one's)", async () => {
    server = await startServer((_req, res) => sendJson(res, 200, instance('someone_else')));
    const err = await rejectionOf(clientFor(server).getInstance('mine'));
    assert.ok(err instanceof FalResponseError);
    assert.match(err.message, /returned a different instance \(someone_else\)/);
  });

  it('refuses an empty instance id before any request', async () => {
    server = await startServer((_req, res) => sendJson(res, 200, instance('x')));
    const client = clientFor(server);
    await assert.rejects(client.getInstance(''), FalInputError);
    await assert.rejects(client.deleteInstance('  '), FalInputError);
    assert.equal(server.requests.length, 0);
  });
});
