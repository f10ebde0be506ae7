import assert from 'node:assert/strict';
import { FalEmulator } from '../../emulator';
import { call, useEmulator } from './helpers';

const seeds = Array.from({ length: 120 }, (_, i) => ({
  id: `inst_${String(i).padStart(3, '0')}`,
  instance_type: 'gpu_1x_h100_sxm5',
  status: 'ready',
}));

describe('emulator: list pagination', () => {
  const emulator = useEmulator({ pageSize: 50, seed: seeds });
  const list = (query = '') => call(emulator().baseUrl, 'GET', `/compute/instances${query}`);

  it('pages 120 instances as 50 + 50 + 20 with cursors Mg==, Mw==, null in creation order', async () => {
    const page1 = await list();
    assert.deepEqual([page1.json.instances.length, page1.json.next_cursor, page1.json.has_more], [50, 'Mg==', true]);
    const page2 = await list(`?cursor=${encodeURIComponent(page1.json.next_cursor)}`);
    assert.deepEqual([page2.json.instances.length, page2.json.next_cursor, page2.json.has_more], [50, 'Mw==', true]);
    const page3 = await list(`?cursor=${encodeURIComponent(page2.json.next_cursor)}`);
    assert.deepEqual([page3.json.instances.length, page3.json.next_cursor, page3.json.has_more], [20, null, false]);
    const ids = [page1, page2, page3].flatMap((p) => p.json.instances.map((i: { id: string }) => i.id));
    assert.deepEqual(
      ids,
      seeds.map((s) => s.id),
    );
  });

  it('honours ?limit and ends exactly on the last item', async () => {
    const all = await list('?limit=120');
    assert.deepEqual([all.json.instances.length, all.json.next_cursor, all.json.has_more], [120, null, false]);
    const page = await list('?limit=7&cursor=Mw==');
    assert.deepEqual(
      page.json.instances.map((i: { id: string }) => i.id),
      ['inst_014', 'inst_015', 'inst_016', 'inst_017', 'inst_018', 'inst_019', 'inst_020'],
    );
    assert.equal(page.json.next_cursor, 'NA==');
  });

  it('answers an empty last page for a cursor past the end', async () => {
    const page = await list('?cursor=OQ==');
    assert.deepEqual(page.json, { instances: [], next_cursor: null, has_more: false });
  });

  it('rejects limit that is not an integer >= 1 with 400 validation_error', async () => {
    for (const limit of ['0', '-1', '1.5', 'abc', '']) {
      const reply = await list(`?limit=${limit}`);
      assert.equal(reply.status, 400, `limit=${limit}`);
      assert.equal(reply.json.error.type, 'validation_error');
      assert.match(reply.json.error.message, /^Invalid request parameters/);
    }
  });

  it('rejects a cursor it did not hand out with 400 validation_error', async () => {
    for (const cursor of ['garbage!', 'MA==', 'Mg', 'YWJj', '']) {
      const reply = await list(`?cursor=${encodeURIComponent(cursor)}`);
      assert.equal(reply.status, 400, `cursor=${cursor}`);
      assert.equal(reply.json.error.type, 'validation_error');
    }
  });

  it('lists an empty workspace as one empty page', async () => {
    const empty = await FalEmulator.start();
    try {
      const reply = await call(empty.baseUrl, 'GET', '/compute/instances');
      assert.deepEqual(reply.json, { instances: [], next_cursor: null, has_more: false });
    } finally {
      await empty.close();
    }
  });

  it('clamps ?limit to maxPageSize', async () => {
    const capped = await FalEmulator.start({ maxPageSize: 10, seed: seeds });
    try {
      const reply = await call(capped.baseUrl, 'GET', '/compute/instances?limit=100');
      assert.deepEqual([reply.json.instances.length, reply.json.next_cursor], [10, 'Mg==']);
    } finally {
      await capped.close();
    }
  });
});
