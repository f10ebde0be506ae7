// The workspace up: the machine's manifest, the local scan, and only what differs, packed as one tar
// stream per batch into `tar -x` over one exec channel. A batch lands in a staging folder inside the
// copy and is moved into place only once tar has read all of it (uploadSession.ts), so a dropped
// connection never leaves a half file that looks complete; what earlier batches brought stays, and the
// next run's manifest skips it (resume). Nothing on the machine is ever deleted.
import * as l10n from '@vscode/l10n';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream';
import { realTimers, type Timers } from '../base/timers';
import type { CommandConnection } from '../connections/commandTransport';
import { scanWorkspace, type LeftOut, type LocalFile } from './localTree';
import type { RemoteEntry } from './manifest';
import { planUpload } from './plan';
import { ProgressCounter, type SyncProgress } from './progress';
import { remoteDirProblem } from './remoteShell';
import { SyncError, remoteFailure, syncErrorOf } from './syncError';
import { packFiles } from './tarFeed';
import { tarStream } from './tarStream';
import { closeUnused, openFirstSession, openSession, type Session } from './uploadSession';

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

async function sendBatch(
  options: UploadOptions,
  files: readonly LocalFile[],
  counter: ProgressCounter,
  session: Session,
): Promise<void> {
  const tar = tarStream().pack();
  // Its failures reach us through the two promises below; an 'error' nobody listens to would crash the host.
  tar.on('error', () => undefined);
  const onBytes = (n: number) => counter.addBytes(n);
  const packing = packFiles(tar, options.localRoot, files, onBytes, () => counter.fileDone()).catch((e: unknown) => {
    tar.destroy(e as Error);
    throw e;
  });
  session.stdin.write('go\n');
  // pipeline, not pipe: a packing failure must end the channel's stdin too, or tar -x waits for more.
  pipeline(tar as unknown as NodeJS.ReadableStream, session.stdin, () => undefined);
  const sending = session.sent.catch((e: unknown) => {
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

/**
 * A secret the user sent on purpose once, unchanged since (same size and mtime on the machine), is
 * not news: it counts as up to date, and only the others are said to be left home.
 */
async function secretsNotOnMachine(
  root: string,
  secrets: readonly LeftOut[],
  remote: readonly RemoteEntry[],
): Promise<{ notThere: LeftOut[]; upToDate: number }> {
  const there = new Map(remote.filter((e) => e.utf8 && e.kind === 'file').map((e) => [e.path, e]));
  const notThere: LeftOut[] = [];
  for (const secret of secrets) {
    const copy = there.get(secret.path);
    const local = copy && (await lstat(join(root, secret.path)).catch(() => undefined));
    const same = local && local.size === copy.size && Math.floor(local.mtimeMs / 1000) === copy.mtimeSeconds;
    if (!same) notThere.push(secret);
  }
  return { notThere, upToDate: secrets.length - notThere.length };
}

export async function uploadWorkspace(options: UploadOptions): Promise<UploadResult> {
  const problem = remoteDirProblem(options.remoteDir);
  if (problem) throw new SyncError('badRequest', problem);
  // Each session starts a shell on the machine (its ~/.bashrc too: 0.2 s on the bench's sshd): the
  // first takes the manifest while the scan runs and then carries the first batch; each next one is
  // opened while the batch before goes.
  const first = openFirstSession(options);
  let next: Session | undefined = first;
  const [tree, remote] = await Promise.all([
    scanWorkspace(options.localRoot, options).catch((e: unknown) => {
      throw syncErrorOf(e, options.signal);
    }),
    first.manifest,
  ]).catch(async (e: unknown) => {
    await closeUnused(first);
    throw e;
  });
  const plan = planUpload(tree.files, remote);
  const secrets = await secretsNotOnMachine(options.localRoot, tree.secrets, remote);
  const totalBytes = plan.send.reduce((sum, f) => sum + f.size, 0);
  const counter = new ProgressCounter(plan.send.length, totalBytes, options.timers ?? realTimers, options.onProgress);
  const batches = batchesOf(
    plan.send,
    options.batchBytes ?? DEFAULT_BATCH_BYTES,
    options.batchFiles ?? DEFAULT_BATCH_FILES,
  );
  try {
    for (const [i, batch] of batches.entries()) {
      const ahead = next ?? openSession(options);
      next = i + 1 < batches.length ? openSession(options) : undefined;
      await sendBatch(options, batch, counter, ahead.ended ? openSession(options) : ahead);
    }
  } finally {
    await closeUnused(next);
  }
  const progress = counter.finish();
  return {
    sentFiles: plan.send.length,
    sentBytes: totalBytes,
    upToDateFiles: plan.upToDate + secrets.upToDate,
    skippedSecrets: secrets.notThere,
    leftOut: [...tree.leftOut, ...plan.blocked],
    progress,
  };
}
