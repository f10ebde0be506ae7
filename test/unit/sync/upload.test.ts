// The workspace up, over a real sshd: odd names arrive byte for byte, a second upload sends nothing,
// one change sends one file, secrets stay home, and a connection closed mid-upload leaves no half
// file under its name and resumes with what the machine lacks; a 5 GB tree goes up and comes back whole.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { downloadResults } from '../../../src/sync/download';
import { uploadWorkspace } from '../../../src/sync/upload';
import { waitFor } from '../../support/polling';
import { withSyncSshd } from './syncSshd';

const ODD_NAMES = [
  'with space.txt',
  'it\'s "quoted".txt',
  'new\nline.txt',
  'dir with space/ünïcode.txt',
  '-starts-with-dash',
  'a/b/c/deep.bin',
];

function writeTree(root: string, files: Record<string, string | Buffer>) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

// The 5 GB tree: past 4 GiB, where 32-bit sizes and offsets would wrap, and past what any buffer
// of ours could hold. The file is sparse here (no 5 GB written locally), with a stamped block at the
// start, on either side of 4 GiB and at the end, so a piece sent to the wrong place or twice changes
// the hash; on the machine and on the way back it is written whole.
const BIG_FILE_BYTES = 5_000_000_000 + 12_345; // 5 GB, past 4 GiB, and not a multiple of tar's 512-byte blocks
const STAMPS = [0, 4 * 1024 ** 3 - 700, 4 * 1024 ** 3 + 3, BIG_FILE_BYTES - 1000];

function sparseFile(path: string): void {
  const fd = openSync(path, 'w');
  try {
    for (const at of STAMPS) writeSync(fd, Buffer.from(`block at ${at}\n`.repeat(40)), 0, undefined, at);
    writeSync(fd, Buffer.from([0x2a]), 0, 1, BIG_FILE_BYTES - 1);
  } finally {
    closeSync(fd);
  }
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: 4 * 1024 * 1024 }), hash);
  return hash.digest('hex');
}

describe('uploadWorkspace over a real sshd', function () {
  this.timeout(120_000);

  const env = withSyncSshd();

  it('odd names arrive byte for byte; a second upload sends nothing; one change sends one file', async () => {
    const local = env.s.localDir('up');
    const remoteDir = env.s.remoteDir('up');
    const files = Object.fromEntries(ODD_NAMES.map((n) => [n, randomBytes(1000 + n.length)]));
    writeTree(local, { ...files, empty: '' });
    // A name that is not UTF-8: left out by name, never mangled into another name.
    writeFileSync(join(local, Buffer.from([0x62, 0x61, 0x64, 0xff]).toString('latin1')), 'x');
    writeFileSync(Buffer.concat([Buffer.from(local + '/raw-'), Buffer.from([0xfe, 0xfd])]), 'x');
    const first = await uploadWorkspace({ connection: env.conn, localRoot: local, remoteDir });
    assert.equal(first.sentFiles, ODD_NAMES.length + 2);
    assert.deepEqual(
      first.leftOut.map((l) => l.reason),
      ['the name is not valid UTF-8'],
    );
    for (const name of ODD_NAMES) assert.deepEqual(readFileSync(join(env.s.home, remoteDir, name)), files[name], name);
    assert.equal(readFileSync(join(env.s.home, remoteDir, 'empty'), 'utf8'), '');
    assert.ok(!readdirSync(join(env.s.home, remoteDir)).some((n) => n.startsWith('.fal-sync-partial')));

    const again = await uploadWorkspace({ connection: env.conn, localRoot: local, remoteDir });
    assert.deepEqual([again.sentFiles, again.sentBytes, again.upToDateFiles], [0, 0, ODD_NAMES.length + 2]);

    writeFileSync(join(local, 'a/b/c/deep.bin'), 'changed');
    const one = await uploadWorkspace({ connection: env.conn, localRoot: local, remoteDir });
    assert.deepEqual([one.sentFiles, one.sentBytes], [1, 7]);
    assert.equal(readFileSync(join(env.s.home, remoteDir, 'a/b/c/deep.bin'), 'utf8'), 'changed');
  });

  it('leaves secrets, ignored files and links home, says which secrets, and sends a named one', async () => {
    const local = env.s.localDir('secrets');
    const remoteDir = env.s.remoteDir('secrets');
    writeTree(local, {
      '.gitignore': 'build/\n*.log\n!keep.log\n',
      'sub/.gitignore': '!*.log\nlocal.txt\n',
      'build/out.o': 'o',
      'debug.log': 'l',
      'keep.log': 'k',
      'sub/inner.log': 'i',
      'sub/local.txt': 'x',
      'data/big.ckpt': 'c',
      '.env': 'TOKEN=1',
      '.env.example': 'TOKEN=',
      'keys/id_ed25519': 'k',
      'certs/server.pem': '-----BEGIN RSA PRIVATE KEY-----\nabc\n',
      'certs/ca.pem': '-----BEGIN CERTIFICATE-----\nabc\n',
      'src/main.py': 'print(1)',
    });
    symlinkSync('/etc/passwd', join(local, 'passwd-link'));
    const result = await uploadWorkspace({ connection: env.conn, localRoot: local, remoteDir, exclude: ['data/'] });
    const there = (p: string) => existsSync(join(env.s.home, remoteDir, p));
    assert.deepEqual(result.skippedSecrets.map((l) => l.path).sort(), ['.env', 'certs/server.pem', 'keys/id_ed25519']);
    assert.deepEqual(result.leftOut, [{ path: 'passwd-link', reason: 'a symbolic link' }]);
    for (const p of ['.gitignore', 'keep.log', 'sub/inner.log', '.env.example', 'certs/ca.pem', 'src/main.py'])
      assert.ok(there(p), p);
    for (const p of ['build/out.o', 'debug.log', 'sub/local.txt', 'data/big.ckpt', '.env', 'passwd-link'])
      assert.ok(!there(p), p);

    const named = await uploadWorkspace({
      connection: env.conn,
      localRoot: local,
      remoteDir,
      exclude: ['data/'],
      explicitlyIncluded: ['.env'],
    });
    assert.deepEqual([named.sentFiles, named.skippedSecrets.length], [1, 2], JSON.stringify(named));
    assert.equal(readFileSync(join(env.s.home, remoteDir, '.env'), 'utf8'), 'TOKEN=1');

    // Sent once on purpose and unchanged: not news any more. Changed here: said again (never sent unasked).
    const again = await uploadWorkspace({ connection: env.conn, localRoot: local, remoteDir, exclude: ['data/'] });
    assert.deepEqual(again.skippedSecrets.map((l) => l.path).sort(), ['certs/server.pem', 'keys/id_ed25519']);
    assert.equal(again.sentFiles, 0);
    writeFileSync(join(local, '.env'), 'TOKEN=22');
    const changed = await uploadWorkspace({ connection: env.conn, localRoot: local, remoteDir, exclude: ['data/'] });
    assert.deepEqual(changed.skippedSecrets.map((l) => l.path).sort(), ['.env', 'certs/server.pem', 'keys/id_ed25519']);
    assert.equal(readFileSync(join(env.s.home, remoteDir, '.env'), 'utf8'), 'TOKEN=1');
  });

  it('a connection closed mid-upload leaves no half file under its name; the next run sends only what is missing', async () => {
    const local = env.s.localDir('drop');
    const remoteDir = env.s.remoteDir('drop');
    const names = Array.from({ length: 12 }, (_, i) => `f${String(i).padStart(2, '0')}.bin`);
    writeTree(local, Object.fromEntries(names.map((n) => [n, randomBytes(2 * 1024 * 1024)])));
    for (const n of names) utimesSync(join(local, n), 1_700_000_000, 1_700_000_000);
    const dropping = await env.s.connectAlone();
    let closed = false;
    const first = uploadWorkspace({
      connection: dropping,
      localRoot: local,
      remoteDir,
      batchFiles: 4,
      onProgress: (p) => {
        if (!closed && p.bytes > 11 * 1024 * 1024) {
          closed = true;
          void dropping.close();
        }
      },
    });
    await assert.rejects(first, (e: Error & { kind?: string }) => e.kind === 'connection');
    // The dropped session's shell may still be moving a batch it had whole when the connection went
    // (or be killed in the middle of that move): look once nothing of it runs on the machine.
    const running = () => spawnSync('pgrep', ['-f', remoteDir]).status === 0;
    await waitFor('the dropped session to end on the machine', running, (r) => !r, 30_000, 50);
    const landed = readdirSync(join(env.s.home, remoteDir)).filter((n) => !n.startsWith('.fal-sync-partial'));
    // Every file under its name is whole; the batch cut short never reached the copy.
    for (const n of landed)
      assert.deepEqual(readFileSync(join(env.s.home, remoteDir, n)), readFileSync(join(local, n)), n);
    assert.ok(landed.length < 12, `landed ${landed.length}`);
    const resumed = await uploadWorkspace({ connection: env.conn, localRoot: local, remoteDir });
    assert.equal(resumed.sentFiles, 12 - landed.length);
    for (const n of names)
      assert.deepEqual(readFileSync(join(env.s.home, remoteDir, n)), readFileSync(join(local, n)), n);
  });

  it('two uploads into one copy at once (a dropped session still moving its batch, and the next run): each lands whole', async () => {
    // Each upload session stages its batch in a folder of its own: with one shared staging folder the
    // two would clear, or copy in, each other's half-written files.
    const remoteDir = env.s.remoteDir('both');
    const trees = ['a', 'b'].map((side) => {
      const local = env.s.localDir(`both-${side}`);
      writeTree(
        local,
        Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`${side}/f${i}.bin`, randomBytes(16 * 1024 * 1024)])),
      );
      return local;
    });
    const other = await env.s.connectAlone();
    try {
      const results = await Promise.all(
        trees.map((local, i) =>
          uploadWorkspace({ connection: i === 0 ? env.conn : other, localRoot: local, remoteDir, batchFiles: 1 }),
        ),
      );
      assert.deepEqual(
        results.map((r) => r.sentFiles),
        [6, 6],
      );
    } finally {
      await other.close();
    }
    for (const [i, local] of trees.entries())
      for (let f = 0; f < 6; f++) {
        const name = `${'ab'[i]}/f${f}.bin`;
        assert.deepEqual(readFileSync(join(env.s.home, remoteDir, name)), readFileSync(join(local, name)), name);
      }
    assert.deepEqual(readdirSync(join(env.s.home, remoteDir)).sort(), ['a', 'b'], 'no staging folder left behind');
  });

  it("a full disk on the machine: the upload fails in the machine's words, nothing half-written carries a name, and it resumes once there is room", async () => {
    const local = env.s.localDir('fulldisk');
    const remoteDir = env.s.remoteDir('fulldisk');
    writeTree(local, { 'small.txt': 'small', 'big.bin': randomBytes(1024 * 1024) });
    const mount = join(env.s.home, remoteDir);
    mkdirSync(mount);
    // Root in CI (as the setup's full-disk test): a 256 KiB disk mounted where the copy goes.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mount], { stdio: 'pipe' });
    try {
      await assert.rejects(
        uploadWorkspace({ connection: env.conn, localRoot: local, remoteDir }),
        (e: Error & { kind?: string }) =>
          e.kind === 'remote' &&
          // GNU tar says either, depending on where the write stopped (misc.c: write_error_details).
          /^Unpacking the upload failed: the machine's disk is full \(.*(No space left on device|Wrote only \d+ of \d+ bytes)\)$/.test(
            e.message,
          ),
      );
      assert.equal(existsSync(join(mount, 'big.bin')), false, 'no half file under its name');
      assert.equal(existsSync(join(mount, 'small.txt')), false, 'nothing of the failed batch under its name');
    } finally {
      execFileSync('umount', [mount]);
    }
    const resumed = await uploadWorkspace({ connection: env.conn, localRoot: local, remoteDir });
    assert.equal(resumed.sentFiles, 2);
    assert.deepEqual(readFileSync(join(mount, 'big.bin')), readFileSync(join(local, 'big.bin')));
  });

  it('a machine without tar: the upload fails saying a command is missing, and nothing is written', async () => {
    const local = env.s.localDir('notar');
    const remoteDir = env.s.remoteDir('notar');
    writeTree(local, { 'a.txt': 'a' });
    const bin = join(env.s.localDir('notar-bin'), 'bin');
    mkdirSync(bin);
    for (const dir of ['/usr/bin', '/bin'])
      for (const tool of readdirSync(dir))
        if (tool !== 'tar' && !existsSync(join(bin, tool))) symlinkSync(join(dir, tool), join(bin, tool));
    const prefix = `PATH='${bin}'; export PATH\n`;
    const noTar = {
      ...env.conn,
      run: (command: string, ms: number) => env.conn.run(prefix + command, ms),
      exec: (command: string, io: Parameters<typeof env.conn.exec>[1]) => env.conn.exec(prefix + command, io),
    };
    await assert.rejects(
      uploadWorkspace({ connection: noTar, localRoot: local, remoteDir }),
      (e: Error & { kind?: string }) => e.kind === 'remote' && /a command is missing on the machine/.test(e.message),
    );
    assert.equal(existsSync(join(env.s.home, remoteDir, 'a.txt')), false);
  });

  it('a 5 GB tree goes up and comes back byte for byte, and a second upload sends nothing', async function () {
    this.timeout(600_000);
    const local = env.s.localDir('big');
    const remoteDir = env.s.remoteDir('big');
    mkdirSync(join(local, 'outputs'));
    const file = join(local, 'outputs', 'weights.bin');
    sparseFile(file);
    const expected = await sha256(file);

    const up = await uploadWorkspace({ connection: env.conn, localRoot: local, remoteDir });
    assert.deepEqual([up.sentFiles, up.sentBytes], [1, BIG_FILE_BYTES]);
    const onMachine = join(env.s.home, remoteDir, 'outputs', 'weights.bin');
    assert.equal(statSync(onMachine).size, BIG_FILE_BYTES);
    assert.equal(await sha256(onMachine), expected, 'the copy on the machine');
    const again = await uploadWorkspace({ connection: env.conn, localRoot: local, remoteDir });
    assert.deepEqual([again.sentFiles, again.upToDateFiles], [0, 1]);

    const home = env.s.localDir('big-back');
    const back = await downloadResults({ connection: env.conn, localRoot: home, remoteDir, globs: ['outputs/**'] });
    assert.deepEqual(back.downloaded, ['outputs/weights.bin']);
    const brought = join(home, 'outputs', 'weights.bin');
    assert.equal(statSync(brought).size, BIG_FILE_BYTES);
    assert.equal(await sha256(brought), expected, 'the copy brought home');
  });
});
