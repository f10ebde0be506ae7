// Is the instance's SSH port answering yet? fal reports "ready" with an IP a little before sshd
// accepts connections; Remote-SSH started too early shows a confusing error, so we wait first.
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import * as l10n from '@vscode/l10n';
import { errorText } from '../base/errorText';

export interface WaitForTcpOptions {
  /** Connection attempts before giving up. Default 5. */
  readonly attempts?: number;
  /** Per-attempt connect timeout. Default 3000 ms. */
  readonly timeoutMs?: number;
  /** Pause between attempts. Default 2000 ms. */
  readonly delayMs?: number;
  readonly signal?: AbortSignal;
  /** Called before each attempt (1-based), e.g. for "Waiting for SSH (2/5)…". */
  readonly onAttempt?: (attempt: number, attempts: number) => void;
  /** Opens the socket; net.connect unless a test needs a peer that never answers. */
  readonly connect?: (options: { host: string; port: number }) => Socket;
}

export class ReachabilityError extends Error {
  override readonly name = 'ReachabilityError';
  constructor(
    message: string,
    /** Why the last attempt failed, e.g. "connection refused". */
    readonly reason: string,
  ) {
    super(message);
  }
}

/**
 * Resolves once a TCP connection to host:port succeeds (it is closed at once). Rejects with
 * ReachabilityError after `attempts` failures, e.g. "SSH port 22 on 203.0.113.10 did not answer
 * after 5 tries (connection refused)", or with the signal's reason when aborted.
 */
export async function waitForTcp(host: string, port: number, options: WaitForTcpOptions = {}): Promise<void> {
  const { attempts = 5, timeoutMs = 3000, delayMs = 2000, signal, onAttempt, connect: open = connect } = options;
  let reason = l10n.t('no attempt made');
  for (let attempt = 1; attempt <= attempts; attempt++) {
    signal?.throwIfAborted();
    onAttempt?.(attempt, attempts);
    try {
      const socket = await openSocket(open, host, port, timeoutMs, signal);
      socket.destroy();
      return;
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      reason = describe(e, timeoutMs);
    }
    if (attempt < attempts) await sleep(delayMs, undefined, signal ? { signal } : {});
  }
  throw new ReachabilityError(
    attempts === 1
      ? l10n.t`SSH port ${port} on ${host} did not answer after ${attempts} try (${reason})`
      : l10n.t`SSH port ${port} on ${host} did not answer after ${attempts} tries (${reason})`,
    reason,
  );
}

/**
 * Reads the server's identification line (`SSH-2.0-OpenSSH_9.6p1 …`), proving an SSH server
 * answers and not just any open port. Lines before it are skipped, as RFC 4253 §4.2 allows.
 */
export async function readSshBanner(
  host: string,
  port: number,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<string> {
  const { timeoutMs = 5000, signal } = options;
  const socket = await openSocket(connect, host, port, timeoutMs, signal);
  return new Promise<string>((resolve, reject) => {
    let buffered = '';
    const finish = (error: unknown, banner?: string) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error) reject(error);
      else resolve(banner!);
    };
    const onAbort = () => finish(signal?.reason);
    const timer = setTimeout(
      () =>
        finish(
          new ReachabilityError(l10n.t`${host}:${port} sent no SSH banner within ${timeoutMs} ms`, l10n.t('no banner')),
        ),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let lf: number;
      while ((lf = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, lf).replace(/\r$/, '');
        buffered = buffered.slice(lf + 1);
        if (line.startsWith('SSH-')) return finish(undefined, line);
      }
      // RFC 4253 limits the identification line to 255 characters; other lines are rare and short.
      if (buffered.length > 8192)
        finish(new ReachabilityError(l10n.t`${host}:${port} is not an SSH server`, l10n.t('not SSH')));
    });
    socket.on('error', (e) =>
      finish(new ReachabilityError(`${host}:${port}: ${describe(e, timeoutMs)}`, describe(e, timeoutMs))),
    );
    socket.on('end', () =>
      finish(
        new ReachabilityError(l10n.t`${host}:${port} closed the connection without an SSH banner`, l10n.t('not SSH')),
      ),
    );
  });
}

/** One connection attempt; the socket is destroyed on every failure path. */
function openSocket(
  open: (options: { host: string; port: number }) => Socket,
  host: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const socket = open({ host, port });
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeListener('connect', onConnect);
      socket.removeListener('error', onError);
    };
    const fail = (error: unknown) => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onConnect = () => {
      cleanup();
      resolve(socket);
    };
    const onError = (e: Error) => fail(e);
    const onAbort = () => fail(signal?.reason);
    const timer = setTimeout(() => fail(new TimeoutError()), timeoutMs);
    socket.once('connect', onConnect);
    socket.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

class TimeoutError extends Error {}

function describe(e: unknown, timeoutMs: number): string {
  if (e instanceof TimeoutError) return l10n.t`no answer within ${timeoutMs / 1000} s`;
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ECONNREFUSED':
      return l10n.t('connection refused');
    case 'ECONNRESET':
      return l10n.t('connection reset');
    case 'EHOSTUNREACH':
      return l10n.t('host unreachable');
    case 'ENETUNREACH':
      return l10n.t('network unreachable');
    case 'ETIMEDOUT':
      return l10n.t('connection timed out');
    default:
      return code ?? errorText(e);
  }
}
