import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { checkSessions, describeWhoEntry, parseWho, sshdSessionTitle, SESSION_CHECK_COMMAND } from '../../../src/cost';

const root = join(__dirname, '../../../../test/fixtures');
const who = (name: string) => readFileSync(join(root, 'who', name), 'utf8');
const check = (name: string) => readFileSync(join(root, 'session-check', name), 'utf8');

describe('who parsing (real outputs, test/fixtures/who)', () => {
  it('SSH logins from an address', () => {
    assert.deepEqual(parseWho(who('ssh-two-logins.txt')), {
      entries: [
        { user: 'ubuntu', line: 'pts/0', host: '154.161.161.208' },
        { user: 'ubuntu', line: 'pts/1', host: '154.161.161.208' },
      ],
      unreadable: [],
    });
  });

  it('a console line without comment, a display, a tmux pane with nested parentheses, an IP', () => {
    const { entries, unreadable } = parseWho(who('console-display-tmux-ip.txt'));
    assert.deepEqual(unreadable, []);
    assert.deepEqual(entries, [
      { user: 'tux', line: 'tty8' },
      { user: 'tux', line: 'pts/0', host: ':0' },
      { user: 'tux', line: 'pts/1', host: 'tmux(3619).%0' },
      { user: 'tux', line: 'pts/2', host: '192.168.1.1' },
    ]);
    assert.deepEqual(entries.map(describeWhoEntry), [
      'tux on tty8',
      'tux on pts/0 (display :0)',
      'tux in a tmux pane (pts/1)',
      'tux on pts/2 from 192.168.1.1',
    ]);
  });

  it(':0 display lines, seat0 "(login screen)", a 14-character user name', () => {
    assert.deepEqual(
      parseWho(who('butterfly-issue-39.txt')).entries.map((e) => [e.line, e.host]),
      [
        [':0', ':0'],
        ['pts/0', ':0'],
        ['pts/1', ':0'],
      ],
    );
    assert.deepEqual(parseWho(who('display-and-terminals.txt')).entries[0], { user: 'admin', line: ':0', host: ':0' });
    const seat = parseWho(who('seat0-login-screen.txt')).entries;
    assert.deepEqual(seat[0], { user: 'fira', line: 'seat0', host: 'login screen' });
    assert.deepEqual(seat[1], { user: 'fira', line: ':1', host: ':1' });
    assert.equal(parseWho(who('long-user-name.txt')).entries[2]?.user, 'paradiseland86');
  });

  it('every fixture parses completely: one entry per line, nothing unreadable', () => {
    for (const name of [
      'ubuntu-server-tmux.txt',
      'two-users-tmux.txt',
      'seat0-login-screen.txt',
      'long-user-name.txt',
    ]) {
      const text = who(name);
      const { entries, unreadable } = parseWho(text);
      assert.deepEqual(unreadable, [], name);
      assert.equal(entries.length, text.trim().split('\n').length, name);
    }
    assert.deepEqual(
      parseWho(who('two-users-tmux.txt')).entries.map((e) => e.user),
      ['cky', 'zj', 'cky', 'cky', 'cky'],
    );
  });

  it('never throws, and never loses a line, on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const { entries, unreadable } = parseWho(text);
        const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
        assert.equal(entries.length + unreadable.length, lines.length);
      }),
    );
  });
});

describe('the session check (real captures against sshd, test/fixtures/session-check)', () => {
  it('alone: our own exec connection is recognised and nobody else is there', () => {
    assert.deepEqual(checkSessions(check('alone.txt')), { ok: true, others: [] });
  });

  it('a terminal session shows in who and as an sshd process; both are reported', () => {
    const result = checkSessions(check('with-pty.txt'));
    assert.ok(result.ok);
    assert.deepEqual(
      result.others.map((o) => o.description),
      ['root on pts/0 from 127.0.0.1', 'root over SSH (pts/0), sshd pid 20860'],
    );
  });

  it('a session without a terminal (how Remote-SSH connects) is invisible to who and still found', () => {
    const result = checkSessions(check('with-notty.txt'));
    assert.ok(result.ok);
    assert.deepEqual(
      result.others.map((o) => [o.source, o.description]),
      [['sshd', 'root over SSH (no terminal), sshd pid 21186']],
    );
  });

  it('the command the VS Code side runs is the one the captures were made with', () => {
    assert.equal(
      SESSION_CHECK_COMMAND,
      'LC_ALL=C who && echo @@fal-who-ok@@; echo @@fal-ps@@; ps -eo pid=,ppid=,args=',
    );
  });

  it('anything it cannot read is "could not check", never "nobody there"', () => {
    const alone = check('alone.txt');
    const cases: [string, RegExp][] = [
      ['', /no process list/],
      [alone.replace('@@fal-who-ok@@\n', ''), /`who` did not run/],
      [alone.replace(/^.*ps -eo pid=,ppid=,args=\n/m, ''), /our own SSH connection/],
      [alone.replace('@@fal-who-ok@@', 'garbage\n@@fal-who-ok@@'), /unreadable `who` line/],
      [alone + alone.split('@@fal-ps@@\n')[1], /our own SSH connection/], // two of our ps lines: ambiguous
    ];
    for (const [output, reason] of cases) {
      const result = checkSessions(output);
      assert.equal(result.ok, false, output);
      if (!result.ok) assert.match(result.reason, reason);
    }
  });

  it('sshd process titles of a normal user (public sample: [priv] monitors are not sessions)', () => {
    // CMD column of the `ps -ef` sample in bernardofosu/Linux-Crush-Course 12-ssh/ssh_multiple_sessions_notes.md
    assert.equal(sshdSessionTitle('sshd: /usr/sbin/sshd -D -o AuthorizedKeysCommand ...'), undefined);
    assert.equal(sshdSessionTitle('sshd: ubuntu [priv]'), undefined);
    assert.deepEqual(sshdSessionTitle('sshd: ubuntu@pts/0'), { user: 'ubuntu', tty: 'pts/0' });
    assert.deepEqual(sshdSessionTitle('sshd: ubuntu@notty'), { user: 'ubuntu', tty: 'notty' });
    // OpenSSH 9.8 split the per-session process into sshd-session (inferred title; not captured here).
    assert.deepEqual(sshdSessionTitle('sshd-session: ubuntu@notty'), { user: 'ubuntu', tty: 'notty' });
  });
});
