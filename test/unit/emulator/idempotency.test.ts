import assert from 'node:assert/strict';
import { FalEmulator } from '../../emulator';
import { create, manualClock, useEmulator, VALID_CREATE } from './helpers';

describe('emulator: Idempotency-Key on create', () => {
  const clock = manualClock();
  const emulator = useEmulator(() => ({ now: clock.now, keys: [{ key: 'a-id:a-secret' }, { key: 'b-id:b-secret' }] }));
  const key = 'a-id:a-secret';

  it('replays the first 201 (same body, same id) for the same key and creates nothing', async () => {
    const first = await create(emulator(), VALID_CREATE, { key, idempotencyKey: 'k1' });
    const again = await create(emulator(), VALID_CREATE, { key, idempotencyKey: 'k1' });
    assert.deepEqual([first.status, again.status], [201, 201]);
    assert.equal(again.text, first.text);
    assert.equal(emulator().instances().length, 1);
  });

  it('creates a second instance for a different Idempotency-Key or without one', async () => {
    await create(emulator(), VALID_CREATE, { key, idempotencyKey: 'k1' });
    await create(emulator(), VALID_CREATE, { key, idempotencyKey: 'k2' });
    await create(emulator(), VALID_CREATE, { key });
    assert.equal(emulator().instances().length, 3);
  });

  it('scopes keys per API key', async () => {
    await create(emulator(), VALID_CREATE, { key, idempotencyKey: 'shared' });
    await create(emulator(), VALID_CREATE, { key: 'b-id:b-secret', idempotencyKey: 'shared' });
    assert.equal(emulator().instances().length, 2);
  });

  it('forgets a key after the TTL (10 minutes) and creates anew', async () => {
    const first = await create(emulator(), VALID_CREATE, { key, idempotencyKey: 'k1' });
    clock.advance(600_000 - 1);
    assert.equal((await create(emulator(), VALID_CREATE, { key, idempotencyKey: 'k1' })).json.id, first.json.id);
    clock.advance(1);
    assert.notEqual((await create(emulator(), VALID_CREATE, { key, idempotencyKey: 'k1' })).json.id, first.json.id);
    assert.equal(emulator().instances().length, 2);
  });

  it('caches only 201s: a rejected create does not burn the key', async () => {
    assert.equal(
      (await create(emulator(), { ...VALID_CREATE, ssh_key: '' }, { key, idempotencyKey: 'k1' })).status,
      400,
    );
    assert.equal((await create(emulator(), VALID_CREATE, { key, idempotencyKey: 'k1' })).status, 201);
    assert.equal(emulator().instances().length, 1);
  });

  it('by default replays the first response when the body differs', async () => {
    const first = await create(emulator(), VALID_CREATE, { key, idempotencyKey: 'k1' });
    const other = await create(
      emulator(),
      { ...VALID_CREATE, instance_type: 'gpu_8x_h100_sxm5' },
      { key, idempotencyKey: 'k1' },
    );
    assert.deepEqual([other.status, other.json], [201, first.json]);
  });

  it('creates only one instance for two concurrent creates with the same key', async () => {
    const replies = await Promise.all([
      create(emulator(), VALID_CREATE, { key, idempotencyKey: 'race' }),
      create(emulator(), VALID_CREATE, { key, idempotencyKey: 'race' }),
    ]);
    assert.equal(replies[0].json.id, replies[1].json.id);
    assert.equal(emulator().instances().length, 1);
  });

  it('drop-after-commit: no response, yet the instance exists and a retry with the key returns it', async () => {
    emulator().addFault({ route: 'create', kind: 'drop-after-commit' });
    await assert.rejects(create(emulator(), VALID_CREATE, { key, idempotencyKey: 'lost' }));
    const [committed] = emulator().instances();
    assert.ok(committed);
    const retry = await create(emulator(), VALID_CREATE, { key, idempotencyKey: 'lost' });
    assert.deepEqual([retry.status, retry.json.id], [201, committed.id]);
    assert.equal(emulator().instances().length, 1);
    assert.deepEqual(
      emulator().requests.map((r) => [r.status, r.fault]),
      [
        [undefined, 'drop-after-commit'],
        [201, undefined],
      ],
    );
  });
});

describe('emulator: Idempotency-Key options', () => {
  it('idempotencyMismatch "reject" answers 422 validation_error for the same key with another body', async () => {
    const emulator = await FalEmulator.start({ idempotencyMismatch: 'reject' });
    try {
      await create(emulator, VALID_CREATE, { idempotencyKey: 'k' });
      const other = await create(
        emulator,
        { ...VALID_CREATE, ssh_key: 'ssh-ed25519 AAAA other' },
        { idempotencyKey: 'k' },
      );
      assert.deepEqual([other.status, other.json.error.type], [422, 'validation_error']);
      const same = await create(emulator, VALID_CREATE, { idempotencyKey: 'k' });
      assert.equal(same.status, 201);
      assert.equal(emulator.instances().length, 1);
    } finally {
      await emulator.close();
    }
  });

  it('stays at one instance when concurrent duplicates really overlap (latency)', async () => {
    const emulator = await FalEmulator.start({ latencyMs: 30 });
    try {
      const replies = await Promise.all(
        [1, 2, 3].map(() => create(emulator, VALID_CREATE, { idempotencyKey: 'race' })),
      );
      assert.equal(emulator.maxConcurrent, 3);
      assert.equal(new Set(replies.map((r) => r.json.id)).size, 1);
      assert.equal(emulator.instances().length, 1);
    } finally {
      await emulator.close();
    }
  });
});
