import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SshConfigError } from '../../../src/ssh/errors';
import { hostAlias, isHostAlias, renderHostBlock, type HostEntry } from '../../../src/ssh/hostEntry';
import { hasOpenSsh, makeTempDir, removeDir, sshG } from './helpers';

const entry: HostEntry = {
  alias: 'fal-inst_abc123xyz',
  hostName: '203.0.113.10',
  identityFile: '/home/u/.ssh/fal_ed25519',
  knownHostsFile: '/home/u/.ssh/fal/known_hosts',
};
const refused = (fn: () => unknown, code: string, message?: RegExp) =>
  assert.throws(
    fn,
    (e: unknown) => e instanceof SshConfigError && e.code === code && (!message || message.test(e.message)),
  );

describe('ssh/hostEntry', () => {
  describe('hostAlias', () => {
    it('is fal-<id>, lower-case', () => {
      assert.equal(hostAlias('inst_abc123xyz'), 'fal-inst_abc123xyz');
      assert.equal(hostAlias('550e8400-e29b-41d4-a716-446655440000'), 'fal-550e8400-e29b-41d4-a716-446655440000');
      assert.ok(isHostAlias(hostAlias('inst_abc')));
    });

    it('keeps ids that differ only in case apart, although the alias is lower-case', () => {
      assert.equal(hostAlias('inst_Ab'), 'fal-inst_ab.20');
      assert.notEqual(hostAlias('inst_AB'), hostAlias('inst_Ab'));
      assert.notEqual(hostAlias('inst_ab'), hostAlias('inst_Ab'));
      const seen = new Map<string, string>();
      // Every id of length 1–4 over a small alphabet with both cases: 2,800 ids, no two share an alias.
      let ids = [''];
      const all: string[] = [];
      for (let length = 1; length <= 4; length++) {
        ids = ids.flatMap((prefix) => [...'aAbB0_-'].map((c) => prefix + c));
        all.push(...ids);
      }
      for (const id of all) {
        const alias = hostAlias(id);
        assert.ok(isHostAlias(alias), alias);
        const other = seen.get(alias);
        assert.ok(other === undefined || other === id, `${id} and ${other} share ${alias}`);
        seen.set(alias, id);
      }
    });

    it('refuses ids with characters that could be mangled or injected, never mapping two ids to one alias', () => {
      for (const id of ['', 'a/b', 'a b', 'a\nb', '*', 'a?', '!a', '%h', 'a.b', 'a,b', 'é', '../x', 'x'.repeat(129)]) {
        refused(() => hostAlias(id), 'invalid-value', /instance id/);
      }
    });
  });

  describe('renderHostBlock', () => {
    it('renders the block Remote-SSH connects through', () => {
      assert.equal(
        renderHostBlock(entry),
        [
          'Host fal-inst_abc123xyz',
          '  HostName 203.0.113.10',
          '  User ubuntu',
          '  Port 22',
          '  IdentityFile "/home/u/.ssh/fal_ed25519"',
          '  IdentitiesOnly yes',
          '  StrictHostKeyChecking accept-new',
          '  UserKnownHostsFile "/home/u/.ssh/fal/known_hosts"',
          '  HostKeyAlias fal-inst_abc123xyz',
          '  CheckHostIP no',
          '  ServerAliveInterval 30',
          '',
        ].join('\n'),
      );
      const custom = renderHostBlock({ ...entry, hostName: '2001:db8::1', user: 'root', port: 2222 });
      assert.match(custom, /HostName 2001:db8::1\n {2}User root\n {2}Port 2222\n/);
    });

    it('refuses a host name that is not an IP literal (e.g. one carrying a ProxyCommand)', () => {
      for (const hostName of [
        '1.2.3.4\n  ProxyCommand evil',
        '1.2.3.4 ',
        'example.com',
        '[::1]',
        'fe80::1%eth0',
        '',
        '1.2.3.4\0',
      ]) {
        refused(() => renderHostBlock({ ...entry, hostName }), 'invalid-value', /not an IPv4 or IPv6 address/);
      }
    });

    it('refuses bad users and ports', () => {
      for (const user of ['a b', 'ubuntu\n  ProxyCommand x', '-oProxyCommand=x', '', 'x'.repeat(33), 'u@h']) {
        refused(() => renderHostBlock({ ...entry, user }), 'invalid-value', /user name/);
      }
      for (const user of ['root', 'a.b-c_d', '_svc'])
        assert.match(renderHostBlock({ ...entry, user }), new RegExp(`User ${user}\n`));
      for (const port of [0, 65536, 22.5, Number.NaN, -1])
        refused(() => renderHostBlock({ ...entry, port }), 'invalid-value', /port/);
    });

    it('refuses aliases that were not made by hostAlias', () => {
      for (const alias of ['other', 'fal-*', 'fal-x\n  ProxyCommand evil', 'fal-X', 'fal-', 'fal-a b']) {
        refused(() => renderHostBlock({ ...entry, alias }), 'invalid-value', /alias/);
      }
    });

    it('quotes and escapes paths (argv_split), doubles %, refuses what cannot be written (configPath.test.ts generates the rest)', () => {
      const posix = renderHostBlock(
        { ...entry, identityFile: '/home/Jo "D" \\/key\\', knownHostsFile: '/ssh/100%/kh' },
        'posix',
      );
      assert.match(posix, /\n {2}IdentityFile "\/home\/Jo \\"D\\" \\\\\/key\\\\"\n/);
      assert.match(posix, /\n {2}UserKnownHostsFile "\/ssh\/100%%\/kh"\n/);
      const bad: [string, RegExp][] = [
        ['relative/key', /not an absolute path/],
        ['~/.ssh/key', /not an absolute path/],
        ['C:\\Users\\me\\key', /not an absolute path/],
        ['/a\nProxyCommand x', /line break/],
        ['/a\0b', /NUL/],
        ['/home/${USER}/key', /\$\{/],
      ];
      for (const [identityFile, message] of bad)
        refused(() => renderHostBlock({ ...entry, identityFile }, 'posix'), 'invalid-path', message);
      refused(() => renderHostBlock({ ...entry, knownHostsFile: 'kh' }), 'invalid-path', /known_hosts file/);
    });

    it('means to real OpenSSH exactly what it says (ssh -G), spaces and % included', async function () {
      if (!hasOpenSsh()) this.skip();
      const dir = makeTempDir('fal-hostentry-');
      try {
        const file = join(dir, 'config');
        const knownHostsFile = join(dir, 'a dir', '100% sure', 'known_hosts');
        writeFileSync(
          file,
          renderHostBlock({ ...entry, hostName: '2001:db8::7', port: 2200, user: 'root', knownHostsFile }),
        );
        const g = await sshG(file, 'fal-inst_abc123xyz');
        assert.equal(g.get('hostname'), '2001:db8::7');
        assert.equal(g.get('user'), 'root');
        assert.equal(g.get('port'), '2200');
        assert.equal(g.get('identitiesonly'), 'yes');
        assert.equal(g.get('stricthostkeychecking'), 'accept-new');
        assert.equal(g.get('serveraliveinterval'), '30');
        assert.equal(g.get('hostkeyalias'), 'fal-inst_abc123xyz');
        assert.equal(g.get('checkhostip'), 'no');
        assert.equal(g.get('userknownhostsfile'), knownHostsFile); // %% expanded back to %
        assert.equal(g.get('identityfile'), '/home/u/.ssh/fal_ed25519');
      } finally {
        removeDir(dir);
      }
    });
  });
});
