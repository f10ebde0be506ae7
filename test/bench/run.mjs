#!/usr/bin/env node
// `npm run bench`: builds the release bundle and the .vsix, then measures and prints a table:
// bundle and vsix size, activation time in the real extension host beside an empty extension's,
// the request rate while an instance starts (1 among 1,000 / among 5), list + render of 1000
// instances in the real workbench, Connect latency (ready → opening, and a second Connect) in the
// real workbench against the emulator and a real sshd, the refresh policy's request rate over
// a simulated hour, the GPU sampler's SSH cost against a real sshd (test/bench/gpuSampling.ts), the
// GPU view's cost in the real workbench at the default interval (test/bench/gpuWorkbench.ts), and the
// worst case of reading and parsing a hostile response at the 16 MiB body cap (test/bench/parseWorstCase.ts),
// and the workspace sync against a real sshd beside plain rsync (test/bench/sync.ts; `npm run bench -- --sync-2gb`
// adds the peak memory of a 2 GB transfer, ~1 min more), and jobs against a real sshd (test/bench/jobs.ts: Run → first
// log line, a 50 MB log followed, SSH logins with a job followed and the GPU view). Results also go to test-results/bench.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const sh = (...argv) => {
  const r = spawnSync(argv[0], argv.slice(1), { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed`);
};

console.log('Building (tests, then the release bundle and .vsix)…');
sh(process.execPath, 'esbuild.mjs');
sh(process.execPath, 'test/e2e/setup.mjs');
sh('npm', 'run', '--silent', 'package');

const bundle = readFileSync(resolve(root, 'dist/extension.js'));
const featuresBundle = readFileSync(resolve(root, 'dist/features.js'));
const undiciBundle = readFileSync(resolve(root, 'dist/undici.js'));
const ssh2Bundle = readFileSync(resolve(root, 'dist/ssh2.js'));
const vsixBytes = statSync(resolve(root, 'fal-compute.vsix')).size;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

console.log('Measuring activation in the extension host, each beside an empty extension (6 pairs of fresh hosts)…');
const { measureActivation, measureActivationSplit } = require(resolve(root, 'out/test/bench/activation.js'));
const activation = await measureActivation(6);
const ratios = activation.map((a) => a.falMs / a.emptyMs);
// One more fresh host: the bundle's evaluation and activate()'s wiring apart, the wiring profiled.
const { summarizeProfile, SOURCE_MAP } = require(resolve(root, 'out/test/bench/hostProfile.js'));
const split = await measureActivationSplit();
const wiring = summarizeProfile(split.profile, SOURCE_MAP);

console.log('Measuring list + render of 1000 instances in the workbench…');
const { measureListRender } = require(resolve(root, 'out/test/bench/listRender.js'));
const list = await measureListRender(1000);

console.log('Measuring Connect latency in the workbench (emulator + real sshd, 3 instances)…');
const { measureConnectLatency } = require(resolve(root, 'out/test/bench/connectLatency.js'));
const connect = await measureConnectLatency(3);

console.log('Measuring GPU sampling against a real sshd (a simulated hour visible, hidden, unfocused; ~2 min)…');
const { measureGpuSampling } = require(resolve(root, 'out/test/bench/gpuSampling.js'));
const gpu = await measureGpuSampling();

console.log(
  'Measuring GPU sampling in the workbench (packaged extension, real sshd, default 10 s; ~4 min of real time)…',
);
const { measureGpuInWorkbench } = require(resolve(root, 'out/test/bench/gpuWorkbench.js'));
const gpuWb = await measureGpuInWorkbench();

console.log(
  'Measuring the request rate while an instance starts (real scheduler, client and emulator; 10 simulated minutes)…',
);
const { pollRate } = require(resolve(root, 'out/test/bench/pollRate.js'));
const amongThousand = await pollRate(1000, 1, 10);
const amongFive = await pollRate(5, 1, 10);
// Someone waits on the starting machine (Connect When Ready) from minute 1 to minute 3 of 4.
const whileWaiting = await pollRate(1000, 1, 4, { fromMs: 60_000, toMs: 180_000 });

const { requestsPerHour } = require(resolve(root, 'out/test/bench/idleRate.js'));
const scenarios = ['focused, stable', 'focused, an instance starting', 'window unfocused', 'view hidden'];
const rates = Object.fromEntries(await Promise.all(scenarios.map(async (s) => [s, await requestsPerHour(s)])));

console.log('Measuring the worst-case parse at the 16 MiB body cap (9 hostile bodies × 3 fresh processes)…');
const { measureParseWorstCase } = require(resolve(root, 'out/test/bench/parseWorstCase.js'));
const parse = measureParseWorstCase(3);
console.log(
  'Measuring SSH logins to one instance with the GPU view, a setup log and uploads all open (real sshd, 30 s)…',
);
const { measureSharedSessions } = require(resolve(root, 'out/test/bench/sharedSessions.js'));
const shared = await measureSharedSessions(30);
const { measureSshConfigScale } = require(resolve(root, 'out/test/bench/sshConfigScale.js'));
const sshConfig = await measureSshConfigScale();
const mib = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`;

// Each in a fresh node (dist/ssh2.js, as shipped): the 2 GB run's idle memory must not carry the rest of the bench.
const syncBench = (...args) => {
  const r = spawnSync(process.execPath, ['--expose-gc', 'out/test/bench/sync.js', ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`test/bench/sync.ts ${args.join(' ')} failed`);
  return JSON.parse(r.stdout);
};
console.log('Measuring the workspace sync against a real sshd beside rsync -a (10,000 files, 200 MB; ~2 min)…');
const sync = syncBench();
const big2gb = process.argv.includes('--sync-2gb');
if (big2gb) console.log('Measuring peak memory while 2 GB go up and come back (~1 min)…');
const big = big2gb ? { up: syncBench('--big', 'up'), down: syncBench('--big', 'down') } : undefined;
console.log('Measuring jobs against a real sshd (Run → first log line, a 50 MB log followed, logins in 30 s; ~2 min)…');
const jobsRun = spawnSync(process.execPath, ['out/test/bench/jobs.js'], {
  cwd: root,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (jobsRun.status !== 0) throw new Error('test/bench/jobs.ts failed');
const jobs = JSON.parse(jobsRun.stdout);
const ms = (xs) => `${median(xs).toFixed(0)} ms`;
const runRow = (run) =>
  `${ms(run.totalMs)} (${run.totalMs.map((x) => x.toFixed(0)).join(', ')}): upload check ${ms(run.uploadMs)}, start ${ms(run.startMs)}, first line ${ms(run.firstLineMs)} (reads until it: ${run.readsToFirstLine.join(', ')}; one read ${ms(run.readMs)}; \`true\` ${ms(run.sessionMs)})`;
const secs = (xs) => `${median(xs).toFixed(2)} s (${xs.map((x) => x.toFixed(2)).join(', ')})`;
const MB = (n) => `${(n / 1e6).toFixed(1)} MB`;
const kB = (n) => `${(n / 1e3).toFixed(1)} kB`;
const parseCase = (c) =>
  `parse ${c.parseMs} ms; read + parse ${c.ms} ms; +${c.peakRssGrowthMiB} MiB peak RSS (${c.kind}, ${mib(c.bodyBytes)} → ${c.outcome === 'ok' ? `${c.rows} rows` : c.outcome})`;

const rows = [
  [
    `SSH logins to one instance in ${shared.seconds} s with the GPU view (1 s), a setup log followed and ${shared.uploads} uploads (goal: 1, i.e. 1 per hour)`,
    `${shared.logins} login, ${shared.sessions} sessions (channels); ${shared.samples} GPU samples read, ${shared.logBytes} B of log followed`,
  ],
  [
    'a 5,000-host ~/.ssh/config: add our Include / the idempotent re-check (median of 5; goal < 200 ms each)',
    `${sshConfig.addMs.toFixed(1)} ms / ${sshConfig.checkMs.toFixed(1)} ms`,
  ],
  [
    'bundle dist/extension.js (minified; loaded on activation)',
    `${kib(bundle.length)} (${kib(gzipSync(bundle).length)} gzip)`,
  ],
  [
    "bundle dist/features.js (minified; loaded on first use: the first request, a command, fal's first answer)",
    `${kib(featuresBundle.length)} (${kib(gzipSync(featuresBundle).length)} gzip)`,
  ],
  [
    'bundle dist/undici.js (minified; loaded on the first request)',
    `${kib(undiciBundle.length)} (${kib(gzipSync(undiciBundle).length)} gzip)`,
  ],
  [
    'bundle dist/ssh2.js (minified; loaded on the first GPU sample)',
    `${kib(ssh2Bundle.length)} (${kib(gzipSync(ssh2Bundle).length)} gzip)`,
  ],
  ['fal-compute.vsix', kib(vsixBytes)],
  [
    "activation ÷ an empty extension's, paired fresh hosts (median of 6; the tracked number)",
    `${median(ratios).toFixed(1)}× (${ratios.map((r) => r.toFixed(1)).join(', ')})`,
  ],
  [
    'activation, extension host (median of 6)',
    `${median(activation.map((a) => a.falMs)).toFixed(1)} ms (${activation.map((a) => a.falMs.toFixed(1)).join(', ')})`,
  ],
  [
    'activation of an empty extension, paired hosts (median of 6)',
    `${median(activation.map((a) => a.emptyMs)).toFixed(1)} ms (${activation.map((a) => a.emptyMs.toFixed(1)).join(', ')})`,
  ],
  [
    'activation split (one more fresh host): bundle evaluation / activate() wiring',
    `${split.evaluationMs.toFixed(1)} ms / ${split.wiringMs.toFixed(1)} ms`,
  ],
  [
    'then, in that host, the first need of what activation leaves out: the spend report opened (dist/features.js evaluated, the features built)',
    `${split.firstNeedMs.toFixed(1)} ms`,
  ],
  [
    "activate()'s wiring, where its CPU went (self time; profiled at 50 µs)",
    wiring.byPlace
      .filter(([place]) => place !== '(idle)')
      .slice(0, 6)
      .map(([place, ms]) => `${place} ${ms.toFixed(1)} ms`)
      .join(', '),
  ],
  [
    `1000 instances: key entered → listed (${list.pages} pages) and rendered`,
    `${list.firstLoadMs.toFixed(0)} ms (key check at ${list.phases.firstLoad.toKeyCheck} ms, first page at ${list.phases.firstLoad.toFirstPage} ms, last page answered at ${list.phases.firstLoad.toLastPage} ms, then ${list.phases.firstLoad.lastPageToRendered} ms to the rows)`,
  ],
  [
    '1000 instances: refresh (first page requested) → changed row repainted (median of 5)',
    `${list.refreshMs.toFixed(0)} ms (pages ${list.phases.refresh.pages} ms, then ${list.phases.refresh.lastPageToRepaint} ms to the row); from the palette's Enter: ${list.refreshFromCommandMs.toFixed(0)} ms`,
  ],
  [
    'Connect When Ready: instance turns ready → `opening vscode-remote://…` (median of 3; default refresh settings)',
    `${connect.readyToOpenMs} ms (${connect.readyToOpenSamplesMs.join(', ')})`,
  ],
  [
    'Connect, ready instance, key remembered: inline Connect click → `opening vscode-remote://…` (median of 3)',
    `${connect.connectCommandToOpenMs} ms (${connect.connectCommandToOpenSamplesMs.join(', ')})`,
  ],
  [
    'requests/min watching 1 provisioning among 1,000 (goal ≤ 30)',
    `${amongThousand.perMinute.toFixed(1)} (${amongThousand.gets} by id + ${amongThousand.listPages} list pages in ${amongThousand.minutes} min)`,
  ],
  [
    'requests/min watching 1 provisioning among 5 (stays 20)',
    `${amongFive.perMinute.toFixed(1)} (${amongFive.gets} by id + ${amongFive.listPages} list pages in ${amongFive.minutes} min)`,
  ],
  [
    'requests/min, 1 provisioning among 1,000, while someone waits on it / after (goal: ≤ 60 more, none after)',
    `${whileWaiting.perMinuteWaiting.toFixed(1)} / ${whileWaiting.perMinuteAfterWait.toFixed(1)} (it asked by id ${whileWaiting.waitedGets} times in the 2 min wait, ${whileWaiting.waitedGetsAfter} after: the fast tick's)`,
  ],
  ...scenarios.map((s) => [
    `refresh fetches per simulated hour: ${s}`,
    `${rates[s]} (${(rates[s] / 60).toFixed(2)}/min)`,
  ]),
  [
    'GPU sampling, visible + focused, default 10 s: SSH sessions opened per simulated hour per instance (sshd log; goal 1)',
    `${gpu.visible.sessionsPerHour}`,
  ],
  [
    'GPU sampling, visible + focused: commands per minute per instance (sshd log; goal ≤ 6)',
    `${gpu.visible.commandsPerMinute.toFixed(2)} (${gpu.visible.samples} in the hour)`,
  ],
  [
    'GPU sampling: CPU of the sampling process per sample (8x H100 output, ssh2 from dist/ssh2.js)',
    `${gpu.visible.cpuMsPerSample.toFixed(2)} ms (wall ${gpu.visible.wallMsPerSample.toFixed(0)} ms, mostly sshd + the remote shell)`,
  ],
  [
    'GPU sampling, view hidden for a simulated hour: sessions / commands / timers fired / CPU',
    `${gpu.hidden.sessions} / ${gpu.hidden.commands} / ${gpu.hidden.timersFired} / ${gpu.hidden.cpuMs.toFixed(2)} ms`,
  ],
  [
    'GPU sampling, window unfocused for a simulated hour: sessions / commands / timers fired / connections left open',
    `${gpu.unfocused.sessions} / ${gpu.unfocused.commands} / ${gpu.unfocused.timersFired} (the 1-min close) / ${gpu.unfocused.connectionsOpenAfter}`,
  ],
  [
    'Auto-delete watch (fal.idle.autoDelete on, instance eligible), a simulated hour unfocused: sessions / commands (goal: 1 / 60)',
    `${gpu.watched.unfocusedSessions} / ${gpu.watched.unfocusedCommands}`,
  ],
  [
    'Auto-delete watch, then a simulated hour hidden: sessions / commands (same connection kept)',
    `${gpu.watched.hiddenSessions} / ${gpu.watched.hiddenCommands}`,
  ],
  [
    `GPU view in the workbench, visible + focused, default 10 s, 8x H100 (${gpuWb.visible.seconds} s real time): connections used / SSH sessions opened in the window / commands per minute (sshd log)`,
    `${gpuWb.visible.connectionsUsed} / ${gpuWb.visible.sessionsOpened} / ${gpuWb.visible.commandsPerMinute.toFixed(2)}`,
  ],
  [
    'GPU view in the workbench: extension-host CPU per sample, net of its rate with the view hidden (/proc; repaint included)',
    `${gpuWb.visible.extHostCpuMsPerSample.toFixed(0)} ms (${gpuWb.visible.extHostCpuMs} ms over ${gpuWb.visible.samples} samples)`,
  ],
  [
    `GPU view in the workbench, view hidden ${gpuWb.hidden.seconds} s: sessions / commands / connections open / extension-host CPU`,
    `${gpuWb.hidden.sessions} / ${gpuWb.hidden.commands} / ${gpuWb.hidden.connectionsOpen} / ${gpuWb.hidden.extHostCpuMs} ms`,
  ],
  [
    `GPU view in the workbench, window unfocused ${gpuWb.unfocused.seconds} s: sessions / commands / connections open after / extension-host CPU`,
    `${gpuWb.unfocused.sessions} / ${gpuWb.unfocused.commands} / ${gpuWb.unfocused.connectionsOpenAfter} / ${gpuWb.unfocused.extHostCpuMs} ms`,
  ],
  ['hostile body ≤ 16 MiB cap (9 kinds, median of 3): slowest parse', parseCase(parse.slowestParse)],
  ['hostile body ≤ 16 MiB cap: slowest read + parse', parseCase(parse.slowest)],
  ['hostile body ≤ 16 MiB cap: most memory', parseCase(parse.hungriest)],
  [
    'first upload, 10,000 files / 200 MB, ÷ `rsync -a` over the same sshd (median of 5; goal ≤ 1.2×)',
    `${sync.firstRatio.toFixed(2)}× (ours ${secs(sync.firstS)}; rsync ${secs(sync.rsyncFirstS)})`,
  ],
  [
    're-upload, nothing changed (median of 5; goal ≤ 1 s and ≤ 1 MB sent)',
    `${secs(sync.unchangedS)}; ${kB(sync.unchangedUpBytes)} up, ${kB(sync.unchangedDownBytes)} down (the manifest); rsync ${secs(sync.rsyncUnchangedS)}`,
  ],
  [
    're-upload, one file changed among 10,000 (median of 5; goal ≤ 0.5 s)',
    `${secs(sync.oneChangedS)}; ${kB(sync.oneChangedUpBytes)} up; rsync ${secs(sync.rsyncOneChangedS)}`,
  ],
  ['one SSH session on this sshd (`true`; the floor of every command above)', secs(sync.sessionS)],
  [
    'Run a job, ready machine, connection open, workspace unchanged: Run → `echo first` in the terminal (median of 7; goal ≤ 1.5 s)',
    runRow(jobs.run),
  ],
  ['the same, the login profile taking 0.5 s (the job runs under `bash -l`)', runRow(jobs.runSlowProfile)],
  [
    `a job's log, ${(jobs.stream.bytes / 1e6).toFixed(1)} MB, followed to its end: throughput / CPU of the following process per MB`,
    `${jobs.stream.mbPerSecond.toFixed(2)} MB/s / ${jobs.stream.cpuMsPerMb.toFixed(0)} ms (${jobs.stream.seconds.toFixed(1)} s, ${jobs.stream.reads} reads)`,
  ],
  [
    `SSH logins to one instance in ${jobs.sessions.seconds} s with a job followed, the jobs watcher and the GPU view (1 s) (goal: 1)`,
    `${jobs.sessions.logins} login, ${jobs.sessions.sessions} sessions; ${jobs.sessions.listings} listings, ${jobs.sessions.samples} GPU samples, ${jobs.sessions.logBytes} B of log followed`,
  ],
  ...(big
    ? [
        [
          'peak RSS over idle, 2 GB up / back down (VmHWM; goal ≤ 64 MB)',
          `${MB(big.up.peakOverIdleBytes)} / ${MB(big.down.peakOverIdleBytes)} (idle ${MB(big.up.idleRssBytes)} / ${MB(big.down.idleRssBytes)}; ${big.up.seconds.toFixed(1)} s / ${big.down.seconds.toFixed(1)} s)`,
        ],
      ]
    : [['peak RSS over idle, 2 GB transfer', 'not measured (`npm run bench -- --sync-2gb`)']]),
];
const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, VS Code 1.100.3 (code-server 4.100.3)`;
console.log(
  `\n| measure | result |\n|---|---|\n${rows.map(([a, b]) => `| ${a} | ${b} |`).join('\n')}\n\nMachine: ${machine}`,
);
mkdirSync(resolve(root, 'test-results'), { recursive: true });
writeFileSync(
  resolve(root, 'test-results/bench.json'),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine,
      bundleBytes: bundle.length,
      featuresBytes: featuresBundle.length,
      undiciBytes: undiciBundle.length,
      vsixBytes,
      activation,
      activationRatio: median(ratios),
      activationSplit: {
        evaluationMs: split.evaluationMs,
        wiringMs: split.wiringMs,
        firstNeedMs: split.firstNeedMs,
        wiring,
      },
      pollRate: { amongThousand, amongFive, whileWaiting },
      list,
      connect,
      fetchesPerHour: rates,
      gpuSampling: gpu,
      gpuWorkbench: gpuWb,
      parseAtBodyCap: parse.cases,
      sync,
      syncBig: big,
      jobs,
    },
    null,
    2,
  ),
);
