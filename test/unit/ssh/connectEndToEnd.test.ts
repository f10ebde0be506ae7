// The whole chain against a real sshd: generated key → managed Host block → Include in a user
// config that tries hard to get in the way → `ssh <alias>` logs in → our known_hosts learns the
// key under the instance's alias → a new host key under the same instance is refused →
// forgetInstanceHostKeys fixes it.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair } from '../../../src/ssh/keyFiles';
import { forgetInstanceHostKeys, isHostKeyChangedError } from '../../../src/ssh/knownHosts';
import { upsertHost } from '../../../src/ssh/managedConfig';
import { readSshBanner } from '../../../src/ssh/reachability';
import { ensureInclude } from '../../../src/ssh/sshConfigFile';
import {
  hasOpenSsh,
  ISOLATED_SSH_OPTIONS,
  makeTempDir,
  removeDir,
  run,
  SSH,
  SSHD,
  startSshd,
  type Sshd,
} from './helpers';

describe('ssh end to end (real sshd)', function () {
  let dir: string;
  let sshd: Sshd | undefined;
  beforeEach(function () {
    if (!existsSync(SSHD) || !hasOpenSsh()) {
      this.currentTest!.title += ` (skipped: ${SSHD} or the ssh client is not installed)`;
      this.skip();
    }
    dir = makeTempDir('fal-e2e-');
  });
  afterEach(async () => {
    await sshd?.stop();
    sshd = undefined;
    if (dir) removeDir(dir);
  });

  it('connects through the alias, despite a user config that sets User/IdentityFile for every host first', async () => {
    const sshDir = join(dir, 'home', '.ssh');
    // A key folder whose path needs quoting and %-escaping in ssh_config.
    const pair = await generateKeyPair({ sshDir: join(sshDir, 'my keys', '100% fal') });
    const serverDir = join(dir, 'server');
    mkdirSync(serverDir);
    sshd = await startSshd(serverDir, `${pair.parsed.line}\n`);

    const userConfig = join(sshDir, 'config');
    writeFileSync(
      userConfig,
      'User nobody-here\nIdentityFile /nonexistent/key\n\nHost *\n  Port 1\n  User root-not-this\n',
      { mode: 0o600 },
    );
    const managed = join(sshDir, 'fal', 'config');
    const knownHosts = join(sshDir, 'fal', 'known_hosts');
    const alias = 'fal-e2e';
    await upsertHost(managed, {
      alias,
      hostName: '127.0.0.1',
      port: sshd.port,
      user: sshd.user,
      identityFile: pair.privateKeyPath,
      knownHostsFile: knownHosts,
    });
    assert.equal(await ensureInclude(userConfig, managed, join(dir, 'home')), 'added');

    assert.match(await readSshBanner('127.0.0.1', sshd.port), /^SSH-2\.0-OpenSSH_/);
    const ssh = () => run(SSH, ['-F', userConfig, ...ISOLATED_SSH_OPTIONS, alias, 'echo connected']);
    const first = await ssh();
    assert.equal(first.code, 0, `${first.stderr}\n${readFileSync(sshd.logFile, 'utf8')}`);
    assert.equal(first.stdout, 'connected\n');
    assert.match(
      readFileSync(knownHosts, 'utf8'),
      /^fal-e2e ssh-ed25519 /,
      'accept-new wrote our known_hosts, under the alias',
    );

    // The same instance with a new host key (reinstalled): ssh refuses, we recognise why, forget, retry.
    const port = sshd.port;
    await sshd.stop();
    const reborn = join(dir, 'server2');
    mkdirSync(reborn);
    sshd = await startSshd(reborn, `${pair.parsed.line}\n`, { port });
    const refused = await ssh();
    assert.notEqual(refused.code, 0);
    assert.ok(isHostKeyChangedError(refused.stderr), refused.stderr);
    assert.equal(await forgetInstanceHostKeys(knownHosts, { alias, ip: '127.0.0.1', port }), 1);
    const again = await ssh();
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, 'connected\n');
  });
});
