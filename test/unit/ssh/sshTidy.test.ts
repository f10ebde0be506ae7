// Leaving no trace: once no fal host entry is left (or on request), the user's SSH setup is
// exactly as before — their config byte for byte, no ~/.ssh/fal, no backup that is no longer
// needed — and what has to stay (a backup that differs, lines the user added) stays and is named.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostEntry } from '../../../src/ssh/hostEntry';
import { removeHost, upsertHost } from '../../../src/ssh/managedConfig';
import { sshPaths, type SshPaths } from '../../../src/ssh/paths';
import { BACKUP_SUFFIX, ensureInclude, INCLUDE_MARKER } from '../../../src/ssh/sshConfigFile';
import { removeSshConfigChanges, tidyIfNoHosts } from '../../../src/ssh/sshTidy';
import { makeTempDir, removeDir } from './helpers';

const ORIGINAL = Buffer.from('# mine\r\nHost *\r\n\tUser root\r\n\r\nHost work\r\n  HostName 10.0.0.1');

describe('ssh/sshTidy', () => {
  let home: string;
  let paths: SshPaths;
  const entry = (id: string): HostEntry => ({
    alias: `fal-${id}`,
    hostName: '192.0.2.4',
    identityFile: join(home, '.ssh', 'id'),
    knownHostsFile: paths.knownHosts,
  });
  /** What Connect writes: Include, host block, a remembered host key. */
  const connect = async (id: string, p: SshPaths = paths) => {
    await ensureInclude(p.userConfig, p.managedConfig, home);
    await upsertHost(p.managedConfig, entry(id));
    writeFileSync(
      p.knownHosts,
      `fal-${id} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBdyrwUvHNM+LlOoGLAeC4t3uJmnl/eHKEJT7aAybcoo\n`,
      { flag: 'a' },
    );
  };
  const listing = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

  beforeEach(() => {
    home = makeTempDir('fal-tidy-');
    mkdirSync(join(home, '.ssh'), { mode: 0o700 });
    paths = sshPaths(home);
  });
  afterEach(() => removeDir(home));

  it('the last host entry removed → the user config is its original bytes again; ~/.ssh/fal and the identical backup are gone', async () => {
    writeFileSync(paths.userConfig, ORIGINAL, { mode: 0o640 });
    const before = listing(join(home, '.ssh'));
    await connect('inst_a');
    await connect('inst_b');
    assert.ok(existsSync(paths.userConfig + BACKUP_SUFFIX));

    await removeHost(paths.managedConfig, 'fal-inst_a');
    assert.equal(await tidyIfNoHosts(paths, home), undefined, 'inst_b still has its entry: nothing is tidied');
    assert.ok(readFileSync(paths.userConfig, 'utf8').startsWith(INCLUDE_MARKER));

    await removeHost(paths.managedConfig, 'fal-inst_b');
    const report = await tidyIfNoHosts(paths, home);
    assert.deepEqual(readFileSync(paths.userConfig), ORIGINAL);
    assert.deepEqual(listing(join(home, '.ssh')), before, 'no fal folder, no backup, nothing else');
    assert.deepEqual(report?.kept, []);
    assert.ok(
      report?.removed.some((r) => r.includes(BACKUP_SUFFIX)) && report.removed.includes(paths.falDir),
      JSON.stringify(report),
    );
    assert.equal(await tidyIfNoHosts(paths, home), undefined, 'then nothing is left to do');
    assert.deepEqual(listing(join(home, '.ssh')), before, 'and a second tidy creates nothing');
  });

  it('a config fal created (there was none) is deleted again; a dangling symlink stays dangling', async () => {
    await connect('inst_a');
    assert.ok(existsSync(paths.userConfig));
    await removeSshConfigChanges(paths, home);
    assert.deepEqual(listing(join(home, '.ssh')), []);

    mkdirSync(join(home, 'dotfiles'));
    symlinkSync('../dotfiles/ssh_config', paths.userConfig);
    await connect('inst_a');
    assert.ok(existsSync(join(home, 'dotfiles', 'ssh_config')));
    await removeSshConfigChanges(paths, home);
    assert.deepEqual(listing(join(home, 'dotfiles')), [], 'the file we created behind the link is gone');
    assert.deepEqual(listing(join(home, '.ssh')), ['config'], 'the link itself stays, as it was');
  });

  it("cleans every config it added the Include to (a remote.SSH.configFile of the time, recorded), not only today's", async () => {
    const custom = sshPaths(home, '~/dot files/ssh config');
    mkdirSync(join(home, 'dot files'));
    writeFileSync(custom.userConfig, ORIGINAL);
    writeFileSync(paths.userConfig, 'Host plain\n');
    await connect('inst_a', custom);
    await connect('inst_b', paths);
    const report = await removeSshConfigChanges(paths, home); // the setting is back to the default by now
    assert.deepEqual(readFileSync(custom.userConfig), ORIGINAL);
    assert.equal(readFileSync(paths.userConfig, 'utf8'), 'Host plain\n');
    assert.deepEqual(listing(join(home, 'dot files')), ['ssh config']);
    assert.deepEqual(report.kept, []);
  });

  it('keeps, and names, a backup that differs from the restored config (the user changed it since)', async () => {
    writeFileSync(paths.userConfig, ORIGINAL);
    await connect('inst_a');
    writeFileSync(paths.userConfig, `${readFileSync(paths.userConfig, 'utf8')}\nHost later\n`);
    const report = await removeSshConfigChanges(paths, home);
    assert.deepEqual(readFileSync(paths.userConfig), Buffer.concat([ORIGINAL, Buffer.from('\nHost later\n')]));
    assert.deepEqual(readFileSync(paths.userConfig + BACKUP_SUFFIX), ORIGINAL);
    assert.match(report.kept.join('\n'), /config\.fal-backup: it differs from .*the copy from before/);
    assert.ok(!existsSync(paths.falDir));
  });

  it('keeps the managed file and its Include when the user added lines of their own to it, removing only our blocks', async () => {
    writeFileSync(paths.userConfig, ORIGINAL);
    await connect('inst_a');
    writeFileSync(
      paths.managedConfig,
      `${readFileSync(paths.managedConfig, 'utf8')}\nHost fal-*\n  ForwardAgent yes\n`,
    );
    assert.equal(await tidyIfNoHosts(paths, home), undefined, 'an entry is left');
    const report = await removeSshConfigChanges(paths, home);
    assert.doesNotMatch(readFileSync(paths.managedConfig, 'utf8'), /Host fal-inst_a/);
    assert.match(readFileSync(paths.managedConfig, 'utf8'), /Host fal-\*\n {2}ForwardAgent yes\n/);
    assert.ok(readFileSync(paths.userConfig, 'utf8').startsWith(INCLUDE_MARKER));
    assert.match(report.kept.join('\n'), /holds lines you added \(line \d+: "Host fal-\*"\)/);
  });

  it('a hand-edited marker is reported, and everything else still goes', async () => {
    writeFileSync(paths.userConfig, ORIGINAL);
    await connect('inst_a');
    writeFileSync(paths.userConfig, `${INCLUDE_MARKER}\nInclude "/somewhere/else"\n`);
    const report = await removeSshConfigChanges(paths, home);
    assert.match(report.kept.join('\n'), /fal-compute lines in .*config: .*marker comment is not followed/);
    assert.ok(!existsSync(paths.falDir));
  });

  it('nothing of ours anywhere: nothing is done, no folder created', async () => {
    writeFileSync(paths.userConfig, ORIGINAL);
    assert.equal(await tidyIfNoHosts(paths, home), undefined);
    assert.deepEqual(await removeSshConfigChanges(paths, home), { removed: [], kept: [] });
    assert.deepEqual(listing(join(home, '.ssh')), ['config']);
  });
});
