import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfigLine, readConfigText } from '../../../src/ssh/configText';
import { SshConfigError } from '../../../src/ssh/errors';
import { hasOpenSsh, makeTempDir, removeDir, sshG } from './helpers';

describe('ssh/configText', () => {
  it('splits lines with exact byte offsets: BOM, CRLF, multi-byte text, no final newline', () => {
    const bytes = Buffer.from('\uFEFFHost ä\r\n  User x\r\n\r\nlast', 'utf8');
    const doc = readConfigText(bytes, 'cfg');
    assert.equal(doc.bomLength, 3);
    assert.equal(doc.eol, '\r\n');
    assert.deepEqual(
      doc.lines.map((l) => [l.text, l.hasEol]),
      [
        ['Host ä', true],
        ['  User x', true],
        ['', true],
        ['last', false],
      ],
    );
    assert.deepEqual(Buffer.concat(doc.lines.map((l) => bytes.subarray(l.start, l.next))), bytes.subarray(3));
    assert.equal(readConfigText(Buffer.from('a\nb\r\n'), 'cfg').eol, '\n', 'the first line break decides');
    assert.deepEqual(readConfigText(Buffer.alloc(0), 'cfg').lines, []);
  });

  it('refuses binary, UTF-16 and invalid UTF-8 with a message naming the file', () => {
    const cases: [Buffer, RegExp][] = [
      [Buffer.from('Host a\n\0\0\0'), /NUL/],
      [Buffer.from('\uFEFFHost a\n', 'utf16le'), /UTF-16/],
      [Buffer.from([0x48, 0x6f, 0x73, 0x74, 0x20, 0xe9, 0x0a]), /not valid UTF-8/],
      [Buffer.from([0xc0, 0xaf]), /not valid UTF-8/],
    ];
    for (const [bytes, message] of cases) {
      assert.throws(
        () => readConfigText(bytes, '/home/u/.ssh/config'),
        (e: unknown) =>
          e instanceof SshConfigError &&
          e.code === 'not-text' &&
          message.test(e.message) &&
          e.message.includes('/home/u/.ssh/config'),
      );
    }
  });

  it('reads keywords and arguments like OpenSSH (readconf.c + argv_split)', () => {
    const cases: [string, string | undefined, string[]][] = [
      ['Host a b', 'host', ['a', 'b']],
      ['  HOST\ta', 'host', ['a']],
      ['Host=a', 'host', ['a']],
      ['Host = a', 'host', ['a']],
      ['"Host" quoted', 'host', ['quoted']],
      ['Include "/a b/c" # note', 'include', ['/a b/c']],
      ['Include /a\\ b', 'include', ['/a b']],
      ['IdentityFile "C:\\Users\\me\\k"', 'identityfile', ['C:\\Users\\me\\k']],
      ["User 'single quoted'", 'user', ['single quoted']],
      ['ProxyCommand ssh -W %h:%p j#1', 'proxycommand', ['ssh', '-W', '%h:%p', 'j#1']],
      ['Match host x exec "test -f /x"', 'match', ['host', 'x', 'exec', 'test -f /x']],
      ['# Host commented', undefined, []],
      ['   ', undefined, []],
      ['', undefined, []],
      ['Hostname   1.2.3.4   \t', 'hostname', ['1.2.3.4']],
    ];
    for (const [text, keyword, args] of cases) {
      const parsed = parseConfigLine(text);
      assert.equal(parsed.keyword, keyword, text);
      assert.deepEqual(parsed.args, args, text);
      assert.equal(parsed.error, undefined, text);
    }
    assert.equal(parseConfigLine('Host "unterminated').error, 'unterminated quote');
  });

  it('agrees with ssh -G on the tricky spellings', async function () {
    if (!hasOpenSsh()) this.skip();
    const dir = makeTempDir('fal-configtext-');
    try {
      const file = join(dir, 'config');
      writeFileSync(
        file,
        '"Host" quoted\n  User=quoteduser\nHOST=eq\n\tuser = equser\nHost tab\t# comment\n  User tabuser\n',
      );
      assert.equal((await sshG(file, 'quoted')).get('user'), 'quoteduser');
      assert.equal((await sshG(file, 'eq')).get('user'), 'equser');
      assert.equal((await sshG(file, 'tab')).get('user'), 'tabuser');
    } finally {
      removeDir(dir);
    }
  });
});
