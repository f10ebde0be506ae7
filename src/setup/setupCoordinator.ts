// The one owner of setup on the machines: when a ready instance created from this workspace is
// handed in, it asks the machine first (a reload, a second window or a network drop finds the run
// where it is: the machine is the truth, never our memory), starts the script once when the machine
// has no run, and reads the run's status until it ends. Reading is polling over SSH, so like the GPU
// sampler it reads only while someone looks (view visible and window focused) or waits (Connect When
// Ready); a start never waits for that: a machine bills while it is not set up. It borrows one
// connection per instance from the connection owner and gives it back whenever it stops reading.
import type { Timers } from '../base/timers';
import type { CommandConnection, CommandTransport } from '../connections/commandTransport';
import type { SshTarget } from '../connections/types';
import { WatchedMachines, type WatchedMachine } from '../connections/watchedMachines';
import { SetupRemote, type StartOutcome } from './setupRemote';
import type { SetupScript } from './setupSource';
import type { SetupStatus } from './setupStatus';

export interface SetupCoordinatorOptions {
  readonly connections: CommandTransport;
  readonly timers: Timers;
  /** Between two status reads of a running setup. */
  readonly pollMs?: number;
  /**
   * The script to run on a machine that has none yet, after every question (workspace trust, the
   * user's yes to this content, the workspace uploaded if asked for): undefined when nothing is to run.
   * Asked at most once per instance (and again by Run Setup Again).
   */
  readonly prepare: (id: string) => Promise<PreparedSetup | undefined>;
  readonly timeoutSeconds: () => number;
  /** English log lines. */
  readonly log: (line: string) => void;
  /** How setup talks to the machine over a connection (tests: a pretend machine). Default SetupRemote. */
  readonly remoteFor?: (connection: CommandConnection, target: SshTarget) => MachineSetup;
  /** The status of `id` changed (the row repaints). */
  readonly changed: (id: string) => void;
  /** A run we watched ended (exited or lost): the notification. */
  readonly ended?: (id: string, status: SetupStatus) => void;
  /** A start that did not start (missing tool, a failed step): said once. */
  readonly startFailed?: (id: string, outcome: StartOutcome) => void;
}

/** What the coordinator asks of a machine: SetupRemote's start and status. */
export type MachineSetup = Pick<SetupRemote, 'start' | 'status'>;

/** The script to run, and where: `workdir` (relative to home) is the workspace's copy when it was uploaded first. */
export interface PreparedSetup {
  readonly script: SetupScript;
  readonly workdir?: string;
}

/** What is known of one instance's setup: the status and when (our clock) it was read. */
export interface SetupKnown {
  readonly status: SetupStatus;
  readonly readAtMs: number;
}

interface Watched extends WatchedMachine {
  known?: SetupKnown;
  busy?: Promise<void>;
  waiters: number;
  /** The first look got an answer (and started the script if the machine had none). */
  looked: boolean;
  /** First looks that could not reach the machine (sshd comes up a little after fal says ready). */
  attempts: number;
  /** Who waits for the run to settle (waitUntilSettled). */
  readonly settled: Set<(status: SetupStatus | undefined) => void>;
}

/** The status once nothing more is to happen by itself: answered, nothing in flight, no run running. */
function settledStatus(w: Watched): SetupStatus | undefined {
  const status = w.known?.status;
  if (!w.looked || w.busy || !status || status.kind === 'running' || status.kind === 'unknown') return undefined;
  return status;
}

/** A machine just turned ready may not answer SSH yet: the first look is tried this often, this many times. */
const FIRST_LOOK_RETRY_MS = 10_000;
const FIRST_LOOK_ATTEMPTS = 30;

export class SetupCoordinator {
  private readonly watched: WatchedMachines<Watched>;
  private active = false;

  constructor(private readonly options: SetupCoordinatorOptions) {
    this.watched = new WatchedMachines<Watched>({
      ...options,
      watch: (target) => ({ target, waiters: 0, looked: false, attempts: 0, settled: new Set() }),
      // Whoever waits for a forgotten machine's run hears "no answer".
      forgotten: (w) => w.settled.forEach((done) => done(undefined)),
    });
  }

  /** The ready instances created from this workspace with a known key. A new one is looked at once. */
  setTargets(targets: readonly SshTarget[]): void {
    for (const w of this.watched.setTargets(targets)) void this.step(w, (remote) => this.firstLook(w, remote));
  }

  /** View visible and window focused: running setups are read; otherwise they are not. */
  setActive(active: boolean): void {
    this.active = active;
    for (const w of this.watched.values()) this.plan(w);
  }

  known(id: string): SetupKnown | undefined {
    return this.watched.get(id)?.known;
  }

  /** Whether setup is watched on `id` and has not settled yet (Connect waits for it). */
  pending(id: string): boolean {
    const w = this.watched.get(id);
    return w !== undefined && settledStatus(w) === undefined;
  }

  /** Whether the machine has a setup run at all (Show Setup Log, Run Setup Again). */
  hasRun(id: string): boolean {
    const kind = this.watched.get(id)?.known?.status.kind;
    return kind !== undefined && kind !== 'none';
  }

  /**
   * Resolves with the status once the machine has answered and no run is running (`none` when it has
   * none); undefined when `signal` aborts or the instance is no longer watched. Someone waits, so the
   * run is read meanwhile even while nobody looks.
   */
  async waitUntilSettled(id: string, signal?: AbortSignal): Promise<SetupStatus | undefined> {
    const w = this.watched.get(id);
    if (!w) return undefined;
    const now = settledStatus(w);
    if (now) return now;
    if (signal?.aborted) return undefined;
    w.waiters++;
    this.plan(w);
    try {
      return await new Promise<SetupStatus | undefined>((resolve) => {
        const onAbort = () => {
          w.settled.delete(done);
          resolve(undefined);
        };
        const done = (status: SetupStatus | undefined) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(status);
        };
        w.settled.add(done);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    } finally {
      w.waiters--;
      this.plan(w);
    }
  }

  /** Run Setup Again: a new run of the workspace's script (asked through `prepare` again). */
  async runAgain(id: string): Promise<StartOutcome | undefined> {
    const w = this.watched.get(id);
    if (!w) return undefined;
    await w.busy;
    const prepared = await this.options.prepare(id);
    if (!prepared) return undefined;
    let outcome: StartOutcome | undefined;
    await this.step(w, async (remote) => {
      outcome = await remote.start(prepared.script, {
        timeoutSeconds: this.options.timeoutSeconds(),
        again: true,
        workdir: prepared.workdir,
      });
      this.options.log(`Setup ${id}: run again: ${outcome.kind}`);
      await this.read(w, remote);
    });
    return outcome;
  }

  /** Lends a SetupRemote on the instance's shared connection (the log terminal); give it back with release(). */
  async lend(id: string, target?: SshTarget): Promise<{ remote: SetupRemote; release: () => Promise<void> }> {
    const t = target ?? this.watched.get(id)?.target;
    // l10n-exempt: a programming error (the command picks a watched instance), never shown as such
    if (!t) throw new Error(`no setup is watched for ${id}`);
    const connection = await this.options.connections.connect(t, { acceptNewHostKey: true });
    return { remote: new SetupRemote(connection), release: () => connection.close() };
  }

  dispose(): void {
    this.watched.dispose();
  }

  private async firstLook(w: Watched, remote: MachineSetup): Promise<void> {
    w.attempts++;
    await this.read(w, remote);
    w.looked = true;
    if (w.known?.status.kind !== 'none') return; // the machine has a run (a reload, another window)
    const prepared = await this.options.prepare(w.target.id);
    if (!prepared || !this.watched.has(w)) return;
    const outcome = await remote.start(prepared.script, {
      timeoutSeconds: this.options.timeoutSeconds(),
      workdir: prepared.workdir,
    });
    this.options.log(`Setup ${w.target.id}: start: ${outcome.kind}`);
    if (outcome.kind === 'missingTool' || outcome.kind === 'failed') this.options.startFailed?.(w.target.id, outcome);
    await this.read(w, remote);
  }

  /** One piece of work on the machine, one at a time per instance; failures are logged, never thrown. */
  private step(w: Watched, work: (remote: MachineSetup) => Promise<void>): Promise<void> {
    const run = async () => {
      try {
        const connection = await this.watched.connection(w);
        await work(this.options.remoteFor?.(connection, w.target) ?? new SetupRemote(connection));
      } catch (e) {
        this.options.log(`Setup ${w.target.id}: ${e instanceof Error ? e.message : String(e)}`);
        this.watched.release(w); // a failed connection is not kept; the next read connects again
        // Before the first answer the row says nothing (sshd may just be coming up); after it, unknown.
        // l10n-exempt: the reason of `unknown` is for the log, English
        if (w.looked) this.remember(w, { kind: 'unknown', reason: 'the machine could not be asked' });
      }
    };
    const busy = (w.busy ?? Promise.resolve()).then(run);
    w.busy = busy;
    void busy.finally(() => {
      if (w.busy === busy) w.busy = undefined;
      this.plan(w);
    });
    return busy;
  }

  private async read(w: Watched, remote: MachineSetup): Promise<void> {
    const before = w.known?.status;
    const status = await remote.status();
    this.remember(w, status);
    const ended = before?.kind === 'running' && (status.kind === 'exited' || status.kind === 'lost');
    if (ended) this.options.ended?.(w.target.id, status);
  }

  private remember(w: Watched, status: SetupStatus): void {
    w.known = { status, readAtMs: this.options.timers.now() };
    this.options.changed(w.target.id);
  }

  /** Reads again later while the run runs and someone looks or waits; otherwise gives the connection back. */
  private plan(w: Watched): void {
    this.watched.next(w);
    if (w.busy || !this.watched.has(w)) return;
    const settled = settledStatus(w);
    if (settled) for (const done of [...w.settled]) (w.settled.delete(done), done(settled));
    if (!w.looked) {
      // Not a poll of a run but the one start, which must not wait for anyone to look.
      if (w.attempts >= FIRST_LOOK_ATTEMPTS) return this.watched.release(w);
      return this.watched.next(w, FIRST_LOOK_RETRY_MS, () => void this.step(w, (remote) => this.firstLook(w, remote)));
    }
    const running = w.known?.status.kind === 'running' || w.known?.status.kind === 'unknown';
    if (!running || (!this.active && w.waiters === 0)) return this.watched.release(w);
    const ms = (this.options.pollMs ?? 5_000) * (w.known?.status.kind === 'unknown' ? 6 : 1);
    this.watched.next(w, ms, () => void this.step(w, (remote) => this.read(w, remote)));
  }
}
