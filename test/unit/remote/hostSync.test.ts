// The glue Connect uses to write host entries, against real files in a temp HOME and, where
// installed, the real `ssh -G` (how OpenSSH itself resolves the alias through the Include).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkHostTarget,
  describeResolveCheck,
  managedAliases,
  removeAliases,
  writeHostOnly,
  writeHostWithInclude,
} from '../../../src/remote/hostSync';
import { SshConfigError, sshPaths } from '../../../src/ssh';
import { hasOpenSsh, makeTempDir, removeDir, sshG } from '../ssh/helpers';

describe('remote/hostSync', () => {
  let home: string;
  beforeEach(() => {
    home = makeTempDir('fal-hostsync-');
    mkdirSync(join(home, '.ssh'), { mode: 0o700 });
  });
  afterEach(() => removeDir(home));
  const target = (over: Partial<{ instanceId: string; ip: string; user: string; port: number }> = {}) => ({
    instanceId: 'inst_a1',
    ip: '127.0.0.1',
    user: 'ubuntu',
    port: 22,
    identityFile: join(home, '.ssh', 'fal_ed25519'),
    ...over,
  });

  it('adds the Include to a tricky user config, keeping every byte, and writes the entry', async function () {
    const paths = sshPaths(home);
    const tricky = Buffer.from(
      '\ufeff# mine\r\nHost *\r\n\tUser root\r\nMatch exec "false"\r\n  Port 1\r\nInclude other/*.conf',
      'utf8',
    );
    writeFileSync(paths.userConfig, tricky, { mode: 0o644 });
    const r = await writeHostWithInclude(paths, target(), home);
    assert.deepEqual([r.alias, r.entry, r.include], ['fal-inst_a1', 'added', 'added']);
    const after = readFileSync(paths.userConfig);
    const text = after.toString('utf8');
    assert.ok(text.includes(`Include "${paths.managedConfig}"`));
    // Removing our two lines (on top, before the BOM) gives back the original bytes exactly.
    const ours = text.split('\r\n').slice(0, 2).join('\r\n') + '\r\n';
    assert.deepEqual(Buffer.from(text.slice(ours.length), 'utf8'), tricky);
    assert.deepEqual(await managedAliases(paths), ['fal-inst_a1']);
    // Idempotent.
    const again = await writeHostWithInclude(paths, target(), home);
    assert.deepEqual([again.entry, again.include], ['unchanged', 'present']);
    assert.deepEqual(readFileSync(paths.userConfig), after);
    if (!hasOpenSsh()) return this.skip();
    // OpenSSH rejects a file with a BOM (before and after our change): said so, with the reason.
    assert.equal(again.check.kind, 'rejected');
    assert.match(
      describeResolveCheck(again.check, paths.userConfig).message,
      /byte order mark \(BOM\).*Save the file as UTF-8 without BOM/,
    );
    // No BOM for OpenSSH: resolve through a copy without it.
    const plainConfig = join(home, 'plain_config');
    writeFileSync(plainConfig, Buffer.from(text.replace('\ufeff', ''), 'utf8'));
    const g = await sshG(plainConfig, 'fal-inst_a1');
    assert.equal(g.get('hostname'), '127.0.0.1');
    assert.equal(g.get('user'), 'ubuntu', "our block wins over the user's `Host *` User root");
    assert.equal(g.get('stricthostkeychecking'), 'accept-new');
    assert.equal(g.get('userknownhostsfile'), paths.knownHosts);
  });

  it('honours remote.SSH.configFile', async () => {
    const paths = sshPaths(home, '~/custom/ssh_config');
    assert.equal(paths.userConfig, join(home, 'custom', 'ssh_config'));
    await writeHostWithInclude(paths, target(), home);
    assert.ok(readFileSync(join(home, 'custom', 'ssh_config'), 'utf8').includes('Include'));
    assert.equal(existsSync(join(home, '.ssh', 'config')), false, '~/.ssh/config untouched');
  });

  it('writes nothing at all when the user config has a duplicated marker', async () => {
    const paths = sshPaths(home);
    const marker = '# fal-compute: the next line includes the SSH hosts of the fal Compute VS Code extension';
    const broken = `${marker}\nInclude "${paths.managedConfig}"\nHost a\n${marker}\n`;
    writeFileSync(paths.userConfig, broken);
    await assert.rejects(
      writeHostWithInclude(paths, target(), home),
      (e: unknown) => e instanceof SshConfigError && e.code === 'duplicate-marker' && /line|lines/.test(e.message),
    );
    assert.equal(readFileSync(paths.userConfig, 'utf8'), broken);
    assert.equal(existsSync(paths.managedConfig), false, 'no managed file either');
    // The terminal fallback writes only our own file.
    await writeHostOnly(paths, target());
    assert.deepEqual(await managedAliases(paths), ['fal-inst_a1']);
    assert.equal(readFileSync(paths.userConfig, 'utf8'), broken);
  });

  it('refuses hostile values before touching any file', async () => {
    const paths = sshPaths(home);
    for (const bad of [
      target({ ip: '10.0.0.1\n  ProxyCommand touch /tmp/pwned' }),
      target({ instanceId: 'inst/../x' }),
      target({ user: 'a b' }),
      target({ port: 0 }),
    ]) {
      assert.throws(() => checkHostTarget(paths, bad), SshConfigError);
      await assert.rejects(writeHostWithInclude(paths, bad, home), SshConfigError);
    }
    assert.equal(existsSync(paths.userConfig), false);
    assert.equal(existsSync(paths.managedConfig), false);
  });

  it('asks the real ssh afterwards (ssh -G) and reports its verdict: ok, rejected, mismatch, no ssh client', async function () {
    if (!hasOpenSsh()) this.skip();
    const paths = sshPaths(home);
    writeFileSync(paths.userConfig, 'Host *\n  User root\n');
    const r = await writeHostWithInclude(paths, target(), home);
    assert.deepEqual(r.check, { kind: 'ok' });
    assert.equal(describeResolveCheck(r.check, paths.userConfig).level, 'info');
    const managed = readFileSync(paths.managedConfig, 'utf8');

    // A line ssh cannot read, added by hand to the managed file: reported in ssh's own words.
    writeFileSync(paths.managedConfig, `${managed}Host fal-other\n  NoSuchOption yes\n`);
    const rejected = await writeHostWithInclude(paths, target(), home);
    assert.equal(rejected.check.kind, 'rejected');
    const said = describeResolveCheck(rejected.check, paths.userConfig);
    assert.equal(said.level, 'error');
    assert.match(said.message, /cannot read the SSH config .*Bad configuration option: nosuchoption/);

    // A user's `Host fal-*` above our blocks wins for User (ssh takes the first value): a mismatch.
    writeFileSync(
      paths.managedConfig,
      managed.replace('\nHost fal-inst_a1', '\nHost fal-*\n  User root\n\nHost fal-inst_a1'),
    );
    const mismatch = await writeHostWithInclude(paths, target(), home);
    assert.equal(mismatch.check.kind, 'mismatch');
    assert.match(describeResolveCheck(mismatch.check, paths.userConfig).message, /user is "root", not "ubuntu"/);

    // ssh prints an IPv6 HostName its own way (inet_ntop): the same address is not a mismatch.
    writeFileSync(paths.managedConfig, managed);
    for (const ip of ['2001:0db8:0000::0001', '::ffff:192.0.2.1', '940:02c:10f1:9:38:ae:d6:2479']) {
      const v6 = await writeHostOnly(paths, target({ instanceId: 'inst_v6', ip }));
      assert.deepEqual(v6.check, { kind: 'ok' }, ip);
    }

    // No ssh client: said so, nothing claimed.
    const none = await writeHostOnly(paths, target(), { ssh: join(home, 'no-such-ssh') });
    assert.equal(none.check.kind, 'no-ssh');
    assert.match(describeResolveCheck(none.check, paths.managedConfig).message, /no ssh client found .* not checked/);
  });

  it('removes only the named managed aliases', async () => {
    const paths = sshPaths(home);
    await writeHostWithInclude(paths, target(), home);
    await writeHostWithInclude(paths, target({ instanceId: 'inst_b2' }), home);
    assert.deepEqual(await removeAliases(paths, ['fal-inst_b2', 'fal-nothere']), ['fal-inst_b2']);
    assert.deepEqual(await managedAliases(paths), ['fal-inst_a1']);
  });
});
