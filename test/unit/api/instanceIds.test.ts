// Issue 10 item 4: ids are checked before any URL is built. An id that would not name exactly one
// instance (empty, dot segments, separators, control characters, over-long, broken Unicode) is
// refused with a clear message and nothing is sent; rows that carry one are listed as invalid rows.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FalInputError } from '../../../src/api/errors';
import { clientFor, instance, rejectionOf, sendJson, serversPerTest, type TestServer } from './testServer';

const HOSTILE_IDS = [
  '',
  '.',
  '..',
  '...',
  ' ',
  '\t',
  'a\nb',
  'a\rb',
  '\u0000',
  'a\u0085b',
  'a/b',
  '../x',
  'a\\b',
  '%2e%2e',
  'a%2Fb',
  'a?b',
  'a#b',
  'x'.repeat(129),
  '\uD800',
  'a\uDC00',
  'a\u202Eb',
  'a\u200Bb',
  ' inst_1',
  'inst_1 ',
  'inst\u00a01',
];

/** Ids that must be refused: a fixed list plus generated strings with at least one bad part. */
const hostileId = fc.oneof(
  fc.constantFrom(...HOSTILE_IDS),
  fc
    .tuple(
      fc.string({ maxLength: 20 }),
      fc.constantFrom('/', '\\', '%', '?', '#', '\n', '\u0000', '\u007f', '\u2028', '\uD800', ' ', '\u200B'),
      fc.string({ maxLength: 20 }),
    )
    .map(([a, bad, b]) => `${a}${bad}${b}`),
  fc.integer({ min: 129, max: 100_000 }).map((n) => 'i'.repeat(n)),
  fc.integer({ min: 1, max: 9 }).map((n) => '.'.repeat(n)),
);

/** Ids as fal might shape them: letters, digits and the punctuation URLs leave alone or encode harmlessly. */
const fineId = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.:~+=@!$&'()*,;-]{0,127}$/).filter((s) => !/^\.+$/.test(s));

describe('api: instance ids are checked before any URL is built (item 4)', () => {
  const serve = serversPerTest();
  let server: TestServer | undefined;

  it("getInstance('..') and deleteInstance('.') send nothing (not GET /compute/ nor DELETE of the collection)", async () => {
    server = await serve((_req, res) =>
      sendJson(res, 404, { error: { type: 'not_found', message: 'Resource not found' } }),
    );
    const client = clientFor(server);
    const get = await rejectionOf(client.getInstance('..'));
    const del = await rejectionOf(client.deleteInstance('.'));
    for (const err of [get, del]) {
      assert.ok(err instanceof FalInputError, String(err));
      assert.match(err.message, /cannot be used/);
      assert.match(err.message, /nothing was sent/i);
    }
    assert.equal(server.requests.length, 0);
  });

  it('300 generated hostile ids: get and delete refuse each with FalInputError and send no request', async () => {
    server = await serve((_req, res) => sendJson(res, 200, instance('x')));
    const client = clientFor(server);
    await fc.assert(
      fc.asyncProperty(hostileId, async (id) => {
        for (const call of [() => client.getInstance(id), () => client.deleteInstance(id)]) {
          const err = await rejectionOf(call());
          assert.ok(err instanceof FalInputError, `${JSON.stringify(id)}: ${String(err)}`);
          assert.ok(err.message.length < 400, 'the message does not repeat a huge id');
        }
      }),
      { numRuns: 300 },
    );
    assert.equal(server.requests.length, 0);
  });

  it('200 generated ordinary ids: each is sent as exactly one path segment that decodes back to the id', async () => {
    let lastId = '';
    server = await serve((_req, res) => sendJson(res, 200, instance(lastId)));
    const client = clientFor(server);
    await fc.assert(
      fc.asyncProperty(fineId, async (id) => {
        lastId = id;
        const before = server!.requests.length;
        await client.getInstance(id);
        const path = server!.requests[before]!.url;
        const prefix = '/v1/compute/instances/';
        assert.ok(path.startsWith(prefix), path);
        const segment = path.slice(prefix.length);
        assert.ok(!segment.includes('/'), path);
        assert.equal(decodeURIComponent(segment), id);
      }),
      { numRuns: 200 },
    );
  });

  it('listed rows whose id cannot be used become invalid rows (shown, no actions), the rest are listed', async () => {
    const rows = [
      instance('good'),
      instance('..'),
      instance('a/b'),
      instance('x'.repeat(500)),
      instance('bad\nid'),
      instance(''),
    ];
    server = await serve((_req, res) => sendJson(res, 200, { instances: rows, next_cursor: null, has_more: false }));
    const listing = await clientFor(server).listInstances();
    assert.deepEqual(
      listing.instances.map((i) => i.id),
      ['good'],
    );
    assert.equal(listing.invalid.length, 5);
    for (const row of listing.invalid) {
      assert.equal(row.idUsable, false);
      assert.ok((row.id ?? '').length <= 130 && !(row.id ?? '').includes('\n'), JSON.stringify(row.id));
    }
    assert.deepEqual(
      listing.invalid.slice(0, 2).map((r) => r.id),
      ['..', 'a/b'],
    );
    assert.match(listing.invalid[0]!.problem, /id .*cannot be used/);
  });
});
