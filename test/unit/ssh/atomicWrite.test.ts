import assert from 'node:assert/strict';
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { FileChangedError, writeFileAtomic, type OpenTempFile } from '../../../src/ssh/atomicWrite';
import { SshConfigError } from '../../../src/ssh/errors';
import { withFileLock } from '../../../src/ssh/fileLock';
import { makeTempDir, removeDir } from './helpers';

const mode = (path: string) => statSync(path).mode & 0o777;
const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

/** Opens the real temp file, but its write stores only the first half and then fails (a full disk). */
const halfThenFail: OpenTempFile = async (path, flags, fileMode) => {
  const handle = await open(path, flags, fileMode);
  return {
    chmod: (m) => handle.chmod(m),
    chown: (u, g) => handle.chown(u, g),
    sync: () => handle.sync(),
    close: () => handle.close(),
    writeFile: async (data) => {
      await handle.write(data, 0, Math.floor(data.length / 2));
      throw enospc();
    },
  };
};

describe('ssh/atomicWrite', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir('fal-atomic-')));
  afterEach(() => removeDir(dir));

  it('replaces the content, keeps the mode, leaves no temp file', async () => {
    const file = join(dir, 'config');
    writeFileSync(file, 'old', { mode: 0o640 });
    await writeFileAtomic(file, 'new content');
    assert.equal(readFileSync(file, 'utf8'), 'new content');
    assert.equal(mode(file), 0o640);
    assert.deepEqual(readdirSync(dir), ['config']);
  });

  it('creates a missing file with 0600 (or the mode asked for) whatever the umask', async () => {
    await writeFileAtomic(join(dir, 'a'), 'x');
    assert.equal(mode(join(dir, 'a')), 0o600);
    await writeFileAtomic(join(dir, 'b'), 'x', { newFileMode: 0o644 });
    assert.equal(mode(join(dir, 'b')), 0o644);
  });

  it('leaves the original byte-identical and no temp file when the write fails midway', async () => {
    const file = join(dir, 'config');
    const original = Buffer.from('Host a\r\n  User me\r\n# ü\r\n');
    writeFileSync(file, original, { mode: 0o600 });
    await assert.rejects(writeFileAtomic(file, Buffer.alloc(100_000, 'x'), { openTempFile: halfThenFail }), /ENOSPC/);
    assert.deepEqual(readFileSync(file), original);
    assert.deepEqual(readdirSync(dir), ['config']);
    // Same when the file did not exist: still nothing there afterwards.
    await assert.rejects(writeFileAtomic(join(dir, 'new'), 'data', { openTempFile: halfThenFail }), /ENOSPC/);
    assert.deepEqual(readdirSync(dir), ['config']);
  });

  it('writes through a symlink (dotfiles) and keeps the link a link', async () => {
    mkdirSync(join(dir, 'dotfiles'));
    const target = join(dir, 'dotfiles', 'ssh_config');
    writeFileSync(target, 'Host a\n', { mode: 0o644 });
    const link = join(dir, 'config');
    symlinkSync('dotfiles/ssh_config', link);
    await writeFileAtomic(link, 'Host b\n');
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readlinkSync(link), 'dotfiles/ssh_config');
    assert.equal(readFileSync(target, 'utf8'), 'Host b\n');
    assert.equal(mode(target), 0o644);
    assert.deepEqual(readdirSync(join(dir, 'dotfiles')), ['ssh_config']);
    // A dangling link: its target is created, the link stays.
    const dangling = join(dir, 'dangling');
    symlinkSync(join(dir, 'dotfiles', 'later'), dangling);
    await writeFileAtomic(dangling, 'x');
    assert.ok(lstatSync(dangling).isSymbolicLink());
    assert.equal(readFileSync(join(dir, 'dotfiles', 'later'), 'utf8'), 'x');
  });

  it('does not overwrite a change made since the caller read the file (ifUnchanged)', async () => {
    const file = join(dir, 'config');
    writeFileSync(file, 'as read');
    const read = readFileSync(file);
    writeFileSync(file, 'saved by the user meanwhile');
    await assert.rejects(writeFileAtomic(file, 'ours', { ifUnchanged: read }), FileChangedError);
    assert.equal(readFileSync(file, 'utf8'), 'saved by the user meanwhile');
    assert.deepEqual(readdirSync(dir), ['config']);
    await assert.rejects(
      writeFileAtomic(file, 'ours', { ifUnchanged: null }),
      FileChangedError,
      'null: must not exist',
    );
    await writeFileAtomic(file, 'ours', { ifUnchanged: readFileSync(file) });
    assert.equal(readFileSync(file, 'utf8'), 'ours');
  });

  describe('withFileLock', () => {
    it('serialises writers, takes over a stale lock, and gives up with a clear error', async () => {
      const lock = join(dir, '.lock');
      const events: string[] = [];
      const step = (name: string) =>
        withFileLock(lock, async () => {
          events.push(`${name}+`);
          await new Promise((r) => setTimeout(r, 15));
          events.push(`${name}-`);
        });
      await Promise.all([step('a'), step('b'), step('c')]);
      for (let i = 0; i < events.length; i += 2)
        assert.equal(events[i]!.slice(0, -1), events[i + 1]!.slice(0, -1), events.join(' '));
      assert.deepEqual(readdirSync(dir), []);

      mkdirSync(lock);
      utimesSync(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000)); // left by a crashed window
      assert.equal(await withFileLock(lock, async () => 'ran'), 'ran');

      mkdirSync(lock); // fresh: someone is working
      await assert.rejects(
        withFileLock(lock, async () => 'never', { timeoutMs: 60 }),
        (e: unknown) => e instanceof SshConfigError && e.code === 'locked',
      );
    });
  });
});
