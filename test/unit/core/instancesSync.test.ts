// InstancesSync against the emulator over loopback HTTP: which question a fetch asks, and what a
// 404, a 401/403 and a 500 do to the model.
import assert from 'node:assert/strict';
import { FalComputeClient } from '../../../src/api';
import type { KeyRejection } from '../../../src/core/apiFailures';
import { InstancesModel } from '../../../src/core/instancesModel';
import { InstancesSync } from '../../../src/core/instancesSync';
import { DEFAULT_EMULATOR_KEY, FalEmulator, type SeedInstance } from '../../emulator';

const ready = (i: number): SeedInstance => ({
  id: `inst_r${i}`,
  instance_type: 'gpu_1x_h100_sxm5',
  status: 'ready',
  ip: `203.0.113.${i}`,
});

async function setup(seed: SeedInstance[], pageSize = 2) {
  const fal = await FalEmulator.start({ seed });
  const client = new FalComputeClient({
    apiKey: DEFAULT_EMULATOR_KEY,
    baseUrl: fal.baseUrl,
    pageSize,
    retry: { maxAttempts: 1 },
  });
  const model = new InstancesModel({ get: () => ({}), set: () => undefined });
  const rejections: KeyRejection[] = [];
  const sync = new InstancesSync({
    model,
    client: async () => client,
    pageSize,
    now: () => 1,
    onKeyRejected: (r) => rejections.push(r),
  });
  return {
    fal,
    model,
    sync,
    rejections,
    paths: () =>
      fal.requests.map(
        (r) => `${r.method} ${r.path.replace('/v1/compute/instances', '')}${r.query.cursor ? ' +cursor' : ''}`,
      ),
  };
}

describe('InstancesSync (against the emulator)', () => {
  it('asks for a starting instance by id when that is cheaper than the pages of the list, and follows it to ready', async () => {
    const t = await setup([
      { id: 'inst_p', instance_type: 'gpu_1x_h100_sxm5', status: 'provisioning' },
      ready(1),
      ready(2),
      ready(3),
    ]);
    try {
      assert.deepEqual(await t.sync.fetch('full'), { ok: true, transitional: true });
      assert.deepEqual(t.sync.plan('changes'), ['inst_p'], '1 starting < 2 pages');
      t.fal.clearRequests();
      t.fal.updateInstance('inst_p', { status: 'ready', ip: '203.0.113.9' });
      assert.deepEqual(await t.sync.fetch('changes'), { ok: true, transitional: false });
      assert.deepEqual(t.paths(), ['GET /inst_p']);
      assert.equal(t.model.get('inst_p')?.instance.ip, '203.0.113.9');
      assert.equal(t.model.list().length, 4, 'the others are kept as they were');
      assert.equal(t.sync.plan('full'), undefined, 'a full fetch is always the list');
    } finally {
      await t.fal.close();
    }
  });

  it('asks for the list when the starting instances are as many as its pages', async () => {
    const starting = (i: number): SeedInstance => ({
      id: `inst_p${i}`,
      instance_type: 'gpu_1x_h100_sxm5',
      status: 'pending',
    });
    const t = await setup([starting(1), starting(2), ready(1)]);
    try {
      await t.sync.fetch('full');
      assert.equal(t.sync.plan('changes'), undefined, '2 starting, 2 pages: the list');
      t.fal.clearRequests();
      await t.sync.fetch('changes');
      assert.deepEqual(t.paths(), ['GET ', 'GET  +cursor']);
    } finally {
      await t.fal.close();
    }
  });

  it('the instance someone waits for: by id alone (`watched`), even when the list is one page; a fast tick asks it too', async () => {
    const t = await setup(
      [{ id: 'inst_w', instance_type: 'gpu_1x_h100_sxm5', status: 'provisioning' }, ready(1), ready(2)],
      100,
    );
    try {
      await t.sync.fetch('full');
      t.fal.clearRequests();
      assert.deepEqual(await t.sync.fetch('watched', ['inst_w']), { ok: true, transitional: true });
      assert.deepEqual(t.paths(), ['GET /inst_w'], 'one GET, not the page');
      t.fal.updateInstance('inst_w', { status: 'ready', ip: '203.0.113.7' });
      t.fal.clearRequests();
      assert.deepEqual(await t.sync.fetch('watched', ['inst_w']), { ok: true, transitional: false });
      assert.equal(t.model.get('inst_w')?.instance.ip, '203.0.113.7');
      assert.deepEqual(t.paths(), ['GET /inst_w']);
    } finally {
      await t.fal.close();
    }
    const many = await setup([ready(1), ready(2), ready(3), ready(4), ready(5)]);
    try {
      await many.sync.fetch('full');
      assert.deepEqual(many.sync.plan('changes', ['inst_r1']), ['inst_r1'], 'a ready instance without its address yet');
      assert.equal(many.sync.plan('changes'), undefined, 'nobody waits, nothing starts: the list');
    } finally {
      await many.fal.close();
    }
  });

  it('a 404 by id removes the instance (deleted meanwhile)', async () => {
    const t = await setup([
      { id: 'inst_p', instance_type: 'gpu_1x_h100_sxm5', status: 'provisioning' },
      ready(1),
      ready(2),
    ]);
    try {
      await t.sync.fetch('full');
      await fetch(`${t.fal.baseUrl}/compute/instances/inst_p`, {
        method: 'DELETE',
        headers: { authorization: `Key ${DEFAULT_EMULATOR_KEY}` },
      });
      assert.deepEqual(await t.sync.fetch('changes'), { ok: true, transitional: false });
      assert.equal(t.model.get('inst_p'), undefined);
    } finally {
      await t.fal.close();
    }
  });

  it('401 and 403 go to the key policy, not into the model as an outage; a 500 is an outage kept beside the last list', async () => {
    const t = await setup([ready(1)]);
    try {
      await t.sync.fetch('full');
      t.fal.addFault({ route: 'list', kind: 'status', status: 401 });
      assert.deepEqual(await t.sync.fetch('full'), { ok: false });
      t.fal.addFault({ route: 'list', kind: 'status', status: 403, message: 'Access denied' });
      await t.sync.fetch('full');
      assert.deepEqual(
        t.rejections.map((r) => [r.kind, r.status]),
        [
          ['wrongKey', 401],
          ['noAccess', 403],
        ],
      );
      assert.equal(t.model.state.kind, 'loaded', 'the sync reports; the session decides what the model shows');
      t.fal.addFault({ route: 'list', kind: 'status', status: 503, retryAfter: 7 });
      assert.deepEqual(await t.sync.fetch('full'), { ok: false, retryAfterMs: 7_000 });
      const state = t.model.state as { kind: string; failure?: string };
      assert.deepEqual([state.kind, state.failure], ['error', 'server']);
      assert.equal(t.model.list().length, 1, 'the last list stays');
    } finally {
      await t.fal.close();
    }
  });
});
