// The SSH sessions of an upload. Each one starts a shell on the machine (its ~/.bashrc too: 0.2 s on
// the bench's sshd, and CPU the machine's tar then lacks), so the first one also takes the manifest:
// it prints the machine's file list, then waits for the first batch. A batch lands in a staging
// folder inside the copy and is moved into place only once tar has read all of it, so a dropped
// connection never leaves a half file that looks complete.
import * as l10n from '@vscode/l10n';
import { Writable, type Transform } from 'node:stream';
import type { CommandConnection } from '../connections/commandTransport';
import type { ExecResult } from '../connections/types';
import { ManifestEnd, ManifestError, manifestCommand, parseManifest, type RemoteEntry } from './manifest';
import { STAGING, homeFolder } from './remoteShell';
import { SyncError, remoteFailure, syncErrorOf } from './syncError';
import { gatherChunks } from './tarFeed';

/**
 * Tar into a staging folder of this session's own, then into the copy. What the copy lacks at the
 * staging folder's top (every folder of a first upload) is renamed in, one rename per folder, not per
 * file; whatever the copy already has a folder for is hard-linked in by cp (same disk: no data
 * copied). The staging folder goes last, also when tar fails. Its own, not one shared name: a
 * dropped session's shell can still be moving its batch when the next upload starts, and with one
 * shared folder the two would clear or copy in each other's half-written files. What a killed
 * shell left (a day old) is cleared by the next upload.
 */
// l10n-exempt: a shell command run on the machine, not words
function unpackCommand(remoteDir: string): string {
  return (
    `D=${homeFolder(remoteDir)}; mkdir -p "$D" && ` +
    `find "$D" -mindepth 1 -maxdepth 1 -name '${STAGING}*' -mmin +1440 -exec rm -rf -- {} + 2>/dev/null; ` +
    `S=$(mktemp -d "$D"/${STAGING}.XXXXXX) && ` +
    `{ tar -x --no-same-owner -f - -C "$S" || { s=$?; rm -rf "$S"; exit "$s"; }; } && ` +
    `{ find "$S" -mindepth 1 -maxdepth 1 -exec mv -f -t "$D" -- {} + 2>/dev/null; cp -alf "$S"/. "$D"/; } && ` +
    `rm -rf "$S"`
  );
}

/**
 * Waits for a line first (`read` takes one byte at a time from a pipe: the tar after it stays
 * unread): the session can be opened while the batch before still goes, its shell's start paid
 * meanwhile, and touches nothing unless told to go.
 */
// l10n-exempt: a shell command run on the machine, not words
export function extractCommand(remoteDir: string): string {
  return `IFS= read -r go || exit 0; ${unpackCommand(remoteDir)}`;
}

/** The manifest, then `\0<find's exit status>\0` (see ManifestEnd), then extractCommand's wait for a line. */
// l10n-exempt: a shell command run on the machine, not words
export function manifestThenExtractCommand(remoteDir: string): string {
  return `(${manifestCommand(remoteDir)}); s=$?; printf '\\000%d\\000' "$s"; [ "$s" = 0 ] || exit "$s"; ${extractCommand(remoteDir)}`;
}

/** What a session needs of the upload's options. */
export interface SessionOptions {
  readonly connection: CommandConnection;
  readonly remoteDir: string;
  readonly signal?: AbortSignal;
}

/** The session of a batch, opened before its files are known: it starts once sendBatch writes its line. */
export interface Session {
  readonly stdin: Transform;
  readonly sent: Promise<ExecResult>;
  /** Ended before it was used: the idle timeout while the batch before went, a refusal, a cancel. */
  ended: boolean;
}

function started(options: SessionOptions, command: string, stdout?: Writable): Session {
  const stdin = gatherChunks();
  const sent = options.connection.exec(command, { stdin, stdout, signal: options.signal });
  const session: Session = { stdin, sent, ended: false };
  // Awaited once used; the failure of one never used must not go unhandled.
  sent.then(
    () => (session.ended = true),
    () => (session.ended = true),
  );
  return session;
}

export const openSession = (options: SessionOptions): Session => started(options, extractCommand(options.remoteDir));

/**
 * The first session: it lists the machine's copy, then waits for the first batch. `manifest`
 * settles with the list, bounded by MAX_MANIFEST_BYTES (a machine that sends more is refused, not
 * believed), or with why it could not be taken.
 */
export function openFirstSession(options: SessionOptions): Session & { readonly manifest: Promise<RemoteEntry[]> } {
  const end = new ManifestEnd();
  let read = false; // the sink has seen the whole list (or given up on it): what follows is not ours
  let listed = false;
  let settle: { resolve: (entries: RemoteEntry[]) => void; reject: (e: unknown) => void } | undefined;
  const manifest = new Promise<RemoteEntry[]>((resolve, reject) => (settle = { resolve, reject }));
  // Settling twice is a no-op; an unawaited rejection (the scan failed first) is handled here.
  manifest.catch(() => undefined);
  const fail = (e: unknown) => {
    read = true;
    settle!.reject(e instanceof ManifestError ? new SyncError('remote', e.message) : e);
  };
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (read) return done(); // never let the channel stall on output that is not the list
      try {
        const found = end.push(chunk);
        read = found !== undefined;
        // A failed find makes the command exit with its status: the session's end says why.
        if (found?.status === 0) {
          settle!.resolve(parseManifest(found.manifest));
          listed = true;
        }
      } catch (e) {
        fail(e);
      }
      done();
    },
  });
  const session = started(options, manifestThenExtractCommand(options.remoteDir), sink);
  session.sent.then(
    (result) => listed || fail(remoteFailure(l10n.t('Listing the files'), result.exitCode, result.stderr)),
    (e: unknown) => listed || fail(syncErrorOf(e, options.signal)),
  );
  return Object.assign(session, { manifest });
}

/** Ends a session that was not needed: without its line the command exits, having touched nothing. */
export async function closeUnused(session: Session | undefined): Promise<void> {
  session?.stdin.end();
  await session?.sent.catch(() => undefined);
}
