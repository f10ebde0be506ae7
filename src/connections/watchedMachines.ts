// The machines a watcher reads over their shared SSH connections (jobs, setup): which are watched
// now, the one connection each keeps borrowed from the connection owner (sshConnections.ts) between
// reads and gives back when reading stops or the machine is forgotten, and each one's next step (one
// timer). The watcher decides when to read; this keeps the books. Pure: time comes through Timers.
import type { Timers } from '../base/timers';
import type { CommandConnection, CommandTransport } from './commandTransport';
import type { SshTarget } from './types';

/** One watched machine: where it is, the connection it keeps borrowed, the timer of its next step. */
export interface WatchedMachine {
  target: SshTarget;
  connection?: Promise<CommandConnection>;
  timer?: unknown;
}

export interface WatchedMachinesOptions<W extends WatchedMachine> {
  readonly connections: CommandTransport;
  readonly timers: Timers;
  /** The entry of a machine handed in for the first time. */
  readonly watch: (target: SshTarget) => W;
  /** `w` was forgotten: its timer is cleared and its connection given back. */
  readonly forgotten?: (w: W) => void;
}

export class WatchedMachines<W extends WatchedMachine> {
  private readonly machines = new Map<string, W>();
  private disposed = false;

  constructor(private readonly o: WatchedMachinesOptions<W>) {}

  get(id: string): W | undefined {
    return this.machines.get(id);
  }

  values(): IterableIterator<W> {
    return this.machines.values();
  }

  /** Whether `w` is still watched: work that finishes for a forgotten machine (or after dispose) stops there. */
  has(w: W): boolean {
    return this.machines.get(w.target.id) === w;
  }

  /**
   * The machines to watch now: the others are forgotten, those already watched take the new target
   * (a new address); returns the ones watched from now on (their first step is the watcher's).
   */
  setTargets(targets: readonly SshTarget[]): W[] {
    if (this.disposed) return [];
    const ids = new Set(targets.map((t) => t.id));
    for (const id of [...this.machines.keys()]) if (!ids.has(id)) this.forget(id);
    const added: W[] = [];
    for (const target of targets) {
      const w = this.machines.get(target.id);
      if (w) w.target = target;
      else added.push(this.machines.set(target.id, this.o.watch(target)).get(target.id)!);
    }
    return added;
  }

  /** The connection `w` keeps, borrowed now if it has none; one that failed or dropped is not kept (the next read connects). */
  connection(w: W): Promise<CommandConnection> {
    if (w.connection) return w.connection;
    const connecting = this.o.connections.connect(w.target, { acceptNewHostKey: true });
    const drop = () => w.connection === connecting && (w.connection = undefined);
    void connecting.then((c) => c.onDrop(drop), drop);
    return (w.connection = connecting);
  }

  /** Gives `w`'s connection back (one that failed too: the next read connects again). */
  release(w: W): void {
    const connection = w.connection;
    w.connection = undefined;
    void connection?.then(
      (c) => c.close(),
      () => undefined,
    );
  }

  /** `w`'s next step: `run` in `ms`, replacing the one planned; without `run`, none. */
  next(w: W, ms = 0, run?: () => void): void {
    this.o.timers.clearTimeout(w.timer);
    w.timer = undefined;
    if (!run) return;
    w.timer = this.o.timers.setTimeout(() => {
      w.timer = undefined;
      run();
    }, ms);
  }

  forget(id: string): void {
    const w = this.machines.get(id);
    if (!w) return;
    this.machines.delete(id);
    this.next(w);
    this.release(w);
    this.o.forgotten?.(w);
  }

  dispose(): void {
    this.disposed = true;
    for (const id of [...this.machines.keys()]) this.forget(id);
  }
}
