// Writes one result from the machine's tar stream into the local folder, atomically: the bytes go to
// a temporary file beside the target, which takes the machine's mtime and is renamed over the target
// only when every announced byte arrived. A failure (a full disk, a dropped connection) removes the
// temporary file, so nothing half written ever carries the result's name. The folders on the way are
// checked one by one: a link (or a file) where a folder should be is refused, never followed.
import * as l10n from '@vscode/l10n';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, rename, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { unsafeNameReason, type PathRules } from './pathSafety';

export class RefusedEntry extends Error {}

export class ResultWriter {
  /** Folders (relative) already seen to be real folders inside the root. */
  private readonly checkedFolders = new Set<string>(['']);

  constructor(
    private readonly root: string,
    private readonly rules: PathRules,
  ) {}

  /** Creates or checks every folder of `path` (relative, already passed unsafeNameReason). */
  private async folderOf(path: string): Promise<string> {
    const parts = path.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (this.checkedFolders.has(folder)) continue;
      const stats = await lstat(join(this.root, folder)).catch(() => undefined);
      if (!stats) await mkdir(join(this.root, folder));
      else if (!stats.isDirectory()) throw new RefusedEntry(l10n.t('locally, {0} is not a folder', folder));
      this.checkedFolders.add(folder);
    }
    return join(this.root, ...parts);
  }

  /** Writes `content` as `path`; resolves when it is in place. `onBytes` counts what arrives. */
  async write(
    path: string,
    content: NodeJS.ReadableStream,
    header: { readonly size: number; readonly mtime: Date; readonly mode: number },
    onBytes: (n: number) => void,
  ): Promise<void> {
    const { size, mtime, mode } = header;
    // The caller asks only for names that passed this check; checked again here, where the write happens.
    const unsafe = unsafeNameReason(path, this.rules);
    if (unsafe) throw new RefusedEntry(unsafe);
    const folder = await this.folderOf(path);
    const base = path.slice(path.lastIndexOf('/') + 1);
    const temporary = join(folder, `.${base}.fal-part-${randomBytes(4).toString('hex')}`);
    let written = 0;
    const counting = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        written += chunk.length;
        onBytes(chunk.length);
        done(null, chunk);
      },
    });
    const sink = createWriteStream(temporary, { flags: 'wx', mode: 0o644 | (mode & 0o111) });
    try {
      await pipeline(content, counting, sink);
      if (written !== size) throw new Error(l10n.t('{0}: {1} of {2} bytes arrived', path, written, size));
      await utimes(temporary, mtime, mtime);
      await rename(temporary, join(folder, base));
    } catch (e) {
      // pipeline rejects on the first error, before every stream has closed: the file may still be
      // opening or open. Removed only once it is closed, so no temporary file comes back after.
      if (!sink.closed) await new Promise<void>((closed) => sink.once('close', () => closed()));
      await unlink(temporary).catch(() => undefined);
      throw e;
    }
  }
}
