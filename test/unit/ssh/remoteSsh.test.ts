import assert from 'node:assert/strict';
import {
  checkInstanceIp,
  REMOTE_SSH_EXTENSIONS,
  remoteFolderUri,
  remoteHome,
  remoteSshProvider,
  shellArg,
  sshCommandLine,
  staleAliases,
  terminalConfigFile,
} from '../../../src/ssh/remoteSsh';

describe('ssh/remoteSsh', () => {
  describe('remoteSshProvider', () => {
    it('is undefined when neither Remote-SSH extension is installed', () => {
      assert.equal(
        remoteSshProvider(() => false),
        undefined,
      );
      assert.equal(
        remoteSshProvider((id) => id === 'ms-vscode-remote.remote-ssh-edit'),
        undefined,
        'a similar id is not a provider',
      );
    });
    it("prefers Microsoft's Remote - SSH, and takes open-remote-ssh alone", () => {
      assert.equal(
        remoteSshProvider(() => true),
        'ms-vscode-remote.remote-ssh',
      );
      assert.equal(
        remoteSshProvider((id) => id === 'jeanp413.open-remote-ssh'),
        'jeanp413.open-remote-ssh',
      );
      assert.deepEqual([...REMOTE_SSH_EXTENSIONS], ['ms-vscode-remote.remote-ssh', 'jeanp413.open-remote-ssh']);
    });
  });

  describe('remoteFolderUri', () => {
    it('is vscode-remote://ssh-remote+<alias>/home/<user>', () => {
      assert.equal(remoteFolderUri('fal-inst_abc', 'ubuntu'), 'vscode-remote://ssh-remote+fal-inst_abc/home/ubuntu');
      assert.equal(remoteFolderUri('fal-inst_ab.20', 'dev'), 'vscode-remote://ssh-remote+fal-inst_ab.20/home/dev');
    });
    it("uses root's real home /root", () => {
      assert.equal(remoteHome('root'), '/root');
      assert.equal(remoteFolderUri('fal-x', 'root'), 'vscode-remote://ssh-remote+fal-x/root');
    });
    it('refuses an alias not made by hostAlias and a user with path characters', () => {
      assert.throws(() => remoteFolderUri('fal-x/../y', 'ubuntu'));
      assert.throws(() => remoteFolderUri('myhost', 'ubuntu'));
      assert.throws(() => remoteFolderUri('fal-x', '../etc'));
    });
  });

  describe('checkInstanceIp', () => {
    it('accepts IPv4 and IPv6 literals', () => {
      assert.deepEqual(checkInstanceIp('203.0.113.10'), { ok: true, ip: '203.0.113.10' });
      assert.deepEqual(checkInstanceIp('2001:db8::1'), { ok: true, ip: '2001:db8::1' });
    });
    it('refuses a missing IP, a host name, a zone index and an IP carrying ProxyCommand', () => {
      for (const bad of [
        undefined,
        '',
        'example.com',
        'fe80::1%eth0',
        '203.0.113.10\n  ProxyCommand touch /tmp/pwned',
        ' 203.0.113.10',
      ]) {
        const r = checkInstanceIp(bad);
        assert.equal(r.ok, false, JSON.stringify(bad));
      }
    });
  });

  describe('sshCommandLine', () => {
    it('is `ssh <alias>` when the Include is in place', () => {
      assert.equal(sshCommandLine('fal-inst_a', undefined), 'ssh fal-inst_a');
    });
    it('passes the managed file with -F, quoted for the shell', () => {
      assert.equal(sshCommandLine('fal-a', '/home/u/.ssh/fal/config', 'linux'), 'ssh -F /home/u/.ssh/fal/config fal-a');
      assert.equal(
        sshCommandLine('fal-a', "/home/o'neil x/.ssh/fal/config", 'linux'),
        `ssh -F '/home/o'\\''neil x/.ssh/fal/config' fal-a`,
      );
      assert.equal(
        sshCommandLine('fal-a', 'C:\\Users\\Jo Doe\\.ssh\\fal\\config', 'win32'),
        'ssh -F "C:\\Users\\Jo Doe\\.ssh\\fal\\config" fal-a',
      );
      assert.equal(shellArg('$(rm -rf ~)', 'linux'), `'$(rm -rf ~)'`);
    });
    it("terminalConfigFile: -F only when ssh's default config is not the one with our Include", () => {
      assert.equal(terminalConfigFile('/home/u/.ssh/config', '/home/u/.ssh/config'), undefined);
      assert.equal(
        terminalConfigFile('/home/u/custom_ssh', '/home/u/.ssh/config'),
        '/home/u/custom_ssh',
        'remote.SSH.configFile',
      );
      assert.equal(
        terminalConfigFile('/tmp/h/.ssh/config', '/root/.ssh/config'),
        '/tmp/h/.ssh/config',
        '$HOME differs from the passwd home',
      );
      assert.equal(
        terminalConfigFile('/home/u/.ssh/config', '/home/u/.ssh/config', '/home/u/.ssh/fal/config'),
        '/home/u/.ssh/fal/config',
        'Include refused',
      );
    });
    it('refuses anything but a fal alias', () => {
      assert.throws(() => sshCommandLine('fal-a; rm -rf ~', undefined));
    });
  });

  describe('pruning: staleAliases', () => {
    const aliases = ['fal-inst_a', 'fal-inst_b', 'fal-inst_c', 'fal-inst_up.20', 'not-ours', 'fal-'];
    it('on the first list, removes every fal alias whose instance is not listed (and only fal aliases)', () => {
      const listed = new Set(['inst_a', 'inst_Up']);
      assert.deepEqual(staleAliases(aliases, listed, new Set(), true), ['fal-inst_b', 'fal-inst_c']);
    });
    it('later, removes only instances seen in this session that are gone now', () => {
      const seen = new Set(['inst_a', 'inst_b']);
      assert.deepEqual(
        staleAliases(aliases, new Set(['inst_a']), seen, false),
        ['fal-inst_b'],
        'inst_c was never listed this session: kept',
      );
    });
    it('keeps everything while all instances are listed', () => {
      const listed = new Set(['inst_a', 'inst_b', 'inst_c', 'inst_Up']);
      assert.deepEqual(staleAliases(aliases, listed, listed, false), []);
    });
    it('matches mixed-case ids to their alias (hostAlias), and tolerates ids hostAlias refuses', () => {
      assert.deepEqual(staleAliases(['fal-inst_up.20'], new Set(['inst_Up', 'bad/id']), new Set(), true), []);
    });
  });
});
