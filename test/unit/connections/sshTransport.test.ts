// The SSH transport and the sampler against a real sshd (LogLevel VERBOSE) with a stub nvidia-smi
// that replays real outputs: one connection for many samples, host keys checked before anything is
// sent, passphrase-protected keys only through ssh-agent, clean close. Proofs come from sshd's log.
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GpuSampler } from '../../../src/gpu/sampler';
import { createSshTransport, type SshTransportOptions } from '../../../src/connections/sshTransport';
import { CommandTransportError } from '../../../src/connections/commandTransport';
import { waitFor } from '../../support/polling';
import { fixture } from '../gpu/fixtures';
import { aliasLine, PASSPHRASE, gpuSshdOrSkip, type GpuSshd } from '../gpu/gpuSshd';

const ACCEPTED = /Accepted publickey for /;
const SESSION = /Starting session: command for /;

describe('GPU sampling over a real sshd', function () {
  this.timeout(60_000);
  let s: GpuSshd;
  const transport = (o: Partial<SshTransportOptions> = {}) =>
    createSshTransport({ knownHostsFile: s.knownHosts, agentPath: undefined, ...o });

  before(async function () {
    s = await gpuSshdOrSkip(this);
  });
  after(async () => s?.dispose());
  beforeEach(() => writeFileSync(s.knownHosts, aliasLine('gpu-a', s.hostKey)));

  it('N samples use ONE connection (one "Accepted publickey") and N commands; the stub switches busy → idle → driver failure → missing', async () => {
    const before = { accepted: s.logLines(ACCEPTED).length, sessions: s.logLines(SESSION).length };
    const sampler = new GpuSampler({ transport: transport(), sampleSeconds: 3600 });
    sampler.setTargets([s.target('gpu-a')]);
    s.stub.set('h100x8-busy');
    sampler.setVisible(true); // the first sample starts at once
    const busy = await waitFor(
      'the first sample',
      () => sampler.state('gpu-a'),
      (st) => st !== undefined && st.kind !== 'connecting',
    );
    assert.equal(busy?.kind === 'ok' && busy.gpus.length, 8, JSON.stringify(busy));
    assert.equal(busy?.kind === 'ok' && busy.processes.length, 15);
    assert.equal(
      busy?.kind === 'ok' && busy.raw.includes(fixture('query-gpu.h100x8-busy.csv')),
      true,
      'raw output kept for the report',
    );

    s.stub.set('h100x1-idle');
    const idle = await sampler.refresh('gpu-a');
    assert.deepEqual(idle?.kind === 'ok' && [idle.gpus.length, idle.processes.length], [1, 0]);
    s.stub.set('driver-failed');
    assert.deepEqual(await sampler.refresh('gpu-a'), {
      kind: 'driverFailed',
      message: fixture('driver-failed.txt').trim(),
    });
    s.stub.set('missing');
    const missing = await sampler.refresh('gpu-a');
    assert.equal(missing?.kind, 'noNvidiaSmi');
    assert.match(missing?.kind === 'noNvidiaSmi' ? missing.message : '', /nvidia-smi: command not found/);
    s.stub.set('h100x1-busy');
    assert.equal((await sampler.refresh('gpu-a'))?.kind, 'ok');

    sampler.setVisible(false); // closes the connection
    await waitFor(
      'sshd to log the disconnect',
      () => s.logLines(/Received disconnect from 127\.0\.0\.1/).length,
      (n) => n > 0,
    );
    assert.equal(s.logLines(ACCEPTED).length - before.accepted, 1, 'one connection for all samples');
    assert.equal(s.logLines(SESSION).length - before.sessions, 5, 'one command per sample');
    assert.equal(sampler.openConnections, 0);
    await sampler.dispose();
  });

  it('unknown host key: state hostKeyUnknown, and no TCP connection at all', async () => {
    const counter = await countingServer();
    try {
      writeFileSync(s.knownHosts, `${aliasLine('other', s.hostKey)}[127.0.0.1]:${s.sshd.port} ${s.hostKey}\n`);
      const sampler = new GpuSampler({ transport: transport() });
      sampler.setTargets([{ ...s.target('gpu-a'), port: counter.port }]);
      const state = await sampler.refresh('gpu-a');
      assert.deepEqual(state, { kind: 'hostKeyUnknown' });
      rmSync(s.knownHosts);
      assert.deepEqual(await sampler.refresh('gpu-a'), { kind: 'hostKeyUnknown' }, 'no known_hosts file at all');
      assert.equal(counter.connections(), 0, 'not even a TCP handshake');
      await sampler.dispose();
    } finally {
      counter.close();
    }
  });

  it('wrong host key: sshFailed with a clear reason, nothing sent (no authentication, no command)', async () => {
    const other = execFileSync(
      '/bin/sh',
      [
        '-c',
        `d=$(mktemp -d) && ${'/usr/bin/ssh-keygen'} -q -t ed25519 -N '' -f $d/k && cut -d' ' -f1,2 $d/k.pub && rm -r $d`,
      ],
      { encoding: 'utf8' },
    ).trim();
    writeFileSync(s.knownHosts, aliasLine('gpu-a', other));
    const before = {
      accepted: s.logLines(ACCEPTED).length,
      sessions: s.logLines(SESSION).length,
      closed: s.logLines(/\[preauth\]/).length,
    };
    const sampler = new GpuSampler({ transport: transport() });
    sampler.setTargets([s.target('gpu-a')]);
    const state = await sampler.refresh('gpu-a');
    assert.equal(state?.kind, 'sshFailed');
    assert.match(
      state?.kind === 'sshFailed' ? state.reason : '',
      /host key of 127\.0\.0\.1:\d+ is not the one remembered for fal-gpu-a .*nothing was sent.*Forget Host Key/,
    );
    await waitFor(
      'sshd to log the pre-auth close',
      () => s.logLines(/\[preauth\]/).length,
      (n) => n > before.closed,
    );
    assert.equal(s.logLines(ACCEPTED).length, before.accepted, 'no authentication');
    assert.equal(s.logLines(SESSION).length, before.sessions, 'no command');
    await sampler.dispose();
  });

  it('the alias entry wins over the IP entry (fal reuses IPs); without an alias entry the IP entry is used', async () => {
    writeFileSync(s.knownHosts, `[127.0.0.1]:${s.sshd.port} ${s.hostKey}\n`);
    const c = await transport().connect({ ...s.target('gpu-a'), identityFile: s.plainKey });
    assert.equal((await c.run('echo via-ip', 5_000)).stdout, 'via-ip\n');
    await c.close();
    const other = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZhbC1pcy1ub3QtdGhpcy1ob3N0LWtleS0wMDAwMDAw';
    writeFileSync(s.knownHosts, `${aliasLine('gpu-a', other)}[127.0.0.1]:${s.sshd.port} ${s.hostKey}\n`);
    await assert.rejects(
      transport().connect({ ...s.target('gpu-a'), identityFile: s.plainKey }),
      (e: CommandTransportError) => e.kind === 'hostKeyMismatch',
    );
  });

  it('a passphrase-protected key without an agent: a clear state and no connection; with ssh-agent holding it: connects', async () => {
    const counter = await countingServer();
    const agentDir = mkdtempSync(join(tmpdir(), 'fal-gpu-agent-'));
    let agent: ChildProcess | undefined;
    try {
      writeFileSync(s.knownHosts, `${aliasLine('gpu-a', s.hostKey)}${aliasLine('gpu-c', s.hostKey)}`);
      const sampler = new GpuSampler({ transport: transport({ agentPath: undefined }) });
      sampler.setTargets([{ ...s.target('gpu-c', s.lockedKey), port: counter.port }]);
      const state = await sampler.refresh('gpu-c');
      assert.deepEqual(state, {
        kind: 'sshFailed',
        reason: `the key ${s.lockedKey} is passphrase-protected: add it to ssh-agent (ssh-add "${s.lockedKey}")`,
      });
      assert.equal(counter.connections(), 0);
      await sampler.dispose();

      const sock = join(agentDir, 'agent.sock');
      agent = spawn('/usr/bin/ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
      await waitFor('ssh-agent socket', () => existsSync(sock), Boolean, 10_000);
      const viaAgent = transport({ agentPath: sock });
      await assert.rejects(
        viaAgent.connect({ ...s.target('gpu-a'), identityFile: s.lockedKey }),
        (e: CommandTransportError) => e.kind === 'keyEncrypted' && /add it to ssh-agent/.test(e.message),
      );
      const askpass = join(agentDir, 'askpass');
      writeFileSync(askpass, `#!/bin/sh\necho '${PASSPHRASE}'\n`, { mode: 0o700 });
      execFileSync('/usr/bin/ssh-add', [s.lockedKey], {
        env: { SSH_AUTH_SOCK: sock, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' },
        stdio: 'ignore',
      });
      const c = await viaAgent.connect({ ...s.target('gpu-a'), identityFile: s.lockedKey });
      assert.equal((await c.run('echo agent', 5_000)).stdout, 'agent\n');
      await c.close();
    } finally {
      agent?.kill();
      counter.close();
      rmSync(agentDir, { recursive: true, force: true });
    }
  });

  it('run(): a generic command with its own deadline, bounded output, on the same connection', async () => {
    const c = await transport({ maxOutputBytes: 65_536 }).connect({ ...s.target('gpu-a'), identityFile: s.plainKey });
    try {
      const who = await c.run('echo "ubuntu pts/0"; echo oops >&2; exit 3', 5_000);
      assert.deepEqual(who, { stdout: 'ubuntu pts/0\n', stderr: 'oops\n', exitCode: 3, truncated: false });
      await assert.rejects(
        c.run('sleep 30', 300),
        (e: CommandTransportError) => e.kind === 'timeout' && /did not finish within 0 s/.test(e.message),
      );
      const big = await c.run('head -c 1000000 /dev/zero | tr "\\0" x', 10_000);
      assert.equal(big.truncated, true);
      assert.equal(big.stdout.length, 65_536);
      assert.equal(
        (await c.run('echo still-here', 5_000)).stdout,
        'still-here\n',
        'the connection survives a timed-out and a cut-off command',
      );
    } finally {
      await c.close();
    }
  });

  it('the shipped bundle dist/ssh2.js (pure JS: no sshcrypto.node, no cpu-features) connects and samples', async () => {
    const bundle = resolve(__dirname, '../../../../dist/ssh2.js');
    assert.ok(existsSync(bundle), 'node esbuild.mjs builds dist/ssh2.js');
    const c = await transport({ loadSsh2: () => require(bundle) }).connect({
      ...s.target('gpu-a'),
      identityFile: s.plainKey,
    });
    assert.equal((await c.run('echo bundled', 5_000)).stdout, 'bundled\n');
    await c.close();
  });

  it('sshd down: a clear reason', async () => {
    const counter = await countingServer();
    const port = counter.port;
    counter.close();
    writeFileSync(s.knownHosts, aliasLine('gpu-a', s.hostKey));
    await assert.rejects(
      transport().connect({ ...s.target('gpu-a'), port, identityFile: s.plainKey }),
      (e: CommandTransportError) => e.kind === 'network' && /refused the connection/.test(e.message),
    );
  });
});

/** A TCP listener that only counts connections: proof that nothing was sent. */
async function countingServer(): Promise<{ port: number; connections(): number; close(): void }> {
  let count = 0;
  const server: Server = createServer((sock) => {
    count++;
    sock.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    connections: () => count,
    close: () => server.close(),
  };
}
