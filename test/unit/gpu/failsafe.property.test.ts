// Generated: a busy machine's nvidia-smi answer (real rows of test/fixtures/nvidia-smi, a GPU at or
// over the threshold or a GPU process), damaged in hostile ways, never reads as idle — not to the
// idle tracker, not to the auto-delete's re-check. And an intact idle answer of the right GPU count
// does read as idle, so "failed" is not the answer to everything.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { judgeRecheck, type InspectResult } from '../../../src/cost/recheck';
import { IdleTracker, isIdleSample } from '../../../src/gpu/idleTracker';
import { SampleCommand, type SampleOutcome } from '../../../src/gpu/sampleCommand';
import { describeState } from '../../../src/gpu/stateWords';
import type { RunResult } from '../../../src/connections/types';
import type { ExpectedGpus } from '../../../src/gpu/types';
import { answer, ERR, H100X1, H100X8, lines, UNKNOWN_ERROR, withCell, withIndex } from './answers';
import { fixture } from './fixtures';
import { NONCE } from './fakeTransport';

const THRESHOLD = 5;
const command = new SampleCommand(NONCE);
const idleRows = [...lines('query-gpu.h100x8-idle.csv'), ...lines('query-gpu.h100x1-idle.csv')];
/** Every one at 73 % or more. */
const busyRows = [...lines('query-gpu.h100x8-busy.csv'), ...lines('query-gpu.h100x1-busy.csv')];
const appRows = ['h100x1-busy', 'h100x1-mig-busy', 'h100x8-busy', 'windows-wddm'].flatMap((m) =>
  lines(`query-compute-apps.${m}.csv`),
);
/** The tokens real nvidia-smi printed for "not reported" ([N/A], [Not Supported]: enkore/i3pystatus#776). */
const notReported = [...new Set(fixture('cells.i3pystatus-pr776.csv').match(/\[[^\]]+\]/g))];
/** As real nvidia-smi printed them (sources in the fixtures README). */
const errorTokens = [UNKNOWN_ERROR, ERR];
const M = `@@fal-gpu-${NONCE}`;

interface Answer {
  gpus: string[];
  apps: string[];
}

/**
 * A busy machine of a known type, every GPU a real row, with exactly one piece of busy evidence (one
 * GPU at or over the threshold, or one GPU process), so that damage which hides it shows.
 */
const busyAnswer = fc.constantFrom(H100X1, H100X8).chain((expected) =>
  fc
    .record({
      rows: fc.array(fc.constantFrom(...idleRows), { minLength: expected.gpus, maxLength: expected.gpus }),
      busyAt: fc.nat(expected.gpus - 1),
      busyRow: fc.constantFrom(...busyRows),
      app: fc.option(fc.constantFrom(...appRows), { nil: undefined, freq: 2 }),
    })
    .map(({ rows, busyAt, busyRow, app }) => {
      const gpus = rows.map((r, i) => withIndex(app === undefined && i === busyAt ? busyRow : r, i));
      return { expected, answer: { gpus, apps: app === undefined ? [] : [app] } };
    }),
);

type Damage = (a: Answer) => void;
const section = fc.constantFrom<'gpus' | 'apps'>('gpus', 'apps');
const at = (list: string[], n: number) => (list.length ? n % list.length : -1);
const onLine =
  (s: 'gpus' | 'apps', n: number, f: (line: string) => string): Damage =>
  (a) => {
    const i = at(a[s], n);
    if (i >= 0) a[s][i] = f(a[s][i]!);
  };

/** Structural damage, each as nvidia-smi, a broken driver, a shell or a proxy might do it. */
const structural: fc.Arbitrary<Damage> = fc.oneof(
  // a column dropped
  fc.tuple(section, fc.nat(), fc.nat()).map(([s, n, c]) =>
    onLine(s, n, (l) =>
      l
        .split(', ')
        .filter((_, i, all) => i !== c % all.length)
        .join(', '),
    ),
  ),
  // a row longer than any real one
  fc
    .tuple(section, fc.nat(), fc.integer({ min: 4097, max: 9000 }))
    .map(([s, n, len]) => onLine(s, n, (l) => l.replace(/, /, `, ${'x'.repeat(len)}`))),
  // more GPU rows than the limit, the machine's own last (so its busy GPU is past the limit)
  fc.integer({ min: 1, max: 20 }).map((k): Damage => (a) => {
    const extra = Array.from({ length: 65 + k - a.gpus.length }, (_, i) => idleRows[i % idleRows.length]!);
    a.gpus = [...extra, ...a.gpus].map((row, i) => (/^\d+, /.test(row) ? withIndex(row, i) : row));
  }),
  // an error token in a numeric GPU field
  fc
    .tuple(fc.nat(), fc.nat(5), fc.constantFrom(...errorTokens))
    .map(([n, c, t]) => onLine('gpus', n, (l) => withCell(l, c, t))),
  // an error token in a process's id, pid or memory
  fc.tuple(fc.nat(), fc.constantFrom(0, 1, 3), fc.constantFrom(...errorTokens)).map(([n, c, t]) =>
    onLine('apps', n, (l) =>
      l
        .split(', ')
        .map((f, i, all) => (i === Math.min(c, all.length - 1) ? t : f))
        .join(', '),
    ),
  ),
  // a GPU line missing
  fc.nat().map(
    (n): Damage =>
      (a) =>
        void a.gpus.splice(at(a.gpus, n), 1),
  ),
  // a GPU line printed again in place of another
  fc.tuple(fc.nat(), fc.nat()).map(([n, m]): Damage => (a) => {
    const [i, j] = [at(a.gpus, n), at(a.gpus, m)];
    if (i >= 0) a.gpus[i] = a.gpus[j]!;
  }),
  // a GPU renumbered (a gap, or a GPU twice)
  fc.tuple(fc.nat(), fc.nat(70)).map(([n, k]) => onLine('gpus', n, (l) => withIndex(l, k))),
);

/**
 * Lines moved, applied after the damage above: a process line moved among the GPU lines and then
 * removed there would be a process line removed, which leaves a real idle answer no reader can tell
 * apart. Removal is of GPU lines only: those the GPU count and the index gap account for.
 */
const rearranging: fc.Arbitrary<Damage> = fc.oneof(
  // a line moved to the other section
  fc.tuple(section, fc.nat()).map(([s, n]): Damage => (a) => {
    const i = at(a[s], n);
    if (i >= 0) a[s === 'gpus' ? 'apps' : 'gpus'].push(...a[s].splice(i, 1));
  }),
  // GPU lines reordered
  fc.nat().map(
    (seed): Damage =>
      (a) =>
        void a.gpus.sort((x, y) => ((x.length * 31 + seed) % 7) - ((y.length * 31 + seed) % 7)),
  ),
);

type TextDamage = (text: string) => string;
const textual: fc.Arbitrary<TextDamage> = fc.oneof(
  fc.constant<TextDamage>((t) => t.replace(/\n/g, '\r\n')),
  // bytes that are not text, somewhere
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 12 })).map(([n, b]): TextDamage => (t) => {
    const i = n % t.length;
    return t.slice(0, i) + Buffer.from(b).toString('latin1') + t.slice(i);
  }),
  // a marker-looking line anywhere: another nonce (ours is secret: only our command prints it at
  // the start of a line), or ours inside a process name
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom('@@fal-gpu-other1', '@@fal-gpu-', '@@fal-gpu-fake0'),
      fc.constantFrom('gpu', 'apps'),
      fc.constantFrom(0, 1),
    )
    .map(([n, m, kind, code]): TextDamage => (t) => {
      const all = t.split('\n');
      all.splice(n % all.length, 0, `${m} ${kind} ${code}`);
      return all.join('\n');
    }),
  fc
    .tuple(fc.nat(), fc.constantFrom(...appRows), fc.constantFrom('gpu', 'apps'))
    .map(([n, row, kind]): TextDamage => (t) => {
      const all = t.split('\n');
      all.splice(n % all.length, 0, row.replace(/, [^,]+, (\S+)$/, `, ${M} ${kind} 0, $1`));
      return all.join('\n');
    }),
  // the output cut short
  fc.nat().map(
    (n): TextDamage =>
      (t) =>
        t.slice(0, n % (t.length - 1)),
  ),
);

function judge(outcome: SampleOutcome, expected: ExpectedGpus) {
  const tracker = new IdleTracker(THRESHOLD, 60_000);
  tracker.observe({ at: 0, gpus: [{ index: 0, name: 'idle before', utilizationPercent: 0 }], processes: [] });
  tracker.observe({
    at: 10_000,
    ...(outcome.kind === 'ok' ? { gpus: outcome.gpus, processes: outcome.processes } : {}),
  });
  const inspected: InspectResult =
    outcome.kind === 'ok'
      ? {
          ok: true,
          state: {
            gpus: outcome.gpus.map((g) => ({ index: g.index, utilizationPercent: g.utilizationPercent })),
            gpuProcesses: outcome.processes.map((p) => ({ pid: p.pid ?? -1, name: p.name })),
            sessions: { ok: true, others: [] },
            expected,
          },
        }
      : { ok: false, error: describeState(outcome) };
  return {
    sample: outcome.kind === 'ok' && isIdleSample(outcome.gpus, outcome.processes, THRESHOLD),
    tracker: tracker.idleSince(10_000) !== undefined,
    recheck: judgeRecheck(inspected, THRESHOLD).ok,
  };
}

const stdoutOf = (r: RunResult) => r.stdout;

describe('fail-safe GPU samples (generated)', () => {
  it("a busy machine's answer, damaged in any of these ways, never reads as idle", () => {
    const damage = fc
      .tuple(fc.array(structural, { maxLength: 3 }), fc.array(rearranging, { maxLength: 2 }))
      .filter(([destructive, moves]) => destructive.length + moves.length > 0)
      .map(([destructive, moves]) => [...destructive, ...moves]);
    fc.assert(
      fc.property(
        busyAnswer,
        damage,
        fc.array(textual, { maxLength: 2 }),
        ({ expected, answer: generated }, damages, textDamages) => {
          const a = { gpus: [...generated.gpus], apps: [...generated.apps] }; // fast-check replays the generated value while shrinking
          for (const d of damages) d(a);
          const text = textDamages.reduce((t, d) => d(t), stdoutOf(answer(a.gpus, a.apps)));
          const outcome = command.interpret({ stdout: text, stderr: '', exitCode: 0, truncated: false }, expected);
          assert.deepEqual(
            judge(outcome, expected),
            { sample: false, tracker: false, recheck: false },
            `${outcome.kind}: ${JSON.stringify(text.slice(0, 600))}`,
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('an intact idle answer with the GPUs the type has reads as idle (LF or CRLF, fields not reported)', () => {
    const idleAnswer = fc.constantFrom(H100X1, H100X8).chain((expected) =>
      fc.record({
        expected: fc.constant(expected),
        rows: fc.array(
          fc.tuple(
            fc.constantFrom(...idleRows),
            fc.option(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.constantFrom(...notReported))),
          ),
          { minLength: expected.gpus, maxLength: expected.gpus },
        ),
        eol: fc.constantFrom('\n', '\r\n'),
      }),
    );
    fc.assert(
      fc.property(idleAnswer, ({ expected, rows, eol }) => {
        const gpus = rows.map(([row, blank], i) => withIndex(blank ? withCell(row, blank[0], blank[1]) : row, i));
        const outcome = command.interpret(answer(gpus, [], eol), expected);
        assert.equal(outcome.kind, 'ok', JSON.stringify(outcome));
        assert.deepEqual(judge(outcome, expected), { sample: true, tracker: true, recheck: true });
      }),
      { numRuns: 200 },
    );
  });
});
