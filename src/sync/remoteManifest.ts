// Takes the manifest on the machine. It streams through exec (10,000 names outgrow run()'s 256 KiB)
// into memory bounded by MAX_MANIFEST_BYTES: a machine that sends more is refused, not believed.
import * as l10n from '@vscode/l10n';
import { Writable } from 'node:stream';
import type { CommandConnection } from '../connections/commandTransport';
import { MAX_MANIFEST_BYTES, ManifestError, manifestCommand, parseManifest, type RemoteEntry } from './manifest';
import { SyncError, remoteFailure, syncErrorOf } from './syncError';

export async function fetchManifest(
  connection: CommandConnection,
  remoteDir: string,
  signal: AbortSignal | undefined,
): Promise<RemoteEntry[]> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > MAX_MANIFEST_BYTES)
        return done(new ManifestError(l10n.t('the file list from the machine is too large')));
      chunks.push(chunk);
      done();
    },
  });
  try {
    const result = await connection.exec(manifestCommand(remoteDir), { stdout: sink, signal });
    if (result.exitCode !== 0) throw remoteFailure(l10n.t('Listing the files'), result.exitCode, result.stderr);
    return parseManifest(Buffer.concat(chunks));
  } catch (e) {
    if (e instanceof ManifestError) throw new SyncError('remote', e.message);
    throw syncErrorOf(e, signal);
  }
}
