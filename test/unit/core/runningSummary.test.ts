import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ComputeInstance } from '../../../src/api';
import { DEFAULT_HOURLY_USD } from '../../../src/core/costEstimate';
import type { InstanceRecord } from '../../../src/core/instanceRecord';
import { runningSummary } from '../../../src/core/runningSummary';

const rec = (
  status: string,
  instance_type = 'gpu_8x_h100_sxm5',
  extra: Partial<InstanceRecord> = {},
): InstanceRecord => ({
  instance: { id: `inst_${status}_${instance_type}`, instance_type, region: 'us-west', status } as ComputeInstance,
  firstSeenAt: 0,
  deleting: false,
  ...extra,
});

describe('runningSummary (the status bar count and $/h)', () => {
  it('counts what exists and is not stopped, prices what has a rate, and says the rest', () => {
    const s = runningSummary(
      [
        rec('ready'),
        rec('provisioning', 'gpu_1x_h100_sxm5'),
        rec('stopped'),
        rec('ready', 'gpu_2x_b200'),
        rec('ready', 'gpu_1x_h100_sxm5', { deleting: true }),
        rec('ready', 'gpu_1x_h100_sxm5', { deleting: true, deleteStalled: true }),
        rec('', '', { invalid: { problem: 'status: expected string, received null', shownId: 'inst_x' } }),
      ],
      {},
    );
    assert.deepEqual(s, { running: 4, ready: 3, perHour: 15.12 + 1.89 + 1.89, unpriced: 1, invalid: 1 });
  });

  it('property: a row fal sent broken is never counted or priced; a confirmed delete leaves the count at once', () => {
    const statuses = fc.constantFrom('ready', 'pending', 'init', 'provisioning', 'stopped', 'unknown', 'rebooting', '');
    const types = fc.constantFrom('gpu_1x_h100_sxm5', 'gpu_8x_h100_sxm5', 'gpu_9x_new', '');
    const record = fc.record({
      status: statuses,
      type: types,
      deleting: fc.boolean(),
      stalled: fc.boolean(),
      invalid: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), (rows) => {
        const records = rows.map((r) =>
          rec(r.status, r.type, {
            deleting: r.deleting,
            deleteStalled: r.deleting && r.stalled,
            ...(r.invalid ? { invalid: { problem: 'x', shownId: undefined } } : {}),
          }),
        );
        const s = runningSummary(records, {});
        const counted = rows.filter((r) => !r.invalid && r.status !== 'stopped' && (!r.deleting || r.stalled));
        assert.equal(s.invalid, rows.filter((r) => r.invalid).length);
        assert.equal(s.running, counted.length);
        assert.equal(s.unpriced, counted.filter((r) => !(r.type in DEFAULT_HOURLY_USD)).length);
        const expected = counted.reduce((sum, r) => sum + (DEFAULT_HOURLY_USD[r.type] ?? 0), 0);
        assert.ok(Math.abs(s.perHour - expected) < 1e-9);
        assert.ok(s.ready <= s.running);
      }),
    );
  });
});
