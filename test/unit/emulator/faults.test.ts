import assert from 'node:assert/strict';
import { FalEmulator } from '../../emulator';
import { call, create, manualClock, useEmulator } from './helpers';

describe('emulator: injected faults', () => {
  const emulator = useEmulator({ seed: [{ id: 'inst_a', instance_type: 'gpu_1x_h100_sxm5', status: 'ready' }] });
  const list = () => call(emulator().baseUrl, 'GET', '/compute/instances');
  const get = () => call(emulator().baseUrl, 'GET', '/compute/instances/inst_a');

  it('status 429 sends Retry-After only when the fault asks for it', async () => {
    emulator().addFault({ route: 'list', kind: 'status', status: 429, retryAfter: 7 });
    emulator().addFault({ route: 'list', kind: 'status', status: 429 });
    const withHeader = await list();
    const without = await list();
    assert.deepEqual(
      [
        withHeader.status,
        withHeader.headers.get('retry-after'),
        withHeader.json.error.type,
        withHeader.json.error.message,
      ],
      [429, '7', 'rate_limited', 'Rate limit exceeded'],
    );
    assert.deepEqual([without.status, without.headers.get('retry-after')], [429, null]);
  });

  it('status 500 answers server_error; type, message and request_id can be chosen', async () => {
    emulator().addFault({ route: 'get', kind: 'status', status: 500 });
    emulator().addFault({
      route: 'get',
      kind: 'status',
      status: 503,
      errorType: 'server_error',
      message: 'upstream down',
      requestId: 'req_fixed',
    });
    const plain = await get();
    assert.deepEqual(
      [plain.status, plain.json.error.type, plain.json.error.message],
      [500, 'server_error', 'An unexpected error occurred'],
    );
    assert.match(plain.json.error.request_id, /^req_[0-9a-f]+$/);
    const custom = await get();
    assert.deepEqual(
      [custom.status, custom.json.error],
      [503, { type: 'server_error', message: 'upstream down', request_id: 'req_fixed' }],
    );
  });

  it('drop destroys the connection and commits nothing', async () => {
    emulator().addFault({ route: 'create', kind: 'drop' });
    await assert.rejects(create(emulator()));
    assert.equal(emulator().instances().length, 1);
    assert.deepEqual([emulator().requests[0]!.status, emulator().requests[0]!.fault], [undefined, 'drop']);
  });

  it('drop-after-commit on delete removes the instance without answering', async () => {
    emulator().addFault({ route: 'delete', kind: 'drop-after-commit' });
    await assert.rejects(call(emulator().baseUrl, 'DELETE', '/compute/instances/inst_a'));
    assert.equal((await get()).status, 404);
  });

  it('delay holds the response, then answers normally', async () => {
    emulator().addFault({ route: 'list', kind: 'delay', ms: 100 });
    const started = Date.now();
    const reply = await list();
    assert.ok(Date.now() - started >= 95);
    assert.equal(reply.status, 200);
    assert.equal(emulator().requests[0]!.fault, 'delay:100ms');
  });

  it('malformed-json answers 200 with a body that is not JSON', async () => {
    emulator().addFault({ route: 'list', kind: 'malformed-json' });
    const res = await fetch(`${emulator().baseUrl}/compute/instances`, {
      headers: { authorization: 'Key emulator-key-id:emulator-key-secret' },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const text = await res.text();
    assert.throws(() => JSON.parse(text), SyntaxError);
  });

  it('schema-violation answers 200 JSON with an instance lacking id and a numeric status', async () => {
    emulator().addFault({ route: 'get', kind: 'schema-violation' });
    emulator().addFault({ route: 'list', kind: 'schema-violation' });
    const instance = (await get()).json;
    assert.equal(instance.id, undefined);
    assert.equal(typeof instance.status, 'number');
    assert.equal((await list()).json.instances[0].id, undefined);
  });

  it('honours times, and times: Infinity lasts until clearFaults()', async () => {
    emulator().addFault({ route: 'list', kind: 'status', status: 500, times: 2 });
    assert.deepEqual([(await list()).status, (await list()).status, (await list()).status], [500, 500, 200]);
    emulator().addFault({ route: 'list', kind: 'status', status: 502, times: Infinity });
    for (let i = 0; i < 5; i++) assert.equal((await list()).status, 502);
    emulator().clearFaults();
    assert.equal((await list()).status, 200);
  });

  it('applies faults per route, in the order they were added; "any" matches every route', async () => {
    emulator().addFault({ route: 'create', kind: 'status', status: 500 });
    emulator().addFault({ route: 'list', kind: 'status', status: 500 });
    emulator().addFault({ route: 'list', kind: 'status', status: 429 });
    assert.equal((await get()).status, 200);
    assert.deepEqual([(await list()).status, (await list()).status, (await list()).status], [500, 429, 200]);
    assert.equal((await create(emulator())).status, 500);
    emulator().addFault({ route: 'any', kind: 'status', status: 503, times: 2 });
    assert.deepEqual([(await get()).status, (await list()).status, (await get()).status], [503, 503, 200]);
  });
});

describe('emulator: rate limit option', () => {
  it('answers 429 rate_limited past requestsPerMinute per key, without Retry-After unless asked, and refills', async () => {
    const clock = manualClock();
    const plain = await FalEmulator.start({ now: clock.now, rateLimit: { requestsPerMinute: 2 } });
    const withHeader = await FalEmulator.start({
      now: clock.now,
      rateLimit: { requestsPerMinute: 2, retryAfter: true },
    });
    try {
      for (const e of [plain, withHeader]) {
        assert.equal((await call(e.baseUrl, 'GET', '/compute/instances')).status, 200);
        assert.equal((await call(e.baseUrl, 'GET', '/compute/instances')).status, 200);
      }
      const limited = await call(plain.baseUrl, 'GET', '/compute/instances');
      assert.deepEqual(
        [limited.status, limited.json.error.type, limited.json.error.message, limited.headers.get('retry-after')],
        [429, 'rate_limited', 'Rate limit exceeded', null],
      );
      assert.equal((await call(withHeader.baseUrl, 'GET', '/compute/instances')).headers.get('retry-after'), '30');
      clock.advance(30_000);
      assert.equal((await call(plain.baseUrl, 'GET', '/compute/instances')).status, 200);
    } finally {
      await plain.close();
      await withHeader.close();
    }
  });
});
