// One port of a machine at a local port: a TCP server on the loopback address ONLY (never reachable
// from the user's network), each accepted socket piped to a stream the machine opens to the port
// over the instance's one SSH connection (CommandConnection.forward: ssh2 forwardOut, no process).
// It holds one borrow of that connection for as long as it lives and gives it back when it stops;
// when the connection drops, it closes with every socket. A socket's failure (the machine refused
// the port, the browser went away) ends that socket alone, with one log line. Pure: no vscode.
import * as l10n from '@vscode/l10n';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Emitter, type Subscription } from '../base/emitter';
import { errorText } from '../base/errorText';
import type { CommandConnection } from '../connections/commandTransport';

/** The only address a forward listens on: the user's own machine, never its network. */
export const LOOPBACK = '127.0.0.1';

export interface PortForwardOptions {
  /** A borrow of the instance's connection, owned by the forward from now on (given back when it stops). */
  readonly connection: CommandConnection;
  readonly remotePort: number;
  /** Where the machine connects: 'localhost' (its loopback, IPv4 or IPv6) unless the port listens elsewhere only. */
  readonly remoteHost?: string;
  /** The local port to try first; the remote port when absent. When it is taken, a free one. */
  readonly localPort?: number;
  readonly log?: (line: string) => void;
}

/** Why a forward could not start, in words (the borrow was given back). */
export class PortForwardError extends Error {
  override readonly name = 'PortForwardError';
}

export class PortForward {
  private readonly sockets = new Set<Socket>();
  private readonly streams = new Set<Duplex>();
  private readonly closed = new Emitter<string | undefined>();
  private stopping: Promise<void> | undefined;
  private lastFailure: string | undefined;

  private constructor(
    private readonly server: Server,
    private readonly connection: CommandConnection,
    readonly remoteHost: string,
    readonly remotePort: number,
    /** The local port the user opens. */
    readonly localPort: number,
    /** The local port asked for, when it was taken and another was used. */
    readonly wantedPort: number | undefined,
    private readonly log: (line: string) => void,
  ) {
    server.on('connection', (socket) => this.accept(socket));
    connection.onDrop((reason) => void this.close(reason));
  }

  /** Listens on 127.0.0.1 and forwards; rejects with PortForwardError (the connection is given back then). */
  static async open(options: PortForwardOptions): Promise<PortForward> {
    const { connection, remotePort } = options;
    const wanted = options.localPort ?? remotePort;
    const server = createServer({ pauseOnConnect: true });
    try {
      let port: number;
      let moved = false;
      try {
        port = await listen(server, wanted);
      } catch (e) {
        // Taken locally (or a privileged port): any free one, and the user is told which.
        if (!isTakenOrDenied(e)) throw e;
        port = await listen(server, 0);
        moved = true;
      }
      const host = options.remoteHost ?? 'localhost';
      const log = options.log ?? (() => undefined);
      return new PortForward(server, connection, host, remotePort, port, moved ? wanted : undefined, log);
    } catch (e) {
      server.close();
      await connection.close();
      throw new PortForwardError(l10n.t`Could not listen on ${LOOPBACK}: ${errorText(e)}`);
    }
  }

  /** The address the server listens on (always 127.0.0.1). */
  get address(): AddressInfo | undefined {
    const a = this.server.address();
    return a && typeof a === 'object' ? a : undefined;
  }

  /** Sockets open through the forward right now. */
  get openSockets(): number {
    return this.sockets.size;
  }

  get isOpen(): boolean {
    return this.stopping === undefined;
  }

  /** Called once when the forward ends: `reason` when the connection dropped, undefined when stopped. */
  onDidClose(listener: (reason: string | undefined) => void): Subscription {
    return this.closed.event(listener);
  }

  /** Stops listening, closes every socket and gives the connection back. Idempotent. */
  stop(): Promise<void> {
    return this.close(undefined);
  }

  private close(reason: string | undefined): Promise<void> {
    this.stopping ??= (async () => {
      const serverClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      // A socket leaves `sockets` on its own 'close' event, which can come after the server's:
      // stop resolves when every one of them has gone, so nobody sees a stopped forward still open.
      const socketsClosed = [...this.sockets].map(
        (s) => new Promise<void>((resolve) => s.once('close', () => resolve())),
      );
      for (const s of this.sockets) s.destroy();
      for (const s of this.streams) s.destroy();
      await Promise.all([serverClosed, ...socketsClosed, this.connection.close()]);
      this.closed.fire(reason);
      this.closed.clear();
    })();
    return this.stopping;
  }

  private accept(socket: Socket): void {
    if (!this.isOpen) return void socket.destroy();
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy()); // the browser went away: this socket alone ends
    this.connection.forward(this.remoteHost, this.remotePort).then(
      (stream) => this.pipe(socket, stream),
      (e: unknown) => {
        this.failed(errorText(e));
        socket.destroy(); // the browser sees the connection close, as with ssh -L
      },
    );
  }

  private pipe(socket: Socket, stream: Duplex): void {
    if (socket.destroyed || !this.isOpen) return void stream.destroy();
    this.lastFailure = undefined;
    this.streams.add(stream);
    stream.on('error', () => stream.destroy());
    stream.once('close', () => {
      this.streams.delete(stream);
      socket.end(); // what the machine sent is flushed first
    });
    socket.once('close', () => stream.destroy());
    socket.pipe(stream).pipe(socket);
    socket.resume();
  }

  /** One log line per failure, not one per retry of the browser: the same failure again is not repeated. */
  private failed(message: string): void {
    if (message === this.lastFailure) return;
    this.lastFailure = message;
    this.log(`Forward ${LOOPBACK}:${this.localPort} → ${this.remoteHost}:${this.remotePort}: ${message}`);
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const onError = (e: Error) => {
      server.off('listening', onListening);
      reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host: LOOPBACK, port, exclusive: true });
  });
}

function isTakenOrDenied(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EADDRINUSE' || code === 'EACCES';
}
