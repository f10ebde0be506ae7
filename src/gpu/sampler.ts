// The one owner of GPU sampling (the second policy, next to the refresh scheduler). Nothing else
// opens SSH connections to instances for GPU figures or sets timers for them.
//
// Policy:
// - targets are the ready instances; one without a known private key is `noKey` and never tried;
// - active = view visible AND window focused AND sampleSeconds > 0: then every instance is sampled
//   every sampleSeconds, over one SSH connection per instance, opened on the first sample and reused;
// - view hidden or sampling off: stop, and close every connection at once;
// - window blurred: stop sampling; if the blur lasts longer than blurGraceMs (1 min), close every
//   connection (a shorter look away keeps them, so coming back costs no new handshake);
// - a failing instance backs off (interval × 2^(failures-1), at most maxBackoffMs); success resets;
//   a host key not known yet is checked at the normal pace (a local file read, no network);
// - errors never leave the sampler: they become the instance's state.
import { realTimers, type Timers } from '../core/refreshScheduler';
import { Emitter } from './emitter';
import { IdleNotifier } from './idleNotifier';
import { InstanceSampler, type InstanceContext } from './instanceSampler';
import { SampleCommand } from './sampleCommand';
import type { GpuTransport } from './transport';
import type { GpuState, GpuTarget, RunResult, UtilizationPoint } from './types';

export interface GpuSamplerOptions {
  readonly transport: GpuTransport;
  readonly timers?: Timers;
  /** fal.gpu.sampleSeconds: default 10; 0 turns sampling off. */
  readonly sampleSeconds?: number;
  /** fal.idle.gpuPercent: default 5. */
  readonly idleGpuPercent?: number;
  /** fal.idle.minutes: default 30. */
  readonly idleMinutes?: number;
  readonly blurGraceMs?: number;
  readonly commandTimeoutMs?: number;
  readonly historyMs?: number;
  readonly maxBackoffMs?: number;
  readonly command?: SampleCommand;
  readonly log?: (message: string) => void;
}

export class GpuSampler {
  private readonly instances = new Map<string, InstanceSampler>();
  private readonly timers: Timers;
  private readonly command: SampleCommand;
  private readonly changes = new Emitter<string>();
  private readonly idleChanges = new Emitter<string>();
  private readonly idleNotifier: IdleNotifier;
  private sampleMs: number;
  private idlePercent: number;
  private idleMs: number;
  private visible = false;
  private focused = true;
  private disposed = false;
  private blurTimer: unknown;

  constructor(private readonly options: GpuSamplerOptions) {
    this.timers = options.timers ?? realTimers;
    this.command = options.command ?? new SampleCommand();
    this.sampleMs = Math.max(0, options.sampleSeconds ?? 10) * 1000;
    this.idlePercent = options.idleGpuPercent ?? 5;
    this.idleMs = (options.idleMinutes ?? 30) * 60_000;
    const source = {
      ids: () => this.instances.keys(),
      idleSince: (id: string) => this.idleSince(id),
      isIdle: (id: string) => this.isIdle(id),
      expiresAt: (id: string) => this.instances.get(id)?.idle.expiresAt(),
      idleMs: () => this.idleMs,
    };
    this.idleNotifier = new IdleNotifier(this.timers, source, (id) => this.idleChanges.fire(id));
  }

  get active(): boolean {
    return this.visible && this.focused && this.sampleMs > 0 && !this.disposed;
  }

  /** Open SSH connections right now (for tests, the bench and the log). */
  get openConnections(): number {
    return [...this.instances.values()].filter((i) => i.connected).length;
  }

  /** Whether a sample is running now (the bench steps its clock when none is). */
  get sampling(): boolean {
    return [...this.instances.values()].some((i) => i.inFlight !== undefined);
  }

  setTargets(targets: readonly GpuTarget[]): void {
    if (this.disposed) return;
    const wanted = new Map(targets.map((t) => [t.id, t]));
    for (const [id, inst] of this.instances) {
      const next = wanted.get(id);
      if (!next || !inst.isFor(next)) {
        this.forget(id); // gone, or another address/key: a new connection for the new facts
      }
    }
    for (const t of targets) {
      if (this.instances.has(t.id)) continue;
      this.instances.set(t.id, new InstanceSampler(t, this.context(), this.options.historyMs ?? 600_000, this.idlePercent, this.maxGapMs()));
      this.changed(t.id);
    }
    this.scheduleAll();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (!visible) this.closeAll();
    this.scheduleAll();
  }

  setFocused(focused: boolean): void {
    this.focused = focused;
    this.cancelBlur();
    if (!focused && this.openConnections > 0) {
      this.blurTimer = this.timers.setTimeout(() => {
        this.blurTimer = undefined;
        if (!this.focused) this.closeAll();
      }, this.options.blurGraceMs ?? 60_000);
    }
    this.scheduleAll();
  }

  setSampleSeconds(seconds: number): void {
    this.sampleMs = Math.max(0, seconds) * 1000;
    if (this.sampleMs === 0) this.closeAll();
    for (const inst of this.instances.values()) inst.idle.setMaxGap(this.maxGapMs());
    this.scheduleAll();
  }

  setIdleSettings(gpuPercent: number, minutes: number): void {
    this.idlePercent = gpuPercent;
    this.idleMs = minutes * 60_000;
    for (const inst of this.instances.values()) inst.idle.setThreshold(gpuPercent);
    this.idleNotifier.check();
  }

  state(id: string): GpuState | undefined {
    return this.instances.get(id)?.state;
  }

  /** Utilisation over the last 10 minutes, oldest first. */
  history(id: string): readonly UtilizationPoint[] {
    return this.instances.get(id)?.history.snapshot(this.timers.now()) ?? [];
  }

  /** Epoch ms since which every GPU has been seen under the threshold with no GPU process; undefined when not idle or not known. */
  idleSince(id: string): number | undefined {
    return this.instances.get(id)?.idle.idleSince(this.timers.now());
  }

  /** Idle for at least fal.idle.minutes. */
  isIdle(id: string): boolean {
    const since = this.idleSince(id);
    return since !== undefined && this.timers.now() - since >= this.idleMs;
  }

  /** One sample now, because the user asked (Show GPU Usage… / refresh); resets the back-off. */
  async refresh(id: string): Promise<GpuState | undefined> {
    const inst = this.instances.get(id);
    if (!inst || this.disposed) return undefined;
    inst.failures = 0;
    inst.stopTimer();
    await inst.sample();
    await this.afterUse(inst);
    return inst.state;
  }

  /** Runs another command on the instance's connection (e.g. the cost guard's `who`). Rejects with GpuTransportError. */
  async run(id: string, command: string, timeoutMs: number): Promise<RunResult> {
    const inst = this.instances.get(id);
    if (!inst || this.disposed) throw new Error(`no GPU target ${id}`);
    try {
      return await inst.run(command, timeoutMs);
    } finally {
      await this.afterUse(inst);
    }
  }

  /** Fires (with the instance id) when an instance's state, history or presence changes. */
  readonly onDidChange = this.changes.event;
  /** Fires when idleSince(id) or isIdle(id) changes. */
  readonly onDidChangeIdle = this.idleChanges.event;

  /** Closes every connection; resolves when they are closed. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.cancelBlur();
    this.idleNotifier.cancel();
    const closing = [...this.instances.values()].map((i) => {
      i.stopTimer();
      return i.closeConnection();
    });
    this.changes.clear();
    this.idleChanges.clear();
    await Promise.all(closing);
  }

  private context(): InstanceContext {
    const { transport, commandTimeoutMs = 8_000, log = () => undefined } = this.options;
    return { transport, timers: this.timers, command: this.command, commandTimeoutMs, log, changed: (id) => this.changed(id) };
  }

  /** A gap this long between samples breaks an idle run: one brief look away (the blur grace) and two intervals. */
  private maxGapMs(): number {
    return (this.options.blurGraceMs ?? 60_000) + 2 * Math.max(this.sampleMs, 1_000);
  }

  private scheduleAll(): void {
    for (const inst of this.instances.values()) this.schedule(inst);
  }

  private schedule(inst: InstanceSampler): void {
    inst.stopTimer();
    if (!this.active || inst.inFlight || this.instances.get(inst.target.id) !== inst) return;
    const backOff = inst.failures > 0 && inst.state?.kind !== 'hostKeyUnknown';
    const delay = backOff ? Math.min(this.options.maxBackoffMs ?? 300_000, this.sampleMs * 2 ** (inst.failures - 1)) : this.sampleMs;
    const due = inst.lastAttemptAt === undefined ? 0 : inst.lastAttemptAt + delay - this.timers.now();
    inst.sampleIn(Math.max(0, due), () => this.schedule(inst));
  }

  /** After a sample or command asked for outside the schedule: nobody is looking, so no connection stays open. */
  private async afterUse(inst: InstanceSampler): Promise<void> {
    if (!this.active && this.instances.get(inst.target.id) === inst) await inst.closeConnection();
    this.schedule(inst);
  }

  private closeAll(): void {
    for (const inst of this.instances.values()) {
      inst.stopTimer();
      void inst.closeConnection();
    }
    this.cancelBlur();
  }

  private forget(id: string): void {
    const inst = this.instances.get(id);
    if (!inst) return;
    this.instances.delete(id);
    inst.stopTimer();
    void inst.closeConnection();
    this.changed(id);
  }

  private changed(id: string): void {
    if (this.disposed) return;
    this.changes.fire(id);
    this.idleNotifier.check();
  }

  private cancelBlur(): void {
    if (this.blurTimer !== undefined) this.timers.clearTimeout(this.blurTimer);
    this.blurTimer = undefined;
  }
}
