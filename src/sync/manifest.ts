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
      throw new ManifestError(l10n.t('the file list from the machine has an entry that is not name, size, time, type'));
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
