import assert from 'node:assert/strict';
import { FalApiError, FalInputError } from '../../../src/api/errors';
import {
  clientFor,
  ED25519_PUBLIC_KEY,
  errorBody,
  instance,
  rejectionOf,
  sendJson,
  startServer,
  type RecordedRequest,
  type TestServer,
} from './testServer';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('api/client create and delete', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const created = (req: RecordedRequest) => {
    const body = JSON.parse(req.body) as { instance_type: string; sector?: string };
    return instance('inst_new', {
      instance_type: body.instance_type,
      sector: body.sector,
      status: 'provisioning',
      ip: undefined,
    });
  };

  it('sends exactly the documented body, Content-Type and a UUID Idempotency-Key', async () => {
    server = await startServer((req, res) => sendJson(res, 201, created(req)));
    const result = await clientFor(server).createInstance({
      instanceType: 'gpu_1x_h100_sxm5',
      sshKey: `${ED25519_PUBLIC_KEY}\n`,
    });
    const req = server.requests[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.url, '/v1/compute/instances');
    assert.deepEqual(JSON.parse(req.body), { instance_type: 'gpu_1x_h100_sxm5', ssh_key: ED25519_PUBLIC_KEY });
    assert.equal(req.headers['content-type'], 'application/json');
    assert.match(String(req.headers['idempotency-key']), UUID);
    assert.equal(result.status, 'provisioning');
  });

  it('sends the sector for the 8x type and uses a caller-given Idempotency-Key', async () => {
    server = await startServer((req, res) => sendJson(res, 201, created(req)));
    await clientFor(server).createInstance(
      { instanceType: 'gpu_8x_h100_sxm5', sshKey: ED25519_PUBLIC_KEY, sector: 'sector_2' },
      { idempotencyKey: 'resume-me-123' },
    );
    const req = server.requests[0]!;
    assert.deepEqual(JSON.parse(req.body), {
      instance_type: 'gpu_8x_h100_sxm5',
      ssh_key: ED25519_PUBLIC_KEY,
      sector: 'sector_2',
    });
    assert.equal(req.headers['idempotency-key'], 'resume-me-123');
  });

  it('refuses a private key before any network I/O', async () => {
    server = await startServer((req, res) => sendJson(res, 201, created(req)));
    const privateKey =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\n-----END OPENSSH PRIVATE KEY-----\n';
    const err = await rejectionOf(
      clientFor(server).createInstance({ instanceType: 'gpu_1x_h100_sxm5', sshKey: privateKey }),
    );
    assert.ok(err instanceof FalInputError);
    assert.match(err.message, /PRIVATE key/);
    assert.ok(
      !JSON.stringify(err).includes('b3BlbnNzaC1rZXktdjEAAAAABG5vbmU') &&
        !err.stack?.includes('b3BlbnNzaC1rZXktdjEAAAAABG5vbmU'),
    );
    assert.equal(server.requests.length, 0);
  });

  it('refuses a sector with the 1x type and an unknown instance type locally', async () => {
    server = await startServer((req, res) => sendJson(res, 201, created(req)));
    const client = clientFor(server);
    const err = await rejectionOf(
      client.createInstance({ instanceType: 'gpu_1x_h100_sxm5', sshKey: ED25519_PUBLIC_KEY, sector: 'sector_1' }),
    );
    assert.ok(err instanceof FalInputError);
    assert.match(err.message, /only be chosen for gpu_8x_h100_sxm5/);
    const unknownType = { instanceType: 'gpu_2x_a100' as 'gpu_1x_h100_sxm5', sshKey: ED25519_PUBLIC_KEY };
    await assert.rejects(client.createInstance(unknownType), FalInputError);
    assert.equal(server.requests.length, 0);
  });

  it('replays a create whose connection dropped after fal committed it, with the same Idempotency-Key', async () => {
    const committed = new Map<string, unknown>();
    server = await startServer((req, res) => {
      const key = String(req.headers['idempotency-key']);
      const replay = committed.get(key);
      if (replay) return sendJson(res, 201, replay);
      committed.set(key, instance(`inst_${committed.size + 1}`, { status: 'provisioning' }));
      res.socket?.destroy();
    });
    const result = await clientFor(server).createInstance({
      instanceType: 'gpu_1x_h100_sxm5',
      sshKey: ED25519_PUBLIC_KEY,
    });
    assert.equal(result.id, 'inst_1');
    assert.equal(committed.size, 1);
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    assert.equal(keys.length, 2);
    assert.equal(keys[0], keys[1]);
    assert.equal(server.requests[0]!.body, server.requests[1]!.body);
  });

  it('does not retry a 400 and exposes the Idempotency-Key and fal message on the error', async () => {
    const credit =
      'In order to start a compute instance, you have to have at least $500 in your fal credit balance per instance, as well as an automated top up with a trigger at $500.';
    server = await startServer((_req, res) => sendJson(res, 400, errorBody('validation_error', credit)));
    const err = await rejectionOf(
      clientFor(server).createInstance({ instanceType: 'gpu_1x_h100_sxm5', sshKey: ED25519_PUBLIC_KEY }),
    );
    assert.ok(err instanceof FalApiError);
    assert.equal(server.requests.length, 1);
    assert.equal(err.idempotencyKey, server.requests[0]!.headers['idempotency-key']);
    assert.ok(err.message.includes(credit));
    assert.equal(err.apiMessage, credit);
  });

  it('retries create on 409 and 503 with the same key, within the attempt limit', async () => {
    const statuses = [409, 503, 503, 503, 503];
    server = await startServer((_req, res) => sendJson(res, statuses.shift()!, errorBody('server_error', 'busy')));
    const err = await rejectionOf(
      clientFor(server).createInstance({ instanceType: 'gpu_1x_h100_sxm5', sshKey: ED25519_PUBLIC_KEY }),
    );
    assert.ok(err instanceof FalApiError && err.status === 503);
    assert.equal(server.requests.length, 4);
    assert.equal(new Set(server.requests.map((r) => r.headers['idempotency-key'])).size, 1);
  });

  it('deleteInstance reports 204 as deleted and 404 as already gone', async () => {
    const statuses = [204, 404];
    server = await startServer((_req, res) => {
      const status = statuses.shift()!;
      if (status === 204) return void res.writeHead(204).end();
      sendJson(res, 404, errorBody('not_found', 'Resource not found'));
    });
    const client = clientFor(server);
    assert.deepEqual(await client.deleteInstance('inst_1'), { alreadyGone: false });
    assert.deepEqual(await client.deleteInstance('inst_1'), { alreadyGone: true });
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.url}`),
      ['DELETE /v1/compute/instances/inst_1', 'DELETE /v1/compute/instances/inst_1'],
    );
  });
});
