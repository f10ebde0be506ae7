// probeHostKey against a real sshd: first contact is accepted (accept-new records the key), a
// new host key on the same address is reported as 'changed', forgetHost makes it pass again.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHostOnly } from '../../../src/remote/hostSync';
import { probeHostKey } from '../../../src/remote/sshProbe';
import { forgetHost, sshPaths } from '../../../src/ssh';
import { hasOpenSsh, makeTempDir, removeDir, run, SSH_KEYGEN, SSHD, startSshd, type Sshd } from '../ssh/helpers';

describe('remote/sshProbe (real sshd)', function () {
  this.timeout(30_000);
  let dir: string;
  let sshd: Sshd | undefined;
  before(function () {
    if (!hasOpenSsh() || !existsSync(SSHD)) this.skip();
  });
  beforeEach(() => {
    dir = makeTempDir('fal-probe-');
  });
  afterEach(async () => {
    await sshd?.stop();
    sshd = undefined;
    removeDir(dir);
  });

  it('says ok, then changed after the host key changes, then ok after forgetHost', async () => {
    const key = join(dir, 'id_ed25519');
    assert.equal((await run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-f', key])).code, 0);
    sshd = await startSshd(dir, readFileSync(`${key}.pub`, 'utf8'));
    const paths = sshPaths(join(dir, 'home'));
    await writeHostOnly(paths, { instanceId: 'inst_probe', ip: '127.0.0.1', user: sshd.user, port: sshd.port, identityFile: key });
    assert.deepEqual(await probeHostKey(paths.managedConfig, 'fal-inst_probe'), { kind: 'ok' });
    assert.match(readFileSync(paths.knownHosts, 'utf8'), new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd.port} ssh-ed25519 `, 'm'));

    // Same address, new machine: another host key.
    const port = sshd.port;
    await sshd.stop();
    const newHostKey = join(dir, 'new_host_key');
    await run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-f', newHostKey]);
    sshd = await startSshd(dir, readFileSync(`${key}.pub`, 'utf8'), { hostKey: newHostKey, port });
    const verdict = await probeHostKey(paths.managedConfig, 'fal-inst_probe');
    assert.equal(verdict.kind, 'changed', JSON.stringify(verdict));

    assert.equal(await forgetHost(paths.knownHosts, '127.0.0.1', port), 1);
    assert.deepEqual(await probeHostKey(paths.managedConfig, 'fal-inst_probe'), { kind: 'ok' });
  });

  it('is unknown (not changed) when nothing listens', async () => {
    const paths = sshPaths(join(dir, 'home'));
    const key = join(dir, 'k');
    writeFileSync(key, 'x');
    await writeHostOnly(paths, { instanceId: 'inst_none', ip: '127.0.0.1', user: 'root', port: 1, identityFile: key });
    const v = await probeHostKey(paths.managedConfig, 'fal-inst_none');
    assert.equal(v.kind, 'unknown');
  });
});
