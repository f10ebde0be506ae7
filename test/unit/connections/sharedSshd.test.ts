// The connection owner against a real sshd (LogLevel VERBOSE): the GPU sampler and two more
// borrowers (as setup and a sync would be) make ONE login; accept-new records the first host key
// under the instance's alias exactly as OpenSSH would (ssh-keygen -F finds it, ssh then connects
// with StrictHostKeyChecking=yes) and refuses a key other than the recorded one.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { CommandTransportError } from '../../../src/connections/commandTransport';
import { SshConnections } from '../../../src/connections/sshConnections';
import { createSshTransport } from '../../../src/connections/sshTransport';
import { GpuSampler } from '../../../src/gpu/sampler';
import { hostAlias } from '../../../src/ssh/hostEntry';
import { KEYGEN } from '../../e2e/sshd';
import { waitFor } from '../../support/polling';
import { aliasLine, gpuSshdOrSkip, type GpuSshd } from '../gpu/gpuSshd';

const ACCEPTED = /Accepted publickey for /;

describe('SSH connection owner over a real sshd', function () {
  this.timeout(60_000);
  let s: GpuSshd;
  const owner = (log: string[] = []) =>
    new SshConnections(
      createSshTransport({ knownHostsFile: s.knownHosts, agentPath: undefined, log: (l) => log.push(l) }),
      (l) => log.push(l),
    );

  before(async function () {
    s = await gpuSshdOrSkip(this);
  });
  after(async () => s?.dispose());

  it('GPU sampling + two other borrowers of one instance: one login, all their commands, one disconnect', async () => {
    writeFileSync(s.knownHosts, aliasLine('gpu-a', s.hostKey));
    const before = s.logLines(ACCEPTED).length;
    const connections = owner();
    const sampler = new GpuSampler({ transport: connections, sampleSeconds: 3600 });
    sampler.setTargets([s.target('gpu-a')]);
    s.stub.set('h100x1-busy');
    sampler.setVisible(true);
    await waitFor(
      'a sample',
      () => sampler.state('gpu-a')?.kind,
      (k) => k === 'ok',
    );
    const setup = await connections.connect(s.target('gpu-a'));
    const sync = await connections.connect(s.target('gpu-a'));
    assert.equal((await setup.run('echo setup', 5000)).stdout, 'setup\n');
    assert.equal((await sync.run('echo sync', 5000)).stdout, 'sync\n');
    assert.equal((await sampler.refresh('gpu-a'))?.kind, 'ok');
    assert.equal(s.logLines(ACCEPTED).length - before, 1, 'one login for the three');
    await setup.close();
    sampler.setVisible(false); // the sampler gives its borrow back
    assert.equal(connections.openCount, 1, 'sync still holds it');
    assert.equal((await sync.run('echo still', 5000)).stdout, 'still\n');
    await sync.close();
    assert.equal(connections.openCount, 0);
    await waitFor(
      'the disconnect',
      () => s.logLines(/Received disconnect from 127\.0\.0\.1/).length,
      (n) => n > 0,
    );
    await sampler.dispose();
  });

  it('accept-new: no key remembered → the presented key is recorded under fal-<id> and OpenSSH agrees; without accept-new, nothing is sent', async () => {
    writeFileSync(s.knownHosts, '');
    const log: string[] = [];
    const connections = owner(log);
    const before = s.logLines(/Connection from 127\.0\.0\.1/).length;
    await assert.rejects(
      connections.connect(s.target('fresh-1')),
      (e: CommandTransportError) => e.kind === 'hostKeyUnknown',
    );
    assert.equal(s.logLines(/Connection from 127\.0\.0\.1/).length, before, 'refused before any packet');
    const conn = await connections.connect(s.target('fresh-1'), { acceptNewHostKey: true });
    assert.equal((await conn.run('echo hi', 5000)).stdout, 'hi\n');
    await conn.close();
    assert.equal(readFileSync(s.knownHosts, 'utf8'), aliasLine('fresh-1', s.hostKey), 'one line, under the alias');
    assert.ok(log.some((l) => l.includes('fal-fresh-1: host key recorded')));
    assert.match(
      execFileSync(KEYGEN, ['-F', hostAlias('fresh-1'), '-f', s.knownHosts], { encoding: 'utf8' }),
      /ed25519/,
    );
    const ssh = spawnSync(
      'ssh',
      [
        ...['-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${s.knownHosts}`],
        ...['-o', `HostKeyAlias=${hostAlias('fresh-1')}`, '-o', 'IdentitiesOnly=yes', '-i', s.plainKey],
        ...['-p', String(s.sshd.port), `${s.user}@127.0.0.1`, 'echo ok'],
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    assert.equal(ssh.stdout, 'ok\n', ssh.stderr);
  });

  it('accept-new never replaces a remembered key: another key under the alias refuses, and the file is unchanged', async () => {
    const otherKey = `${s.sshd.dir}/other_host_key`;
    if (!existsSync(otherKey)) execFileSync(KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]);
    const other = readFileSync(`${otherKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    writeFileSync(s.knownHosts, aliasLine('fresh-2', other));
    await assert.rejects(
      owner().connect(s.target('fresh-2'), { acceptNewHostKey: true }),
      (e: CommandTransportError) => e.kind === 'hostKeyMismatch',
    );
    assert.equal(readFileSync(s.knownHosts, 'utf8'), aliasLine('fresh-2', other));
  });
});
