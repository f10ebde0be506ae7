// A sample that was not read in full is not a sample of an idle machine: each case below read as
// `ok` and idle before, so a busy machine could be reminded about and auto-deleted.
import assert from 'node:assert/strict';
import { expectedGpus } from '../../../src/core/instanceTypes';
import { judgeRecheck } from '../../../src/cost/recheck';
import { isIdleSample } from '../../../src/gpu/idleTracker';
import { SampleCommand, type SampleOutcome } from '../../../src/gpu/sampleCommand';
import { describeState } from '../../../src/gpu/stateWords';
import type { RunResult } from '../../../src/connections/types';
import type { ExpectedGpus } from '../../../src/gpu/types';
import { answer, ERR, H100X1, H100X8, lines, LOST_GPU_LINE, UNKNOWN_ERROR, withCell, withIndex } from './answers';
import { NONCE } from './fakeTransport';
import { setup, target } from './samplerHarness';

const command = new SampleCommand(NONCE);
const idle8 = lines('query-gpu.h100x8-idle.csv');
const idle1 = lines('query-gpu.h100x1-idle.csv');
const busyApps = lines('query-compute-apps.h100x1-busy.csv');

function failed(result: RunResult, expected?: ExpectedGpus): string {
  const outcome = command.interpret(result, expected);
  assert.equal(outcome.kind, 'sampleFailed', JSON.stringify(outcome));
  return outcome.kind === 'sampleFailed' ? outcome.message : '';
}

/** Whether the outcome would count as idle (threshold 5 %), as the idle tracker judges a sample. */
const readsIdle = (o: SampleOutcome) => o.kind === 'ok' && isIdleSample(o.gpus, o.processes, 5);

describe('fail-safe GPU samples: unread rows', () => {
  it('100 GPU rows with GPU 80 at 100 % → failed (was: ok, 64 GPUs, idle)', () => {
    const busy = lines('query-gpu.h100x1-busy.csv')[0]!;
    const gpus = Array.from({ length: 100 }, (_, i) => withIndex(i === 80 ? busy : idle8[i % 8]!, i));
    assert.equal(failed(answer(gpus, [])), 'nvidia-smi listed 100 GPUs; this version reads at most 64');
  });

  it('an apps line without its memory column → failed (was: ok, 0 processes, idle)', () => {
    const cut = busyApps[2]!.split(', ').slice(0, 3).join(', ');
    assert.equal(
      failed(answer(idle1, [cut]), H100X1),
      `nvidia-smi printed 1 line this version cannot read, the first: ${JSON.stringify(cut)}`,
    );
  });

  it('a 5,000-character process name → failed (was: ok, 0 processes, idle)', () => {
    const long = busyApps[2]!.replace('./gpu_burn', `./${'gpu_burn'.repeat(625)}`);
    assert.match(
      failed(answer(idle1, [long]), H100X1),
      /^nvidia-smi printed 1 line this version cannot read, the first: "\(a line longer than any real one\)"$/,
    );
  });

  it('a process whose GPU id does not start with GPU- → failed (was: ok, 0 processes, idle)', () => {
    const odd = busyApps[0]!.replace(/^GPU-/, '');
    assert.match(failed(answer(idle1, [odd]), H100X1), /^nvidia-smi printed 1 line this version cannot read/);
  });

  it('a GPU line nvidia-smi printed among the apps → failed, not ignored', () => {
    assert.match(
      failed(answer(idle8.slice(0, 7), [idle8[7]!]), H100X8),
      /^nvidia-smi printed 1 line this version cannot read/,
    );
  });
});

describe('fail-safe GPU samples: state not known', () => {
  it('a GPU at 0 % with [Unknown Error] temperature and power → failed', () => {
    const row = withCell(withCell(idle1[0]!, 3, UNKNOWN_ERROR), 4, UNKNOWN_ERROR);
    assert.equal(
      failed(answer([row], []), H100X1),
      'GPU 0 reported an error ([Unknown Error] temperature, [Unknown Error] power draw)',
    );
  });

  it('a GPU at 0 % with ERR! power → failed', () => {
    const rows = idle8.map((r, i) => (i === 3 ? withCell(r, 4, ERR) : r));
    assert.equal(failed(answer(rows, []), H100X8), 'GPU 3 reported an error (ERR! power draw)');
  });

  it('an error token as the utilisation → failed, not "utilisation not reported"', () => {
    assert.equal(
      failed(answer([withCell(idle1[0]!, 0, UNKNOWN_ERROR)], []), H100X1),
      'GPU 0 reported an error ([Unknown Error] utilisation)',
    );
  });

  it('a utilisation out of range → failed', () => {
    assert.equal(
      failed(answer([withCell(idle1[0]!, 0, '101')], []), H100X1),
      'GPU 0 printed what this version cannot read (utilisation "101")',
    );
  });

  it('an 8x answer with one GPU line missing → failed: fewer GPUs than the type, or the index gap', () => {
    const gap = idle8.filter((_, i) => i !== 3);
    assert.equal(failed(answer(gap, []), H100X8), 'nvidia-smi listed 7 GPUs; an 8x H100 has 8');
    assert.equal(
      failed(answer(gap, [])),
      'nvidia-smi did not list GPU 3 (it listed 7 GPUs, up to GPU 7)',
      'type unknown: the gap still shows',
    );
  });

  it('an 8x answer with NVML\'s "Unable to determine the device handle" line in place of a GPU → failed', () => {
    const rows = idle8.map((r, i) => (i === 3 ? LOST_GPU_LINE : r));
    assert.equal(
      failed(answer(rows, []), H100X8),
      `nvidia-smi printed 1 line this version cannot read, the first: ${JSON.stringify(LOST_GPU_LINE)}`,
    );
  });

  it('the expected count comes from the instance type: 1x H100 → 1, 8x H100 → 8, unknown type → none', () => {
    assert.deepEqual(
      [H100X1, H100X8],
      [
        { gpus: 1, label: '1x H100' },
        { gpus: 8, label: '8x H100' },
      ],
    );
    assert.equal(expectedGpus('gpu_4x_b200'), undefined);
  });

  it('an 8x H100 that reports 1 GPU → failed; the 1x answer on a 1x H100 is idle', () => {
    assert.equal(failed(answer(idle1, []), H100X8), 'nvidia-smi listed 1 GPU; an 8x H100 has 8');
    assert.equal(readsIdle(command.interpret(answer(idle1, []), H100X1)), true);
    assert.equal(readsIdle(command.interpret(answer(idle8, []), H100X8)), true);
  });

  it('a GPU listed twice → failed', () => {
    const twice = idle8.map((r, i) => (i === 5 ? withIndex(r, 4) : r));
    assert.equal(failed(answer(twice, []), H100X8), 'nvidia-smi listed GPU 4 twice');
  });

  it('[N/A] and [Not Supported] are "not reported", not failures: MIG and Windows answers stay ok', () => {
    const mig = command.interpret(
      answer(lines('query-gpu.h100x1-mig-busy.csv'), lines('query-compute-apps.h100x1-mig-busy.csv')),
      H100X1,
    );
    assert.equal(mig.kind, 'ok');
    assert.equal(readsIdle(mig), false, 'MIG utilisation [N/A] is still no evidence of idleness');
    const notSupported = command.interpret(
      answer([withCell(idle1[0]!, 4, '[Not Supported]')], lines('query-compute-apps.windows-wddm.csv')),
      H100X1,
    );
    assert.equal(notSupported.kind, 'ok');
    assert.equal(notSupported.kind === 'ok' && notSupported.processes.length, 4);
  });

  it('a failed-by-unreadable sample keeps what nvidia-smi printed, and says so in its words', () => {
    const result = answer(idle8.slice(0, 7), []);
    const outcome = command.interpret(result, H100X8);
    assert.equal(outcome.kind === 'sampleFailed' && outcome.raw, result.stdout);
    assert.equal(
      outcome.kind !== 'ok' && describeState(outcome),
      'GPU figures unreadable: nvidia-smi listed 7 GPUs; an 8x H100 has 8',
    );
  });
});

describe('the auto-delete re-check on a machine reporting fewer GPUs than its type', () => {
  const sessions = { ok: true as const, others: [] };
  const gpus = [0, 1, 2, 3, 4, 5, 6].map((index) => ({ index, utilizationPercent: 0 }));

  it('refuses when the type is known and more GPUs were promised', () => {
    const verdict = judgeRecheck({ ok: true, state: { gpus, gpuProcesses: [], sessions, expected: H100X8 } }, 5);
    assert.deepEqual(verdict, {
      ok: false,
      reason: 'the machine reported 7 GPUs; its type (8x H100) has 8, so its load is unknown',
    });
  });

  it('passes with every GPU there and idle; judges without a count when the type is unknown', () => {
    assert.equal(
      judgeRecheck(
        {
          ok: true,
          state: { gpus: [...gpus, { index: 7, utilizationPercent: 0 }], gpuProcesses: [], sessions, expected: H100X8 },
        },
        5,
      ).ok,
      true,
    );
    assert.equal(judgeRecheck({ ok: true, state: { gpus, gpuProcesses: [], sessions } }, 5).ok, true);
  });

  it("refuses a failed sample (the sampler's state is not ok)", () => {
    const outcome = command.interpret(answer(idle8.slice(0, 7), []), H100X8);
    assert.ok(outcome.kind !== 'ok');
    const verdict = judgeRecheck({ ok: false, error: describeState(outcome) }, 5);
    assert.deepEqual(verdict, {
      ok: false,
      reason: 'the machine could not be checked: GPU figures unreadable: nvidia-smi listed 7 GPUs; an 8x H100 has 8',
    });
  });
});

describe('the sampler on an answer that cannot be trusted', () => {
  const MIN = 60_000;

  it('ends an idle run, shows sampleFailed with the raw output, and is idle again only after a full sample', async () => {
    const t = setup({ idleMinutes: 1 });
    t.transport.answers.set('a', answer(idle8, []));
    await t.look(target('a', { expected: H100X8 }));
    await t.timers.advance(2 * MIN);
    assert.equal(t.sampler.isIdle('a'), true, 'the full 8x idle answer is idle');
    const sevenGpus = answer(idle8.slice(0, 7), []);
    t.transport.answers.set('a', sevenGpus);
    await t.timers.advance(10_000);
    assert.equal(t.sampler.idleSince('a'), undefined, 'the run ended');
    assert.equal(t.sampler.isIdle('a'), false);
    assert.deepEqual(t.sampler.state('a'), {
      kind: 'sampleFailed',
      message: 'nvidia-smi listed 7 GPUs; an 8x H100 has 8',
      raw: sevenGpus.stdout,
    });
    t.transport.answers.set('a', answer(idle8, []));
    await t.timers.advance(10_000);
    assert.equal(t.sampler.state('a')?.kind, 'ok');
    assert.equal(t.sampler.isIdle('a'), false, 'a new run starts: not idle for a minute yet');
  });

  it('a target whose type changes is a new target (the expected count is part of its facts)', async () => {
    const t = setup();
    t.transport.answers.set('a', answer(idle1, []));
    await t.look(target('a', { expected: H100X1 }));
    assert.equal(t.sampler.state('a')?.kind, 'ok');
    t.sampler.setTargets([target('a', { expected: H100X8 })]);
    await t.timers.advance(0);
    assert.equal(t.sampler.state('a')?.kind, 'sampleFailed');
  });

  it("the auto-delete's fresh look (inspect) gets the failed state, which the cost guard refuses", async () => {
    const t = setup();
    t.transport.answers.set('a', answer([withCell(idle1[0]!, 3, UNKNOWN_ERROR)], []));
    await t.look(target('a', { expected: H100X1 }));
    const { state } = await t.sampler.inspect('a', 'true', 1_000);
    assert.equal(state?.kind, 'sampleFailed');
  });
});
