// The corpus check (`npm run test:corpus`; part of `npm test` and .ci/run where ../shared holds
// the corpus): for each of the 116 real-world SSH configs, what Connect writes (our Include, two
// host entries) and what "leave no trace" removes, judged by the bytes and by the real OpenSSH:
//  - 0 bytes changed outside our two lines; the user's config comes back byte for byte;
//  - `ssh -G` of the user's own hosts unchanged (their values, or ssh's same error about their
//    file, two lines further down); our hosts resolve to our values;
//  - generated hostile values (ids, addresses, users, ports, key paths) are refused, or written
//    so that ssh reads exactly them: 0 injected directives.
// It prints its own counts; test/run.mjs folds its pass/fail into the closing line.
import assert from 'node:assert/strict';
import { lstatSync, readlinkSync, statSync } from 'node:fs';
import fc from 'fast-check';
import { parseConfigLine, readConfigText } from '../../src/ssh/configText';
import { SshConfigError } from '../../src/ssh/errors';
import { hostAlias, type HostEntry } from '../../src/ssh/hostEntry';
import { allHostBlocks, readIfExists, removeHost, upsertHost } from '../../src/ssh/managedConfig';
import { expectedResolution, sameAddress } from '../../src/ssh/resolveCheck';
import { BACKUP_SUFFIX, ensureInclude, planRemoveInclude } from '../../src/ssh/sshConfigFile';
import { tidyIfNoHosts } from '../../src/ssh/sshTidy';
import { makeTempDir, removeDir } from '../unit/ssh/helpers';
import {
  CORPUS_DIR,
  exists,
  loadCorpus,
  materialize,
  userHosts,
  type CorpusEntry,
  type CorpusHome,
} from './corpusCases';
import { hostileTarget, type Target } from './hostileTargets';
import { render, shiftLines, sshG, type Resolution } from './sshGProbe';

const stats = {
  passed: 0,
  failed: 0,
  userHostChecks: 0,
  rejectedByOpenSsh: 0,
  ourHostChecks: 0,
  onlyManaged: 0,
  hostileTried: 0,
  hostileRefused: 0,
  hostileAccepted: 0,
  injected: 0,
};
const HOSTILE_PER_CONFIG = 5;

describe(`SSH config corpus (${CORPUS_DIR})`, function () {
  this.timeout(120_000);
  const entries = exists(CORPUS_DIR) ? loadCorpus() : [];

  it('holds the 116 configs (75 real, 41 variants)', () =>
    assert.equal(entries.length, 116, `found ${entries.length}`));

  entries.forEach((entry, index) =>
    it(`${entry.name}: ${entry.what}`, async () => {
      const home = makeTempDir('fal-corpus-');
      try {
        await checkEntry(entry, materialize(entry, home), index);
        stats.passed++;
      } catch (e) {
        stats.failed++;
        throw e;
      } finally {
        removeDir(home);
      }
    }),
  );

  after(() => {
    console.log(
      `\n  corpus check: ${entries.length} configs — ${stats.passed} passed, ${stats.failed} failed\n` +
        `    ssh -G of the users' own hosts: ${stats.userHostChecks} compared before/after (${stats.rejectedByOpenSsh} of them in configs this OpenSSH rejects: same error, compared)\n` +
        `    our hosts resolved by ssh -G to our values: ${stats.ourHostChecks} (in ${stats.onlyManaged} configs this OpenSSH cannot read at all — a BOM, an unknown algorithm — through the managed file alone)\n` +
        `    hostile values: ${stats.hostileTried} tried, ${stats.hostileRefused} refused, ${stats.hostileAccepted} written and read back exactly, ${stats.injected} injected`,
    );
  });
});

/** Connect's two host entries: one plain, one with an IPv6 address, another port and a key path needing quotes and %%. */
const ours = (c: CorpusHome): Target[] => [
  {
    instanceId: 'corpus_a',
    ip: '203.0.113.10',
    user: 'ubuntu',
    port: 22,
    identityFile: `${c.paths.sshDir}/fal_ed25519`,
  },
  {
    instanceId: 'corpus_b',
    ip: '2001:db8::5',
    user: 'root',
    port: 2222,
    identityFile: `${c.paths.sshDir}/my keys/100% "fal"`,
  },
];
const entryOf = (c: CorpusHome, t: Target): HostEntry => ({
  alias: hostAlias(t.instanceId),
  hostName: t.ip,
  user: t.user,
  port: t.port,
  identityFile: t.identityFile,
  knownHostsFile: c.paths.knownHosts,
});

/** What the user's config is: its bytes (through links), whether it is a link and to what, its mode and owner. */
function fileState(path: string) {
  const link = exists(path) || isLink(path) ? lstatSync(path) : undefined;
  const target = exists(path) ? statSync(path) : undefined;
  return {
    link: link?.isSymbolicLink() ? readlinkSync(path) : undefined,
    mode: target && target.mode & 0o7777,
    uid: target?.uid,
  };
}
const isLink = (path: string) => {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
};

async function checkEntry(entry: CorpusEntry, c: CorpusHome, index: number): Promise<void> {
  const { paths, home } = c;
  const cfg = paths.userConfig;
  const state = fileState(cfg);
  const untouchable = await Promise.all(c.untouchable.map((f) => readIfExists(f)));

  if (typeof entry.expect !== 'string') {
    const code = entry.expect.refused;
    await assert.rejects(
      ensureInclude(cfg, paths.managedConfig, home),
      (e: unknown) => e instanceof SshConfigError && e.code === code,
    );
    assert.deepEqual(await readIfExists(cfg), c.original ?? null, 'refused: not a byte changed');
    assert.ok(!exists(cfg + BACKUP_SUFFIX) && !exists(paths.falDir), 'refused: no backup, not even our folder');
    return;
  }

  const hosts = userHosts(c.original?.toString('utf8') ?? '', parseConfigLine);
  const probe = (host: string, lenient = false) => sshG(cfg, host, { home, ignoreUnknown: lenient });
  const haveFile = c.original !== undefined;
  const before = haveFile ? await Promise.all(hosts.map((h) => probe(h))) : [];
  const beforeLenient = haveFile
    ? await Promise.all(hosts.map((h, i) => (before[i]!.ok ? Promise.resolve(before[i]!) : probe(h, true))))
    : [];

  // What Connect writes.
  assert.equal(await ensureInclude(cfg, paths.managedConfig, home), entry.expect);
  for (const t of ours(c)) await upsertHost(paths.managedConfig, entryOf(c, t));
  const written = (await readIfExists(cfg))!;

  // 0 bytes changed outside our two lines.
  const plan = planRemoveInclude(written, paths.managedConfig, cfg, home);
  const userBytes = plan.result === 'removed' ? plan.bytes : written;
  if (entry.expect === 'added')
    assert.deepEqual(userBytes, c.original ?? Buffer.alloc(0), 'the result minus our two lines is the original');
  else assert.deepEqual(written, c.original, "'present': not a byte changed");
  assert.deepEqual(fileState(cfg).link, state.link, 'a link stays a link to the same place');
  if (state.mode !== undefined)
    assert.deepEqual([fileState(cfg).mode, fileState(cfg).uid], [state.mode, state.uid], 'mode and owner kept');
  assert.deepEqual(
    await Promise.all(c.untouchable.map((f) => readIfExists(f))),
    untouchable,
    "the user's other files are untouched",
  );

  // ssh -G of the user's own hosts: unchanged.
  const shift = entry.expect === 'added' ? 2 : 0;
  const after = await Promise.all(hosts.map((h) => probe(h)));
  const afterLenient = await Promise.all(
    hosts.map((h, i) => (after[i]!.ok ? Promise.resolve(after[i]!) : probe(h, true))),
  );
  /** The same resolution, or ssh's same error about the user's file, `shift` lines down. */
  const assertSame = (a: Resolution, b: Resolution, what: string) => {
    if (b.ok) assert.equal(render(a), render(b), what);
    else
      assert.equal(
        render(a),
        render({ ok: false, error: shiftLines(b.error, cfg, shift) }),
        `${what}: the same error, ${shift} lines down`,
      );
  };
  hosts.forEach((h, i) => {
    if (!haveFile) return;
    stats.userHostChecks++;
    if (!before[i]!.ok) stats.rejectedByOpenSsh++;
    assertSame(after[i]!, before[i]!, `ssh -G ${h}`);
    if (!before[i]!.ok) assertSame(afterLenient[i]!, beforeLenient[i]!, `ssh -o IgnoreUnknown=* -G ${h}`);
  });

  // Our hosts resolve to our values: through the user's config; where this OpenSSH cannot read
  // that file at all (a BOM, an algorithm it does not know), through the managed file alone.
  const readable = (await probe('fal-corpus_a', true)).ok;
  const resolved = async (alias: string): Promise<Resolution> => {
    if (!readable) return sshG(paths.managedConfig, alias, { home });
    const r = await probe(alias);
    return r.ok ? r : probe(alias, true);
  };
  for (const t of ours(c)) {
    assertResolves(await resolved(hostAlias(t.instanceId)), entryOf(c, t));
    stats.ourHostChecks++;
  }
  if (!readable) stats.onlyManaged++;

  // Hostile values: refused, or read back exactly; never a directive of their own.
  for (const t of fc.sample(hostileTarget(c.paths.sshDir), { numRuns: HOSTILE_PER_CONFIG, seed: 1000 + index })) {
    stats.hostileTried++;
    const managedBefore = await readIfExists(paths.managedConfig);
    let e: HostEntry;
    try {
      e = entryOf(c, t);
      await upsertHost(paths.managedConfig, e);
    } catch (err) {
      assert.ok(
        err instanceof SshConfigError && (err.code === 'invalid-value' || err.code === 'invalid-path'),
        String(err),
      );
      assert.deepEqual(
        await readIfExists(paths.managedConfig),
        managedBefore,
        'refused: the managed file is unchanged',
      );
      stats.hostileRefused++;
      continue;
    }
    stats.hostileAccepted++;
    try {
      assertOnlyOurLines((await readIfExists(paths.managedConfig))!, e);
      const r = await resolved(e.alias);
      assertResolves(r, e);
      // The same entry with a plain key path: everything else ssh resolves must be the same.
      await upsertHost(paths.managedConfig, { ...e, identityFile: `${c.paths.sshDir}/plain_key` });
      assertNothingElse(r, await resolved(e.alias));
    } catch (err) {
      stats.injected++;
      throw err;
    }
    if (hosts[0] && haveFile)
      assert.equal(
        render(await probe(hosts[0])),
        render(after[0]!),
        `ssh -G ${hosts[0]} with a hostile entry beside it`,
      );
    await removeHost(paths.managedConfig, e.alias);
  }

  // Re-adding changes nothing.
  assert.equal(await ensureInclude(cfg, paths.managedConfig, home), 'present');
  assert.deepEqual(await readIfExists(cfg), written);

  // Leave no trace: the last entry goes, and with it everything of ours.
  for (const t of ours(c)) await removeHost(paths.managedConfig, hostAlias(t.instanceId));
  await tidyIfNoHosts(paths, home);
  const expected = entry.expect === 'present' ? userBytes : (c.original ?? null);
  assert.deepEqual(await readIfExists(cfg), expected, "the user's config is back to its original bytes");
  assert.deepEqual(fileState(cfg), state, 'link, mode and owner as before');
  assert.ok(!exists(paths.falDir), '~/.ssh/fal is gone');
  assert.ok(!exists(cfg + BACKUP_SUFFIX), 'the backup, identical again, is gone');
  assert.deepEqual(await Promise.all(c.untouchable.map((f) => readIfExists(f))), untouchable);
}

function assertResolves(r: Resolution, e: HostEntry): void {
  assert.ok(r.ok, `ssh -G ${e.alias}: ${r.ok ? '' : r.error}`);
  for (const [key, value] of expectedResolution(e, 'posix')) {
    const got: string = (r.ok ? r.values.get(key)?.split('\n')[0] : undefined) ?? '';
    if (key === 'hostname') assert.ok(sameAddress(got, value), `${e.alias}: hostname ${got}, not ${value}`);
    else assert.equal(got, value, `${e.alias}: ${key}`);
  }
}

/** Our block for e, read as OpenSSH reads lines: exactly our keywords, one argument each, nothing else. */
function assertOnlyOurLines(managed: Buffer, e: HostEntry): void {
  const block = allHostBlocks(readConfigText(managed, 'managed').lines).find((b) => b.alias === e.alias);
  assert.ok(block, `the block of ${e.alias}`);
  const lines = block.lines.map((l) => parseConfigLine(l.text)).filter((p) => p.keyword !== undefined);
  assert.deepEqual(
    lines.map((p) => [p.keyword, p.args.length, p.error]),
    OUR_KEYWORDS.map((k) => [k, 1, undefined]),
  );
}
const OUR_KEYWORDS = [
  'host',
  'hostname',
  'user',
  'port',
  'identityfile',
  'identitiesonly',
  'stricthostkeychecking',
  'userknownhostsfile',
  'hostkeyalias',
  'checkhostip',
  'serveraliveinterval',
];

/** Every value besides IdentityFile is what it is for the same entry with a plain key path: nothing injected. */
function assertNothingElse(r: Resolution, twin: Resolution): void {
  assert.ok(r.ok && twin.ok);
  const keys = new Set([...r.values.keys(), ...twin.values.keys()]);
  for (const key of keys)
    if (key !== 'identityfile') assert.equal(r.values.get(key), twin.values.get(key), `${key} (injected?)`);
}
