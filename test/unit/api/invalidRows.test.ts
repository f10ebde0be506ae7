// Issue 10 item 3: one bad row does not hide the good ones. Rows that fail validation come back as
// invalid rows (with their id when they have one, and what was wrong); every other row is returned.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FalResponseError } from '../../../src/api/errors';
import { clientFor, instance, rejectionOf, sendJson, serversPerTest, type TestServer } from './testServer';

type Row = { kind: 'valid'; id: string; row: unknown } | { kind: 'broken'; id: string | undefined; row: unknown };

/** A valid row, or one broken the ways a server breaks rows: a field missing, null, of another type; not an object at all. */
const rowArb = (index: number): fc.Arbitrary<Row> => {
  const id = `inst_${index}`;
  const valid = instance(id, { status: 'provisioning' });
  const required = ['id', 'instance_type', 'region', 'status'] as const;
  return fc.oneof(
    fc.constant<Row>({ kind: 'valid', id, row: valid }),
    fc.constantFrom(...required).map<Row>((field) => {
      const { [field]: _gone, ...row } = valid;
      return { kind: 'broken', id: field === 'id' ? undefined : id, row };
    }),
    fc
      .tuple(
        fc.constantFrom(...required, 'ip', 'sector', 'creator_user_nickname'),
        fc.constantFrom(null, 7, true, [], {}, ['x']),
      )
      .map<Row>(([field, value]) => {
        const optionalNull = value === null && !(required as readonly string[]).includes(field);
        const row = { ...valid, [field]: value };
        if (optionalNull) return { kind: 'valid', id, row };
        return { kind: 'broken', id: field === 'id' ? undefined : id, row };
      }),
    fc.constantFrom(null, 0, 'inst', [], true).map<Row>((row) => ({ kind: 'broken', id: undefined, row })),
  );
};

describe('api: one bad row does not hide the good ones (item 3)', () => {
  const serve = serversPerTest();
  let server: TestServer | undefined;

  it('a row whose status is null or a number is an invalid row with its id; the others are listed', async () => {
    const rows = [instance('a'), instance('b', { status: null }), instance('c', { status: 3 }), instance('d')];
    server = await serve((_req, res) => sendJson(res, 200, { instances: rows, next_cursor: null, has_more: false }));
    const listing = await clientFor(server).listInstances();
    assert.deepEqual(
      listing.instances.map((i) => i.id),
      ['a', 'd'],
    );
    assert.deepEqual(
      listing.invalid.map((r) => [r.id, r.idUsable, r.problem]),
      [
        ['b', true, 'status: expected string, received null'],
        ['c', true, 'status: expected string, received number'],
      ],
    );
  });

  it('300 generated pages mixing valid and broken rows: every valid row listed in order, every broken row reported once with its id', async () => {
    let body: unknown;
    server = await serve((_req, res) => sendJson(res, 200, body));
    const pageArb = fc
      .integer({ min: 0, max: 12 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => rowArb(i))));
    await fc.assert(
      fc.asyncProperty(pageArb, async (rows) => {
        body = { instances: rows.map((r) => r.row), next_cursor: null, has_more: false };
        const listing = await clientFor(server!).listInstances();
        assert.deepEqual(
          listing.instances.map((i) => i.id),
          rows.filter((r) => r.kind === 'valid').map((r) => r.id),
        );
        const broken = rows.filter((r) => r.kind === 'broken');
        assert.deepEqual(
          listing.invalid.map((r) => r.id),
          broken.map((r) => r.id),
        );
        for (const row of listing.invalid) {
          assert.ok(row.problem.length > 0 && row.problem.length <= 300, row.problem);
          assert.equal(row.idUsable, row.id !== undefined);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a broken envelope still fails the page as a whole, typed (rows cannot be told apart without it)', async () => {
    for (const body of [
      { instances: null, next_cursor: null, has_more: false },
      { instances: [], has_more: false },
      [instance('a')],
    ]) {
      const s = await serve((_req, res) => sendJson(res, 200, body));
      await assert.rejects(clientFor(s).listInstances(), FalResponseError);
      await s.close();
    }
  });

  it('getInstance of a broken row is still a typed FalResponseError (one resource, nothing else to show)', async () => {
    server = await serve((_req, res) => sendJson(res, 200, instance('a', { status: null })));
    const err = await rejectionOf(clientFor(server).getInstance('a'));
    assert.ok(err instanceof FalResponseError);
    assert.match(err.message, /status: expected string, received null/);
  });
});
