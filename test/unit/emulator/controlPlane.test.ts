import assert from 'node:assert/strict';
import { call, useEmulator } from './helpers';

/** A control-plane call: plain JSON, no auth. */
async function control(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: any }> {
  const res = await fetch(baseUrl.replace(/\/v1$/, `/_emulator/${path}`), {
    method,
    ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

describe('emulator: HTTP control plane', () => {
  const emulator = useEmulator({ seed: [{ id: 'inst_startup', instance_type: 'gpu_1x_h100_sxm5', status: 'ready' }] });
  const base = () => emulator().baseUrl;

  it('reports health with the base URL', async () => {
    assert.deepEqual((await control(base(), 'GET', 'health')).json, { ok: true, baseUrl: base() });
  });

  it('seeds, lists and patches instances', async () => {
    const seeded = await control(base(), 'POST', 'instances', [
      { id: 'inst_cp', instance_type: 'gpu_8x_h100_sxm5', sector: 'sector_3', status: 'hibernating' },
    ]);
    assert.deepEqual([seeded.status, seeded.json[0].id, seeded.json[0].status], [201, 'inst_cp', 'hibernating']);
    const patched = await control(base(), 'PATCH', 'instances/inst_cp', { status: 'ready', ip: '127.0.0.1' });
    assert.deepEqual([patched.json.status, patched.json.ip], ['ready', '127.0.0.1']);
    const fromApi = await call(base(), 'GET', '/compute/instances/inst_cp');
    assert.deepEqual(fromApi.json, patched.json);
    assert.deepEqual(
      (await control(base(), 'GET', 'instances')).json.map((i: { id: string }) => i.id),
      ['inst_startup', 'inst_cp'],
    );
    assert.equal((await control(base(), 'PATCH', 'instances/inst_nope', { status: 'ready' })).status, 404);
  });

  it('adds faults (times: null = until cleared) and clears them', async () => {
    assert.equal(
      (
        await control(base(), 'POST', 'faults', [
          { route: 'list', kind: 'status', status: 500, times: null },
          { route: 'get', kind: 'drop' },
        ])
      ).status,
      204,
    );
    assert.equal((await call(base(), 'GET', '/compute/instances')).status, 500);
    assert.equal((await call(base(), 'GET', '/compute/instances')).status, 500);
    await assert.rejects(call(base(), 'GET', '/compute/instances/inst_startup'));
    assert.equal((await control(base(), 'DELETE', 'faults')).status, 204);
    assert.equal((await call(base(), 'GET', '/compute/instances')).status, 200);
  });

  it('rejects an invalid fault with 400 and adds none of the batch', async () => {
    const reply = await control(base(), 'POST', 'faults', [
      { route: 'list', kind: 'status', status: 500 },
      { route: 'lists', kind: 'drop' },
    ]);
    assert.equal(reply.status, 400);
    assert.match(reply.json.error, /route/);
    assert.equal((await call(base(), 'GET', '/compute/instances')).status, 200);
  });

  it('serves and clears the request log, which never contains control-plane calls', async () => {
    await call(base(), 'GET', '/compute/instances');
    await control(base(), 'GET', 'health');
    const { json } = await control(base(), 'GET', 'requests');
    assert.deepEqual(
      [json.requests.length, json.requests[0].path, json.maxConcurrent],
      [1, '/v1/compute/instances', 1],
    );
    assert.equal((await control(base(), 'DELETE', 'requests')).status, 204);
    assert.equal(emulator().requests.length, 0);
  });

  it('resets to the startup seed', async () => {
    await control(base(), 'POST', 'instances', [{ instance_type: 'gpu_1x_h100_sxm5' }]);
    assert.equal((await control(base(), 'POST', 'reset')).status, 204);
    assert.deepEqual(
      emulator()
        .instances()
        .map((i) => i.id),
      ['inst_startup'],
    );
  });

  it('answers 404 for an unknown control-plane route and 400 for a non-JSON body or a taken id', async () => {
    assert.equal((await control(base(), 'GET', 'nope')).status, 404);
    assert.equal(
      (await control(base(), 'POST', 'instances', [{ id: 'inst_startup', instance_type: 'gpu_1x_h100_sxm5' }])).status,
      400,
    );
    const res = await fetch(base().replace(/\/v1$/, '/_emulator/instances'), { method: 'POST', body: 'not json' });
    assert.equal(res.status, 400);
    await res.text();
  });
});
