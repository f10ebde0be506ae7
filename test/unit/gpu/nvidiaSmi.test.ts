// The parser on every real output of test/fixtures/nvidia-smi, and on generated hostile output.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { classifyFailure, LIMITS, parseComputeApps, parseGpuQuery } from '../../../src/gpu/nvidiaSmi';
import { describeState } from '../../../src/gpu/stateWords';
import { gpuRowFigures, gpuSummary } from '../../../src/gpu/summary';
import { fixture } from './fixtures';

describe('nvidia-smi --query-gpu parser (real outputs)', () => {
  it('1x H100 idle', () => {
    const { rows, skipped } = parseGpuQuery(fixture('query-gpu.h100x1-idle.csv'));
    assert.equal(skipped, 0);
    assert.deepEqual(rows, [
      {
        index: 0,
        name: 'NVIDIA H100 80GB HBM3',
        utilizationPercent: 0,
        memoryUsedMiB: 0,
        memoryTotalMiB: 81559,
        temperatureC: 41,
        powerDrawW: 69.85,
        powerLimitW: 700,
      },
    ]);
    assert.equal(gpuSummary(rows), 'GPU 0 % · 0/80 GB');
  });

  it('1x H100 busy', () => {
    const { rows } = parseGpuQuery(fixture('query-gpu.h100x1-busy.csv'));
    assert.deepEqual(rows[0], {
      index: 0,
      name: 'NVIDIA H100 80GB HBM3',
      utilizationPercent: 100,
      memoryUsedMiB: 19818,
      memoryTotalMiB: 81559,
      temperatureC: 59,
      powerDrawW: 631.95,
      powerLimitW: 700,
    });
    assert.equal(gpuSummary(rows), 'GPU 100 % · 19/80 GB');
  });

  it('MIG mode: utilization [N/A] is absent and shown as "—", the rest is kept', () => {
    const { rows } = parseGpuQuery(fixture('query-gpu.h100x1-mig-busy.csv'));
    assert.equal(rows[0]!.utilizationPercent, undefined);
    assert.ok(!('utilizationPercent' in rows[0]!));
    assert.equal(rows[0]!.memoryUsedMiB, 11125);
    assert.equal(rows[0]!.powerDrawW, 433.78);
    assert.equal(gpuSummary(rows), 'GPU — · 11/80 GB');
  });

  it('8x H100 idle: 8 GPUs, the 8× summary with total memory', () => {
    const { rows } = parseGpuQuery(fixture('query-gpu.h100x8-idle.csv'));
    assert.deepEqual(
      rows.map((r) => r.index),
      [0, 1, 2, 3, 4, 5, 6, 7],
    );
    assert.deepEqual(
      rows.map((r) => r.powerDrawW),
      [100.89, 82.81, 85.98, 85.48, 84.94, 85.27, 86.05, 75.09],
    );
    assert.equal(gpuSummary(rows), '8×GPU 0 % · 0/640 GB');
  });

  it('8x H100 busy: mean utilisation and summed memory; integer watts parse', () => {
    const { rows } = parseGpuQuery(fixture('query-gpu.h100x8-busy.csv'));
    assert.equal(rows.length, 8);
    assert.equal(rows[6]!.temperatureC, 86);
    assert.equal(rows[0]!.powerDrawW, 362);
    // (100·4 + 95 + 73 + 100 + 89) / 8 = 94.6 → 95; (26980 + 11751·6 + 11511) / 1024 = 106.4 → 106
    assert.equal(gpuSummary(rows), '8×GPU 95 % · 106/640 GB');
    assert.equal(gpuRowFigures(rows), '95 % · 106G', "the row's figures: no count, no total");
  });

  it('[N/A] and [Not Supported] cells, as real drivers print them, are absent', () => {
    for (const line of fixture('cells.i3pystatus-pr776.csv').trim().split('\n')) {
      // Read as our columns, the 5th cell (fan.speed there) lands on temperature.gpu: it must be absent, not NaN or 0.
      const { rows } = parseGpuQuery(`0, GPU, ${line.split(', ').slice(1).join(', ')}`);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.temperatureC, undefined, line);
    }
  });
});

describe('nvidia-smi --query-compute-apps parser (real outputs)', () => {
  it('no process: empty output (noheader drops the only line)', () => {
    assert.deepEqual(parseComputeApps(fixture('query-compute-apps.h100x1-idle.csv')), {
      rows: [],
      skipped: 0,
      beyondLimit: 0,
      faults: [],
    });
    assert.deepEqual(parseComputeApps(fixture('query-compute-apps.h100x8-idle.csv')).rows, []);
  });

  it('1x busy and MIG: uuid, pid, name, memory', () => {
    assert.deepEqual(parseComputeApps(fixture('query-compute-apps.h100x1-busy.csv')).rows[2], {
      gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000',
      pid: 11345,
      name: './gpu_burn',
      usedMemoryMiB: 15690,
    });
    assert.equal(parseComputeApps(fixture('query-compute-apps.h100x1-mig-busy.csv')).rows.length, 3);
  });

  it('8x busy: 15 processes, one pid on two GPUs', () => {
    const { rows, skipped } = parseComputeApps(fixture('query-compute-apps.h100x8-busy.csv'));
    assert.equal(skipped, 0);
    assert.equal(rows.length, 15);
    assert.equal(rows.filter((r) => r.pid === 2085212).length, 2);
    assert.equal(new Set(rows.map((r) => r.gpuUuid)).size, 8);
  });

  it('Windows: memory [N/A] is absent; names with spaces and parentheses are whole', () => {
    const { rows } = parseComputeApps(fixture('query-compute-apps.windows-wddm.csv'));
    assert.equal(rows.length, 4);
    assert.ok(rows.every((r) => r.usedMemoryMiB === undefined));
    assert.equal(
      rows[2]!.name,
      'C:\\Program Files (x86)\\Microsoft\\EdgeWebView\\Application\\149.0.4022.80\\msedgewebview2.exe',
    );
  });

  it('a process name with ", " in it is rejoined as it was', () => {
    const { rows } = parseComputeApps(
      'GPU-e5f404f3-cc2a-cf0c-219f-dcf1a4e223f2, 42, python train.py --tags a, b,c, 13266\n',
    );
    assert.equal(rows[0]!.name, 'python train.py --tags a, b,c');
    assert.equal(rows[0]!.usedMemoryMiB, 13266);
  });
});

describe('nvidia-smi failures (real texts)', () => {
  it("the driver failure keeps nvidia-smi's own sentence", () => {
    const text = fixture('driver-failed.txt');
    assert.deepEqual(classifyFailure(9, text), { kind: 'driver', message: text.trim() });
    assert.equal(classifyFailure(18, fixture('nvml-mismatch.txt')).kind, 'driver');
  });

  it('nvidia-smi missing: bash and dash, exit 127', () => {
    assert.equal(classifyFailure(127, fixture('command-not-found.bash.txt')).kind, 'missing');
    assert.equal(classifyFailure(127, fixture('command-not-found.dash.txt')).kind, 'missing');
    assert.equal(classifyFailure(127, '').kind, 'missing');
  });

  it('anything else keeps the text and the exit code', () => {
    const f = classifyFailure(2, 'Field "bogus" is not a valid field to query.\n\n');
    assert.deepEqual(f, {
      kind: 'other',
      message: 'nvidia-smi exited with code 2: Field "bogus" is not a valid field to query.',
    });
  });

  it('each state has its own row text', () => {
    const texts = [
      describeState({ kind: 'connecting' }),
      describeState({ kind: 'noKey' }),
      describeState({ kind: 'hostKeyUnknown' }),
      describeState({ kind: 'noNvidiaSmi', message: 'x' }),
      describeState({ kind: 'driverFailed', message: fixture('driver-failed.txt').trim() }),
      describeState({ kind: 'sampleFailed', message: 'x' }),
      describeState({ kind: 'sshFailed', reason: 'connection refused' }),
    ];
    assert.equal(new Set(texts).size, texts.length);
    assert.match(texts[4]!, /^NVIDIA driver not responding: NVIDIA-SMI has failed/);
    assert.equal(texts[6], 'SSH failed: connection refused');
  });
});

describe('nvidia-smi parsers on hostile output (generated)', () => {
  const realLines = [
    ...fixture('query-gpu.h100x8-busy.csv').split('\n'),
    ...fixture('query-gpu.h100x1-mig-busy.csv').split('\n'),
    ...fixture('query-compute-apps.h100x8-busy.csv').split('\n'),
    ...fixture('query-compute-apps.windows-wddm.csv').split('\n'),
  ];
  /** Real lines, cut anywhere, with junk, CR/CRLF endings, binary and huge lines mixed in. */
  const hostile = fc
    .array(
      fc.oneof(
        fc.constantFrom(...realLines),
        fc.constantFrom(...realLines).chain((l) => fc.nat(l.length).map((n) => l.slice(0, n))),
        // Junk (controls, escapes, lone surrogates, commas) inside the free-text column of a real row.
        fc.tuple(fc.constantFrom(...realLines), fc.string({ unit: 'binary', maxLength: 60 })).map(([l, junk]) => {
          const fields = l.split(', ');
          fields.splice(2, 0, `\u001b[31m${junk}\u0007`);
          return fields.join(', ');
        }),
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('utf8')),
        fc.constantFrom('\r', '\r\n', ', , , , , , , ', '[N/A], [N/A]', '0, x, 1e309, -0, NaN, Infinity, 0x10, 1_000'),
        fc.nat(20).map((n) => 'x'.repeat(n * 1000)),
      ),
      { maxLength: 40 },
    )
    .chain((parts) => fc.constantFrom('\n', '\r\n', '\r').map((eol) => parts.join(eol)));

  it('never throws; rows are bounded and well-typed', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        for (const { rows } of [parseGpuQuery(text), parseComputeApps(text)])
          assert.ok(rows.length <= LIMITS.maxProcesses);
        for (const g of parseGpuQuery(text).rows) {
          assert.ok(Number.isInteger(g.index) && g.index >= 0);
          assert.ok(g.name.length <= LIMITS.maxText && !/[\u0000-\u001f]/.test(g.name));
          if (g.utilizationPercent !== undefined) assert.ok(g.utilizationPercent >= 0 && g.utilizationPercent <= 100);
          for (const v of [g.memoryUsedMiB, g.memoryTotalMiB, g.powerDrawW, g.powerLimitW, g.temperatureC])
            assert.ok(v === undefined || Number.isFinite(v));
        }
        for (const p of parseComputeApps(text).rows) {
          assert.ok(p.name.length <= LIMITS.maxText && !/[\u0000-\u001f]/.test(p.name));
          assert.ok(p.usedMemoryMiB === undefined || (Number.isFinite(p.usedMemoryMiB) && p.usedMemoryMiB >= 0));
        }
        const f = classifyFailure(1, text);
        assert.ok(f.message.length <= LIMITS.maxMessage + 40);
      }),
      { numRuns: 400 },
    );
  });

  it('a huge output is bounded: at most maxGpus rows, no matter how many lines', () => {
    const line = fixture('query-gpu.h100x1-busy.csv');
    const huge = line.repeat(200_000); // ~13 MB
    const t0 = process.hrtime.bigint();
    const { rows } = parseGpuQuery(huge);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.equal(rows.length, LIMITS.maxGpus);
    assert.ok(ms < 2_000, `parsing took ${ms} ms`);
  });

  it('CRLF output (a Windows-built stub, a proxying shell) parses like LF', () => {
    const lf = fixture('query-gpu.h100x8-busy.csv');
    assert.deepEqual(parseGpuQuery(lf.replace(/\n/g, '\r\n')), parseGpuQuery(lf));
  });
});
