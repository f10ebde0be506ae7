import assert from 'node:assert/strict';
import { FalEmulator, type EmulatorOptions } from '../../emulator';
import { call, create, manualClock, VALID_CREATE } from './helpers';

/** Starts an emulator on a hand-moved clock, runs `body`, always closes it. */
async function withClockedEmulator(
  opts: EmulatorOptions,
  body: (e: FalEmulator, advance: (ms: number) => void) => Promise<void>,
): Promise<void> {
  const clock = manualClock();
  const emulator = await FalEmulator.start({ now: clock.now, ...opts });
  try {
    await body(emulator, clock.advance);
  } finally {
    await emulator.close();
  }
}

const get = (e: FalEmulator, id: string) => call(e.baseUrl, 'GET', `/compute/instances/${id}`);

describe('emulator: instance lifecycle', () => {
  it('creates a provisioning instance without ip that becomes ready with an ip after provisioningMs', () =>
    withClockedEmulator({ timeline: { provisioningMs: 1000 } }, async (e, advance) => {
      const created = await create(e);
      assert.equal(created.status, 201);
      assert.match(created.json.id, /^inst_[0-9a-z]+$/);
      assert.deepEqual(created.json, {
        id: created.json.id,
        instance_type: 'gpu_1x_h100_sxm5',
        region: 'us-west',
        creator_user_nickname: 'developer',
        status: 'provisioning',
      });
      advance(999);
      assert.deepEqual(
        [(await get(e, created.json.id)).json.status, (await get(e, created.json.id)).json.ip],
        ['provisioning', undefined],
      );
      advance(1);
      const ready = await get(e, created.json.id);
      assert.deepEqual([ready.json.status, ready.json.ip], ['ready', '203.0.113.10']);
      const second = await create(e);
      advance(1000);
      assert.equal((await get(e, second.json.id)).json.ip, '203.0.113.11');
    }));

  it('shows pending for pendingMs before provisioning', () =>
    withClockedEmulator({ timeline: { pendingMs: 500, provisioningMs: 1000 } }, async (e, advance) => {
      const { id } = (await create(e)).json;
      const statuses = [];
      for (const step of [0, 500, 1000]) {
        advance(step);
        statuses.push((await get(e, id)).json.status);
      }
      assert.deepEqual(statuses, ['pending', 'provisioning', 'ready']);
    }));

  it('gives every ready instance the fixed `ip` option', () =>
    withClockedEmulator({ ip: '127.0.0.1', timeline: { provisioningMs: 10 } }, async (e, advance) => {
      await create(e);
      await create(e);
      advance(10);
      assert.deepEqual(
        e.instances().map((i) => i.ip),
        ['127.0.0.1', '127.0.0.1'],
      );
    }));

  it('echoes sector for 8x, names the creator after the key, and can drop sector sent with 1x', () =>
    withClockedEmulator(
      { sectorWith1x: 'ignore', keys: [{ key: 'alice-id:alice-secret', nickname: 'alice' }] },
      async (e) => {
        const key = 'alice-id:alice-secret';
        const big = await create(
          e,
          { ...VALID_CREATE, instance_type: 'gpu_8x_h100_sxm5', sector: 'sector_2' },
          { key },
        );
        assert.deepEqual([big.json.sector, big.json.creator_user_nickname], ['sector_2', 'alice']);
        const small = await create(e, { ...VALID_CREATE, sector: 'sector_2' }, { key });
        assert.equal(small.status, 201);
        assert.equal('sector' in small.json, false);
      },
    ));

  it('deletes with 204 and an empty body; then get is 404, list omits it and a second delete is 404', () =>
    withClockedEmulator({}, async (e) => {
      const { id } = (await create(e)).json;
      const deleted = await call(e.baseUrl, 'DELETE', `/compute/instances/${id}`);
      assert.deepEqual([deleted.status, deleted.text], [204, '']);
      const gone = await get(e, id);
      assert.deepEqual(
        [gone.status, gone.json.error.type, gone.json.error.message],
        [404, 'not_found', 'Resource not found'],
      );
      assert.deepEqual((await call(e.baseUrl, 'GET', '/compute/instances')).json.instances, []);
      assert.equal((await call(e.baseUrl, 'DELETE', `/compute/instances/${id}`)).status, 404);
    }));

  it('with deleteLagMs shows a deleted instance as stopped (no ip) for that long, then it is gone', () =>
    withClockedEmulator(
      {
        deleteLagMs: 5000,
        seed: [{ id: 'inst_a', instance_type: 'gpu_1x_h100_sxm5', status: 'ready', ip: '203.0.113.9' }],
      },
      async (e, advance) => {
        assert.equal((await call(e.baseUrl, 'DELETE', '/compute/instances/inst_a')).status, 204);
        const lingering = await get(e, 'inst_a');
        assert.deepEqual([lingering.status, lingering.json.status, lingering.json.ip], [200, 'stopped', undefined]);
        assert.deepEqual(
          (await call(e.baseUrl, 'GET', '/compute/instances')).json.instances.map((i: { status: string }) => i.status),
          ['stopped'],
        );
        assert.equal(
          (await call(e.baseUrl, 'DELETE', '/compute/instances/inst_a')).status,
          204,
          'still visible, so still deletable',
        );
        advance(5000);
        assert.equal((await get(e, 'inst_a')).status, 404);
        assert.equal(e.instances().length, 0);
      },
    ));

  it('lists a seeded status fal may add later (hibernating) as is, and it never changes', () =>
    withClockedEmulator(
      { seed: [{ id: 'inst_h', instance_type: 'gpu_8x_h100_sxm5', status: 'hibernating' }] },
      async (e, advance) => {
        advance(10 * 60_000);
        const listed = await call(e.baseUrl, 'GET', '/compute/instances');
        assert.deepEqual(listed.json.instances, [
          { id: 'inst_h', instance_type: 'gpu_8x_h100_sxm5', region: 'us-west', status: 'hibernating' },
        ]);
        assert.equal((await get(e, 'inst_h')).json.status, 'hibernating');
      },
    ));

  it('a seed without status follows the timeline from the moment it is seeded', () =>
    withClockedEmulator({ timeline: { provisioningMs: 100 } }, async (e, advance) => {
      const [seeded] = e.seed([{ instance_type: 'gpu_1x_h100_sxm5' }]);
      assert.deepEqual([seeded!.status, seeded!.ip], ['provisioning', undefined]);
      advance(100);
      assert.deepEqual([e.instances()[0]!.status, e.instances()[0]!.ip], ['ready', '203.0.113.10']);
    }));

  it('updateInstance forces status and ip; status freezes, null removes a field', () =>
    withClockedEmulator({ timeline: { provisioningMs: 100 } }, async (e, advance) => {
      const { id } = (await create(e)).json;
      e.updateInstance(id, { status: 'unknown' });
      advance(1000);
      assert.equal((await get(e, id)).json.status, 'unknown', 'a forced status no longer follows the timeline');
      e.updateInstance(id, { status: 'ready', ip: '198.51.100.7', creator_user_nickname: null });
      const patched = (await get(e, id)).json;
      assert.deepEqual(
        [patched.status, patched.ip, patched.creator_user_nickname],
        ['ready', '198.51.100.7', undefined],
      );
      e.updateInstance(id, { ip: null });
      assert.equal((await get(e, id)).json.ip, undefined, 'ready without ip can be staged');
      assert.throws(() => e.updateInstance('inst_missing', { status: 'ready' }), /no instance/);
    }));

  it('reset() returns to the startup seed with the same ids and forgets everything else', () =>
    withClockedEmulator({ seed: [{ instance_type: 'gpu_1x_h100_sxm5', status: 'ready' }] }, async (e) => {
      const [original] = e.instances();
      await create(e);
      await call(e.baseUrl, 'DELETE', `/compute/instances/${original!.id}`);
      e.addFault({ route: 'any', kind: 'status', status: 500 });
      e.reset();
      assert.deepEqual(e.instances(), [original]);
      assert.equal(e.requests.length, 0);
      assert.equal((await call(e.baseUrl, 'GET', '/compute/instances')).status, 200, 'faults are cleared');
    }));
});
