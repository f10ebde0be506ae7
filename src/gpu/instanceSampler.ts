// The sampler's view of one instance: its connection (opened on the first sample, reused after),
// its state, utilisation history and idle run, and its failure count for the back-off. It does not
// decide when to sample: GpuSampler does.
import * as l10n from '@vscode/l10n';
import type { Timers } from '../base/timers';
import { UtilizationHistory } from './history';
import { IdleTracker } from './idleTracker';
import type { SampleCommand } from './sampleCommand';
import { meanUtilization } from './summary';
import {
  CommandTransportError,
  transportErrorOf,
  type CommandConnection,
  type CommandTransport,
} from '../connections/commandTransport';
import type { RunResult } from '../connections/types';
import type { GpuState, GpuTarget } from './types';

export interface InstanceContext {
  readonly transport: CommandTransport;
  readonly timers: Timers;
  readonly command: SampleCommand;
  readonly commandTimeoutMs: number;
  readonly log: (message: string) => void;
  /** Called after every change of state, history or idle run. */
  readonly changed: (id: string) => void;
}

export class InstanceSampler {
  state: GpuState | undefined;
  /** Consecutive failed samples (any state but ok), for the back-off. */
  failures = 0;
  lastAttemptAt: number | undefined;
  private timer: unknown;
  inFlight: Promise<void> | undefined;
  readonly history: UtilizationHistory;
  readonly idle: IdleTracker;
  private connection: Promise<CommandConnection> | undefined;
  /** Bumped by closeConnection(): a command cut by our own close is not a failure. */
  private generation = 0;

  constructor(
    public target: GpuTarget,
    private readonly ctx: InstanceContext,
    historyMs: number,
    idleThreshold: number,
    maxGapMs: number,
  ) {
    this.history = new UtilizationHistory(historyMs);
    this.idle = new IdleTracker(idleThreshold, maxGapMs);
  }

  /** Whether `t` has the same facts as this instance's target (address, user, key, type). */
  isFor(t: GpuTarget): boolean {
    const mine = this.target;
    const sameType = t.expected?.gpus === mine.expected?.gpus && t.expected?.label === mine.expected?.label;
    return (
      t.id === mine.id &&
      t.ip === mine.ip &&
      t.port === mine.port &&
      t.user === mine.user &&
      t.identityFile === mine.identityFile &&
      sameType
    );
  }

  get connected(): boolean {
    return this.connection !== undefined;
  }

  /** Takes a sample `ms` from now, then calls `after`; replaces a sample already planned. */
  sampleIn(ms: number, after: () => void): void {
    this.stopTimer();
    this.timer = this.ctx.timers.setTimeout(() => {
      this.timer = undefined;
      void this.sample().then(after);
    }, ms);
  }

  stopTimer(): void {
    if (this.timer !== undefined) this.ctx.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Takes one sample; never rejects. Concurrent calls share the one in flight. */
  sample(): Promise<void> {
    this.inFlight ??= this.sampleOnce().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Runs any command on this instance's connection (connecting if needed). Rejects with CommandTransportError. */
  async run(command: string, timeoutMs: number): Promise<RunResult> {
    const conn = await this.connect();
    try {
      return await conn.run(command, timeoutMs);
    } catch (e) {
      throw transportErrorOf(e);
    }
  }

  /** Closes the connection, if any; what runs on it ends without counting as a failure. */
  async closeConnection(): Promise<void> {
    const conn = this.connection;
    this.connection = undefined;
    this.generation++;
    if (conn)
      await conn.then(
        (c) => c.close(),
        () => undefined,
      );
  }

  private async sampleOnce(): Promise<void> {
    const id = this.target.id;
    this.lastAttemptAt = this.ctx.timers.now();
    if (!this.target.identityFile) {
      this.record({ kind: 'noKey' }, false);
      return;
    }
    if (this.state === undefined) this.setState({ kind: 'connecting' });
    const generation = this.generation;
    try {
      const result = await this.run(this.ctx.command.text, this.ctx.commandTimeoutMs);
      const outcome = this.ctx.command.interpret(result, this.target.expected);
      const at = this.ctx.timers.now();
      if (outcome.kind === 'ok') {
        this.history.add({ at, percent: meanUtilization(outcome.gpus) });
        this.idle.observe({ at, gpus: outcome.gpus, processes: outcome.processes });
        this.record({ kind: 'ok', gpus: outcome.gpus, processes: outcome.processes, at, raw: result.stdout }, true);
      } else {
        this.idle.observe({ at });
        this.record(outcome, false);
      }
    } catch (e) {
      if (generation !== this.generation) return; // closed by us while it ran
      const err = transportErrorOf(e);
      const state: GpuState =
        err.kind === 'hostKeyUnknown' ? { kind: 'hostKeyUnknown' } : { kind: 'sshFailed', reason: err.message };
      // Once per failure, not once per attempt (a host key not known yet is checked every interval).
      if (JSON.stringify(state) !== JSON.stringify(this.state))
        this.ctx.log(`GPU sample of ${id} failed (${err.kind}): ${err.message}`);
      this.idle.observe({ at: this.ctx.timers.now() });
      await this.closeConnection();
      this.record(state, false);
    }
  }

  private async connect(): Promise<CommandConnection> {
    if (!this.target.identityFile)
      throw new CommandTransportError('localFile', l10n.t`no private key is known for ${this.target.id}`);
    if (!this.connection) {
      const generation = this.generation;
      const target = { ...this.target, identityFile: this.target.identityFile };
      const pending = this.ctx.transport.connect(target);
      this.connection = pending;
      pending.then(
        (conn) => {
          if (generation !== this.generation) return void conn.close(); // closed while connecting
          // The connection's owner (src/connections) logs the drop; the next sample connects again.
          conn.onDrop(() => {
            if (this.connection === pending) this.connection = undefined;
          });
        },
        () => {
          if (this.connection === pending) this.connection = undefined;
        },
      );
    }
    return this.connection;
  }

  private record(state: GpuState, ok: boolean): void {
    this.failures = ok ? 0 : this.failures + 1;
    this.setState(state);
  }

  private setState(state: GpuState): void {
    this.state = state;
    this.ctx.changed(this.target.id);
  }
}
