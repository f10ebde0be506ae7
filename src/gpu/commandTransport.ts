// The seam between the GPU sampler and SSH: the sampler asks for one connection per instance and
// runs commands on it. sshTransport.ts implements it with ssh2; the tests inject a fake.
import { errorText } from '../base/errorText';
import type { GpuTarget, RunResult } from './types';

export interface CommandConnection {
  /** Runs one command in a new session (channel) of this connection. Rejects with CommandTransportError. */
  run(command: string, timeoutMs: number): Promise<RunResult>;
  /** Ends the connection cleanly (SSH disconnect, then the socket). Never rejects; idempotent. */
  close(): Promise<void>;
  /** `listener` is called once if the connection ends by itself (network, server, keepalive), not after close(). */
  onDrop(listener: (reason: string) => void): void;
}

export interface CommandTransport {
  connect(target: GpuTarget & { readonly identityFile: string }): Promise<CommandConnection>;
}

export type TransportErrorKind =
  /** No key for the host in our known_hosts: nothing was sent, not even a TCP SYN. */
  | 'hostKeyUnknown'
  /** The server's key is not the remembered one: the connection was dropped before authentication. */
  | 'hostKeyMismatch'
  /** The private key needs a passphrase and no agent holds it: nothing was sent. */
  | 'keyEncrypted'
  /** The private key or known_hosts file cannot be read or understood: nothing was sent. */
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
