// The workspace up: the machine's manifest, the local scan, and only what differs, packed as one tar
// stream per batch into `tar -x` over one exec channel. A batch lands in a staging folder inside the
// copy and is hard-linked into place only once tar has read all of it, so a dropped connection never
// leaves a half file that looks complete; what earlier batches brought stays, and the next run's
// manifest skips it (resume). Nothing on the machine is ever deleted.
import * as l10n from '@vscode/l10n';
import { pipeline } from 'node:stream';
import { pack as tarPack } from 'tar-stream';
import { realTimers, type Timers } from '../base/timers';
import type { CommandConnection } from '../connections/commandTransport';
import { scanWorkspace, type LeftOut, type LocalFile } from './localTree';
import { planUpload } from './plan';
import { ProgressCounter, type SyncProgress } from './progress';
import { fetchManifest } from './remoteManifest';
import { STAGING, homeFolder, remoteDirProblem } from './remoteShell';
import { SyncError, remoteFailure, syncErrorOf } from './syncError';
import { gatherChunks, packFiles } from './tarFeed';

export interface UploadOptions {
  readonly connection: CommandConnection;
  /** The workspace folder. */
  readonly localRoot: string;
  /** The copy's folder relative to the machine's home (the workspace folder's name). */
  readonly remoteDir: string;
  /** fal.sync.exclude: gitignore-syntax globs. */
  readonly exclude?: readonly string[];
  /** Paths (relative to localRoot) the user named: sent even when they look like secrets or are ignored. */
  readonly explicitlyIncluded?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SyncProgress) => void;
  readonly timers?: Timers;
  /** A batch ends after this many bytes or files: what a dropped connection can cost. */
  readonly batchBytes?: number;
  readonly batchFiles?: number;
}

export interface UploadResult {
  readonly sentFiles: number;
  readonly sentBytes: number;
  /** Files the machine already had (same size and mtime). */
  readonly upToDateFiles: number;
  /** Files that look like secrets, left home: say so, and how to name one to send it. */
  readonly skippedSecrets: LeftOut[];
  /** Everything else left home by name: links, names that are not UTF-8, what the machine has in the way. */
  readonly leftOut: LeftOut[];
  readonly progress: SyncProgress;
}

const DEFAULT_BATCH_BYTES = 128 * 1024 * 1024;
const DEFAULT_BATCH_FILES = 4000;

/** tar into an empty staging folder, then hard links into the copy (same disk: no data copied), then the staging folder goes. */
export function extractCommand(remoteDir: string): string {
  return (
    `D=${homeFolder(remoteDir)}; S="$D"/${STAGING}; ` +
    `mkdir -p "$D" && rm -rf "$S" && mkdir "$S" && tar -x --no-same-owner -f - -C "$S" && ` +
    `cp -alf "$S"/. "$D"/ && rm -rf "$S"`
  );
}

export function batchesOf(files: readonly LocalFile[], maxBytes: number, maxFiles: number): LocalFile[][] {
  const batches: LocalFile[][] = [];
  let batch: LocalFile[] = [];
  let bytes = 0;
  for (const file of files) {
    if (batch.length > 0 && (bytes + file.size > maxBytes || batch.length >= maxFiles)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(file);
    bytes += file.size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

async function sendBatch(options: UploadOptions, files: readonly LocalFile[], counter: ProgressCounter): Promise<void> {
  const tar = tarPack();
  // Its failures reach us through the two promises below; an 'error' nobody listens to would crash the host.
  tar.on('error', () => undefined);
  const onBytes = (n: number) => counter.addBytes(n);
  const packing = packFiles(tar, options.localRoot, files, onBytes, () => counter.fileDone()).catch((e: unknown) => {
    tar.destroy(e as Error);
    throw e;
  });
  // pipeline, not pipe: a packing failure must end the channel's stdin too, or tar -x waits for more.
  const stdin = pipeline(tar as unknown as NodeJS.ReadableStream, gatherChunks(), () => undefined);
  const sending = options.connection
    .exec(extractCommand(options.remoteDir), { stdin, signal: options.signal })
    .catch((e: unknown) => {
      // The channel is gone: the packing waits on it for room that never comes unless its stream ends.
      tar.destroy();
      throw e;
    });
  const [packed, sent] = await Promise.allSettled([packing, sending]);
  // The channel's failure first: a dropped connection also ends the packing ("premature close").
  if (sent.status === 'rejected') throw syncErrorOf(sent.reason, options.signal);
  if (packed.status === 'rejected') throw syncErrorOf(packed.reason, options.signal);
  if (sent.value.exitCode !== 0)
    throw remoteFailure(l10n.t('Unpacking the upload'), sent.value.exitCode, sent.value.stderr);
}

export async function uploadWorkspace(options: UploadOptions): Promise<UploadResult> {
  const problem = remoteDirProblem(options.remoteDir);
  if (problem) throw new SyncError('badRequest', problem);
  const [tree, remote] = await Promise.all([
    scanWorkspace(options.localRoot, options).catch((e: unknown) => {
      throw syncErrorOf(e, options.signal);
    }),
    fetchManifest(options.connection, options.remoteDir, options.signal),
  ]);
  const plan = planUpload(tree.files, remote);
  const totalBytes = plan.send.reduce((sum, f) => sum + f.size, 0);
  const counter = new ProgressCounter(plan.send.length, totalBytes, options.timers ?? realTimers, options.onProgress);
  const batches = batchesOf(
    plan.send,
    options.batchBytes ?? DEFAULT_BATCH_BYTES,
    options.batchFiles ?? DEFAULT_BATCH_FILES,
  );
  for (const batch of batches) await sendBatch(options, batch, counter);
  const progress = counter.finish();
  return {
    sentFiles: plan.send.length,
    sentBytes: totalBytes,
    upToDateFiles: plan.upToDate,
    skippedSecrets: tree.secrets,
    leftOut: [...tree.leftOut, ...plan.blocked],
    progress,
  };
}
