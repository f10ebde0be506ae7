// One command in a session of an open ssh2 connection, with streams both ways: what a transfer
// (a tar stream up or down) needs and run() cannot give, since run() keeps the whole answer in
// memory. Back-pressure comes from pipeline(): a slow disk slows the channel, a slow network slows
// the reading of local files, so memory stays flat whatever the size. A stall is ended after
// idleTimeoutMs without a byte either way (not a deadline for the whole transfer, which may take hours).
import * as l10n from '@vscode/l10n';
import { pipeline } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import { errorText } from '../base/errorText';
import type { Timers } from '../base/timers';
import { CommandTransportError } from './commandTransport';
import type { ExecIo, ExecResult } from './types';

const MAX_STDERR_BYTES = 64 * 1024;

/** `track(abort)` registers how to end this command when the connection ends; it returns the unregister. */
export function execStreams(
  client: Client,
  timers: Timers,
  command: string,
  io: ExecIo,
  track: (abort: () => void) => () => void,
): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    const idleMs = io.idleTimeoutMs ?? 60_000;
    const stderr: Buffer[] = [];
    let stderrBytes = 0;
    let exitCode: number | undefined;
    let channel: ClientChannel | undefined;
    let done = false;
    let lastByteAt = timers.now();
    let waiting = io.stdout ? 2 : 1; // the channel's close, and the sink's finish when there is one
    const touch = () => (lastByteAt = timers.now());
    const finish = (error?: CommandTransportError) => {
      if (done || (!error && --waiting > 0)) return;
      done = true;
      timers.clearTimeout(idleTimer);
      untrack();
      io.signal?.removeEventListener('abort', onAbort);
      if (!error) return resolve({ exitCode, stderr: Buffer.concat(stderr).toString('utf8') });
      // Closing the session ends a transfer by itself (EOF on its stdin, EPIPE on its stdout); a
      // command that does neither is asked to stop too, while our side of stdin is open (ssh2 sends
      // the "signal" request only then; OpenSSH's sshd passes it to the command's process group for a
      // normal user such as ubuntu, and refuses it for a root login: "requires privilege separation").
      try {
        channel?.signal('TERM');
      } catch {
        /* the channel is already gone */
      }
      channel?.close();
      reject(error);
    };
    const checkIdle = () => {
      const quiet = timers.now() - lastByteAt;
      if (quiet < idleMs) return void (idleTimer = timers.setTimeout(checkIdle, idleMs - quiet));
      finish(new CommandTransportError('timeout', l10n.t`no data moved for ${Math.round(idleMs / 1000)} s`));
    };
    let idleTimer = timers.setTimeout(checkIdle, idleMs);
    const onAbort = () => finish(new CommandTransportError('closed', l10n.t('cancelled')));
    const untrack = track(() =>
      finish(new CommandTransportError('closed', l10n.t('the SSH connection closed while the command ran'))),
    );
    if (io.signal?.aborted) return onAbort();
    io.signal?.addEventListener('abort', onAbort);
    const local = (e: Error) => new CommandTransportError('localFile', errorText(e));
    try {
      client.exec(command, (err, stream) => {
        if (err)
          return finish(
            new CommandTransportError('closed', l10n.t`the server refused the command session: ${err.message}`),
          );
        channel = stream;
        if (done) return void stream.close();
        stream.on('exit', (code: number | null) => (exitCode = typeof code === 'number' ? code : undefined));
        stream.on('close', () => finish());
        stream.on('data', touch);
        stream.stderr.on('data', (chunk: Buffer) => {
          touch();
          const room = MAX_STDERR_BYTES - stderrBytes;
          if (room > 0) stderr.push(chunk.subarray(0, room));
          stderrBytes += Math.min(chunk.length, Math.max(room, 0));
        });
        if (io.stdout) pipeline(stream, io.stdout, (e) => (e ? finish(local(e)) : finish()));
        else stream.resume();
        if (io.stdin) {
          io.stdin.on('data', touch);
          pipeline(io.stdin, stream, (e) => e && finish(local(e)));
        } else stream.end();
      });
    } catch (e) {
      finish(new CommandTransportError('closed', errorText(e)));
    }
  });
}
