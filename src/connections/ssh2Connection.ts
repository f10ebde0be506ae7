// One open ssh2 connection: commands run in sessions of it, their output bounded, each with its
// own deadline (run), or streamed both ways (exec, execStreams.ts); close() is a clean SSH disconnect.
import * as l10n from '@vscode/l10n';
import type { Duplex } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import { errorText } from '../base/errorText';
import type { Timers } from '../base/timers';
import { CommandTransportError, type CommandConnection } from './commandTransport';
import { execStreams } from './execStreams';
import type { ExecIo, ExecResult, RunResult } from './types';

export class Ssh2Connection implements CommandConnection {
  private ended = false;
  private closing: Promise<void> | undefined;
  private readonly dropListeners: ((reason: string) => void)[] = [];
  private readonly running = new Set<() => void>();

  constructor(
    private readonly client: Client,
    private readonly timers: Timers,
    private readonly maxOutputBytes: number,
  ) {
    // l10n-exempt: log line only (onDrop's one listener, instanceSampler.ts, logs the reason)
    let reason = 'the connection closed';
    client.on('error', (e: Error) => (reason = e.message));
    client.on('close', () => {
      const dropped = !this.ended;
      this.ended = true;
      for (const abort of [...this.running]) abort();
      if (dropped) for (const l of this.dropListeners.splice(0)) l(reason);
    });
  }

  onDrop(listener: (reason: string) => void): void {
    if (!this.ended) this.dropListeners.push(listener);
  }

  run(command: string, timeoutMs: number): Promise<RunResult> {
    return new Promise<RunResult>((resolve, reject) => {
      if (this.ended) return reject(new CommandTransportError('closed', l10n.t('the SSH connection is closed')));
      const chunks: Buffer[] = [];
      const errChunks: Buffer[] = [];
      let bytes = 0;
      let truncated = false;
      let exitCode: number | undefined;
      let channel: ClientChannel | undefined;
      let done = false;
      const finish = (error?: CommandTransportError) => {
        if (done) return;
        done = true;
        this.timers.clearTimeout(timer);
        this.running.delete(abort);
        if (error) {
          channel?.close();
          reject(error);
        } else {
          resolve({
            stdout: Buffer.concat(chunks).toString('utf8'),
            stderr: Buffer.concat(errChunks).toString('utf8'),
            exitCode,
            truncated,
          });
        }
      };
      const abort = () =>
        finish(new CommandTransportError('closed', l10n.t('the SSH connection closed while the command ran')));
      const timer = this.timers.setTimeout(
        () =>
          finish(
            new CommandTransportError(
              'timeout',
              l10n.t`the command did not finish within ${Math.round(timeoutMs / 1000)} s`,
            ),
          ),
        timeoutMs,
      );
      this.running.add(abort);
      // One byte budget for both streams: the whole answer is bounded.
      const onData = (into: Buffer[]) => (chunk: Buffer) => {
        if (truncated) return;
        const room = this.maxOutputBytes - bytes;
        into.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        bytes += Math.min(chunk.length, room);
        if (chunk.length > room) {
          truncated = true;
          channel?.close(); // stop the remote side too; 'close' then finishes with what we have
        }
      };
      try {
        this.client.exec(command, (err, stream) => {
          if (err)
            return finish(
              new CommandTransportError('closed', l10n.t`the server refused the command session: ${err.message}`),
            );
          channel = stream;
          if (done) return void stream.close();
          stream.on('data', onData(chunks));
          stream.stderr.on('data', onData(errChunks));
          stream.on('exit', (code: number | null) => (exitCode = typeof code === 'number' ? code : undefined));
          stream.on('close', () => finish());
        });
      } catch (e) {
        finish(new CommandTransportError('closed', errorText(e)));
      }
    });
  }

  exec(command: string, io: ExecIo): Promise<ExecResult> {
    if (this.ended) return Promise.reject(new CommandTransportError('closed', l10n.t('the SSH connection is closed')));
    return execStreams(this.client, this.timers, command, io, (abort) => {
      this.running.add(abort);
      return () => this.running.delete(abort);
    });
  }

  forward(host: string, port: number): Promise<Duplex> {
    return new Promise<Duplex>((resolve, reject) => {
      if (this.ended) return reject(new CommandTransportError('closed', l10n.t('the SSH connection is closed')));
      let settled = false;
      // The connection may end before the machine answers the channel request: reject then.
      const abort = () => {
        if (settled) return;
        settled = true;
        reject(new CommandTransportError('closed', l10n.t('the SSH connection closed')));
      };
      this.running.add(abort);
      try {
        this.client.forwardOut('127.0.0.1', 0, host, port, (err, channel) => {
          this.running.delete(abort);
          if (settled) return void channel?.destroy();
          settled = true;
          if (err)
            return reject(
              new CommandTransportError(
                'network',
                l10n.t`the machine could not connect to ${host}:${port}: ${err.message}`,
              ),
            );
          resolve(channel);
        });
      } catch (e) {
        this.running.delete(abort);
        settled = true;
        reject(new CommandTransportError('closed', errorText(e)));
      }
    });
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.ended) return resolve();
      this.ended = true;
      // end() sends SSH_MSG_DISCONNECT and waits for the server; destroy() if it does not answer.
      const fallback = this.timers.setTimeout(() => {
        this.client.destroy();
        resolve();
      }, 2_000);
      this.client.once('close', () => {
        this.timers.clearTimeout(fallback);
        resolve();
      });
      this.client.end();
    });
    return this.closing;
  }
}
