// The one owner of SSH connections to instances. Whatever runs commands on a machine (the GPU
// sampler, setup, and later sync, jobs and port forwards) borrows from here, so an instance has at
// most one TCP connection however many of them look at it: one handshake, one login in the
// machine's auth log, one keepalive. A borrow is a CommandConnection whose close() gives it back;
// the connection closes when the last borrower gives it back. The host-key rules are the
// transport's (our known_hosts under HostKeyAlias fal-<id>, never a prompt).
import * as l10n from '@vscode/l10n';
import type { Duplex } from 'node:stream';
import {
  CommandTransportError,
  type CommandConnection,
  type CommandTransport,
  type ConnectOptions,
} from './commandTransport';
import type { ExecIo, ExecResult, RunResult, SshTarget } from './types';

interface Shared {
  readonly key: string;
  readonly connection: Promise<CommandConnection>;
  readonly acceptsNewHostKey: boolean;
  borrowers: number;
}

export class SshConnections implements CommandTransport {
  private readonly shared = new Map<string, Shared>();

  constructor(
    private readonly transport: CommandTransport,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** How many TCP connections are open or opening (the bench and tests count them). */
  get openCount(): number {
    return this.shared.size;
  }

  /**
   * Borrows the instance's connection, opening it when nobody holds one. Give it back with close().
   * Rejects with CommandTransportError (nothing is borrowed then).
   */
  async connect(target: SshTarget, options: ConnectOptions = {}): Promise<CommandConnection> {
    const key = connectionKey(target);
    const entry = this.entryFor(key, target, options);
    entry.borrowers++;
    try {
      return new BorrowedConnection(await entry.connection, () => this.giveBack(entry));
    } catch (e) {
      entry.borrowers--;
      // A connection opened without accept-new refused an unknown host key: this borrower may accept it.
      const retry =
        options.acceptNewHostKey &&
        !entry.acceptsNewHostKey &&
        e instanceof CommandTransportError &&
        e.kind === 'hostKeyUnknown';
      if (retry) return this.connect(target, options);
      throw e;
    }
  }

  /** Closes every connection (deactivate); what runs on them ends with 'closed'. */
  async closeAll(): Promise<void> {
    const all = [...this.shared.values()];
    this.shared.clear();
    await Promise.all(
      all.map((s) =>
        s.connection.then(
          (c) => c.close(),
          () => undefined,
        ),
      ),
    );
  }

  private entryFor(key: string, target: SshTarget, options: ConnectOptions): Shared {
    const existing = this.shared.get(key);
    if (existing) return existing;
    const connection = this.transport.connect(target, options);
    const entry: Shared = { key, connection, acceptsNewHostKey: options.acceptNewHostKey === true, borrowers: 0 };
    this.shared.set(key, entry);
    connection.then(
      (conn) => {
        this.log(`SSH connection to ${target.id} opened`);
        conn.onDrop((reason) => {
          this.forget(entry);
          this.log(`SSH connection to ${target.id} dropped: ${reason}`);
        });
      },
      () => this.forget(entry),
    );
    return entry;
  }

  private giveBack(entry: Shared): Promise<void> {
    entry.borrowers--;
    if (entry.borrowers > 0) return Promise.resolve();
    this.forget(entry);
    return entry.connection.then(
      (c) => c.close(),
      () => undefined,
    );
  }

  private forget(entry: Shared): void {
    if (this.shared.get(entry.key) === entry) this.shared.delete(entry.key);
  }
}

/** One connection per instance and the facts that open it: a new address, user or key is a new connection. */
function connectionKey(t: SshTarget): string {
  return JSON.stringify([t.id, t.ip, t.port, t.user, t.identityFile]);
}

/** A borrower's handle: commands run on the shared connection; close() gives it back, once. */
class BorrowedConnection implements CommandConnection {
  private returned: Promise<void> | undefined;

  constructor(
    private readonly shared: CommandConnection,
    private readonly giveBack: () => Promise<void>,
  ) {}

  run(command: string, timeoutMs: number): Promise<RunResult> {
    if (this.returned) return Promise.reject(returnedError());
    return this.shared.run(command, timeoutMs);
  }

  exec(command: string, io: ExecIo): Promise<ExecResult> {
    if (this.returned) return Promise.reject(returnedError());
    return this.shared.exec(command, io);
  }

  forward(host: string, port: number): Promise<Duplex> {
    if (this.returned) return Promise.reject(returnedError());
    return this.shared.forward(host, port);
  }

  close(): Promise<void> {
    return (this.returned ??= this.giveBack());
  }

  onDrop(listener: (reason: string) => void): void {
    this.shared.onDrop((reason) => {
      if (!this.returned) listener(reason);
    });
  }
}

function returnedError(): CommandTransportError {
  return new CommandTransportError('closed', l10n.t('the SSH connection is closed'));
}
