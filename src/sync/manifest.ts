// The machine's own list of what its copy holds, taken on the machine by `find` for every sync: the
// truth is the disk there, never what we remember sending. Names are NUL-separated (a name may hold
// a newline), parsed strictly, and the bytes of a name that is not UTF-8 are never guessed at.
import * as l10n from '@vscode/l10n';
import { STAGING, homeFolder } from './remoteShell';

export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

export interface RemoteEntry {
  /** Relative to the machine's copy, '/'-separated; U+FFFD where the bytes were not UTF-8 (see `utf8`). */
  readonly path: string;
  readonly kind: EntryKind;
  readonly size: number;
  /** Whole seconds since the epoch (tar keeps whole seconds). */
  readonly mtimeSeconds: number;
  /** False when the name's bytes are not UTF-8: such an entry is only ever reported, by its lossy name. */
  readonly utf8: boolean;
}

/** More than this is not a manifest but a machine sending garbage. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

const KINDS: Readonly<Record<string, EntryKind>> = { f: 'file', d: 'directory', l: 'symlink' };

/** One `find` over the copy (our staging folder left out); an empty answer when the copy does not exist yet. */
// l10n-exempt: a shell command run on the machine, not words
export function manifestCommand(remoteDir: string): string {
  return (
    `cd ${homeFolder(remoteDir)} 2>/dev/null || exit 0; ` +
    `find . -mindepth 1 -path ./${STAGING} -prune -o -printf '%P\\0%s\\0%T@\\0%y\\0'`
  );
}

export class ManifestError extends Error {}

const NOT_AN_ENTRY = () => l10n.t('the file list from the machine has an entry that is not name, size, time, type');

/**
 * Where the manifest ends in a stdout that goes on after it (the upload's first session): after the
 * last entry comes `\0<find's exit status>\0`. No name is empty, so a NUL where a name would begin
 * can only be that end. Fed chunk by chunk, each scanned once.
 */
export class ManifestEnd {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  /** 0–3: the field of an entry the next NUL ends; 4: the status after the end. */
  private field = 0;
  private fieldStart = 0;
  private endAt = 0;

  /** The manifest's bytes and find's status once both are whole; throws ManifestError past MAX_MANIFEST_BYTES. */
  push(chunk: Buffer): { manifest: Buffer; status: number } | undefined {
    const base = this.bytes;
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    for (let i = chunk.indexOf(0); i >= 0; i = chunk.indexOf(0, i + 1)) {
      const at = base + i;
      if (this.field === 4) {
        const all = Buffer.concat(this.chunks);
        const status = all.subarray(this.fieldStart, at).toString('latin1');
        if (!/^\d{1,3}$/.test(status)) throw new ManifestError(NOT_AN_ENTRY());
        return { manifest: all.subarray(0, this.endAt), status: Number(status) };
      }
      if (this.field === 0 && at === this.fieldStart) [this.field, this.endAt] = [4, at];
      else this.field = (this.field + 1) % 4;
      this.fieldStart = at + 1;
    }
    if (this.bytes > MAX_MANIFEST_BYTES) throw new ManifestError(l10n.t('the file list from the machine is too large'));
    return undefined;
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lossyUtf8 = new TextDecoder('utf-8');

/** Parses the NUL-separated quadruples of manifestCommand; throws ManifestError on anything else. */
export function parseManifest(bytes: Uint8Array): RemoteEntry[] {
  const entries: RemoteEntry[] = [];
  let at = 0;
  const field = (): Uint8Array => {
    const end = bytes.indexOf(0, at);
    if (end < 0) throw new ManifestError(l10n.t('the file list from the machine ends in the middle of an entry'));
    const value = bytes.subarray(at, end);
    at = end + 1;
    return value;
  };
  while (at < bytes.length) {
    const nameBytes = field();
    const text = () => Buffer.from(field()).toString('latin1');
    const [size, mtime, type] = [text(), text(), text()];
    if (nameBytes.length === 0 || !/^\d{1,16}$/.test(size) || !/^\d{1,12}(\.\d+)?$/.test(mtime) || type.length !== 1) {
      throw new ManifestError(NOT_AN_ENTRY());
    }
    let path: string;
    let utf8 = true;
    try {
      path = strictUtf8.decode(nameBytes);
    } catch {
      path = lossyUtf8.decode(nameBytes);
      utf8 = false;
    }
    const kind = KINDS[type] ?? 'other';
    entries.push({ path, kind, size: Number(size), mtimeSeconds: Math.floor(Number(mtime)), utf8 });
  }
  return entries;
}
