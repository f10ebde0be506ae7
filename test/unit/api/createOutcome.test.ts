// Issue 10 items 6 and 7 at the client: an unreadable success to a create is an unknown outcome,
// replayed with the same Idempotency-Key like a dropped connection; a long Retry-After is reported
// to the caller (for the create progress) and refused when it would pass fal's idempotency window.
import assert from 'node:assert/strict';
import type http from 'node:http';
import fc from 'fast-check';
import { FalAbortError, FalApiError, FalError, FalResponseError } from '../../../src/api/errors';
import { FakeTimers } from '../core/fakeTimers';
import {
  clientFor,
  ED25519_PUBLIC_KEY,
  errorBody,
  instance,
  rejectionOf,
  sendJson,
  serversPerTest,
  type TestServer,
} from './testServer';

const INPUT = { instanceType: 'gpu_1x_h100_sxm5' as const, sshKey: ED25519_PUBLIC_KEY };

/** 2xx answers a create cannot read: each may or may not mean fal started the machine. */
const UNREADABLE_SUCCESS: Array<[string, (res: http.ServerResponse) => void]> = [
  [
    'an HTML 201',
    (res) => res.writeHead(201, { 'content-type': 'text/html' }).end('<html><body>Created</body></html>'),
  ],
  ['an empty 202', (res) => res.writeHead(202).end()],
  ['a 202 with JSON', (res) => sendJson(res, 202, { status: 'accepted' })],
  ['a 200 cut off mid-JSON', (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"inst_')],
  ['a 201 breaking the schema', (res) => sendJson(res, 201, { id: 'inst_1', status: 7 })],
  ['a 201 with an id that cannot be used', (res) => sendJson(res, 201, instance('..'))],
  ['a 204', (res) => res.writeHead(204).end()],
  ['a 206 with the instance', (res) => sendJson(res, 206, instance('inst_9'))],
];

describe('api: create outcomes and long Retry-After (items 6 and 7)', () => {
  const serve = serversPerTest();
  let server: TestServer | undefined;

  for (const [what, answer] of UNREADABLE_SUCCESS) {
    it(`${what} is an unknown outcome: replayed with the same Idempotency-Key, and the instance of the replay is returned`, async () => {
      let calls = 0;
      server = await serve((_req, res) =>
        calls++ === 0 ? answer(res) : sendJson(res, 201, instance('inst_1', { status: 'provisioning' })),
      );
      const got = await clientFor(server).createInstance(INPUT);
      assert.equal(got.id, 'inst_1');
      const keys = server.requests.map((r) => r.headers['idempotency-key']);
      assert.equal(keys.length, 2);
      assert.equal(new Set(keys).size, 1, 'never a new key');
    });
  }

  it('100 generated sequences of unreadable, dropped and 5xx answers: every POST carries the one key; the error, if any, is typed and says the outcome is unknown', async () => {
    let script: number[] = [];
    server = await serve((_req, res) => {
      const step = script.shift() ?? -1;
      if (step === -1) return sendJson(res, 201, instance('inst_ok'));
      if (step < UNREADABLE_SUCCESS.length) return UNREADABLE_SUCCESS[step]![1](res);
      if (step === UNREADABLE_SUCCESS.length) return res.socket?.destroy();
      sendJson(res, 503, errorBody('server_error', 'busy'));
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: UNREADABLE_SUCCESS.length + 1 }), { maxLength: 6 }), async (steps) => {
        script = [...steps];
        const before = server!.requests.length;
        let result: unknown;
        try {
          result = await clientFor(server!).createInstance(INPUT);
        } catch (err) {
          result = err;
        }
        const keys = new Set(server!.requests.slice(before).map((r) => r.headers['idempotency-key']));
        assert.equal(keys.size, 1);
        if (steps.length < 4) {
          assert.equal((result as { id?: string }).id, 'inst_ok');
        } else {
          assert.ok(result instanceof FalError, String(result));
          assert.equal(result.outcomeUnknown, true);
          assert.equal(result.idempotencyKey, [...keys][0]);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('an unreadable answer on every attempt ends in a typed FalResponseError marked outcomeUnknown (never reported as "not created")', async () => {
    server = await serve((_req, res) => res.writeHead(201, { 'content-type': 'text/html' }).end('<html>ok</html>'));
    const err = await rejectionOf(clientFor(server).createInstance(INPUT));
    assert.ok(err instanceof FalResponseError);
    assert.equal(err.outcomeUnknown, true);
    assert.equal(server.requests.length, 4);
  });

  it('a definite refusal (400, 401, 403, 404, 422, 429) is not an unknown outcome — unless an earlier attempt was ambiguous', async () => {
    for (const status of [400, 401, 403, 404, 422]) {
      const s = await serve((_req, res) => sendJson(res, status, errorBody('validation_error', 'no')));
      const err = await rejectionOf(clientFor(s).createInstance(INPUT));
      await s.close();
      assert.ok(err instanceof FalApiError && err.outcomeUnknown === false, `${status}`);
    }
    let calls = 0;
    server = await serve((_req, res) =>
      calls++ === 0 ? res.socket?.destroy() : sendJson(res, 400, errorBody('validation_error', 'no')),
    );
    const err = await rejectionOf(clientFor(server).createInstance(INPUT));
    assert.ok(
      err instanceof FalApiError && err.outcomeUnknown === true,
      'the dropped first attempt may have created it',
    );
  });

  it('429 with Retry-After: 120 on create is reported (120 000 ms, status 429), then retried after the wait with the same key', async () => {
    const timers = new FakeTimers();
    let calls = 0;
    server = await serve((_req, res) =>
      calls++ === 0
        ? sendJson(res, 429, errorBody('rate_limited', 'Rate limit exceeded'), { 'retry-after': '120' })
        : sendJson(res, 201, instance('inst_1')),
    );
    const waits: Array<{ delayMs: number; status?: number }> = [];
    const creating = clientFor(server, { timers }).createInstance(INPUT, { onRetry: (w) => waits.push(w) });
    while (waits.length === 0) await new Promise((r) => setImmediate(r));
    assert.deepEqual(
      waits.map((w) => [w.delayMs, w.status]),
      [[120_000, 429]],
    );
    assert.equal(server.requests.length, 1, 'nothing sent during the wait');
    await timers.advance(119_000);
    assert.equal(server.requests.length, 1);
    await timers.advance(1_000);
    const got = await creating;
    assert.equal(got.id, 'inst_1');
    assert.equal(new Set(server.requests.map((r) => r.headers['idempotency-key'])).size, 1);
  });

  it('a Retry-After that would pass the 10-minute idempotency window fails at once with a clear message, nothing more sent', async () => {
    const timers = new FakeTimers();
    server = await serve((_req, res) =>
      sendJson(res, 429, errorBody('rate_limited', 'Rate limit exceeded'), { 'retry-after': '700' }),
    );
    const waits: unknown[] = [];
    const err = await rejectionOf(
      clientFor(server, { timers }).createInstance(INPUT, { onRetry: (w) => waits.push(w) }),
    );
    assert.ok(err instanceof FalApiError && err.status === 429, String(err));
    assert.match(err.message, /asks to wait 11 min 40 s/);
    assert.match(err.message, /10-minute idempotency window/);
    assert.equal(err.outcomeUnknown, false);
    assert.deepEqual(waits, []);
    assert.equal(server.requests.length, 1);
  });

  it('the Retry-After wait is cancellable: aborting it rejects at once with FalAbortError, nothing more sent', async () => {
    const timers = new FakeTimers();
    server = await serve((_req, res) =>
      sendJson(res, 429, errorBody('rate_limited', 'Rate limit exceeded'), { 'retry-after': '120' }),
    );
    const controller = new AbortController();
    const creating = rejectionOf(
      clientFor(server, { timers }).createInstance(INPUT, {
        signal: controller.signal,
        onRetry: () => controller.abort(),
      }),
    );
    const err = await creating;
    assert.ok(err instanceof FalAbortError, String(err));
    assert.equal(err.outcomeUnknown, false, 'a 429 is a refusal: nothing was created');
    assert.equal(server.requests.length, 1);
  });
});
