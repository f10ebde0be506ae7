// The one owner of reading jobs from the machines: it lists each ready instance's jobs over the
// instance's shared SSH connection (borrowed from src/connections) and says when a job it saw
// running has ended. The machine is the truth — jobs started from another window, or before a
// reload, are found the same way — so nothing about a job is kept here but the last listing.
//
// Pace: while someone looks (view visible, window focused) every instance is listed, often where a
// job runs and seldom elsewhere (to find jobs started from another window). While nobody looks,
// only instances with a running job are listed, at the slow pace: a job's end must still be
// noticed (its results come home, and a task may delete the machine, which bills until then);
// everything else is left alone and its connection given back.
import type { Timers } from '../base/timers';
import { errorText } from '../base/errorText';
import type { CommandConnection, CommandTransport } from '../connections/commandTransport';
import type { SshTarget } from '../connections/types';
import { WatchedMachines, type WatchedMachine } from '../connections/watchedMachines';
import type { JobStatus, MachineJobs } from './types';

export interface JobsWatcherOptions {
  readonly connections: CommandTransport;
  readonly timers: Timers;
  /** How jobs are asked of a machine over a connection (JobRemote; tests: a pretend machine). */
  readonly remoteFor: (connection: CommandConnection) => MachineJobs;
  /** English log lines. */
  readonly log: (line: string) => void;
  /** The jobs of `id` were read and differ from before (the rows repaint). */
  readonly changed: (id: string) => void;
  /** A job seen running here has ended (exited or lost); `machineGone` when its machine was deleted. */
  readonly ended: (id: string, status: JobStatus, machineGone: boolean) => void;
  /** Between two listings of an instance with a running job. */
  readonly runningPollMs?: number;
  /** Between two listings of an instance without one (or of any while nobody looks). */
  readonly quietPollMs?: number;
}

/** What is known of one instance's jobs: the listing, newest first, and when (our clock) it was read. */
export interface JobsKnown {
  readonly jobs: readonly JobStatus[];
  readonly readAtMs: number;
}

interface Watched extends WatchedMachine {
  known?: JobsKnown;
  reading?: Promise<void>;
}

export class JobsWatcher {
  private readonly watched: WatchedMachines<Watched>;
  /** `<id>/<job id>` of jobs started here and not yet seen ending: their end is reported even if no listing saw them run. */
  private readonly expected = new Set<string>();
  private active = false;

  constructor(private readonly o: JobsWatcherOptions) {
    this.watched = new WatchedMachines({ ...o, watch: (target) => ({ target }) });
  }

  /** The ready instances with a key; instances no longer among them are forgotten (their connection given back). */
  setTargets(targets: readonly SshTarget[]): void {
    for (const w of this.watched.setTargets(targets)) this.schedule(w, 0);
  }

  /** Someone looks (view visible and window focused): every instance is listed. */
  setActive(active: boolean): void {
    if (active === this.active) return;
    this.active = active;
    for (const w of this.watched.values()) this.schedule(w, active ? 0 : this.pace(w));
  }

  /** The instance was deleted: every job last seen running there ended with it. */
  machineGone(id: string): void {
    const w = this.watched.get(id);
    const running = w?.known?.jobs.filter((j) => j.kind === 'running') ?? [];
    this.watched.forget(id);
    for (const job of running) this.o.ended(id, { kind: 'lost', run: job.run }, true);
  }

  known(id: string): JobsKnown | undefined {
    return this.watched.get(id)?.known;
  }

  /** Whether a job runs on `id`: undefined when its jobs were never read (not known is never "no"). */
  hasRunning(id: string): boolean | undefined {
    return this.watched.get(id)?.known?.jobs.some((j) => j.kind === 'running');
  }

  runningCount(): number {
    let n = 0;
    for (const w of this.watched.values()) n += w.known?.jobs.filter((j) => j.kind === 'running').length ?? 0;
    return n;
  }

  /** A job was just started here: its end is reported even when it ends before a listing sees it run. */
  expect(id: string, jobId: string): void {
    this.expected.add(`${id}/${jobId}`);
  }

  /** Lists `id` now (after a Run or a Stop); resolves when read (or when the read failed). */
  async refresh(id: string): Promise<void> {
    const w = this.watched.get(id);
    if (!w) return;
    await w.reading;
    await this.read(w);
    // What it read sets the pace: a job just started where none ran is listed at the running pace
    // from now on (while nobody looks, at all): its end must be noticed.
    this.schedule(w, this.pace(w));
  }

  /** Lends the jobs of a machine on its shared connection (Run, Stop, a log terminal); give it back with release(). */
  async lend(target: SshTarget): Promise<{ jobs: MachineJobs; release: () => Promise<void> }> {
    const connection = await this.o.connections.connect(target, { acceptNewHostKey: true });
    return { jobs: this.o.remoteFor(connection), release: () => connection.close() };
  }

  dispose(): void {
    this.watched.dispose();
  }

  private pace(w: Watched): number {
    const running = w.known?.jobs.some((j) => j.kind === 'running') ?? false;
    return running ? (this.o.runningPollMs ?? 5_000) : (this.o.quietPollMs ?? 60_000);
  }

  /** Whether `w` is listed by itself now: always while someone looks, else only with a running job. */
  private polled(w: Watched): boolean {
    return this.active || (w.known?.jobs.some((j) => j.kind === 'running') ?? false);
  }

  private schedule(w: Watched, ms: number): void {
    this.watched.next(w);
    if (!this.watched.has(w)) return;
    if (!this.polled(w) && w.known) return this.watched.release(w);
    this.watched.next(w, ms, () => void this.read(w).then(() => this.schedule(w, this.pace(w))));
  }

  private read(w: Watched): Promise<void> {
    w.reading ??= this.listOnce(w).finally(() => (w.reading = undefined));
    return w.reading;
  }

  private async listOnce(w: Watched): Promise<void> {
    const id = w.target.id;
    let connection: CommandConnection;
    try {
      connection = await this.watched.connection(w);
    } catch (e) {
      this.o.log(`Jobs of ${id}: cannot reach the machine (${errorText(e)}); trying again later`);
      return;
    }
    const listing = await this.o
      .remoteFor(connection)
      .list()
      .catch((e: unknown) => {
        this.o.log(`Jobs of ${id}: listing failed (${errorText(e)})`);
        return undefined;
      });
    if (!listing || !this.watched.has(w)) return;
    if (listing.kind === 'unknown') return this.o.log(`Jobs of ${id}: the listing was unreadable (${listing.reason})`);
    const before = w.known?.jobs ?? [];
    w.known = { jobs: listing.jobs, readAtMs: this.o.timers.now() };
    // A running job's row counts its minutes: it repaints on every listing while one runs.
    const differs = JSON.stringify(comparable(before)) !== JSON.stringify(comparable(listing.jobs));
    if (differs || listing.jobs.some((j) => j.kind === 'running')) this.o.changed(id);
    for (const job of listing.jobs) {
      const key = `${id}/${job.run.runId}`;
      const was = before.find((b) => b.run.runId === job.run.runId);
      const seenRunning = was?.kind === 'running' || (!was && this.expected.has(key));
      if (job.kind !== 'running' && seenRunning) {
        this.expected.delete(key);
        this.o.ended(id, job, false);
      }
    }
  }
}

/** What a row shows of a listing (the machine's clock moves every read; that alone repaints nothing). */
function comparable(jobs: readonly JobStatus[]): unknown[] {
  return jobs.map((j) => [
    j.run.runId,
    j.kind,
    j.kind === 'exited' ? [j.exitCode, j.stopped] : 0,
    j.run.stopRequestedAtMs,
  ]);
}
