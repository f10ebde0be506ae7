// Outside text in the tooltips makes nothing: fal's fields (region, sector, nickname, status, type,
// IP, a broken row's problem), the user's names and the machine's words (nvidia-smi's failure text,
// SSH's reason) are generated from a grammar of markup pieces and rendered through the real
// builders and a CommonMark renderer configured to let everything through (renderLikeVsCode.ts).
// The hostile render must hold exactly the links, images, HTML and icons of the same tooltip with
// plain words in those places (the ones our own template makes), and show every field as text.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ComputeInstance } from '../../../src/api';
import { cleanName } from '../../../src/core/instanceName';
import type { InstanceRecord } from '../../../src/core/instancesModel';
import { instanceIdProblem } from '../../../src/api/instanceId';
import type { GpuState } from '../../../src/gpu';
import { gpuTooltipMarkdown } from '../../../src/views/gpuTooltip';
import { instanceTooltipMarkdown } from '../../../src/views/instanceTooltip';
import { hostile } from '../support/hostileText';
import { collapse, renderLikeVsCode, type Rendered } from './renderLikeVsCode';

const NOW = Date.UTC(2026, 0, 1, 12);

function record(fields: Partial<ComputeInstance>, extra: Partial<InstanceRecord> = {}): InstanceRecord {
  const instance = {
    id: 'inst_a',
    instance_type: 'gpu_1x_h100_sxm5',
    region: 'us-east',
    status: 'ready',
    ...fields,
  } as ComputeInstance;
  return { instance, firstSeenAt: NOW - 3_600_000, deleting: false, ...extra };
}

/** The hostile render against the plain one: nothing more made, and every field shown as itself. */
function assertInert(hostileRender: Rendered, plainRender: Rendered, fields: readonly string[]): void {
  assert.deepEqual(hostileRender.links, plainRender.links, 'links');
  assert.deepEqual(hostileRender.images, plainRender.images, 'images');
  assert.deepEqual(hostileRender.html, plainRender.html, 'HTML');
  assert.deepEqual(hostileRender.icons, plainRender.icons, 'icons');
  for (const field of fields)
    assert.ok(
      hostileRender.text.includes(collapse(field)),
      `shown as text: ${JSON.stringify(field)}\nin: ${hostileRender.text}`,
    );
}

const gpuSection = (state: GpuState | undefined, id?: string) =>
  gpuTooltipMarkdown({
    ...(id ? { id } : {}),
    state,
    history: [],
    idleSince: undefined,
    idle: false,
    idleGpuPercent: 5,
    now: NOW,
    windowMs: 600_000,
  });

describe('hostile markup in tooltips (rendered like VS Code)', () => {
  it('fal fields, names and the GPU state in the row tooltip make no link, image, HTML or icon', () => {
    fc.assert(
      fc.property(
        fc.record({
          region: hostile,
          sector: hostile,
          nickname: hostile,
          status: hostile,
          type: hostile,
          ip: hostile,
          name: hostile,
          message: hostile,
          reason: hostile,
        }),
        fc.constantFrom<GpuState['kind']>('driverFailed', 'sampleFailed', 'sshFailed', 'noKey'),
        (f, kind) => {
          const name = cleanName(f.name);
          const stateOf = (v: typeof f): GpuState =>
            kind === 'sshFailed'
              ? { kind, reason: v.reason }
              : kind === 'noKey'
                ? { kind }
                : ({ kind, message: v.message } as GpuState);
          const build = (v: typeof f, n: string | undefined) =>
            instanceTooltipMarkdown(
              record({
                region: v.region,
                sector: v.sector,
                creator_user_nickname: v.nickname,
                status: v.status,
                instance_type: v.type,
                ip: v.ip,
              } as Partial<ComputeInstance>),
              { now: NOW, hourlyUsd: {}, ...(n ? { name: n } : {}) },
              gpuSection(stateOf(v), 'inst_a'),
            );
          const plain = {
            region: 'r',
            sector: 's',
            nickname: 'n',
            status: 'st',
            type: 't',
            ip: 'i',
            name: 'nm',
            message: 'm',
            reason: 'why',
          };
          const shown = [
            f.region,
            f.sector,
            f.nickname,
            f.status,
            f.type,
            f.ip,
            ...(name ? [name] : []),
            ...(kind === 'sshFailed' ? [f.reason] : kind === 'noKey' ? [] : [f.message]),
          ];
          assertInert(renderLikeVsCode(build(f, name)), renderLikeVsCode(build(plain, name ? 'nm' : undefined)), shown);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a broken row's id and problem, and a hostile id in the Choose-key link, make nothing", () => {
    fc.assert(
      fc.property(
        hostile,
        hostile,
        hostile.filter((id) => instanceIdProblem(id) === undefined),
        (shownId, problem, id) => {
          const broken = (s: string, p: string) =>
            instanceTooltipMarkdown(record({}, { invalid: { shownId: s, problem: p } }), { now: NOW, hourlyUsd: {} });
          assertInert(renderLikeVsCode(broken(shownId, problem)), renderLikeVsCode(broken('x', 'y')), [
            shownId,
            problem,
          ]);
          const link = renderLikeVsCode(gpuSection({ kind: 'noKey' }, id)!);
          assert.equal(link.links.length, 1);
          assert.equal(
            decodeURIComponent(link.links[0]!),
            `command:fal.gpu.chooseKey?${JSON.stringify([id])}`,
            'the one link carries the id whole',
          );
          assert.deepEqual(link.icons, []);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("the issue's nickname is shown as text in a tooltip trusted for the Choose-key link", () => {
    const nickname = '[Choose it…](command:fal.gpu.chooseKey?["inst_victim"]) $(flame) <b>bold</b>';
    const r = renderLikeVsCode(
      instanceTooltipMarkdown(
        record({ creator_user_nickname: nickname }),
        { now: NOW, hourlyUsd: {} },
        gpuSection({ kind: 'noKey' }, 'inst_a'),
      ),
    );
    assert.deepEqual(r.links, ['command:fal.gpu.chooseKey?%5B%22inst_a%22%5D']);
    assert.deepEqual(r.html, []);
    assert.deepEqual(r.icons, ['vm-running']);
    assert.ok(r.text.includes(nickname), r.text);
  });
});
