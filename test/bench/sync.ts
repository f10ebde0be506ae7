// The workspace up and results back against a real sshd on loopback (ssh2 from the shipped
// dist/ssh2.js), beside plain `rsync -a` over the same sshd in the same run: a first upload of a
// 10,000-file / 200 MB tree (median of 5, each run into a fresh folder, rsync and ours taking turns),
// a re-upload with nothing changed (time, and the bytes through the connection both ways), one
// changed file among 10,000, and, in a process of its own for each direction, the peak RSS over idle
// while 2 GB go up or come back (the kernel's high-water mark, VmHWM, reset just before the transfer).
//   node out/test/bench/sync.js          the 10,000-file figures, as JSON
//   node --expose-gc out/test/bench/sync.js --big up|down   the 2 GB figures of one direction, as JSON
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Transform, pipeline } from 'node:stream';
import type { CommandConnection } from '../../src/connections/commandTransport';
import type { ExecIo } from '../../src/connections/types';
import { downloadResults } from '../../src/sync/download';
import { uploadWorkspace } from '../../src/sync/upload';
import { syncSshd, type SyncSshd } from '../unit/sync/syncSshd';

const FILES = 10_000;
const TREE_BYTES = 200 * 1000 * 1000;
const RUNS = 5;

interface Counted extends CommandConnection {
  /** Bytes of command lines and stdin (up), of stdout (down): the payload, SSH framing not counted. */
  readonly bytes: { up: number; down: number };
}

function tap(add: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _e, done) {
      add(chunk.length);
      done(null, chunk);
    },
  });
}

function counting(connection: CommandConnection): Counted {
  const bytes = { up: 0, down: 0 };
  return {
    bytes,
    run: (command, timeoutMs) => ((bytes.up += Buffer.byteLength(command)), connection.run(command, timeoutMs)),
    exec: (command: string, io: ExecIo) => {
      bytes.up += Buffer.byteLength(command);
      let stdin: NodeJS.ReadableStream | undefined;
      let stdout: NodeJS.WritableStream | undefined;
      // pipeline, not pipe: a failure on either side must still reach the other, as without the tap.
      if (io.stdin)
        stdin = pipeline(
          io.stdin,
          tap((n) => (bytes.up += n)),
          () => undefined,
        );
      if (io.stdout) {
        const down = tap((n) => (bytes.down += n));
        pipeline(down, io.stdout, () => undefined);
        stdout = down;
      }
      return connection.exec(command, { ...io, stdin, stdout });
    },
    forward: (host, port) => connection.forward(host, port),
    close: () => connection.close(),
    onDrop: (l) => connection.onDrop(l),
  };
}

/** 100 folders of 100 files of incompressible bytes (neither side compresses; nothing to gain by it). */
function writeTree(root: string): void {
  const size = Math.floor(TREE_BYTES / FILES);
  for (let i = 0; i < FILES; i++) {
    const dir = join(root, `d${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${i}.py`), randomBytes(size));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Times `fn` from a clean page cache state: the writes of the run before are flushed first, not paid by this one. */
async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  execFileSync('sync');
  const t0 = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - t0) / 1000, value };
}

function rsyncSeconds(s: SyncSshd, local: string, remoteDir: string): number {
  const ssh =
    `ssh -p ${s.sshd.sshd.port} -i ${s.sshd.plainKey} -o IdentitiesOnly=yes ` +
    `-o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o LogLevel=ERROR`;
  execFileSync('sync');
  const t0 = performance.now();
  execFileSync('rsync', ['-a', '-e', ssh, `${local}/`, `${s.sshd.user}@127.0.0.1:${join(s.home, remoteDir)}/`]);
  return (performance.now() - t0) / 1000;
}

const connectBundled = () => {
  const bundle = resolve(__dirname, '../../../dist/ssh2.js');
  return syncSshd(undefined, { loadSsh2: () => require(bundle) });
};

export interface SyncBench {
  readonly rsyncFirstS: number[];
  readonly firstS: number[];
  /** median(ours) ÷ median(rsync). */
  readonly firstRatio: number;
  readonly unchangedS: number[];
  readonly rsyncUnchangedS: number[];
  readonly unchangedUpBytes: number;
  readonly unchangedDownBytes: number;
  readonly oneChangedS: number[];
  readonly rsyncOneChangedS: number[];
  readonly oneChangedUpBytes: number;
  /** A command that does nothing (`true`) on the open connection: what every session costs on this sshd. */
  readonly sessionS: number[];
}

export async function measureSync(): Promise<SyncBench> {
  const s = await connectBundled();
  const conn = counting(await s.connect());
  try {
    const local = s.localDir('bench-sync');
    writeTree(local);
    const rsyncFirstS: number[] = [];
    const firstS: number[] = [];
    let [remoteDir, rsyncDir] = ['', ''];
    for (let run = 0; run < RUNS; run++) {
      rsyncDir = s.remoteDir('rsync');
      rsyncFirstS.push(rsyncSeconds(s, local, rsyncDir));
      const dir = (remoteDir = s.remoteDir('ours'));
      firstS.push((await timed(() => uploadWorkspace({ connection: conn, localRoot: local, remoteDir: dir }))).seconds);
    }
    const upload = () => uploadWorkspace({ connection: conn, localRoot: local, remoteDir });
    const figures = { unchangedS: [] as number[], rsyncUnchangedS: [] as number[], oneChangedS: [] as number[] };
    const rsyncOneChangedS: number[] = [];
    let unchanged = { up: 0, down: 0 };
    let oneChangedUp = 0;
    for (let run = 0; run < RUNS; run++) {
      conn.bytes.up = conn.bytes.down = 0;
      const same = await timed(upload);
      if (same.value.sentFiles !== 0) throw new Error(`a re-upload sent ${same.value.sentFiles} files`);
      figures.unchangedS.push(same.seconds);
      unchanged = { ...conn.bytes };
      figures.rsyncUnchangedS.push(rsyncSeconds(s, local, rsyncDir));
      appendFileSync(join(local, `d42/f${4200 + run}.py`), 'changed');
      conn.bytes.up = conn.bytes.down = 0;
      const one = await timed(upload);
      if (one.value.sentFiles !== 1) throw new Error(`one change sent ${one.value.sentFiles} files`);
      figures.oneChangedS.push(one.seconds);
      oneChangedUp = conn.bytes.up;
      rsyncOneChangedS.push(rsyncSeconds(s, local, rsyncDir));
    }
    const sessionS: number[] = [];
    for (let run = 0; run < RUNS; run++) sessionS.push((await timed(() => conn.run('true', 10_000))).seconds);
    return {
      rsyncFirstS,
      firstS,
      firstRatio: median(firstS) / median(rsyncFirstS),
      ...figures,
      unchangedUpBytes: unchanged.up,
      unchangedDownBytes: unchanged.down,
      rsyncOneChangedS,
      oneChangedUpBytes: oneChangedUp,
      sessionS,
    };
  } finally {
    await conn.close();
    await s.dispose();
  }
}

const statusKiB = (field: string) =>
  Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) * 1024;

/** Peak RSS over the RSS before, while `fn` runs: VmHWM, reset by clear_refs 5 (Linux ≥ 4.0). */
async function peakOverIdle(
  fn: () => Promise<unknown>,
): Promise<{ idleRssBytes: number; seconds: number; peakOverIdleBytes: number }> {
  (global as { gc?: () => void }).gc?.();
  const idle = statusKiB('VmRSS');
  writeFileSync('/proc/self/clear_refs', '5');
  const { seconds } = await timed(fn);
  return { idleRssBytes: idle, seconds, peakOverIdleBytes: statusKiB('VmHWM') - idle };
}

export interface BigBench {
  readonly direction: 'up' | 'down';
  readonly bytes: number;
  readonly idleRssBytes: number;
  readonly seconds: number;
  readonly peakOverIdleBytes: number;
}

/** 2 GB: a 1 GiB file, two of 256 MiB, 512 files of 1 MiB. */
function writeBigTree(root: string): void {
  const block = randomBytes(1024 * 1024);
  const write = (path: string, mib: number) => {
    const fd = openSync(join(root, path), 'w');
    for (let i = 0; i < mib; i++) writeSync(fd, block);
    closeSync(fd);
  };
  write('one.bin', 1024);
  write('two.bin', 256);
  write('three.bin', 256);
  mkdirSync(join(root, 'small'));
  for (let i = 0; i < 512; i++) write(`small/${i}.bin`, 1);
}

/**
 * 2 GB up, or (the files put on the machine directly: its sshd is local) back down into an empty
 * folder. One direction per process: after the first, freed memory would be counted in the second's idle.
 */
export async function measureBigTransfer(direction: 'up' | 'down'): Promise<BigBench> {
  const s = await connectBundled();
  const conn = await s.connect();
  try {
    const local = s.localDir('bench-big');
    const remoteDir = s.remoteDir('big');
    if (direction === 'down') mkdirSync(join(s.home, remoteDir));
    writeBigTree(direction === 'up' ? local : join(s.home, remoteDir));
    const transfer =
      direction === 'up'
        ? () => uploadWorkspace({ connection: conn, localRoot: local, remoteDir })
        : () => downloadResults({ connection: conn, localRoot: local, remoteDir, globs: ['*.bin'] });
    // A command first: the modules and the connection's first session are the host's idle state.
    await conn.run('true', 10_000);
    const { idleRssBytes, seconds, peakOverIdleBytes } = await peakOverIdle(transfer);
    const arrived = execFileSync('du', ['-sb', direction === 'up' ? join(s.home, remoteDir) : local], {
      encoding: 'utf8',
    });
    if (Number(arrived.split('\t')[0]) < 2 * 1024 ** 3) throw new Error(`only ${arrived} arrived`);
    return { direction, bytes: 2 * 1024 ** 3, idleRssBytes, seconds, peakOverIdleBytes };
  } finally {
    await conn.close();
    await s.dispose();
  }
}

if (require.main === module) {
  const big = process.argv.indexOf('--big');
  const direction = process.argv[big + 1] === 'down' ? 'down' : 'up';
  (big >= 0 ? measureBigTransfer(direction) : measureSync()).then(
    (figures) => console.log(JSON.stringify(figures)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
