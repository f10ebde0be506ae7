// Results back: the machine's manifest, the entries fal.results.paths match, the local decision per
// file (missing or older here: fetched; newer here: a conflict the caller asks the user about), then
// one `tar -c` of exactly those names, read entry by entry. Every entry is checked again as it
// arrives (the machine is not trusted to send what we asked): its name must be one we asked for,
// once, and a regular file; anything else is refused by name and skipped, the rest written atomically.
import * as l10n from '@vscode/l10n';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { extract as tarExtract, type Header } from 'tar-stream';
import { realTimers, type Timers } from '../base/timers';
import type { CommandConnection } from '../connections/commandTransport';
import type { LeftOut } from './localTree';
import type { RemoteEntry } from './manifest';
import { LOCAL_PATH_RULES, type PathRules } from './pathSafety';
import { decideResult, type LocalState } from './plan';
import { ProgressCounter, type SyncProgress } from './progress';
import { fetchManifest } from './remoteManifest';
import { homeFolder, remoteDirProblem } from './remoteShell';
import { RefusedEntry, ResultWriter } from './resultWriter';
import { selectResults } from './resultSelection';
import { SyncError, remoteFailure, syncErrorOf } from './syncError';

export interface DownloadOptions {
  readonly connection: CommandConnection;
  /** The local folder results land in (the workspace folder). */
  readonly localRoot: string;
  /** The machine's copy, relative to its home. */
  readonly remoteDir: string;
  /** fal.results.paths: globs relative to the machine's copy, read as .gitignore lines. */
  readonly globs: readonly string[];
  /** Local files newer than the machine's that may be replaced: the caller asked the user. Default 'never'. */
  readonly overwriteNewer?: 'never' | 'all' | readonly string[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SyncProgress) => void;
  readonly timers?: Timers;
  /** Which names the local system refuses (default: this platform's). */
  readonly pathRules?: PathRules;
}

/** A local file newer than the machine's and different: kept until the caller says otherwise. */
export interface Conflict {
  readonly path: string;
  readonly localMtimeSeconds: number;
  readonly remoteMtimeSeconds: number;
}

export interface DownloadResult {
  readonly downloaded: string[];
  readonly upToDateFiles: number;
  /** Refused by name, with why: unsafe names, links, devices, what the machine sent unasked. */
  readonly refused: LeftOut[];
  readonly conflicts: Conflict[];
  /** Asked for but not received (gone on the machine meanwhile, unreadable there). */
  readonly missing: LeftOut[];
  readonly progress: SyncProgress;
}

/** Reads the names (NUL-separated) from stdin; --verbatim-files-from so a name starting with '-' stays a name. */
// l10n-exempt: a shell command run on the machine, not words
export function archiveCommand(remoteDir: string): string {
  return (
    `cd ${homeFolder(remoteDir)} && ` +
    `tar -c --no-recursion --hard-dereference --verbatim-files-from --null -T - -f -`
  );
}

async function localState(root: string, path: string): Promise<LocalState | undefined> {
  const stats = await lstat(join(root, path)).catch(() => undefined);
  if (!stats) return undefined;
  return { kind: stats.isFile() ? 'file' : 'other', size: stats.size, mtimeSeconds: Math.floor(stats.mtimeMs / 1000) };
}

const typeWords = (type: Header['type']) =>
  type === 'symlink' || type === 'link' ? l10n.t('a link') : l10n.t('not a regular file ({0})', String(type));

export async function downloadResults(options: DownloadOptions): Promise<DownloadResult> {
  const problem = remoteDirProblem(options.remoteDir);
  if (problem) throw new SyncError('badRequest', problem);
  const remote = await fetchManifest(options.connection, options.remoteDir, options.signal);
  const selection = selectResults(remote, options.globs, options.pathRules ?? LOCAL_PATH_RULES);
  const refused = [...selection.refused];
  const conflicts: Conflict[] = [];
  const fetch: RemoteEntry[] = [];
  let upToDateFiles = 0;
  const overwrite = options.overwriteNewer ?? 'never';
  for (const entry of selection.wanted) {
    const local = await localState(options.localRoot, entry.path);
    const may = overwrite === 'all' || (overwrite !== 'never' && overwrite.includes(entry.path));
    const decision = decideResult(entry, local, may);
    if (decision === 'fetch') fetch.push(entry);
    else if (decision === 'upToDate') upToDateFiles++;
    else if (decision === 'notAFile') refused.push({ path: entry.path, reason: l10n.t('locally it is not a file') });
    else
      conflicts.push({
        path: entry.path,
        localMtimeSeconds: local!.mtimeSeconds,
        remoteMtimeSeconds: entry.mtimeSeconds,
      });
  }
  const totalBytes = fetch.reduce((sum, e) => sum + e.size, 0);
  const counter = new ProgressCounter(fetch.length, totalBytes, options.timers ?? realTimers, options.onProgress);
  const downloaded = fetch.length ? await receive(options, fetch, counter, refused) : { received: [], stderr: '' };
  const arrived = new Set(downloaded.received);
  const why = downloaded.stderr.trim().split('\n').pop() || l10n.t('the machine did not send it');
  return {
    downloaded: downloaded.received,
    upToDateFiles,
    refused,
    conflicts,
    missing: fetch.filter((e) => !arrived.has(e.path)).map((e) => ({ path: e.path, reason: why })),
    progress: counter.finish(),
  };
}

async function receive(
  options: DownloadOptions,
  fetch: readonly RemoteEntry[],
  counter: ProgressCounter,
  refused: LeftOut[],
): Promise<{ received: string[]; stderr: string }> {
  const pending = new Set(fetch.map((e) => e.path));
  const received: string[] = [];
  const writer = new ResultWriter(options.localRoot, options.pathRules ?? LOCAL_PATH_RULES);
  const extract = tarExtract();
  extract.on('entry', (header, content, next) => {
    const skip = (reason: string) => {
      refused.push({ path: header.name, reason });
      content.on('end', () => next());
      content.resume();
    };
    if (!pending.has(header.name)) return skip(l10n.t('sent by the machine without being asked for'));
    if (header.type !== 'file') return skip(typeWords(header.type));
    pending.delete(header.name);
    const written = writer.write(header.name, content as unknown as NodeJS.ReadableStream, header, (n) =>
      counter.addBytes(n),
    );
    written.then(
      () => {
        received.push(header.name);
        counter.fileDone();
        next();
      },
      (e: unknown) => (e instanceof RefusedEntry ? skip(e.message) : next(e as Error)),
    );
  });
  const names = Readable.from([Buffer.from(fetch.map((e) => `${e.path}\0`).join(''), 'utf8')]);
  try {
    const result = await options.connection.exec(archiveCommand(options.remoteDir), {
      stdin: names,
      stdout: extract as unknown as NodeJS.WritableStream,
      signal: options.signal,
    });
    if (result.exitCode === 126 || result.exitCode === 127)
      throw remoteFailure(l10n.t('Packing the results'), result.exitCode, result.stderr);
    return { received, stderr: result.stderr };
  } catch (e) {
    throw syncErrorOf(e, options.signal);
  }
}
