import assert from 'node:assert/strict';
import { FalEmulator, type RequestRecord } from '../../emulator';
import { call, create, useEmulator, VALID_CREATE } from './helpers';

describe('emulator: request log', () => {
  const emulator = useEmulator({ keys: [{ key: 'dev-id:dev-topsecret' }] });

  it('records method, path, query, status, key id, Idempotency-Key and body in arrival order', async () => {
    await call(emulator().baseUrl, 'GET', '/compute/instances?limit=5', { key: 'dev-id:dev-topsecret' });
    await create(emulator(), VALID_CREATE, { key: 'dev-id:dev-topsecret', idempotencyKey: 'idem-1' });
    const [listed, created] = emulator().requests;
    assert.deepEqual(
      { ...listed, startedAt: 0, endedAt: 0 },
      {
        seq: 1,
        method: 'GET',
        path: '/v1/compute/instances',
        query: { limit: '5' },
        keyId: 'dev-id',
        status: 200,
        startedAt: 0,
        endedAt: 0,
      },
    );
    assert.deepEqual(
      [created!.seq, created!.method, created!.status, created!.keyId, created!.idempotencyKey, created!.body],
      [2, 'POST', 201, 'dev-id', 'idem-1', VALID_CREATE],
    );
    assert.ok(created!.endedAt! >= created!.startedAt);
  });

  it('never holds a key secret, whatever the Authorization header looked like', async () => {
    await call(emulator().baseUrl, 'GET', '/compute/instances', { key: 'dev-id:dev-topsecret' });
    await call(emulator().baseUrl, 'GET', '/compute/instances', { key: 'other-id:other-topsecret' });
    await call(emulator().baseUrl, 'GET', '/compute/instances', { authorization: 'Bearer bearer-topsecret' });
    await call(emulator().baseUrl, 'GET', '/compute/instances', { authorization: 'Key nocolon-topsecret' });
    const log = JSON.stringify(emulator().requests);
    assert.doesNotMatch(log, /topsecret/);
    assert.deepEqual(
      emulator().requests.map((r) => r.keyId),
      ['dev-id', 'other-id', undefined, undefined],
    );
  });

  it('counts the most requests in flight at once', async () => {
    emulator().addFault({ route: 'list', kind: 'delay', ms: 80, times: 3 });
    const key = 'dev-id:dev-topsecret';
    await Promise.all([1, 2, 3].map(() => call(emulator().baseUrl, 'GET', '/compute/instances', { key })));
    await call(emulator().baseUrl, 'GET', '/compute/instances', { key });
    assert.equal(emulator().maxConcurrent, 3);
    emulator().clearRequests();
    assert.deepEqual([emulator().requests.length, emulator().maxConcurrent], [0, 0]);
    await call(emulator().baseUrl, 'GET', '/compute/instances', { key });
    assert.deepEqual([emulator().requests[0]!.seq, emulator().maxConcurrent], [1, 1]);
  });

  it('reports each finished request to onRequest', async () => {
    const seen: RequestRecord[] = [];
    const e = await FalEmulator.start({ onRequest: (r) => seen.push(r) });
    try {
      await call(e.baseUrl, 'GET', '/compute/instances');
      e.addFault({ route: 'get', kind: 'drop' });
      await assert.rejects(call(e.baseUrl, 'GET', '/compute/instances/inst_x'));
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(
        seen.map((r) => [r.method, r.status, r.fault]),
        [
          ['GET', 200, undefined],
          ['GET', undefined, 'drop'],
        ],
      );
    } finally {
      await e.close();
    }
  });
});
