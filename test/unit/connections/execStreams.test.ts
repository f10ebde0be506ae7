// exec() over a real sshd: a stream up and a stream down byte for byte (50 MB, through one borrowed
// connection), an abort that ends the session, a stall ended by the idle timeout, and a local sink
// that fails (a full disk) reported as a local-file error — never a hang, never a success.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { CommandTransportError } from '../../../src/connections/commandTransport';
import { SshConnections } from '../../../src/connections/sshConnections';
import { createSshTransport } from '../../../src/connections/sshTransport';
import type { CommandConnection } from '../../../src/connections/commandTransport';
import { waitFor } from '../../support/polling';
import { aliasLine, gpuSshdOrSkip, type GpuSshd } from '../gpu/gpuSshd';

const readIfExists = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('exec with streams over a real sshd', function () {
  this.timeout(60_000);
  let s: GpuSshd;
  let conn: CommandConnection;
  let dir: string;

  before(async function () {
    s = await gpuSshdOrSkip(this);
    writeFileSync(s.knownHosts, aliasLine('exec-a', s.hostKey));
    conn = await new SshConnections(createSshTransport({ knownHostsFile: s.knownHosts, agentPath: undefined })).connect(
      s.target('exec-a'),
    );
    dir = mkdtempSync(join(tmpdir(), 'fal-exec-'));
  });
  after(async () => {
    await conn?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await s?.dispose();
  });

  it('50 MB up through stdin and back down through stdout, byte for byte', async () => {
    const data = randomBytes(50 * 1024 * 1024);
    const remote = join(dir, 'up.bin');
    const up = await conn.exec(`cat > '${remote}'`, {
      stdin: Readable.from([data.subarray(0, 1e7), data.subarray(1e7)]),
    });
    assert.equal(up.exitCode, 0, up.stderr);
    assert.equal(sha(readFileSync(remote)), sha(data));
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _e, cb) {
        chunks.push(chunk);
        cb();
      },
    });
    const down = await conn.exec(`cat '${remote}'; echo done >&2`, { stdout: sink });
    assert.deepEqual([down.exitCode, down.stderr], [0, 'done\n']);
    assert.equal(sha(Buffer.concat(chunks)), sha(data));
  });

  for (const [what, command, stdin] of [
    ['a download (the command writes)', 'while :; do echo x; sleep 0.05; done', undefined],
    ['an upload (the command reads, our stdin stays open)', `exec cat > /dev/null`, new PassThrough()],
  ] as const) {
    it(`an abort of ${what} ends the session and the remote command`, async () => {
      const controller = new AbortController();
      const pidFile = join(dir, `abort-${Math.random()}.pid`);
      const running = conn.exec(`echo $$ > '${pidFile}'; ${command}`, { signal: controller.signal, stdin });
      const pid = Number(
        await waitFor(
          'the pid',
          () => readIfExists(pidFile),
          (t) => t.endsWith('\n'),
        ),
      );
      controller.abort();
      await assert.rejects(running, (e: CommandTransportError) => e.kind === 'closed');
      await waitFor('the remote command to end', () => !isAlive(pid), Boolean, 10_000);
      assert.equal((await conn.run('echo still usable', 5000)).stdout, 'still usable\n');
    });
  }

  it('no byte either way for idleTimeoutMs ends it with "timeout"', async () => {
    const stdin = new PassThrough(); // never written, never ended
    await assert.rejects(
      conn.exec('cat > /dev/null', { stdin, idleTimeoutMs: 500 }),
      (e: CommandTransportError) => e.kind === 'timeout',
    );
  });

  it('a local sink that fails (ENOSPC) is a localFile error, not a success', async () => {
    const sink = new Writable({
      write(_c, _e, cb) {
        cb(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      },
    });
    await assert.rejects(
      conn.exec('head -c 1000000 /dev/zero', { stdout: sink }),
      (e: CommandTransportError) => e.kind === 'localFile' && /ENOSPC/.test(e.message),
    );
  });
});
