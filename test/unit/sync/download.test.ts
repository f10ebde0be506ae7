// Results back, over a real sshd: only what the globs match, links and devices refused by name, the
// machine's mtimes kept, a second run fetches nothing, a newer local file is a conflict until the
// caller says to overwrite it. A hostile machine (a fake answering the manifest and the archive
// commands with crafted bytes) writes nothing outside the folder and nothing it was not asked for;
// a full local disk leaves no half file under a result's name and no temporary file behind.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs = require('node:fs');
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { execFileSync } from 'node:child_process';
import { pack as tarPack } from 'tar-stream';
import { downloadResults } from '../../../src/sync/download';
import type { CommandConnection } from '../../../src/connections/commandTransport';
import type { ExecIo } from '../../../src/connections/types';
import { withSyncSshd } from './syncSshd';

const { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } = fs;

function put(root: string, path: string, content: string | Buffer, mtimeSeconds = 1_700_000_000) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
  utimesSync(join(root, path), mtimeSeconds, mtimeSeconds);
}

/** Every file under `dir`, relative, the temporary ones included. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => !d.isDirectory())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}

/** A machine that answers with the bytes it likes: the manifest command and the archive command are faked. */
function hostileMachine(manifest: string, archive: (tar: ReturnType<typeof tarPack>) => void): CommandConnection {
  const answer = async (bytes: Buffer | ReturnType<typeof tarPack>, io: ExecIo) => {
    io.stdin?.resume();
    const sink = io.stdout!;
    if (Buffer.isBuffer(bytes)) sink.end(bytes);
    else await pipeline(bytes as unknown as NodeJS.ReadableStream, sink);
    return { exitCode: 0, stderr: '' };
  };
  return {
    run: () => Promise.reject(new Error('not used')),
    forward: () => Promise.reject(new Error('not used')),
    exec: (command: string, io: ExecIo) => {
      if (command.includes('find . ')) return answer(Buffer.from(manifest, 'utf8'), io);
      const tar = tarPack();
      archive(tar);
      tar.finalize();
      return answer(tar, io);
    },
    close: () => Promise.resolve(),
    onDrop: () => undefined,
  };
}

describe('downloadResults', function () {
  this.timeout(60_000);

  describe('over a real sshd', () => {
    const env = withSyncSshd();

    it('brings what the globs match, refuses links and devices by name, and a second run fetches nothing', async () => {
      const remoteDir = env.s.remoteDir('results');
      const machine = join(env.s.home, remoteDir);
      const big = randomBytes(3 * 1024 * 1024);
      put(machine, 'outputs/run 1/metrics.json', '{"loss": 1}');
      put(machine, 'outputs/sub/deep/big.bin', big);
      put(machine, 'outputs/new\nline.txt', 'n');
      put(machine, 'checkpoints/step1.pt', 'pt');
      put(machine, 'checkpoints/notes.txt', 'not matched');
      put(machine, 'src/main.py', 'not matched');
      symlinkSync('/etc', join(machine, 'outputs/etc'));
      symlinkSync('/etc/passwd', join(machine, 'outputs/passwd'));
      execFileSync('mkfifo', [join(machine, 'outputs/pipe')]);
      const local = env.s.localDir('results');
      const globs = ['outputs/**', 'checkpoints/*.pt'];
      const first = await downloadResults({ connection: env.conn, localRoot: local, remoteDir, globs });
      assert.deepEqual(first.downloaded.sort(), [
        'checkpoints/step1.pt',
        'outputs/new\nline.txt',
        'outputs/run 1/metrics.json',
        'outputs/sub/deep/big.bin',
      ]);
      assert.deepEqual(first.refused.map((r) => `${r.path}: ${r.reason}`).sort(), [
        'outputs/etc: a symbolic link',
        'outputs/passwd: a symbolic link',
        'outputs/pipe: a device, pipe or socket',
      ]);
      assert.deepEqual(readFileSync(join(local, 'outputs/sub/deep/big.bin')), big);
      assert.equal(statSync(join(local, 'checkpoints/step1.pt')).mtimeMs, 1_700_000_000_000);
      assert.deepEqual(filesUnder(local), first.downloaded.sort());
      assert.deepEqual(first.progress.bytes, big.length + 11 + 1 + 2);

      const again = await downloadResults({ connection: env.conn, localRoot: local, remoteDir, globs });
      assert.deepEqual([again.downloaded, again.upToDateFiles], [[], 4]);
    });

    it('a newer local file is a conflict, kept until the caller names it; an older one is replaced', async () => {
      const remoteDir = env.s.remoteDir('conflict');
      const machine = join(env.s.home, remoteDir);
      put(machine, 'out/newer-here.txt', 'machine', 1_700_000_000);
      put(machine, 'out/older-here.txt', 'machine', 1_700_000_000);
      const local = env.s.localDir('conflict');
      put(local, 'out/newer-here.txt', 'edited locally', 1_800_000_000);
      put(local, 'out/older-here.txt', 'stale', 1_600_000_000);
      const globs = ['out/'];
      const first = await downloadResults({ connection: env.conn, localRoot: local, remoteDir, globs });
      assert.deepEqual(first.downloaded, ['out/older-here.txt']);
      assert.deepEqual(first.conflicts, [
        { path: 'out/newer-here.txt', localMtimeSeconds: 1_800_000_000, remoteMtimeSeconds: 1_700_000_000 },
      ]);
      assert.equal(readFileSync(join(local, 'out/newer-here.txt'), 'utf8'), 'edited locally');
      const asked = await downloadResults({
        connection: env.conn,
        localRoot: local,
        remoteDir,
        globs,
        overwriteNewer: ['out/newer-here.txt'],
      });
      assert.deepEqual([asked.downloaded, asked.conflicts], [['out/newer-here.txt'], []]);
      assert.equal(readFileSync(join(local, 'out/newer-here.txt'), 'utf8'), 'machine');
    });

    it('a full local disk fails the download and leaves no half file under its name, nor a temporary one', async () => {
      const remoteDir = env.s.remoteDir('full');
      put(join(env.s.home, remoteDir), 'out/a.bin', randomBytes(1024 * 1024));
      const local = env.s.localDir('full');
      const original = fs.createWriteStream;
      (fs as { createWriteStream: unknown }).createWriteStream = (path: string, options: unknown) => {
        const real = original(path, options as never);
        let written = 0;
        return new Writable({
          write(chunk: Buffer, _e, done) {
            if (written > 300_000)
              return done(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
            written += chunk.length;
            real.write(chunk, done);
          },
          final: (done) => void real.end(done),
          destroy: (error, done) => void real.close(() => done(error)),
        });
      };
      try {
        await assert.rejects(
          downloadResults({ connection: env.conn, localRoot: local, remoteDir, globs: ['out/**'] }),
          (e: Error & { kind?: string }) => e.kind === 'localFile' && /ENOSPC/.test(e.message),
        );
      } finally {
        (fs as { createWriteStream: unknown }).createWriteStream = original;
      }
      assert.deepEqual(filesUnder(local), []);
      const retried = await downloadResults({ connection: env.conn, localRoot: local, remoteDir, globs: ['out/**'] });
      assert.deepEqual(retried.downloaded, ['out/a.bin']);
    });
  });

  it('a hostile machine: unsafe names refused by name, unasked and non-file entries skipped, nothing written outside', async () => {
    const root = fs.mkdtempSync(join(require('node:os').tmpdir(), 'fal-hostile-'));
    const local = join(root, 'folder');
    mkdirSync(local);
    const entry = (name: string, type = 'f', size = 2) => `${name}\0${size}\0${1_700_000_000}.5\0${type}\0`;
    const manifest = [
      entry('ok.txt'),
      entry('../evil.txt'),
      entry('/etc/evil.txt'),
      entry('out/../../evil.txt'),
      entry('linked.txt'),
      entry('CON.txt'),
      entry('dev', 'c', 0),
    ].join('');
    const machine = hostileMachine(manifest, (tar) => {
      tar.entry({ name: '../evil.txt', mtime: new Date(0) }, 'ev');
      tar.entry({ name: 'linked.txt', type: 'symlink', linkname: '/etc/passwd' });
      tar.entry({ name: 'ok.txt', mtime: new Date(1_700_000_000_000) }, 'ok');
      tar.entry({ name: 'ok.txt', mtime: new Date(0) }, 'EV');
      tar.entry({ name: 'CON.txt', mtime: new Date(0) }, 'ev');
    });
    try {
      const result = await downloadResults({
        connection: machine,
        localRoot: local,
        remoteDir: 'w',
        globs: ['*', '**'],
        pathRules: { windows: true },
      });
      assert.deepEqual(result.downloaded, ['ok.txt']);
      assert.equal(readFileSync(join(local, 'ok.txt'), 'utf8'), 'ok');
      assert.deepEqual(
        result.refused.map((r) => `${r.path}: ${r.reason}`),
        [
          '../evil.txt: the path leaves the folder (..)',
          '/etc/evil.txt: an absolute path',
          'out/../../evil.txt: the path leaves the folder (..)',
          'CON.txt: a device name on Windows',
          'dev: a device, pipe or socket',
          '../evil.txt: sent by the machine without being asked for',
          'linked.txt: a link',
          'ok.txt: sent by the machine without being asked for',
          'CON.txt: sent by the machine without being asked for',
        ],
      );
      assert.deepEqual(
        result.missing.map((m) => m.path),
        ['linked.txt'],
      );
      assert.deepEqual(filesUnder(root), ['folder/ok.txt']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
    assert.ok(!existsSync(join(root, 'evil.txt')));
  });
});
