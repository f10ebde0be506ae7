import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SshConfigError } from '../../../src/ssh/errors';
import { renderHostBlock, type HostEntry } from '../../../src/ssh/hostEntry';
import { listHosts, MANAGED_HEADER, removeHost, upsertHost } from '../../../src/ssh/managedConfig';
import { hasOpenSsh, makeTempDir, removeDir, sshG } from './helpers';

describe('ssh/managedConfig', () => {
  let dir: string;
  let managed: string;
  let a: HostEntry;
  let b: HostEntry;
  beforeEach(() => {
    dir = makeTempDir('fal-managed-');
    managed = join(dir, 'fal', 'config');
    a = {
      alias: 'fal-inst_a',
      hostName: '203.0.113.10',
      identityFile: join(dir, 'keys', 'fal_ed25519'),
      knownHostsFile: join(dir, 'fal', 'known_hosts'),
    };
    b = { ...a, alias: 'fal-inst_b', hostName: '2001:db8::2', port: 2222, user: 'root' };
  });
  afterEach(() => removeDir(dir));
  const text = () => readFileSync(managed, 'utf8');

  it('creates the file (0600, folder 0700) with the header and the block', async () => {
    assert.equal(await upsertHost(managed, a), 'added');
    assert.equal(text(), `${MANAGED_HEADER}\n${renderHostBlock(a)}`);
    assert.equal(statSync(managed).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'fal')).mode & 0o777, 0o700);
    assert.deepEqual(readdirSync(join(dir, 'fal')), ['config'], 'no lock or temp file left');
  });

  it('is byte-idempotent, updates in place, and removal leaves the other entries intact', async () => {
    await upsertHost(managed, a);
    await upsertHost(managed, b);
    const both = text();
    assert.equal(both, `${MANAGED_HEADER}\n${renderHostBlock(a)}\n${renderHostBlock(b)}`);
    const mtime = statSync(managed).mtimeMs;
    assert.equal(await upsertHost(managed, a), 'unchanged');
    assert.equal(await upsertHost(managed, b), 'unchanged');
    assert.equal(text(), both);
    assert.equal(statSync(managed).mtimeMs, mtime, 'not even rewritten');

    assert.equal(await upsertHost(managed, { ...a, hostName: '198.51.100.7' }), 'updated');
    assert.equal(text(), both.replace('HostName 203.0.113.10', 'HostName 198.51.100.7'));

    assert.equal(await removeHost(managed, 'fal-inst_a'), true);
    assert.equal(text(), `${MANAGED_HEADER}\n${renderHostBlock(b)}`, 'the blank line after a went with a');
    assert.equal(await removeHost(managed, 'fal-inst_a'), false);
    assert.equal(await removeHost(managed, 'fal-inst_b'), true);
    assert.equal(await removeHost(join(dir, 'missing', 'config'), 'fal-inst_b'), false);
    assert.deepEqual(await listHosts(managed), []);
  });

  it('lists the hosts back as OpenSSH reads them (paths with spaces and % included)', async () => {
    const odd = { ...b, identityFile: join(dir, 'my keys', '100%', 'k'), knownHostsFile: join(dir, 'a b', 'kh') };
    await upsertHost(managed, a);
    await upsertHost(managed, odd);
    assert.deepEqual(await listHosts(managed), [
      { ...a, user: 'ubuntu', port: 22 },
      { ...odd, user: 'root', port: 2222 },
    ]);
    assert.deepEqual(await listHosts(join(dir, 'none')), []);
  });

  it('keeps what a user added by hand: other blocks and comments verbatim, extra lines inside our block', async () => {
    await upsertHost(managed, a);
    await upsertHost(managed, b);
    const edited = text()
      .replace('# Generated', '# my own note\n# Generated')
      .replace('  User ubuntu\n', '  User root\n  ForwardAgent yes\n  # keep me\n')
      .concat('\nHost my-box\n\tHostName=10.0.0.1 # tab and = syntax\n');
    writeFileSync(managed, edited);
    assert.equal(await upsertHost(managed, a), 'updated', 'our User line is ours again');
    const after = text();
    assert.ok(
      after.startsWith(`${MANAGED_HEADER}\n# my own note\n# Generated`),
      'header added once more on top, user lines kept',
    );
    assert.ok(after.includes(`${renderHostBlock(a)}  ForwardAgent yes\n  # keep me\n\nHost fal-inst_b`));
    assert.ok(after.endsWith('\nHost my-box\n\tHostName=10.0.0.1 # tab and = syntax\n'));
    assert.equal(await upsertHost(managed, a), 'unchanged', 'idempotent with user lines too');
    assert.equal(await removeHost(managed, 'fal-inst_b'), true);
    assert.ok(text().endsWith('  # keep me\n\nHost my-box\n\tHostName=10.0.0.1 # tab and = syntax\n'));
  });

  it('keeps CRLF line endings and folds duplicate blocks for one alias', async () => {
    const crlf = `${MANAGED_HEADER}\n${renderHostBlock(a)}\n${renderHostBlock(a)}`.replace(/\n/g, '\r\n');
    await upsertHost(managed, b); // creates the folder
    writeFileSync(managed, crlf);
    assert.equal(await upsertHost(managed, { ...a, port: 2200 }), 'updated');
    assert.equal(text(), `${MANAGED_HEADER}\n${renderHostBlock({ ...a, port: 2200 })}\n`.replace(/\n/g, '\r\n'));
  });

  it('refuses hostile values and writes nothing', async () => {
    const hostile: Partial<HostEntry>[] = [
      { hostName: '1.2.3.4\n  ProxyCommand touch /tmp/pwned' },
      { user: 'ubuntu root' },
      { alias: 'fal-a/b' },
      { identityFile: 'relative' },
    ];
    for (const change of hostile) {
      await assert.rejects(upsertHost(managed, { ...a, ...change }), SshConfigError);
    }
    assert.ok(!existsSync(join(dir, 'fal')), 'not even the folder');
    await upsertHost(managed, a);
    const before = text();
    await assert.rejects(upsertHost(managed, { ...a, hostName: '1.2.3.4\nProxyCommand x' }), SshConfigError);
    assert.equal(text(), before);
  });

  it('loses no entry when windows write at the same time (lock)', async () => {
    const entries = Array.from({ length: 20 }, (_, i) => ({
      ...a,
      alias: `fal-inst_${i}`,
      hostName: `203.0.113.${i + 1}`,
    }));
    const results = await Promise.all(entries.map((e) => upsertHost(managed, e)));
    assert.ok(results.every((r) => r === 'added'));
    assert.deepEqual((await listHosts(managed)).map((h) => h.alias).sort(), entries.map((e) => e.alias).sort());
  });

  it('is read by real OpenSSH as written (ssh -G)', async function () {
    if (!hasOpenSsh()) this.skip();
    await upsertHost(managed, a);
    await upsertHost(managed, b);
    const ga = await sshG(managed, 'fal-inst_a');
    assert.equal(ga.get('hostname'), '203.0.113.10');
    assert.equal(ga.get('user'), 'ubuntu');
    assert.equal(ga.get('identityfile'), a.identityFile);
    const gb = await sshG(managed, 'fal-inst_b');
    assert.equal(gb.get('hostname'), '2001:db8::2');
    assert.equal(gb.get('port'), '2222');
  });
});
