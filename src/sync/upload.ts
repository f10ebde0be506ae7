// The workspace up: the machine's manifest, the local scan, and only what differs, packed as one tar
// stream per batch into `tar -x` over one exec channel. A batch lands in a staging folder inside the
// copy and is hard-linked into place only once tar has read all of it, so a dropped connection never
// leaves a half file that looks complete; what earlier batches brought stays, and the next run's
// manifest skips it (resume). Nothing on the machine is ever deleted.
import * as l10n from '@vscode/l10n';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, type Transform } from 'node:stream';
import { realTimers, type Timers } from '../base/timers';
import type { CommandConnection } from '../connections/commandTransport';
import type { ExecResult } from '../connections/types';
import { scanWorkspace, type LeftOut, type LocalFile } from './localTree';
import type { RemoteEntry } from './manifest';
import { planUpload } from './plan';
import { ProgressCounter, type SyncProgress } from './progress';
import { fetchManifest } from './remoteManifest';
import { STAGING, homeFolder, remoteDirProblem } from './remoteShell';
import { SyncError, remoteFailure, syncErrorOf } from './syncError';
import { gatherChunks, packFiles } from './tarFeed';
import { tarStream } from './tarStream';

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

/**
 * Waits for a line first (`read` takes one byte at a time from a pipe: the tar after it stays
 * unread): the session can be opened while the batch before still goes, its shell's start paid
 * meanwhile, and touches nothing unless told to go. Then tar into an empty staging folder, hard
 * links into the copy (same disk: no data copied), and the staging folder goes.
 */
export function extractCommand(remoteDir: string): string {
  return (
    `IFS= read -r go || exit 0; D=${homeFolder(remoteDir)}; S="$D"/${STAGING}; ` +
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

/** The session of a batch, opened before its files are known: it starts once sendBatch writes its line. */
interface Session {
  readonly stdin: Transform;
  readonly sent: Promise<ExecResult>;
  /** Ended before it was used: the idle timeout while the batch before went, a refusal, a cancel. */
  ended: boolean;
}

function openSession(options: UploadOptions): Session {
  const stdin = gatherChunks();
  const sent = options.connection.exec(extractCommand(options.remoteDir), { stdin, signal: options.signal });
  const session: Session = { stdin, sent, ended: false };
  // Awaited once used; the failure of one never used must not go unhandled.
  sent.then(
    () => (session.ended = true),
    () => (session.ended = true),
  );
  return session;
}

/** Ends a session that was not needed: without its line the command exits, having touched nothing. */
async function closeUnused(session: Session | undefined): Promise<void> {
  session?.stdin.end();
  await session?.sent.catch(() => undefined);
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
  // Each session starts a shell on the machine (its ~/.bashrc too: 0.2 s on the bench's sshd), so each
  // is opened ahead: the first while the scan and the manifest run, the next while a batch goes.
  let next: Session | undefined = openSession(options);
  const [tree, remote] = await Promise.all([
    scanWorkspace(options.localRoot, options).catch((e: unknown) => {
      throw syncErrorOf(e, options.signal);
    }),
    fetchManifest(options.connection, options.remoteDir, options.signal),
  ]).catch(async (e: unknown) => {
    await closeUnused(next);
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
