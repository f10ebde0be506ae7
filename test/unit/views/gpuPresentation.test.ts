// What the GPU view shows, from the REAL nvidia-smi outputs of test/fixtures/nvidia-smi (parsed by
// the real parser): the row's summary, one child per GPU with "—" for what nvidia-smi could not
// give, the processes, each failure state in its own words, the tooltip's history image and its
// text alternative, the idle wording, the status bar's idle part and the report.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseComputeApps, parseGpuQuery, type GpuState, type UtilizationPoint } from '../../../src/gpu';
import { InstancesModel } from '../../../src/core/instancesModel';
import { clock, gpuLines, gpuRowPart, idleText } from '../../../src/views/gpuPresentation';
import { gpuTooltipMarkdown } from '../../../src/views/gpuTooltip';
import { rendered, whatToRepaint } from '../../../src/views/gpuRepaint';
import { gpuReportText } from '../../../src/views/gpuReport';
import { historySpan, historyText, sparklineRuns, sparklineSvg } from '../../../src/views/gpuSparkline';
import { idlePart } from '../../../src/views/idleStatus';
import { fixture } from '../gpu/fixtures';

function ok(stem: string, at = 1_000): Extract<GpuState, { kind: 'ok' }> {
  const gpus = parseGpuQuery(fixture(`query-gpu.${stem}.csv`)).rows;
  const processes = parseComputeApps(fixture(`query-compute-apps.${stem}.csv`)).rows;
  return { kind: 'ok', gpus, processes, at, raw: fixture(`query-gpu.${stem}.csv`) };
}

const WINDOW = 600_000;

describe('GPU presentation (real nvidia-smi fixtures)', () => {
  it('row: 1x busy and 8x busy figures (the summary for the screen reader), expandable', () => {
    assert.deepEqual(gpuRowPart(ok('h100x1-busy')), {
      description: '100 % · 19G',
      summary: 'GPU 100 % · 19/80 GB',
      expandable: true,
    });
    assert.deepEqual(gpuRowPart(ok('h100x8-busy')), {
      description: '95 % · 106G',
      summary: '8×GPU 95 % · 106/640 GB',
      expandable: true,
    });
    assert.equal(gpuRowPart(undefined), undefined, 'never sampled: the row gains nothing');
  });

  it('children: one per GPU (utilisation, memory, temperature; the power in its tooltip), then the processes', () => {
    const lines = gpuLines(ok('h100x8-busy'));
    assert.equal(lines.length, 9);
    assert.deepEqual(
      lines.slice(0, 8).map((l) => l.label),
      [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `GPU ${i}`),
    );
    assert.equal(lines[6]!.description, '100 % · 11/80 GB · 86 °C');
    assert.match(lines[6]!.tooltip, /^Power: 226\/700 W$/m);
    const processes = lines[8]!;
    assert.equal(processes.label, '15 GPU processes');
    assert.equal(processes.children!.length, 15);
    assert.equal(processes.children![1]!.label, 'python3', '/opt/conda/bin/python3 shown by its name');
    assert.equal(processes.children![1]!.description, '1.9 GB · pid 2085212');
    assert.match(processes.children![1]!.tooltip, /^GPU: GPU-e5f404f3-[0-9a-f-]+$/m, 'the GPU, by its whole UUID');
    assert.match(processes.children![1]!.tooltip, /\/opt\/conda\/bin\/python3/);
  });

  it('[N/A] (MIG utilisation) is "—", never 0', () => {
    const lines = gpuLines(ok('h100x1-mig-busy'));
    assert.equal(lines[0]!.description, '— · 11/80 GB · 53 °C');
    assert.equal(gpuRowPart(ok('h100x1-mig-busy'))!.description, '— · 11G');
    assert.equal(gpuRowPart(ok('h100x1-mig-busy'))!.summary, 'GPU — · 11/80 GB');
  });

  it('an idle machine: no processes is said as such', () => {
    const lines = gpuLines(ok('h100x1-idle'));
    assert.equal(lines[1]!.label, 'No GPU processes');
    assert.equal(lines[1]!.children, undefined);
  });

  it('each failure state has its own row text, child line and action', () => {
    const states: GpuState[] = [
      { kind: 'connecting' },
      { kind: 'noKey' },
      { kind: 'hostKeyUnknown' },
      { kind: 'noNvidiaSmi', message: fixture('command-not-found.bash.txt').trim() },
      { kind: 'driverFailed', message: fixture('driver-failed.txt').trim() },
      { kind: 'sampleFailed', message: 'nvidia-smi exited with code 2: x' },
      { kind: 'sshFailed', reason: '127.0.0.1:2 refused the connection (is sshd running?)' },
    ];
    assert.equal(
      gpuRowPart({ kind: 'noKey' }),
      undefined,
      "no key: often every teammate's machine, so no words and no twistie (the tooltip says it)",
    );
    assert.match(
      gpuTooltipMarkdown({
        id: 'inst_a',
        state: { kind: 'noKey' },
        history: [],
        idleSince: undefined,
        idle: false,
        idleGpuPercent: 5,
        now: 0,
        windowMs: WINDOW,
      })!,
      /no private key known for this instance\. \[Choose it…\]\(command:fal\.gpu\.chooseKey\?%5B%22inst_a%22%5D\)/,
    );
    const rows = states.filter((s) => s.kind !== 'noKey').map((s) => gpuRowPart(s)!.description);
    assert.equal(new Set(rows).size, states.length - 1, rows.join(' | '));
    assert.deepEqual(rows, [
      'GPU: connecting…',
      'GPU: host key unknown',
      'GPU: nvidia-smi not found',
      'GPU: driver not responding',
      'GPU: nvidia-smi failed',
      'GPU: SSH failed',
    ]);
    assert.deepEqual(gpuLines(states[0]), [], 'connecting has nothing to expand');
    const lines = states.slice(1).map((s) => gpuLines(s)[0]!);
    assert.deepEqual(
      lines.map((l) => [l.label, l.action]),
      [
        ['No private key known for this instance', 'chooseKey'],
        ['Host key not known yet: connect once', 'openSshTerminal'],
        ['nvidia-smi not found', undefined],
        ['NVIDIA driver not responding', undefined],
        ['nvidia-smi failed', undefined],
        ['SSH failed: 127.0.0.1:2 refused the connection (is sshd running?)', 'retry'],
      ],
    );
    assert.match(
      lines[3]!.description,
      /NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver/,
      "nvidia-smi's own text",
    );
    assert.match(lines[2]!.description, /nvidia-smi: command not found/, "the shell's own text");
  });

  it('an answer that cannot be trusted: its own words (nvidia-smi did not fail), not counted as idle, the raw output in the report', () => {
    const raw = `${fixture('query-gpu.h100x1-idle.csv')}@@fal-gpu-x gpu 0\n@@fal-gpu-x apps 0\n`;
    const state: GpuState = { kind: 'sampleFailed', message: 'nvidia-smi listed 1 GPU; an 8x H100 has 8', raw };
    assert.equal(gpuRowPart(state)!.description, 'GPU: unreadable');
    const line = gpuLines(state)[0]!;
    assert.deepEqual(
      [line.label, line.description],
      ['GPU figures unreadable', 'nvidia-smi listed 1 GPU; an 8x H100 has 8'],
    );
    assert.equal(
      line.tooltip,
      'GPU figures unreadable: nvidia-smi listed 1 GPU; an 8x H100 has 8\nNot counted as idle until a sample reads in full.',
    );
    const text = gpuReportText({
      id: 'inst_x',
      title: '8x H100',
      ip: undefined,
      state,
      history: [],
      idleText: undefined,
      now: 0,
    });
    assert.match(text, /State: GPU figures unreadable: nvidia-smi listed 1 GPU; an 8x H100 has 8\n/);
    assert.ok(text.includes(fixture('query-gpu.h100x1-idle.csv').trim()), 'what nvidia-smi printed');
  });

  it('tooltip: summary, the history as an SVG image with a text alternative, and the idle line', () => {
    const now = 700_000;
    const history: UtilizationPoint[] = Array.from({ length: 60 }, (_, i) => ({
      at: now - 590_000 + i * 10_000,
      percent: i < 30 ? 100 : 0,
    }));
    const md = gpuTooltipMarkdown({
      state: ok('h100x1-idle', now - 3_000),
      history,
      idleSince: now - 42 * 60_000,
      idle: true,
      idleGpuPercent: 5,
      now,
      windowMs: WINDOW,
    })!;
    assert.match(md, new RegExp(`\\*\\*GPUs\\*\\* GPU 0 % · 0/80 GB \\*\\(sampled at ${clock(now - 3_000)}\\)\\*`));
    assert.match(clock(now), /^\d\d:\d\d:\d\d$/);
    const image = /!\[([^\]]*)\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)\)/.exec(md);
    assert.ok(image, md);
    assert.match(image[1]!, /GPU utilisation, last 10 min: now 0 %, mean 50 %, min 0 %, max 100 % \(60 samples\)$/);
    const svg = Buffer.from(image[2]!, 'base64').toString('utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /<polyline points="[\d., ]+"/);
    assert.match(md, /idle for 42 min/);
    const notIdle = gpuTooltipMarkdown({
      state: ok('h100x1-busy', now),
      history,
      idleSince: undefined,
      idle: false,
      idleGpuPercent: 5,
      now,
      windowMs: WINDOW,
    })!;
    assert.doesNotMatch(notIdle, /idle for/);
  });

  it('sparkline: points without a figure and long gaps split the line; points outside the window are dropped', () => {
    const now = 600_000;
    const runs = sparklineRuns(
      [
        { at: -5, percent: 50 }, // outside
        { at: 10_000, percent: 0 },
        { at: 20_000, percent: 100 },
        { at: 30_000, percent: undefined }, // MIG / failure
        { at: 40_000, percent: 20 },
        { at: 400_000, percent: 30 }, // after a long gap
      ],
      now,
      WINDOW,
    );
    assert.equal(runs.length, 3);
    assert.deepEqual(runs[0], ['4.0,35.0', '8.0,3.0']);
    assert.equal(historyText([], WINDOW), 'GPU utilisation, last 10 min: no figures yet');
    // A young history is drawn over its own span (at least a minute), and says so.
    assert.equal(historySpan([{ at: 590_000, percent: 1 }], now, WINDOW), 60_000);
    assert.equal(historySpan([{ at: 500_000, percent: 1 }], now, WINDOW), 100_000);
    assert.equal(historySpan([{ at: 0, percent: 1 }], now, WINDOW), WINDOW);
    assert.equal(
      historyText([{ at: 500_000, percent: 7 }], 100_000),
      'GPU utilisation, last 100 s: now 7 %, mean 7 %, min 7 %, max 7 % (1 sample)',
    );
    assert.match(sparklineSvg([], now, 60_000), />1 min ago<\/text>.*>now<\/text>/);
  });

  it('hostile process names and messages never become markdown or break the SVG', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }),
        fc.array(fc.option(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { nil: undefined }), { maxLength: 40 }),
        (text, percents) => {
          const state: GpuState = { kind: 'driverFailed', message: text };
          const history = percents.map((percent, i) => ({ at: 1_000 * i, percent }));
          const md = gpuTooltipMarkdown({
            state,
            history,
            idleSince: undefined,
            idle: false,
            idleGpuPercent: 5,
            now: 60_000,
            windowMs: WINDOW,
          })!;
          // Every markdown-active character from the remote text is escaped.
          const body = md.split('\n\n')[0]!.slice('**GPUs** '.length);
          assert.doesNotMatch(body.replace(/\\[\\`*_{}[\]()#+!|<>]/g, ''), /[`*_{}[\]()#+!|<>]/);
          const svg = sparklineSvg(history, 60_000, WINDOW);
          assert.doesNotMatch(svg, /NaN|Infinity/);
          for (const m of svg.matchAll(/points="([^"]*)"/g)) {
            for (const pair of m[1]!.split(' ')) {
              const [, y] = pair.split(',').map(Number);
              assert.ok(y! >= 0 && y! <= 36, pair);
            }
          }
        },
      ),
    );
  });

  it('idle wording', () => {
    assert.equal(idleText(42 * 60_000 + 5_000), 'idle for 42 min');
    assert.equal(idleText(40_000), 'idle for 40 s');
    assert.equal(idleText(125 * 60_000), 'idle for 2 h 05 min');
    assert.equal(idleText(120 * 60_000), 'idle for 2 h', 'as the idle reminder says it');
  });

  it('status bar: `1 idle` in the line (its $/h in the tooltip) counts only idle, listed, not-deleting instances at their rates', () => {
    const model = new InstancesModel({ get: () => ({}), set: () => undefined });
    model.apply(
      [
        {
          id: 'a',
          instance_type: 'gpu_8x_h100_sxm5',
          status: 'ready',
          ip: '198.51.100.1',
          region: 'r',
          sector: null,
          creator_user_nickname: null,
        },
        {
          id: 'b',
          instance_type: 'gpu_1x_h100_sxm5',
          status: 'ready',
          ip: '198.51.100.2',
          region: 'r',
          sector: null,
          creator_user_nickname: null,
        },
      ] as never,
      0,
    );
    const rates = { gpu_1x_h100_sxm5: 1.89, gpu_8x_h100_sxm5: 15.12 };
    assert.equal(idlePart(model, { isIdle: () => false }, rates, 30), undefined);
    const part = idlePart(model, { isIdle: (id) => id === 'a' }, rates, 30)!;
    assert.equal(part.text, '1 idle');
    assert.match(part.tooltip, /costing about \$15\.12 per hour \*\(estimate\)\*/);
    const both = idlePart(model, { isIdle: () => true }, rates, 0.5)!;
    assert.equal(both.text, '2 idle');
    assert.match(both.tooltip, /about \$17\.01 per hour/);
  });

  it('report: the per-GPU table, the processes and the raw output', () => {
    const state = ok('h100x1-busy', Date.UTC(2026, 0, 1));
    const text = gpuReportText({
      id: 'inst_x',
      title: '1x H100',
      ip: '198.51.100.1',
      state,
      history: [],
      idleText: undefined,
      now: state.at,
    });
    assert.match(text, /^inst_x: GPU usage of the 1x H100 at 198\.51\.100\.1\n/);
    assert.match(text, /GPU +Name +Util +Memory used \/ total +Temp +Power \/ limit/);
    assert.match(text, /0 +NVIDIA H100 80GB HBM3 +100 % +19818 MiB \/ 81559 MiB +59 °C +631\.95 W \/ 700 W/);
    assert.match(text, /GPU processes \(3\)/);
    assert.match(text, /11345 {2}\.\/gpu_burn/);
    assert.ok(text.includes(fixture('query-gpu.h100x1-busy.csv').trim()), 'raw output included');
    assert.match(
      gpuReportText({
        id: 'i',
        title: 't',
        ip: undefined,
        state: { kind: 'noKey' },
        history: [],
        idleText: undefined,
        now: 0,
      }),
      /State: no private key known for this instance/,
    );
  });

  it('repaint: an unchanged sample repaints nothing; a changed GPU line only that line; a changed summary or state the row', () => {
    const busy1 = rendered(ok('h100x1-busy', 1), false);
    assert.deepEqual(whatToRepaint(undefined, busy1), { row: true, lines: [] }, 'first paint');
    assert.deepEqual(
      whatToRepaint(busy1, rendered(ok('h100x1-busy', 2), false)),
      { row: false, lines: [] },
      'same figures, later sample: nothing',
    );
    const busy8 = ok('h100x8-busy');
    const warmer: GpuState = {
      ...busy8,
      gpus: busy8.gpus.map((g) => (g.index === 6 ? { ...g, temperatureC: 87 } : g)),
    };
    assert.deepEqual(
      whatToRepaint(rendered(busy8, false), rendered(warmer, false)),
      { row: false, lines: ['gpu:6'] },
      'one temperature: one line',
    );
    assert.deepEqual(whatToRepaint(busy1, rendered(ok('h100x1-idle'), false)).row, true, 'the summary changed');
    assert.deepEqual(
      whatToRepaint(busy1, rendered(ok('h100x1-busy'), true)).row,
      true,
      'idle now (the tooltip says so)',
    );
    assert.deepEqual(
      whatToRepaint(busy1, rendered({ kind: 'sshFailed', reason: 'x' }, false)).row,
      true,
      'a state change',
    );
    assert.deepEqual(whatToRepaint(busy1, busy1, 59_999), { row: false, lines: [] });
    assert.deepEqual(
      whatToRepaint(busy1, busy1, 60_000),
      { row: true, lines: [] },
      'the tooltip is at most a minute behind',
    );
  });
});
