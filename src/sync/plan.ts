// The decisions of both directions, pure: what to send given the machine's manifest, and what to
// bring back given the local folder. Size and whole-second mtime decide "the same" (as rsync's quick
// check does); a file written half way never matches, because tar sets the mtime after the data.
import * as l10n from '@vscode/l10n';
import type { LeftOut, LocalFile } from './localTree';
import type { RemoteEntry } from './manifest';

export interface UploadPlan {
  readonly send: LocalFile[];
  readonly upToDate: number;
  /** Local files the machine holds something else at (a folder, a link, a file where a folder should be). */
  readonly blocked: LeftOut[];
}

const kindWords = (kind: RemoteEntry['kind']) =>
  kind === 'directory' ? l10n.t('a folder') : kind === 'symlink' ? l10n.t('a symbolic link') : l10n.t('a special file');

/** Deletions are never planned: a file gone here may be the machine's only copy of something a job wrote. */
export function planUpload(local: readonly LocalFile[], remote: readonly RemoteEntry[]): UploadPlan {
  const there = new Map(remote.filter((e) => e.utf8).map((e) => [e.path, e]));
  const plan = { send: [] as LocalFile[], upToDate: 0, blocked: [] as LeftOut[] };
  for (const file of local) {
    const parts = file.path.split('/');
    const inTheWay = parts
      .slice(0, -1)
      .map((_, i) => there.get(parts.slice(0, i + 1).join('/')))
      .find((e) => e && e.kind !== 'directory');
    const same = there.get(file.path);
    if (inTheWay) {
      plan.blocked.push({
        path: file.path,
        reason: l10n.t('on the machine, {0} is {1}', inTheWay.path, kindWords(inTheWay.kind)),
      });
    } else if (!same) plan.send.push(file);
    else if (same.kind !== 'file')
      plan.blocked.push({ path: file.path, reason: l10n.t('on the machine it is {0}', kindWords(same.kind)) });
    else if (same.size === file.size && same.mtimeSeconds === file.mtimeSeconds) plan.upToDate++;
    else plan.send.push(file);
  }
  return plan;
}

/** What the local folder holds at a result's name, as far as the decision goes. */
export interface LocalState {
  readonly kind: 'file' | 'other';
  readonly size: number;
  readonly mtimeSeconds: number;
}

export type ResultDecision = 'fetch' | 'upToDate' | 'conflict' | 'notAFile';

/**
 * Whether to bring a result home: a missing or older local file is replaced; a local file that is
 * newer and different is a conflict unless the caller says to overwrite it (it asked the user).
 */
export function decideResult(
  remote: RemoteEntry,
  local: LocalState | undefined,
  overwriteNewer: boolean,
): ResultDecision {
  if (!local) return 'fetch';
  if (local.kind !== 'file') return 'notAFile';
  if (local.size === remote.size && local.mtimeSeconds === remote.mtimeSeconds) return 'upToDate';
  if (local.mtimeSeconds > remote.mtimeSeconds && !overwriteNewer) return 'conflict';
  return 'fetch';
}
