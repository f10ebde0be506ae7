import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  forgetHost,
  forgetInstanceHostKeys,
  isHostKeyChangedError,
  knownHostKeys,
  planForgetHost,
} from '../../../src/ssh/knownHosts';
import { hasOpenSsh, makeTempDir, removeDir, run, SSH_KEYGEN } from './helpers';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBdyrwUvHNM+LlOoGLAeC4t3uJmnl/eHKEJT7aAybcoo';
const PLAIN = [
  `203.0.113.10 ${KEY}`,
  `[203.0.113.10]:2222 ${KEY}`,
  `other.example,203.0.113.10 ${KEY}`,
  `203.0.113.11 ${KEY}`,
  `@revoked 203.0.113.10 ${KEY}`,
  `@cert-authority *.example ${KEY}`,
  `2001:db8::1 ${KEY}`,
  `[2001:db8::1]:2200 ${KEY}`,
  '',
].join('\n');

describe('ssh/knownHosts', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir('fal-knownhosts-')));
  afterEach(() => removeDir(dir));

  it('removes plain, [ip]:port and multi-name lines for host:port, keeping @revoked/@cert-authority and every other byte', () => {
    const text = `# my hosts\r\n${PLAIN.replace(/\n/g, '\r\n')}\r\n  \r\n`;
    const { bytes, removed } = planForgetHost(Buffer.from(text), '203.0.113.10', 22);
    assert.equal(removed, 2);
    assert.equal(
      bytes.toString(),
      text.replace(`203.0.113.10 ${KEY}\r\n`, '').replace(`other.example,203.0.113.10 ${KEY}\r\n`, ''),
    );
    assert.equal(planForgetHost(Buffer.from(PLAIN), '203.0.113.10', 2222).removed, 1);
    assert.equal(planForgetHost(Buffer.from(PLAIN), '2001:DB8:0::1', 2200).removed, 1, 'IPv6 in canonical form');
    assert.equal(planForgetHost(Buffer.from(PLAIN), '203.0.113.99', 22).removed, 0);
    assert.equal(
      planForgetHost(Buffer.from(`203.0.113.10 ${KEY}`), '203.0.113.10').bytes.length,
      0,
      'last line without newline',
    );
  });

  it('matches hashed entries exactly like ssh-keygen -R (file hashed by ssh-keygen -H)', async function () {
    if (!hasOpenSsh()) this.skip();
    const hashed = join(dir, 'known_hosts');
    writeFileSync(hashed, PLAIN, { mode: 0o600 });
    assert.equal((await run(SSH_KEYGEN, ['-H', '-f', hashed])).code, 0);
    assert.match(readFileSync(hashed, 'utf8'), /^\|1\|/);
    for (const [host, port] of [
      ['203.0.113.10', 22],
      ['203.0.113.10', 2222],
      ['2001:db8::1', 22],
      ['2001:db8::1', 2200],
    ] as const) {
      const ours = join(dir, `ours-${port}`);
      const theirs = join(dir, `theirs-${port}`);
      copyFileSync(hashed, ours);
      copyFileSync(hashed, theirs);
      const removed = await forgetHost(ours, host, port);
      const r = await run(SSH_KEYGEN, ['-R', port === 22 ? host : `[${host}]:${port}`, '-f', theirs]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(removed, (r.stdout.match(/found: line/g) ?? []).length, `${host}:${port}`);
      assert.ok(removed > 0);
      assert.deepEqual(readFileSync(ours), readFileSync(theirs), `${host}:${port}`);
      // ssh-keygen -F finds no remembered key for it any more (the @revoked line stays, on purpose).
      const found = await run(SSH_KEYGEN, ['-F', port === 22 ? host : `[${host}]:${port}`, '-f', ours]);
      assert.deepEqual(
        found.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('@')),
        [],
      );
    }
    assert.equal(
      (await run(SSH_KEYGEN, ['-F', '203.0.113.11', '-f', join(dir, 'ours-22')])).code,
      0,
      'other hosts stay',
    );
  });

  it('writes atomically and only when something matched; a missing file has nothing to forget', async () => {
    const file = join(dir, 'known_hosts');
    assert.equal(await forgetHost(file, '203.0.113.10'), 0);
    assert.deepEqual(readdirSync(dir), []);
    writeFileSync(file, PLAIN, { mode: 0o640 });
    const before = statSync(file);
    assert.equal(await forgetHost(file, '198.51.100.1'), 0);
    assert.equal(statSync(file).mtimeMs, before.mtimeMs);
    assert.equal(await forgetHost(file, '203.0.113.10'), 2);
    assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(dir), ['known_hosts']);
    assert.equal(await forgetHost(file, '203.0.113.10'), 0);
  });

  it("knownHostKeys: the instance's keys under its alias (plain or hashed); legacy address entries only when there are none", async function () {
    const file = join(dir, 'known_hosts');
    const K2 = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7';
    const inst = { alias: 'fal-inst_a', ip: '203.0.113.10', port: 22 };
    const summary = async (i = inst) => {
      const k = await knownHostKeys(file, i);
      return {
        recordedAs: k.recordedAs,
        accepted: k.accepted.map((a) => `${a.type} ${a.blob.toString('base64')}`),
        revoked: k.revoked.length,
      };
    };
    assert.deepEqual(await summary(), { recordedAs: undefined, accepted: [], revoked: 0 }, 'no file: none');
    writeFileSync(file, `${PLAIN}fal-inst_a ${K2}\nfal-inst_b ${KEY}\n@revoked fal-inst_a ${KEY}\n`);
    assert.deepEqual(
      await summary(),
      { recordedAs: 'alias', accepted: [K2], revoked: 2 },
      'the alias wins over the address lines; @revoked lines are all reported',
    );
    // A file from before HostKeyAlias: the address lines (port 22 as the bare IP, else [ip]:port).
    writeFileSync(file, PLAIN);
    assert.deepEqual(await summary(), { recordedAs: 'address', accepted: [KEY, KEY], revoked: 1 });
    assert.equal((await summary({ ...inst, port: 2222 })).accepted.length, 1);
    assert.deepEqual((await summary({ ...inst, ip: '198.51.100.7' })).accepted, []);
    if (!hasOpenSsh()) this.skip();
    // Debian's ssh_config sets HashKnownHosts yes: hashed aliases are found too.
    writeFileSync(file, `fal-inst_a ${K2}\n${PLAIN}`);
    assert.equal((await run(SSH_KEYGEN, ['-H', '-f', file])).code, 0);
    assert.doesNotMatch(readFileSync(file, 'utf8'), /fal-inst_a/);
    assert.equal((await summary()).recordedAs, 'alias');
  });

  it('forgetInstanceHostKeys: the alias line and the legacy address lines, nothing else', async () => {
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `fal-inst_a ${KEY}\nfal-inst_ab ${KEY}\n${PLAIN}`);
    assert.equal(await forgetInstanceHostKeys(file, { alias: 'fal-inst_a', ip: '203.0.113.10', port: 22 }), 3);
    assert.equal(
      readFileSync(file, 'utf8'),
      `fal-inst_ab ${KEY}\n${PLAIN.replace(`203.0.113.10 ${KEY}\n`, '').replace(`other.example,203.0.113.10 ${KEY}\n`, '')}`,
    );
  });

  it('recognizes OpenSSH host-key-changed output', () => {
    const changed = [
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n' +
        '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\nIT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!\n' +
        'Offending ED25519 key in /home/u/.ssh/fal/known_hosts:3\nHost key for [127.0.0.1]:2222 has changed and you have requested strict checking.\nHost key verification failed.\r\n',
      'Host key verification failed.',
    ];
    for (const stderr of changed) assert.ok(isHostKeyChangedError(stderr));
    for (const stderr of [
      'ssh: connect to host 1.2.3.4 port 22: Connection refused',
      'Permission denied (publickey).',
      '',
    ]) {
      assert.ok(!isHostKeyChangedError(stderr), stderr);
    }
  });
});
