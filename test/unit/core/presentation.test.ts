import assert from 'node:assert/strict';
import { DEFAULT_HOURLY_USD, estimatedCostSince, hourlyRate } from '../../../src/core/costEstimate';
import { describeSpec, machineLabel, machineSpec } from '../../../src/core/instanceTypes';
import { groupInstances, sortInstances } from '../../../src/core/ordering';
import { isTransitional, statusLook } from '../../../src/core/status';

describe('status presentation', () => {
  it('gives each documented status its own look and spins only transitional ones', () => {
    assert.equal(statusLook('ready').icon, 'vm-running');
    for (const s of ['init', 'pending', 'provisioning']) {
      assert.equal(statusLook(s).icon, 'loading~spin');
      assert.ok(isTransitional(s));
    }
    assert.equal(statusLook('stopped').kind, 'stopped');
    assert.equal(statusLook('unknown').kind, 'unknown');
    assert.ok(!isTransitional('ready'));
  });

  it('shows a status fal adds later as unrecognized, keeping its name', () => {
    const look = statusLook('hibernating');
    assert.equal(look.kind, 'unrecognized');
    assert.equal(look.label, 'hibernating');
    assert.equal(statusLook('constructor').kind, 'unrecognized', 'no prototype lookups');
  });
});

describe('machine specs', () => {
  it("matches fal's hardware table", () => {
    assert.equal(machineLabel('gpu_8x_h100_sxm5'), '8x H100');
    assert.equal(
      describeSpec(machineSpec('gpu_8x_h100_sxm5')!),
      '8 GPUs · 128 vCPU · 1,600 GB RAM · 640 GB VRAM · 8 TB SSD',
    );
    assert.equal(
      describeSpec(machineSpec('gpu_1x_h100_sxm5')!),
      '1 GPU · 16 vCPU · 200 GB RAM · 80 GB VRAM · 1 TB SSD',
    );
    assert.equal(machineLabel('gpu_4x_b200'), 'gpu_4x_b200');
  });
});

describe('cost estimates', () => {
  it('uses settings over defaults and ignores nonsense rates', () => {
    assert.equal(hourlyRate('gpu_8x_h100_sxm5', {}), DEFAULT_HOURLY_USD.gpu_8x_h100_sxm5);
    assert.equal(hourlyRate('gpu_1x_h100_sxm5', { gpu_1x_h100_sxm5: 2.5 }), 2.5);
    assert.equal(hourlyRate('gpu_1x_h100_sxm5', { gpu_1x_h100_sxm5: -1 }), undefined);
    assert.equal(hourlyRate('gpu_4x_b200', {}), undefined);
    assert.equal(estimatedCostSince(0, 90 * 60_000, 2), 3);
  });
});

describe('ordering', () => {
  const items = [
    { id: 'a', status: 'stopped', instance_type: 'gpu_1x_h100_sxm5' },
    { id: 'b', status: 'ready', instance_type: 'gpu_1x_h100_sxm5' },
    { id: 'c', status: 'provisioning', instance_type: 'gpu_8x_h100_sxm5' },
    { id: 'd', status: 'ready', instance_type: 'gpu_8x_h100_sxm5' },
  ];
  const seen = (id: string) => 'abcd'.indexOf(id);

  it('sorts stably by first seen, status or type', () => {
    assert.deepEqual(
      sortInstances(items, 'firstSeen', seen).map((i) => i.id),
      ['a', 'b', 'c', 'd'],
    );
    assert.deepEqual(
      sortInstances(items, 'status', seen).map((i) => i.id),
      ['b', 'd', 'c', 'a'],
    );
    assert.deepEqual(
      sortInstances(items, 'type', seen).map((i) => i.id),
      ['c', 'd', 'a', 'b'],
    );
  });

  it('groups in a fixed order', () => {
    const byStatus = groupInstances(sortInstances(items, 'firstSeen', seen), 'status');
    assert.deepEqual(
      byStatus.map((g) => [g.label, g.items.map((i) => i.id)]),
      [
        ['Ready', ['b', 'd']],
        ['Starting', ['c']],
        ['Stopped', ['a']],
      ],
    );
    const byType = groupInstances(sortInstances(items, 'firstSeen', seen), 'type');
    assert.deepEqual(
      byType.map((g) => g.label),
      ['8x H100', '1x H100'],
    );
  });
});
