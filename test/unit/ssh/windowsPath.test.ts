// Windows paths, formatted on any OS (the style is a parameter): Includes relative to the home
// folder (`~/.ssh/fal/config`, the form both Win32-OpenSSH and Git for Windows' ssh resolve,
// see src/ssh/windowsPath.ts), file paths with forward slashes, old spellings upgraded in place.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatFilePath, formatIncludePath } from '../../../src/ssh/configPath';
import { parseConfigLine } from '../../../src/ssh/configText';
import { SshConfigError } from '../../../src/ssh/errors';
import { renderHostBlock } from '../../../src/ssh/hostEntry';
import { INCLUDE_MARKER, includeLine, planEnsureInclude, planRemoveInclude } from '../../../src/ssh/sshConfigFile';

const refused = (fn: () => unknown, message: RegExp) =>
  assert.throws(
    fn,
    (e: unknown) => e instanceof SshConfigError && e.code === 'invalid-path' && message.test(e.message),
  );
/** A folder name Windows allows: no \ / : * ? " < > |, not ending in a dot or space. */
const winName = fc
  .string({
    unit: fc.constantFrom(
      'a',
      'Z',
      ' ',
      "'",
      '#',
      '%',
      '~',
      '$',
      '{',
      '}',
      '!',
      '&',
      ';',
      '=',
      ',',
      '[',
      ']',
      'é',
      'ß',
      '日',
      '🚀',
      '.',
      '-',
    ),
    minLength: 1,
    maxLength: 10,
  })
  .filter((s) => !/[. ]$/.test(s) && s !== '.' && s !== '..');
const winHome = fc
  .tuple(fc.constantFrom('C', 'c', 'D'), fc.array(winName, { minLength: 1, maxLength: 3 }), fc.boolean())
  .map(([drive, parts, slash]) => `${drive}:\\${parts.join('\\')}${slash ? '\\' : ''}`);
const managedIn = (home: string) => `${home.replace(/\\$/, '')}\\.ssh\\fal\\config`;

describe('ssh/windowsPath', () => {
  it('Include of the managed file under a Windows home is written ~/.ssh/fal/config', () => {
    assert.equal(
      includeLine('C:\\Users\\Jo Doe\\.ssh\\fal\\config', 'C:\\Users\\Jo Doe', 'win32'),
      'Include "~/.ssh/fal/config"',
    );
    assert.equal(
      includeLine('c:\\users\\me\\.ssh\\fal\\config', 'C:\\Users\\Me\\', 'win32'),
      'Include "~/.ssh/fal/config"',
      'case-insensitive, trailing \\',
    );
    assert.equal(
      includeLine('\\\\srv\\home$\\me\\.ssh\\fal\\config', '\\\\srv\\home$\\me', 'win32'),
      'Include "~/.ssh/fal/config"',
      'UNC home',
    );
  });

  it('outside the home: /C:/… (Win32-OpenSSH reads a leading / as absolute), no glob characters, no device paths', () => {
    assert.equal(includeLine('D:\\ssh\\fal\\config', 'C:\\Users\\me', 'win32'), 'Include "/D:/ssh/fal/config"');
    refused(() => includeLine('D:\\ssh[1]\\config', 'C:\\Users\\me', 'win32'), /glob character/);
    refused(() => includeLine('\\\\?\\C:\\Users\\me\\.ssh\\fal\\config', 'C:\\Users\\me', 'win32'), /device paths/);
    refused(() => includeLine('\\\\srv\\share\\config', 'C:\\Users\\me', 'win32'), /inside your home folder/);
    refused(() => includeLine('fal\\config', 'C:\\Users\\me', 'win32'), /not an absolute Windows path/);
    refused(() => includeLine('\\Users\\me\\config', 'C:\\Users\\me', 'win32'), /not an absolute Windows path/);
    refused(() => includeLine('D:\\50%\\config', 'C:\\Users\\me', 'win32'), /contains %/);
    assert.equal(
      includeLine('C:\\Users\\50%\\.ssh\\fal\\config', 'C:\\Users\\50%', 'win32'),
      'Include "~/.ssh/fal/config"',
      'a % in the home is not written',
    );
  });

  it('IdentityFile / UserKnownHostsFile: forward slashes, % doubled, a trailing backslash harmless', () => {
    const block = renderHostBlock(
      {
        alias: 'fal-w',
        hostName: '192.0.2.1',
        identityFile: 'C:\\Users\\me\\',
        knownHostsFile: 'D:\\100%\\known_hosts',
      },
      'win32',
    );
    assert.match(block, /\n {2}IdentityFile "C:\/Users\/me\/"\n/);
    assert.match(block, /\n {2}UserKnownHostsFile "D:\/100%%\/known_hosts"\n/);
    assert.equal(
      formatFilePath('\\\\server\\share\\id_ed25519', 'key file', 'win32').arg,
      '"//server/share/id_ed25519"',
    );
    refused(() => formatFilePath('C:relative\\key', 'key file', 'win32'), /not an absolute Windows path/);
    refused(() => formatFilePath('/home/me/key', 'key file', 'win32'), /not an absolute Windows path/);
    refused(() => formatFilePath('C:\\${HOME}\\key', 'key file', 'win32'), /\$\{/);
  });

  it('any Windows home (generated): the Include is ~/.ssh/fal/config, found again, and removed leaving the original bytes', () => {
    fc.assert(
      fc.property(
        winHome,
        fc.constantFrom('', 'Host a\r\n  User b\r\n', '\ufeffHost *\n  User root\n'),
        (home, text) => {
          const managed = managedIn(home);
          assert.equal(formatIncludePath(managed, home, 'win32').split, '~/.ssh/fal/config');
          const original = Buffer.from(text);
          const plan = planEnsureInclude(original, managed, 'config', home, 'win32');
          assert.ok(plan.result === 'added');
          assert.equal(planEnsureInclude(plan.bytes, managed, 'config', home, 'win32').result, 'present');
          const removed = planRemoveInclude(plan.bytes, managed, 'config', home, 'win32');
          assert.ok(removed.result === 'removed' && removed.bytes.equals(original));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('every generated Windows key path is read back by argv_split as the forward-slash path', () => {
    fc.assert(
      fc.property(winHome, winName, (home, name) => {
        const path = `${home.replace(/\\$/, '')}\\.ssh\\${name}`;
        if (path.includes('${')) return refused(() => formatFilePath(path, 'key file', 'win32'), /\$\{/);
        const f = formatFilePath(path, 'key file', 'win32');
        assert.ok(!f.arg.includes('\\'), f.arg);
        assert.deepEqual(parseConfigLine(`IdentityFile ${f.arg}`).args, [path.replace(/\\/g, '/').replace(/%/g, '%%')]);
      }),
      { numRuns: 500 },
    );
  });

  it('upgrades our own old Include spellings in place (Windows C:\\… and a POSIX home with a backslash), keeping every other byte', () => {
    const win = Buffer.from(`Host x\r\n`);
    const oldWin = Buffer.concat([
      Buffer.from(`${INCLUDE_MARKER}\r\nInclude "C:\\Users\\me\\.ssh\\fal\\config"\r\n`),
      win,
    ]);
    const up = planEnsureInclude(oldWin, 'C:\\Users\\me\\.ssh\\fal\\config', 'config', 'C:\\Users\\me', 'win32');
    assert.ok(
      up.result === 'updated' &&
        up.bytes.equals(Buffer.concat([Buffer.from(`${INCLUDE_MARKER}\r\nInclude "~/.ssh/fal/config"\r\n`), win])),
    );

    const home = '/home/a\\b';
    const managed = `${home}/.ssh/fal/config`;
    const oldPosix = Buffer.from(`${INCLUDE_MARKER}\nInclude "${managed}"\nHost y\n`);
    const fixed = planEnsureInclude(oldPosix, managed, 'config', home, 'posix');
    assert.ok(fixed.result === 'updated');
    assert.equal(fixed.bytes.toString(), `${INCLUDE_MARKER}\nInclude "/home/a\\\\\\\\b/.ssh/fal/config"\nHost y\n`);
    // A spelling that works (the user's own edit) is left alone.
    const works = Buffer.from(`${INCLUDE_MARKER}\n  include ~/.ssh/fal/config # mine\nHost y\n`);
    assert.equal(planEnsureInclude(works, '/home/u/.ssh/fal/config', 'config', '/home/u', 'posix').result, 'present');
  });
});
