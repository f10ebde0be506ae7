import assert from 'node:assert/strict';
import { DEFAULT_EMULATOR_KEY } from '../../emulator';
import { call, useEmulator, type CallOptions } from './helpers';

describe('emulator: authentication and authorization', () => {
  const emulator = useEmulator({
    keys: [
      { key: DEFAULT_EMULATOR_KEY },
      { key: 'api-scope-id:api-scope-secret', admin: false },
      { key: 'no-compute-id:no-compute-secret', compute: false },
    ],
  });
  const list = (opts: CallOptions) => call(emulator().baseUrl, 'GET', '/compute/instances', opts);

  it('accepts `Authorization: Key <key>`', async () => {
    assert.equal((await list({})).status, 200);
  });

  it('answers 401 "Authentication required" without an Authorization header', async () => {
    const reply = await list({ key: null });
    assert.equal(reply.status, 401);
    assert.equal(reply.json.error.type, 'authorization_error');
    assert.equal(reply.json.error.message, 'Authentication required');
  });

  for (const [label, authorization] of [
    ['an unknown key', 'Key someone-id:someone-secret'],
    ['a Bearer token', `Bearer ${DEFAULT_EMULATOR_KEY}`],
    ['a lowercase scheme', `key ${DEFAULT_EMULATOR_KEY}`],
    ['the key without a scheme', DEFAULT_EMULATOR_KEY],
    ['the key id only', 'Key emulator-key-id'],
  ]) {
    it(`answers 401 "Invalid API key or malformed Authorization header" for ${label}`, async () => {
      const reply = await list({ authorization: authorization! });
      assert.equal(reply.status, 401);
      assert.deepEqual(
        [reply.json.error.type, reply.json.error.message],
        ['authorization_error', 'Invalid API key or malformed Authorization header'],
      );
    });
  }

  it('answers 403 "Access denied" to a key without ADMIN scope or without compute access, on every route', async () => {
    for (const key of ['api-scope-id:api-scope-secret', 'no-compute-id:no-compute-secret']) {
      const replies = [
        await list({ key }),
        await call(emulator().baseUrl, 'POST', '/compute/instances', {
          key,
          body: { instance_type: 'gpu_1x_h100_sxm5', ssh_key: 'ssh-rsa A' },
        }),
        await call(emulator().baseUrl, 'GET', '/compute/instances/inst_x', { key }),
        await call(emulator().baseUrl, 'DELETE', '/compute/instances/inst_x', { key }),
      ];
      for (const reply of replies) {
        assert.equal(reply.status, 403);
        assert.deepEqual([reply.json.error.type, reply.json.error.message], ['authorization_error', 'Access denied']);
      }
    }
    assert.equal(emulator().instances().length, 0);
  });

  it('answers 404 not_found for paths and methods fal does not have', async () => {
    for (const [method, path] of [
      ['GET', '/compute/instance'],
      ['PUT', '/compute/instances'],
      ['PATCH', '/compute/instances/inst_x'],
      ['GET', '/compute/instances/inst_x/extra'],
    ]) {
      const reply = await call(emulator().baseUrl, method!, path!);
      assert.equal(reply.status, 404, `${method} ${path}`);
      assert.equal(reply.json.error.type, 'not_found');
    }
  });
});
