// Issue 10 item 5: paging ends. has_more: false ends it even with a cursor; a repeated cursor
// ends it; and a whole listing has one deadline, not just each page.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FalNetworkError, FalResponseError } from '../../../src/api/errors';
import { clientFor, instance, rejectionOf, sendJson, serversPerTest, type TestServer } from './testServer';

describe('api: paging ends (item 5)', () => {
  const serve = serversPerTest();
  let server: TestServer | undefined;

  it('has_more: false ends the listing even when next_cursor is set', async () => {
    server = await serve((_req, res) =>
      sendJson(res, 200, { instances: [instance('a')], next_cursor: 'Mg==', has_more: false }),
    );
    const listing = await clientFor(server).listInstances();
    assert.deepEqual(
      listing.instances.map((i) => i.id),
      ['a'],
    );
    assert.equal(server.requests.length, 1);
  });

  it('200 generated cursor cycles (a server that loops back to any earlier cursor): paging stops, typed, on the first repeat', async () => {
    let cursors: string[] = [];
    let loopTo = 0;
    server = await serve((req, res) => {
      const sent = new URL(req.url, 'http://x').searchParams.get('cursor');
      const at = sent === null ? -1 : cursors.indexOf(sent);
      const next = at + 1 < cursors.length ? cursors[at + 1]! : cursors[loopTo]!;
      sendJson(res, 200, { instances: [instance(`row${at + 1}`)], next_cursor: next, has_more: true });
    });
    const cycle = fc
      .uniqueArray(fc.string({ minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 10 })
      .chain((cs) => fc.tuple(fc.constant(cs), fc.nat({ max: cs.length - 1 })));
    await fc.assert(
      fc.asyncProperty(cycle, async ([cs, to]) => {
        cursors = cs;
        loopTo = to;
        const before = server!.requests.length;
        const err = await rejectionOf(clientFor(server!, { maxPages: 1000 }).listInstances());
        assert.ok(err instanceof FalResponseError, String(err));
        assert.match(err.message, /same next_cursor twice/);
        assert.equal(
          server!.requests.length - before,
          cs.length + 1,
          'one request per distinct cursor, plus the first page',
        );
      }),
      { numRuns: 200 },
    );
  });

  it('one deadline for the whole listing: 30 pages × 150 ms with a 1 s per-request timeout stop at a 600 ms listing deadline, typed', async () => {
    let page = 0;
    server = await serve((_req, res) => {
      const n = ++page;
      setTimeout(
        () =>
          sendJson(res, 200, {
            instances: [instance(`p${n}`)],
            next_cursor: n < 30 ? `c${n}` : null,
            has_more: n < 30,
          }),
        150,
      );
    });
    const err = await rejectionOf(clientFor(server, { timeoutMs: 1000, listDeadlineMs: 600 }).listInstances());
    assert.ok(err instanceof FalNetworkError, String(err));
    assert.equal(err.kind, 'timeout');
    assert.match(err.message, /did not finish listing instances within 600 ms/);
    assert.ok(server.requests.length < 30, `${server.requests.length} pages requested`);
  });

  it('a next_cursor longer than 1024 characters is refused, typed, and never sent back', async () => {
    server = await serve((_req, res) =>
      sendJson(res, 200, { instances: [], next_cursor: 'c'.repeat(1025), has_more: true }),
    );
    const err = await rejectionOf(clientFor(server).listInstances());
    assert.ok(err instanceof FalResponseError, String(err));
    assert.match(err.message, /next_cursor longer than 1024 characters/);
    assert.equal(server.requests.length, 1);
  });
});
