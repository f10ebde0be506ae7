// ensureInclude/removeInclude over hand-written edge cases of the ssh_config syntax (the 116
// real-world configs are checked by test/corpus): nothing of the user's is ever lost, the result
// means the same to the ssh-config library and to real OpenSSH for the user's hosts, and our hosts
// win where they must.
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import SSHConfig, { LineType } from 'ssh-config';
import { SshConfigError } from '../../../src/ssh/errors';
import { hostAlias, renderHostBlock, type HostEntry } from '../../../src/ssh/hostEntry';
import { upsertHost } from '../../../src/ssh/managedConfig';
import {
  BACKUP_SUFFIX,
  ensureInclude,
  INCLUDE_MARKER,
  includeLine,
  planEnsureInclude,
  removeInclude,
  userConfigWarnings,
} from '../../../src/ssh/sshConfigFile';
import { CORPUS, manyHosts, type CorpusCase } from './fixtures/sshConfigCorpus';
import { hasOpenSsh, makeTempDir, removeDir, sshG } from './helpers';

const FAL_HOST = 'fal-corpus';
/** The case's bytes, with {{MANAGED}} replaced by the managed file's path. */
const materialize = (c: CorpusCase, managed: string): Buffer | undefined =>
  c.content === undefined
    ? undefined
    : Buffer.from(typeof c.content === 'string' ? c.content.replaceAll('{{MANAGED}}', managed) : c.content);

/** The library's view of a host, without `Include` (which we add on purpose, and the library does not follow). */
function libraryCompute(text: string, host: string): Record<string, unknown> {
  const computed: Record<string, unknown> = SSHConfig.parse(text).compute(host, { matchExec: false });
  delete computed.Include;
  delete computed.include;
  return computed;
}

describe('ssh/sshConfigFile: hand-written edge cases', function () {
  let dir: string;
  let sshDir: string;
  let userConfig: string;
  let managed: string;
  let entry: HostEntry;
  beforeEach(() => {
    dir = makeTempDir('fal-corpus-');
    sshDir = join(dir, '.ssh');
    userConfig = join(sshDir, 'config');
    managed = join(sshDir, 'fal', 'config');
    entry = {
      alias: FAL_HOST,
      hostName: '203.0.113.10',
      identityFile: join(sshDir, 'fal_ed25519'),
      knownHostsFile: join(sshDir, 'fal', 'known_hosts'),
    };
  });
  afterEach(() => removeDir(dir));

  it('has at least 20 configs', () => assert.ok(CORPUS.length >= 20));

  for (const c of CORPUS) {
    it(`${c.name}: ${typeof c.expect === 'string' ? c.expect : `refused (${c.expect.refused})`}`, async function () {
      const original = materialize(c, managed);
      if (original !== undefined) {
        mkdirSync(sshDir, { mode: 0o700 });
        writeFileSync(userConfig, original);
        chmodSync(userConfig, 0o640);
      }
      const files = () => (existsSync(sshDir) ? readdirSync(sshDir).sort() : []);

      if (typeof c.expect !== 'string') {
        const expected = c.expect;
        await assert.rejects(
          ensureInclude(userConfig, managed, dir),
          (e: unknown) =>
            e instanceof SshConfigError &&
            e.code === expected.refused &&
            (expected.line === undefined || e.line === expected.line),
        );
        assert.deepEqual(readFileSync(userConfig), original, 'refused: not a byte changed');
        assert.ok(!existsSync(userConfig + BACKUP_SUFFIX), 'refused: no backup either');
        assert.ok(!existsSync(join(sshDir, 'fal')), 'refused: not even our own folder');
        assert.deepEqual(
          files().filter((f) => f.endsWith('.tmp')),
          [],
        );
        return;
      }

      await upsertHost(managed, entry);
      const before = new Map<string, Map<string, string>>();
      const useSsh = hasOpenSsh() && !c.noSshG;
      if (useSsh && original !== undefined) {
        await Promise.all((c.hosts ?? []).map(async (h) => before.set(h, await sshG(userConfig, h))));
      }

      const ours = Buffer.from(`${INCLUDE_MARKER}\n${includeLine(managed, dir)}\n`);
      assert.equal(await ensureInclude(userConfig, managed, dir), c.expect);
      const result = readFileSync(userConfig);

      if (c.expect === 'present') {
        assert.deepEqual(result, original, 'present: untouched');
        assert.ok(!existsSync(userConfig + BACKUP_SUFFIX));
        return;
      }

      // Every original byte is still there, in order: the result minus our two lines is the original.
      const orig = original ?? Buffer.alloc(0);
      const crlf = /^[^\n]*\r\n/.test(orig.toString('utf8'));
      const inserted = crlf ? Buffer.from(ours.toString().replace(/\n/g, '\r\n')) : ours;
      assert.deepEqual(
        result.subarray(0, inserted.length),
        inserted,
        'our two lines, in the file’s own line endings, at the top (before a BOM too)',
      );
      assert.deepEqual(result.subarray(inserted.length), orig);

      // Idempotent.
      assert.equal(await ensureInclude(userConfig, managed, dir), 'present');
      assert.deepEqual(readFileSync(userConfig), result);

      // Mode kept (or 0600 for a new file); backup once, equal to the original.
      assert.equal(statSync(userConfig).mode & 0o777, original === undefined ? 0o600 : 0o640);
      if (original !== undefined) assert.deepEqual(readFileSync(userConfig + BACKUP_SUFFIX), original);
      else assert.equal(statSync(sshDir).mode & 0o777, 0o700);

      // The library parses the result, sees our Include before the first Host/Match, and computes
      // the same values for the user's hosts as before.
      const text = result.toString('utf8');
      const parsed = SSHConfig.parse(text);
      const includeAt = parsed.findIndex(
        (l) => l.type === LineType.DIRECTIVE && /^include$/i.test(l.param) && l.value === managed,
      );
      const sectionAt = parsed.findIndex((l) => 'config' in l);
      assert.ok(includeAt !== -1 && (sectionAt === -1 || includeAt < sectionAt), 'Include before the first Host/Match');
      for (const h of c.hosts ?? [])
        assert.deepEqual(libraryCompute(text, h), libraryCompute(orig.toString('utf8'), h), h);

      // Real OpenSSH: the user's hosts resolve exactly as before; ours resolves to our block.
      if (useSsh) {
        const after = await Promise.all([...before.keys()].map((h) => sshG(userConfig, h)));
        [...before.entries()].forEach(([h, values], i) => assert.deepEqual(after[i], values, `ssh -G ${h}`));
        const fal = await sshG(userConfig, FAL_HOST);
        assert.equal(fal.get('hostname'), '203.0.113.10');
        assert.equal(fal.get('user'), 'ubuntu', 'our User wins over the user’s Host */top-level User');
        assert.equal(fal.get('port'), '22');
        assert.equal(fal.get('identityfile')?.split('\n')[0], entry.identityFile, 'our key is tried first');
        assert.equal(fal.get('stricthostkeychecking'), 'accept-new');
      }

      // removeInclude gives the original back, byte for byte.
      assert.equal(await removeInclude(userConfig, managed, dir), 'removed');
      assert.deepEqual(readFileSync(userConfig), orig);
      assert.equal(await removeInclude(userConfig, managed, dir), 'absent');
      assert.deepEqual(
        files().filter((f) => f.endsWith('.tmp')),
        [],
      );
    });
  }

  // How long it takes is measured by `npm run bench` (test/bench/sshConfigScale.ts), not asserted here.
  it('a 5,000-host config: the Include added, found present again, removed byte for byte', async () => {
    mkdirSync(sshDir, { mode: 0o700 });
    const original = Buffer.from(manyHosts(5000));
    writeFileSync(userConfig, original);
    assert.equal(await ensureInclude(userConfig, managed, dir), 'added');
    assert.equal(await ensureInclude(userConfig, managed, dir), 'present');
    assert.equal(await removeInclude(userConfig, managed, dir), 'removed');
    assert.deepEqual(readFileSync(userConfig), original);
  });

  it('a symlinked config (dotfiles): written through, the link stays a link, removal restores the target', async () => {
    mkdirSync(join(dir, 'dotfiles'));
    mkdirSync(sshDir, { mode: 0o700 });
    const target = join(dir, 'dotfiles', 'ssh_config');
    const original = Buffer.from('Host a\n  HostName 10.0.0.1\n');
    writeFileSync(target, original, { mode: 0o644 });
    symlinkSync('../dotfiles/ssh_config', userConfig);
    assert.equal(await ensureInclude(userConfig, managed, dir), 'added');
    assert.ok(lstatSync(userConfig).isSymbolicLink());
    assert.equal(readlinkSync(userConfig), '../dotfiles/ssh_config');
    assert.ok(readFileSync(target, 'utf8').startsWith(`${INCLUDE_MARKER}\n`));
    assert.equal(statSync(target).mode & 0o777, 0o644);
    assert.deepEqual(
      readdirSync(join(dir, 'dotfiles')),
      ['ssh_config'],
      'no temp file, no backup in the dotfiles repo',
    );
    assert.deepEqual(readFileSync(userConfig + BACKUP_SUFFIX), original);
    assert.equal(await removeInclude(userConfig, managed, dir), 'removed');
    assert.deepEqual(readFileSync(target), original);
    assert.ok(lstatSync(userConfig).isSymbolicLink());
  });

  it('a BOM: OpenSSH rejects such a file before and after, with the same error two lines down (we keep its bytes), and we warn about it', async function () {
    mkdirSync(sshDir, { mode: 0o700 });
    const original = Buffer.from('\uFEFFHost a\n  HostName 10.0.0.1\n');
    writeFileSync(userConfig, original);
    assert.match(userConfigWarnings(original, userConfig).join(), /byte order mark.*without BOM/);
    assert.match(
      userConfigWarnings(Buffer.concat([Buffer.from('# fal\nInclude x\n'), original]), userConfig).join(),
      /byte order mark/,
    );
    assert.deepEqual(userConfigWarnings(Buffer.from('Host a\n'), userConfig), []);
    if (!hasOpenSsh()) return;
    await assert.rejects(sshG(userConfig, 'a'), /line 1: Bad configuration option: \\357\\273\\277host/);
    await ensureInclude(userConfig, managed, dir);
    await assert.rejects(sshG(userConfig, 'a'), /line 3: Bad configuration option: \\357\\273\\277host/);
  });

  it('backs up only once: a later change never overwrites the first backup', async () => {
    mkdirSync(sshDir, { mode: 0o700 });
    writeFileSync(userConfig, 'Host first\n');
    await ensureInclude(userConfig, managed, dir);
    await removeInclude(userConfig, managed, dir);
    writeFileSync(userConfig, 'Host second\n');
    await ensureInclude(userConfig, managed, dir);
    assert.equal(readFileSync(userConfig + BACKUP_SUFFIX, 'utf8'), 'Host first\n');
    assert.equal(statSync(userConfig + BACKUP_SUFFIX).mode & 0o777, 0o600);
  });

  it('hostile values are refused and nothing is written', async () => {
    mkdirSync(sshDir, { mode: 0o700 });
    const original = Buffer.from('Host a\n  HostName 10.0.0.1\n');
    writeFileSync(userConfig, original);
    const refused = (code: string) => (e: unknown) => e instanceof SshConfigError && e.code === code;

    assert.throws(() => hostAlias('inst/../../x'), refused('invalid-value'));
    assert.throws(() => hostAlias('inst\nProxyCommand x'), refused('invalid-value'));
    await assert.rejects(
      upsertHost(managed, { ...entry, hostName: '1.2.3.4\n  ProxyCommand touch /tmp/pwned' }),
      refused('invalid-value'),
    );
    await assert.rejects(upsertHost(managed, { ...entry, user: 'ubuntu root' }), refused('invalid-value'));
    assert.throws(() => renderHostBlock({ ...entry, user: 'a b' }), refused('invalid-value'));
    for (const badManaged of [
      'relative/config',
      join(dir, 'x\n  ProxyCommand y'),
      join(dir, 'x\r'),
      join(dir, '50%', 'config'),
    ]) {
      await assert.rejects(ensureInclude(userConfig, badManaged, dir), refused('invalid-path'), badManaged);
      assert.throws(() => planEnsureInclude(original, badManaged, 'cfg', dir), refused('invalid-path'));
    }
    assert.deepEqual(readFileSync(userConfig), original);
    assert.deepEqual(readdirSync(sshDir), ['config'], 'no managed folder, backup or temp file');
  });
});
