// Paths we write into SSH configs, generated hostile (fast-check) and read back by the real
// OpenSSH: whatever the path (a trailing backslash, backslashes in a Linux home, spaces, quotes,
// `#`, `%` tokens, `~`, glob characters, `${`, non-ASCII), ssh either reads back exactly that
// path or we refuse it with a clear message — never a config that ssh rejects or misreads.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseConfigLine } from '../../../src/ssh/configText';
import { SshConfigError } from '../../../src/ssh/errors';
import { renderHostBlock, type HostEntry } from '../../../src/ssh/hostEntry';
import { planEnsureInclude } from '../../../src/ssh/sshConfigFile';
import { hasOpenSsh, makeTempDir, removeDir, sshG, sshIdentityFiles } from './helpers';

/** Characters that mean something to argv_split, %-expansion, glob(3), a shell or a terminal. */
const HOSTILE = [
  '\\',
  '"',
  "'",
  '#',
  '%',
  '~',
  '*',
  '?',
  '[',
  ']',
  '$',
  '{',
  '}',
  ' ',
  '\t',
  '=',
  ',',
  '!',
  '&',
  ';',
  'é',
  '日',
  '🚀',
  'a',
  'Z',
  '\x01',
  '\x7f',
];
/** Line breaks (always refused) are rarer, so that most generated paths get as far as the real ssh. */
const unit = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE), weight: 20 },
  { arbitrary: fc.constantFrom('\r', '\n'), weight: 1 },
);
const segment = fc.string({ unit, minLength: 1, maxLength: 8 }).filter((s) => s !== '.' && s !== '..');

const refusedFor = (e: unknown, path: string, allowed: RegExp[]): boolean =>
  e instanceof SshConfigError &&
  e.code === 'invalid-path' &&
  allowed.some((why) => why.test(path)) &&
  e.message.includes(JSON.stringify(path).slice(0, 40));

describe('ssh/configPath', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = makeTempDir('fal-paths-')));
  afterEach(() => removeDir(dir));

  it('IdentityFile and UserKnownHostsFile: ssh opens exactly the path, or it is refused (line break, NUL, ${…}) — 100 generated paths', async function () {
    if (!hasOpenSsh()) this.skip();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(segment, segment, segment, async (a, b, c) => {
        const entry: HostEntry = {
          alias: 'fal-p',
          hostName: '192.0.2.1',
          identityFile: `${dir}/${a}/${b}`,
          knownHostsFile: `${dir}/${c}/known_hosts`,
        };
        let block: string;
        try {
          block = renderHostBlock(entry, 'posix');
        } catch (e) {
          const bad = [/[\r\n\0]/, /\$\{/];
          assert.ok(refusedFor(e, entry.identityFile, bad) || refusedFor(e, entry.knownHostsFile, bad), String(e));
          return;
        }
        const config = join(dir, 'config');
        writeFileSync(config, block);
        const g = await sshG(config, 'fal-p'); // throws when ssh rejects the file ("invalid quotes")
        assert.equal(g.get('userknownhostsfile'), entry.knownHostsFile);
        assert.equal((await sshIdentityFiles(config, 'fal-p'))[0], entry.identityFile);
        accepted++;
      }),
      { numRuns: 100 },
    );
    assert.ok(accepted >= 35, `only ${accepted} of 100 generated paths were accepted`);
  });

  it('Include: ssh reads the managed file under a hostile home folder, or it is refused (%, line break) — 80 generated homes', async function () {
    if (!hasOpenSsh()) this.skip();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(segment, segment, async (a, b) => {
        const home = join(dir, a.replace(/[\r\n]/g, 'x'), b);
        const managed = join(home, '.ssh', 'fal', 'config');
        const user = Buffer.from('Host other\n  User someone\n');
        let plan;
        try {
          plan = planEnsureInclude(user, managed, 'config', home, 'posix');
        } catch (e) {
          assert.ok(refusedFor(e, managed, [/%/, /[\r\n\0]/]), String(e));
          return;
        }
        assert.equal(plan.result, 'added');
        mkdirSync(join(home, '.ssh', 'fal'), { recursive: true });
        writeFileSync(managed, 'Host fal-inc\n  HostName 192.0.2.7\n', { mode: 0o600 });
        const config = join(dir, 'user_config');
        writeFileSync(config, plan.bytes);
        assert.equal(
          (await sshG(config, 'fal-inc')).get('hostname'),
          '192.0.2.7',
          `Include line: ${plan.bytes.toString().split('\n')[1]}`,
        );
        assert.equal((await sshG(config, 'other')).get('user'), 'someone');
        removeDir(join(dir, a.replace(/[\r\n]/g, 'x')));
        accepted++;
      }),
      { numRuns: 80 },
    );
    assert.ok(accepted >= 30, `only ${accepted} of 80 generated homes were accepted`);
  });

  it('the issue’s cases, one by one: trailing backslash, a backslash in a Linux home', async function () {
    if (!hasOpenSsh()) this.skip();
    const key = join(dir, 'keys\\');
    const config = join(dir, 'config');
    writeFileSync(
      config,
      renderHostBlock(
        { alias: 'fal-t', hostName: '192.0.2.1', identityFile: key, knownHostsFile: join(dir, 'kh') },
        'posix',
      ),
    );
    assert.equal((await sshIdentityFiles(config, 'fal-t'))[0], key);
    const home = join(dir, 'a\\b');
    const managed = join(home, '.ssh', 'fal', 'config');
    mkdirSync(join(home, '.ssh', 'fal'), { recursive: true });
    writeFileSync(managed, 'Host fal-t2\n  HostName 192.0.2.9\n', { mode: 0o600 });
    const plan = planEnsureInclude(Buffer.alloc(0), managed, 'config', home, 'posix');
    assert.equal(plan.result, 'added');
    writeFileSync(config, plan.bytes);
    assert.equal((await sshG(config, 'fal-t2')).get('hostname'), '192.0.2.9');
  });

  it('our own reader (configText) reads every argument we write back as OpenSSH would — 2,000 generated paths, both styles', () => {
    const winSegment = segment.map((s) => s.replace(/["\\/\r\n\0]/g, '_'));
    fc.assert(
      fc.property(
        segment,
        segment,
        fc.constantFrom('posix' as const, 'win32' as const),
        winSegment,
        (a, b, style, w) => {
          const identityFile = style === 'posix' ? `/x/${a}/${b}` : `C:\\Users\\${w}\\.ssh\\${w}`;
          let block: string;
          try {
            block = renderHostBlock(
              {
                alias: 'fal-p',
                hostName: '192.0.2.1',
                identityFile,
                knownHostsFile: style === 'posix' ? '/kh' : 'C:\\kh',
              },
              style,
            );
          } catch (e) {
            assert.ok(e instanceof SshConfigError && e.code === 'invalid-path', String(e));
            return;
          }
          const line = block.split('\n').find((l) => l.trimStart().startsWith('IdentityFile'))!;
          const parsed = parseConfigLine(line);
          assert.equal(parsed.error, undefined);
          const expected = style === 'posix' ? identityFile : identityFile.replace(/\\/g, '/');
          assert.deepEqual(parsed.args, [expected.replace(/%/g, '%%')]);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
