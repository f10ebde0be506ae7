// probeHostKey against a real sshd: first contact is accepted (accept-new records the key under
// the instance's alias, HostKeyAlias fal-<id>), a new instance on a recycled address starts
// clean, a new host key under the same instance is reported as 'changed', forgetting that
// instance's key makes it pass again; real ssh agrees with each verdict; nobody logs in.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHostOnly } from '../../../src/remote/hostSync';
import { probeHostKey } from '../../../src/remote/sshProbe';
import { forgetInstanceHostKeys, knownHostKeys, sshPaths, type SshPaths } from '../../../src/ssh';
import { hasOpenSsh, makeTempDir, removeDir, run, SSH, SSH_KEYGEN, SSHD, startSshd, type Sshd } from '../ssh/helpers';

const target = (paths: SshPaths, alias: string, port: number) => ({
  alias,
  ip: '127.0.0.1',
  port,
  knownHostsFile: paths.knownHosts,
});

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

  it("a new instance on a recycled IP starts clean: the old instance's key for that address is not held against it", async () => {
    const key = join(dir, 'id_ed25519');
    assert.equal((await run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-f', key])).code, 0);
    sshd = await startSshd(dir, readFileSync(`${key}.pub`, 'utf8'));
    const paths = sshPaths(join(dir, 'home'));
    // The deleted instance that had this address, remembered both ways ssh ever wrote it.
    const oldHostKey = join(dir, 'old_host_key');
    await run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-f', oldHostKey]);
    const oldKey = readFileSync(`${oldHostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    mkdirSync(paths.falDir, { recursive: true });
    writeFileSync(paths.knownHosts, `[127.0.0.1]:${sshd.port} ${oldKey}\nfal-inst_old ${oldKey}\n`, { mode: 0o600 });
    await writeHostOnly(paths, {
      instanceId: 'inst_new',
      ip: '127.0.0.1',
      user: sshd.user,
      port: sshd.port,
      identityFile: key,
    });
    assert.deepEqual(await probeHostKey(target(paths, 'fal-inst_new', sshd.port)), { kind: 'ok' });
    assert.match(
      readFileSync(paths.knownHosts, 'utf8'),
      /^fal-inst_new ssh-ed25519 /m,
      "recorded under the new instance's alias",
    );
  });

  it('says ok, then changed after the host key changes under the same instance, then ok after forgetting it', async () => {
    const key = join(dir, 'id_ed25519');
    assert.equal((await run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-f', key])).code, 0);
    sshd = await startSshd(dir, readFileSync(`${key}.pub`, 'utf8'));
    const paths = sshPaths(join(dir, 'home'));
    await writeHostOnly(paths, {
      instanceId: 'inst_probe',
      ip: '127.0.0.1',
      user: sshd.user,
      port: sshd.port,
      identityFile: key,
    });
    assert.deepEqual(await probeHostKey(target(paths, 'fal-inst_probe', sshd.port)), { kind: 'ok' });
    assert.match(readFileSync(paths.knownHosts, 'utf8'), /^fal-inst_probe ssh-ed25519 /m);
    assert.doesNotMatch(
      readFileSync(sshd.logFile, 'utf8'),
      /Accepted|Failed|authenticating user|Invalid user/,
      'a key exchange only: nobody logs in, no login is tried',
    );
    // The real ssh, through the Host block, finds the key recorded and logs in without adding one.
    const login = await run(SSH, ['-F', paths.managedConfig, '-o', 'BatchMode=yes', 'fal-inst_probe', 'true']);
    assert.equal(login.code, 0, login.stderr);
    assert.doesNotMatch(login.stderr, /Permanently added/);
    assert.equal(
      (await knownHostKeys(paths.knownHosts, { alias: 'fal-inst_probe', ip: '127.0.0.1', port: sshd.port })).accepted
        .length,
      1,
    );

    // Same address, new machine: another host key.
    const port = sshd.port;
    await sshd.stop();
    const newHostKey = join(dir, 'new_host_key');
    await run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-f', newHostKey]);
    sshd = await startSshd(dir, readFileSync(`${key}.pub`, 'utf8'), { hostKey: newHostKey, port });
    const verdict = await probeHostKey(target(paths, 'fal-inst_probe', sshd.port));
    assert.equal(verdict.kind, 'changed', JSON.stringify(verdict));
    const refused = await run(SSH, ['-F', paths.managedConfig, '-o', 'BatchMode=yes', 'fal-inst_probe', 'true']);
    assert.match(refused.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED/, 'so does the real ssh');

    assert.equal(await forgetInstanceHostKeys(paths.knownHosts, { alias: 'fal-inst_probe', ip: '127.0.0.1', port }), 1);
    assert.deepEqual(await probeHostKey(target(paths, 'fal-inst_probe', sshd.port)), { kind: 'ok' });
  });

  it('is unknown (not changed) when nothing listens', async () => {
    const paths = sshPaths(join(dir, 'home'));
    const key = join(dir, 'k');
    writeFileSync(key, 'x');
    await writeHostOnly(paths, { instanceId: 'inst_none', ip: '127.0.0.1', user: 'root', port: 1, identityFile: key });
    const v = await probeHostKey(target(paths, 'fal-inst_none', 1));
    assert.equal(v.kind, 'unknown');
  });
});
