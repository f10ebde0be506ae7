// Issue 20's jobs bench, against a real sshd on loopback (ssh2 from the shipped dist/ssh2.js, the
// sessions' HOME a folder of its own), the extension's pieces wired as the extension wires them:
//   1. Run → first log line on a ready machine whose connection is already open (the jobs watcher
//      holds it) and whose workspace is unchanged: the upload check (sends nothing), JobRemote.start,
//      then a SetupLogFollower at its normal poll (1 s) following the job's log until `echo first`
//      reaches onText. Median of RUNS, with the split (upload check / start / first line) and how many
//      reads the follower made before the line came; again with a login profile that takes 0.5 s
//      (the command runs under `bash -l`), where the first read comes before the line.
//   2. Log streaming: a job printing ~50 MB (base64 of random bytes), followed to its end; MB/s and
//      this process's CPU (process.cpuUsage) per MB.
//   3. SSH logins with a job followed and the GPU view visible: one SshConnections owner, the jobs
//      watcher listing at its running pace, a follower on a running job and the GPU sampler every
//      second, for `seconds`; the sshd's log counts logins and sessions (goal: 1 login).
//   node out/test/bench/jobs.js     the figures, as JSON (a fresh process: the CPU is the follower's alone)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { realTimers } from '../../src/base/timers';
import type { CommandTransport } from '../../src/connections/commandTransport';
import { SshConnections } from '../../src/connections/sshConnections';
import { createSshTransport } from '../../src/connections/sshTransport';
import type { SshTarget } from '../../src/connections/types';
import { GpuSampler } from '../../src/gpu/sampler';
import { JobRemote } from '../../src/jobs/jobRemote';
import { JobsWatcher } from '../../src/jobs/jobsWatcher';
import type { JobAnswer } from '../../src/jobs/types';
import { SetupLogFollower } from '../../src/setup/logFollower';
import { uploadWorkspace } from '../../src/sync/upload';
import { aliasLine, startGpuSshd, type GpuSshd } from '../unit/gpu/gpuSshd';

const RUNS = 7;
const REMOTE_DIR = 'workspace';
/** Random bytes whose base64 (76-column lines) is ~50.7 MB. */
const STREAM_RANDOM_BYTES = 37_500_000;

export interface RunToFirstLine {
  /** Run → "first" given to onText, ms, per run. */
  readonly totalMs: number[];
  /** The upload that found nothing to send (borrow, manifest, close), ms. */
  readonly uploadMs: number[];
  /** Lend + JobRemote.start + release, ms. */
  readonly startMs: number[];
  /** follower.start() → the line in onText, ms. */
  readonly firstLineMs: number[];
  /** Reads the follower made until the line came (1 = its first read had it). */
  readonly readsToFirstLine: number[];
  /** Wall time of one follower read (one log command), ms, every read of every run. */
  readonly readMs: number[];
  readonly pollMs: number;
  /** A command that does nothing (`true`) on the open connection, ms: the floor of every step above. */
  readonly sessionMs: number[];
}

export interface LogStreaming {
  readonly bytes: number;
  readonly seconds: number;
  readonly mbPerSecond: number;
  readonly cpuMs: number;
  readonly cpuMsPerMb: number;
  readonly reads: number;
}

export interface JobSessions {
  readonly seconds: number;
  readonly logins: number;
  readonly sessions: number;
  readonly listings: number;
  readonly samples: number;
  readonly logBytes: number;
}

export interface JobsBench {
  readonly run: RunToFirstLine;
  /** The same with a login profile that takes 0.5 s (`bash -l` runs the command; conda init can take longer). */
  readonly runSlowProfile: RunToFirstLine;
  readonly stream: LogStreaming;
  readonly sessions: JobSessions;
}

interface Machine {
  readonly s: GpuSshd;
  readonly home: string;
  readonly target: SshTarget;
  readonly transport: CommandTransport;
  dispose(): Promise<void>;
}

async function startMachine(id: string): Promise<Machine> {
  const home = mkdtempSync(join(tmpdir(), 'fal-bench-jobs-'));
  const s = await startGpuSshd({ home });
  writeFileSync(s.knownHosts, aliasLine(id, s.hostKey));
  const bundle = resolve(__dirname, '../../../dist/ssh2.js');
  const transport = createSshTransport({
    knownHostsFile: s.knownHosts,
    agentPath: undefined,
    loadSsh2: () => require(bundle) as typeof import('ssh2'),
  });
  return {
    s,
    home,
    target: s.target(id),
    transport,
    dispose: async () => {
      await s.dispose();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A small workspace (50 files), already on the machine. */
async function uploadedWorkspace(m: Machine, connections: SshConnections): Promise<string> {
  const local = join(m.home, 'workspace-local');
  mkdirSync(join(local, 'src'), { recursive: true });
  for (let i = 0; i < 50; i++) writeFileSync(join(local, 'src', `f${i}.py`), `print(${i})\n`);
  const c = await connections.connect(m.target);
  await uploadWorkspace({ connection: c, localRoot: local, remoteDir: REMOTE_DIR }).finally(() => c.close());
  return local;
}

function watcherOf(connections: SshConnections, onList?: () => void): JobsWatcher {
  return new JobsWatcher({
    connections,
    timers: realTimers,
    remoteFor: (connection) => {
      const jobs = new JobRemote(connection);
      return {
        ...jobs,
        start: (r) => jobs.start(r),
        status: (j) => jobs.status(j),
        readLog: (j, s, n) => jobs.readLog(j, s, n),
        stop: (j, g) => jobs.stop(j, g),
        list: () => (onList?.(), jobs.list()),
      };
    },
    log: () => undefined,
    changed: () => undefined,
    ended: () => undefined,
  });
}

/** Starts `command` as the launcher does (jobLauncher.ts): lent by the watcher, then expected and a listing asked for. */
async function startJob(watcher: JobsWatcher, target: SshTarget, command: string): Promise<string> {
  const lent = await watcher.lend(target);
  try {
    const outcome = await lent.jobs.start({ name: 'bench', command, workdir: REMOTE_DIR });
    if (outcome.kind !== 'started') throw new Error(`the job did not start: ${JSON.stringify(outcome)}`);
    watcher.expect(target.id, outcome.jobId);
    void watcher.refresh(target.id);
    return outcome.jobId;
  } finally {
    await lent.release();
  }
}

export async function measureRunToFirstLine(runs = RUNS, profileSeconds = 0): Promise<RunToFirstLine> {
  const m = await startMachine('bench-run');
  if (profileSeconds > 0) writeFileSync(join(m.home, '.bash_profile'), `sleep ${profileSeconds}\n`);
  const connections = new SshConnections(m.transport);
  const watcher = watcherOf(connections);
  try {
    const local = await uploadedWorkspace(m, connections);
    // The ready machine: the watcher (the view visible) holds its connection open.
    watcher.setActive(true);
    watcher.setTargets([m.target]);
    await watcher.refresh(m.target.id);
    const figures: RunToFirstLine = {
      totalMs: [],
      uploadMs: [],
      startMs: [],
      firstLineMs: [],
      readsToFirstLine: [],
      readMs: [],
      pollMs: 1000,
      sessionMs: [],
    };
    for (let run = 0; run < runs; run++) {
      const t0 = performance.now();
      // The upload, as WorkspaceTransfers does it: borrow, upload, give back.
      const c = await connections.connect(m.target, { acceptNewHostKey: true });
      const up = await uploadWorkspace({ connection: c, localRoot: local, remoteDir: REMOTE_DIR }).finally(() =>
        c.close(),
      );
      if (up.sentFiles !== 0) throw new Error(`an unchanged workspace sent ${up.sentFiles} files`);
      const t1 = performance.now();
      const jobId = await startJob(watcher, m.target, 'echo first');
      const t2 = performance.now();
      // The job's terminal (logTerminals.ts): lent by the watcher, a follower at the default poll.
      const lent = await watcher.lend(m.target);
      let reads = 0;
      const line = await new Promise<number>((done, fail) => {
        const follower = new SetupLogFollower<JobAnswer>({
          source: {
            readLog: async (start, n) => {
              reads++;
              const r0 = performance.now();
              const poll = await lent.jobs.readLog(jobId, start, n);
              figures.readMs.push(performance.now() - r0);
              return poll;
            },
          },
          timers: realTimers,
          logPath: `~/.fal/jobs/${jobId}/log`,
          onText: (text) => {
            if (!text.includes('first')) return;
            follower.stop();
            done(performance.now());
          },
          onEnd: () => fail(new Error('the job ended without its line reaching onText')),
          onReadFailed: (reason) => fail(new Error(reason)),
        });
        follower.start();
      });
      await lent.release();
      figures.totalMs.push(line - t0);
      figures.uploadMs.push(t1 - t0);
      figures.startMs.push(t2 - t1);
      figures.firstLineMs.push(line - t2);
      figures.readsToFirstLine.push(reads);
      await watcher.refresh(m.target.id);
    }
    const held = await connections.connect(m.target);
    for (let run = 0; run < runs; run++) {
      const t0 = performance.now();
      await held.run('true', 10_000);
      figures.sessionMs.push(performance.now() - t0);
    }
    await held.close();
    return figures;
  } finally {
    watcher.dispose();
    await connections.closeAll();
    await m.dispose();
  }
}

export async function measureLogStreaming(): Promise<LogStreaming> {
  const m = await startMachine('bench-stream');
  const connections = new SshConnections(m.transport);
  const watcher = watcherOf(connections);
  try {
    await uploadedWorkspace(m, connections);
    const held = await connections.connect(m.target);
    const jobId = await startJob(watcher, m.target, `head -c ${STREAM_RANDOM_BYTES} /dev/urandom | base64`);
    const lent = await watcher.lend(m.target);
    let bytes = 0;
    let reads = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise<void>((done, fail) => {
      const follower = new SetupLogFollower<JobAnswer>({
        source: { readLog: (start, n) => (reads++, lent.jobs.readLog(jobId, start, n)) },
        timers: realTimers,
        logPath: `~/.fal/jobs/${jobId}/log`,
        // From the log's first byte, as a terminal reopened at 0 does: a first open would show only
        // the last 256 KiB of a log already megabytes long.
        resume: { runId: jobId, offset: 0 },
        // Every byte, to measure the carrying: a terminal skips ahead when this far behind (16 MiB).
        maxBehindBytes: Number.POSITIVE_INFINITY,
        onText: (text) => (bytes += Buffer.byteLength(text)),
        onEnd: (status) =>
          status.kind === 'exited' && status.exitCode === 0 ? done() : fail(new Error(JSON.stringify(status))),
        onReadFailed: (reason) => fail(new Error(reason)),
      });
      follower.start();
    });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await lent.release();
    await held.close();
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const mb = bytes / 1e6;
    if (mb < 50) throw new Error(`only ${bytes} bytes of log were followed`);
    return { bytes, seconds, mbPerSecond: mb / seconds, cpuMs, cpuMsPerMb: cpuMs / mb, reads };
  } finally {
    watcher.dispose();
    await connections.closeAll();
    await m.dispose();
  }
}

export async function measureJobSessions(seconds = 30): Promise<JobSessions> {
  const m = await startMachine('bench-sessions');
  const logins = () => m.s.logLines(/Accepted publickey for /).length;
  const sessionsOpened = () => m.s.logLines(/Starting session: /).length;
  const connections = new SshConnections(m.transport);
  let listings = 0;
  const watcher = watcherOf(connections, () => listings++);
  const sampler = new GpuSampler({ transport: connections, sampleSeconds: 1 });
  try {
    // Before the clock: the workspace (its own run of a fresh sshd's login is not ours to count twice).
    await uploadedWorkspace(m, connections);
    const before = { logins: logins(), sessions: sessionsOpened() };
    watcher.setActive(true);
    watcher.setTargets([m.target]);
    sampler.setTargets([m.target]);
    m.s.stub.set('h100x1-busy');
    sampler.setVisible(true);
    const jobId = await startJob(
      watcher,
      m.target,
      `for i in $(seq 1 ${seconds * 8}); do echo "step $i"; sleep 0.25; done`,
    );
    const lent = await watcher.lend(m.target);
    let logBytes = 0;
    const follower = new SetupLogFollower<JobAnswer>({
      source: { readLog: (start, n) => lent.jobs.readLog(jobId, start, n) },
      timers: realTimers,
      logPath: `~/.fal/jobs/${jobId}/log`,
      onText: (t) => (logBytes += Buffer.byteLength(t)),
    });
    follower.start();
    const end = performance.now() + seconds * 1000;
    let samples = 0;
    while (performance.now() < end) {
      const job = watcher.known(m.target.id)?.jobs.find((j) => j.run.runId === jobId);
      if (job && job.kind !== 'running') throw new Error('the job ended before the bench did');
      if (sampler.state(m.target.id)?.kind === 'ok') samples++;
      await new Promise((r) => setTimeout(r, 1000));
    }
    follower.stop();
    sampler.setVisible(false);
    const stop = await lent.jobs.stop(jobId, 1);
    await lent.release();
    if (stop.kind !== 'stopping') throw new Error(`the job was not running at the end: ${JSON.stringify(stop)}`);
    return {
      seconds,
      logins: logins() - before.logins,
      sessions: sessionsOpened() - before.sessions,
      listings,
      samples,
      logBytes,
    };
  } finally {
    sampler.setVisible(false);
    watcher.dispose();
    await connections.closeAll();
    await m.dispose();
  }
}

export async function measureJobs(seconds = 30): Promise<JobsBench> {
  const run = await measureRunToFirstLine();
  const runSlowProfile = await measureRunToFirstLine(RUNS, 0.5);
  const stream = await measureLogStreaming();
  const sessions = await measureJobSessions(seconds);
  return { run, runSlowProfile, stream, sessions };
}

if (require.main === module) {
  measureJobs().then(
    (figures) => console.log(JSON.stringify(figures)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
