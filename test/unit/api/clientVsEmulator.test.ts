// The client against the emulator over real loopback HTTP: the two were written separately from
// fal's spec, so agreement here is evidence that both read it the same way.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { FalApiError, FalComputeClient, FalConfigError, FalResponseError, unrecognizedFields } from '../../../src/api';
import { DEFAULT_EMULATOR_KEY, FalEmulator, type EmulatorOptions } from '../../emulator';

const FAST_RETRY = { baseDelayMs: 10, maxDelayMs: 50 };
const ONE_GPU = 'gpu_1x_h100_sxm5' as const;

describe('client ↔ emulator (loopback HTTP)', () => {
  let fal: FalEmulator;
  const start = async (opts: EmulatorOptions = {}) => (fal = await FalEmulator.start(opts));
  const client = (extra: Partial<ConstructorParameters<typeof FalComputeClient>[0]> = {}) =>
    new FalComputeClient({ apiKey: DEFAULT_EMULATOR_KEY, baseUrl: fal.baseUrl, retry: FAST_RETRY, ...extra });
  afterEach(async () => fal?.close());

  it('returns a 3-page list whole, in order', async () => {
    await start({
      seed: Array.from({ length: 120 }, (_, i) => ({
        id: `inst_${String(i).padStart(3, '0')}`,
        instance_type: ONE_GPU,
        status: 'ready',
      })),
    });
    const { instances: all, invalid } = await client({ pageSize: 50 }).listInstances();
    assert.equal(all.length, 120);
    assert.deepEqual(invalid, []);
    assert.deepEqual(
      all.map((i) => i.id),
      fal.instances().map((i) => i.id),
    );
    assert.deepEqual(
      fal.requests.map((r) => r.query.cursor),
      [undefined, 'Mg==', 'Mw=='],
    );
  });

  it('creates with the documented body and one Idempotency-Key, then sees the machine become ready', async () => {
    await start({ timeline: { provisioningMs: 150 }, ip: '127.0.0.1' });
    const created = await client().createInstance({
      instanceType: 'gpu_8x_h100_sxm5',
      sshKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0n0cJ9t4sHqQXk1m0m7m0bq0b3q6x0m9O9Xv1k2c3d me@laptop',
      sector: 'sector_2',
    });
    assert.equal(created.status, 'provisioning');
    assert.equal(created.ip, undefined);
    const [req] = fal.requests;
    assert.deepEqual(req?.body, {
      instance_type: 'gpu_8x_h100_sxm5',
      ssh_key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0n0cJ9t4sHqQXk1m0m7m0bq0b3q6x0m9O9Xv1k2c3d me@laptop',
      sector: 'sector_2',
    });
    assert.match(req?.idempotencyKey ?? '', /^[0-9a-f-]{36}$/);
    await new Promise((r) => setTimeout(r, 200));
    const ready = await client().getInstance(created.id);
    assert.equal(ready.status, 'ready');
    assert.equal(ready.ip, '127.0.0.1');
  });

  it('a create dropped after commit, then answered 500, is retried with the same key and leaves exactly one instance', async () => {
    await start();
    fal.addFault({ route: 'create', kind: 'drop-after-commit' });
    fal.addFault({ route: 'create', kind: 'status', status: 500 });
    const created = await client().createInstance({
      instanceType: 'gpu_1x_h100_sxm5',
      sshKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0n0cJ9t4sHqQXk1m0m7m0bq0b3q6x0m9O9Xv1k2c3d',
    });
    const creates = fal.requests.filter((r) => r.method === 'POST');
    assert.equal(creates.length, 3, 'dropped, 500, then the replay');
    assert.equal(new Set(creates.map((r) => r.idempotencyKey)).size, 1, 'one key on every attempt');
    assert.deepEqual(
      fal.instances().map((i) => i.id),
      [created.id],
      'exactly one instance',
    );
  });

  it('waits about a second for a 429 with Retry-After: 1', async () => {
    await start({ seed: [{ instance_type: ONE_GPU, status: 'ready' }] });
    fal.addFault({
      route: 'list',
      kind: 'status',
      status: 429,
      errorType: 'rate_limited',
      message: 'Rate limit exceeded',
      retryAfter: 1,
    });
    const t0 = performance.now();
    const list = (await client().listInstances()).instances;
    const waited = performance.now() - t0;
    assert.equal(list.length, 1);
    assert.ok(waited >= 900 && waited < 3000, `waited ${waited.toFixed(0)} ms`);
  });

  it('turns 401, 403, 404 and 500 into FalApiErrors with the right type and guidance', async () => {
    await start({ keys: [{ key: DEFAULT_EMULATOR_KEY }, { key: 'plain-id:plain-secret', admin: false }] });
    await assert.rejects(client({ apiKey: 'wrong-id:wrong-secret' }).listInstances(), (e: unknown) => {
      assert.ok(e instanceof FalApiError);
      assert.equal(e.status, 401);
      assert.equal(e.type, 'authorization_error');
      assert.match(e.message, /key/i);
      return true;
    });
    await assert.rejects(client({ apiKey: 'plain-id:plain-secret' }).listInstances(), (e: unknown) => {
      assert.ok(e instanceof FalApiError && e.status === 403);
      assert.match(e.message, /ADMIN/);
      assert.match(e.message, /Compute access/i);
      return true;
    });
    await assert.rejects(
      client().getInstance('inst_missing'),
      (e: unknown) => e instanceof FalApiError && e.status === 404 && e.type === 'not_found',
    );
    fal.addFault({ route: 'list', kind: 'status', status: 500, times: Infinity });
    await assert.rejects(
      client().listInstances(),
      (e: unknown) => e instanceof FalApiError && e.status === 500 && e.type === 'server_error',
    );
    assert.equal(fal.requests.filter((r) => r.status === 500).length, 4, 'retried up to the attempt limit');
  });

  it('lists an instance with a status this version does not know, and marks it', async () => {
    await start({ seed: [{ id: 'inst_new', instance_type: ONE_GPU, status: 'hibernating' }] });
    const [instance] = (await client().listInstances()).instances;
    assert.equal(instance?.status, 'hibernating');
    assert.deepEqual(unrecognizedFields(instance!), ['status']);
  });

  it('reports malformed JSON naming the endpoint; lists a schema-violating row as an invalid row (issue 10 item 3)', async () => {
    await start();
    fal.addFault({ route: 'list', kind: 'malformed-json' });
    await assert.rejects(
      client().listInstances(),
      (e: unknown) => e instanceof FalResponseError && /GET \/compute\/instances/.test(e.message),
    );
    fal.addFault({ route: 'list', kind: 'schema-violation' });
    const listing = await client().listInstances();
    assert.deepEqual(listing.instances, []);
    assert.deepEqual(
      listing.invalid.map((r) => [r.id, r.problem]),
      [[undefined, 'id: expected string, received undefined; status: expected string, received number']],
    );
    fal.addFault({ route: 'get', kind: 'schema-violation' });
    await assert.rejects(
      client().getInstance('inst_x'),
      (e: unknown) => e instanceof FalResponseError && /GET \/compute\/instances\/inst_x/.test(e.message),
    );
  });

  it('deletes, then reports a second delete as already gone', async () => {
    await start({ seed: [{ id: 'inst_del', instance_type: ONE_GPU, status: 'ready' }] });
    assert.deepEqual(await client().deleteInstance('inst_del'), { alreadyGone: false });
    assert.deepEqual(await client().deleteInstance('inst_del'), { alreadyGone: true });
    assert.deepEqual(fal.instances(), []);
  });

  it('refuses http:// to a non-loopback host before any request', async () => {
    await start();
    assert.throws(() => client({ baseUrl: 'http://api.fal.ai/v1' }), FalConfigError);
    assert.equal(fal.requests.length, 0);
  });

  it('never puts the key into an error, whatever went wrong', async () => {
    const secretKey = 'distinctive-key-id:sup3r-s3cret-v4lue-0123456789';
    await start({ keys: [{ key: secretKey }] });
    const c = client({ apiKey: secretKey, timeoutMs: 200, retry: { ...FAST_RETRY, maxAttempts: 1 } });
    const errors: unknown[] = [];
    const collect = (p: Promise<unknown>) =>
      p.then(
        () => assert.fail('expected an error'),
        (e) => errors.push(e),
      );
    fal.addFault({ route: 'list', kind: 'status', status: 500 });
    await collect(c.listInstances());
    fal.addFault({ route: 'list', kind: 'malformed-json' });
    await collect(c.listInstances());
    fal.addFault({ route: 'list', kind: 'drop' });
    await collect(c.listInstances());
    fal.addFault({ route: 'list', kind: 'delay', ms: 1000 });
    await collect(c.listInstances());
    await collect(c.getInstance('inst_nope'));
    await collect(
      new FalComputeClient({
        apiKey: secretKey,
        baseUrl: 'http://127.0.0.1:1/v1',
        retry: { maxAttempts: 1 },
      }).listInstances(),
    );
    assert.equal(errors.length, 6);
    for (const e of errors) {
      const text = `${String(e)}\n${(e as Error).stack}\n${JSON.stringify(e)}\n${inspect(e, { showHidden: true, depth: 5 })}`;
      assert.ok(!text.includes('sup3r-s3cret'), `secret leaked in: ${text.slice(0, 300)}`);
    }
  });
});
