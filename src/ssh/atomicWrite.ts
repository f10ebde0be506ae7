// Replacing a file so that it is, at every moment, either entirely the old content or entirely
// the new one: write a temp file next to it, fsync, rename over it. A crash, a full disk or a
// failed write leaves the original untouched and no temp file behind.
import { randomBytes } from 'node:crypto';
import { lstat, open, readFile, readlink, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import * as l10n from '@vscode/l10n';
import { errorCode } from './nodeErrors';

/** The file-handle operations used for the temp file; injectable so tests can fail a write midway. */
export interface TempFileHandle {
  chmod(mode: number): Promise<void>;
  chown(uid: number, gid: number): Promise<void>;
  writeFile(data: Buffer): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}
export type OpenTempFile = (path: string, flags: 'wx', mode: number) => Promise<TempFileHandle>;

export interface AtomicWriteOptions {
  /** Mode for a new file; an existing file keeps its own mode. Default 0600. */
  readonly newFileMode?: number;
  /**
   * The content the caller based its change on (null: the file must not exist). If the file
   * changed meanwhile (e.g. the user saved it in an editor), nothing is written and
   * FileChangedError is thrown, so the caller can re-read and redo its change instead of
   * overwriting the user's edit.
   */
  readonly ifUnchanged?: Buffer | null;
  readonly openTempFile?: OpenTempFile;
}

export class FileChangedError extends Error {
  override readonly name = 'FileChangedError';
}

/**
 * Atomically replaces `path` with `data`. A symlink is written through (its target is replaced,
 * the link stays a link), so a config kept in a dotfiles repo stays there.
 */
export async function writeFileAtomic(
  path: string,
  data: Buffer | string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const target = await resolveSymlinks(path);
  const existing = await stat(target).catch((e: unknown) => {
    if (errorCode(e) === 'ENOENT') return undefined;
    throw e;
  });
  const mode = existing ? existing.mode & 0o7777 : (options.newFileMode ?? 0o600);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const openTemp = options.openTempFile ?? open;

  const handle = await openTemp(temp, 'wx', mode);
  try {
    try {
      await handle.chmod(mode); // the open mode is reduced by the umask; keep the original's exactly
      if (existing && process.getuid?.() === 0 && (existing.uid !== 0 || existing.gid !== 0)) {
        // Running as root on a user's file: keep the owner, or ssh would refuse the file.
        await handle.chown(existing.uid, existing.gid);
      }
      await handle.writeFile(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.ifUnchanged !== undefined) await assertUnchanged(target, options.ifUnchanged);
    await renameWithRetry(temp, target);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  await syncDirectory(dirname(target));
}

/**
 * rename(2) replaces the target atomically. On Windows it fails with EPERM/EBUSY/EACCES while
 * another process (a virus scanner, an indexer) briefly holds the file; that passes, so retry a
 * little, as graceful-fs does.
 */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let waitedMs = 0; ; waitedMs += 50) {
    try {
      return await rename(from, to);
    } catch (e) {
      const transient = process.platform === 'win32' && ['EPERM', 'EBUSY', 'EACCES'].includes(errorCode(e) ?? '');
      if (!transient || waitedMs >= 1000) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Where a write to `path` must go: the final target of a symlink chain (even a dangling one). */
export async function resolveSymlinks(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (e) {
    if (errorCode(e) !== 'ENOENT') throw e;
  }
  // Missing file, or a dangling symlink whose target is yet to be created: follow by hand.
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    const info = await lstat(current).catch(() => undefined);
    if (!info?.isSymbolicLink()) break;
    current = resolve(dirname(current), await readlink(current));
  }
  return current;
}

async function assertUnchanged(target: string, expected: Buffer | null): Promise<void> {
  const now = await readFile(target).catch((e: unknown) => {
    if (errorCode(e) === 'ENOENT') return null;
    throw e;
  });
  const same = now === null || expected === null ? now === expected : now.equals(expected);
  if (!same) throw new FileChangedError(l10n.t`${target} was changed by someone else while it was being updated.`);
}

/** Makes the rename itself durable. Not possible (and not needed) on Windows. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}
