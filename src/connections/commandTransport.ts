// The seam between what runs commands on an instance (the GPU sampler, setup) and SSH: ask for a
// connection, run commands on it, close it. sshTransport.ts implements it with ssh2, the connection
// owner (sshConnections.ts) shares one per instance among its borrowers; tests inject a fake.
import type { Duplex } from 'node:stream';
import { errorText } from '../base/errorText';
import type { ExecIo, ExecResult, RunResult, SshTarget } from './types';

export interface CommandConnection {
  /** Runs one command in a new session (channel) of this connection. Rejects with CommandTransportError. */
  run(command: string, timeoutMs: number): Promise<RunResult>;
  /**
   * Runs one command in a new session with streams: stdin piped in and stdout piped out, both with
   * back-pressure, for transfers of any size (a tar stream each way). Rejects with CommandTransportError
   * ('timeout' after idleTimeoutMs without a byte either way, 'closed' when aborted or dropped).
   */
  exec(command: string, io: ExecIo): Promise<ExecResult>;
  /**
   * Opens a TCP connection from the machine to `host:port` as a stream of this connection (ssh2
   * `forwardOut`, a direct-tcpip channel: no process on either side). Rejects with
   * CommandTransportError ('network' when the machine could not connect, e.g. nothing listens there;
   * 'closed' when the connection is gone). The stream closes when the connection does.
   */
  forward(host: string, port: number): Promise<Duplex>;
  /** Ends the connection cleanly (SSH disconnect, then the socket). Never rejects; idempotent. */
  close(): Promise<void>;
  /** `listener` is called once if the connection ends by itself (network, server, keepalive), not after close(). */
  onDrop(listener: (reason: string) => void): void;
}

export interface ConnectOptions {
  /**
   * When no host key is remembered for the instance, accept the one it presents and record it under
   * its alias (ssh's `StrictHostKeyChecking accept-new`, as our Host blocks say). For instances we
   * just saw turn ready (setup); without it an unknown key refuses ('hostKeyUnknown') before any packet.
   */
  readonly acceptNewHostKey?: boolean;
}

export interface CommandTransport {
  connect(target: SshTarget, options?: ConnectOptions): Promise<CommandConnection>;
}

export type TransportErrorKind =
  /** No key for the host in our known_hosts: nothing was sent, not even a TCP SYN. */
  | 'hostKeyUnknown'
  /** The server's key is not the remembered one: the connection was dropped before authentication. */
  | 'hostKeyMismatch'
  /** The private key needs a passphrase and no agent holds it: nothing was sent. */
  | 'keyEncrypted'
  /** A local file cannot be read, understood or written (the private key, known_hosts, a transfer's file). */
  | 'localFile'
  | 'auth'
  | 'network'
  | 'timeout'
  /** The connection ended (or was closed) while a command ran. */
  | 'closed';

export class CommandTransportError extends Error {
  constructor(
    readonly kind: TransportErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'CommandTransportError';
  }
}

export function transportErrorOf(e: unknown): CommandTransportError {
  if (e instanceof CommandTransportError) return e;
  return new CommandTransportError('network', errorText(e));
}
