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
// - watch (setWatched, auto-delete's opt-in): while not active, the listed instances with a key are
//   still sampled at the slow watch pace (pace.ts) over their one connection, which stays open for
//   them; every other connection closes as above;
// - a failing instance backs off (interval × 2^(failures-1), at most maxBackoffMs); success resets;
//   a host key not known yet is checked at the normal pace (a local file read, no network);
// - errors never leave the sampler: they become the instance's state.
import * as l10n from '@vscode/l10n';
import { realTimers, type Timers } from '../base/timers';
import { InstanceSampler, type InstanceContext } from './instanceSampler';
import { attemptDelayMs, maxGapMs, type Pace } from './pace';
import { SampleCommand } from './sampleCommand';
import { SamplerReadout } from './samplerReadout';
import type { CommandTransport } from '../connections/commandTransport';
import type { RunResult } from '../connections/types';
import type { GpuState, GpuTarget } from './types';

export interface GpuSamplerOptions {
  readonly transport: CommandTransport;
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

export class GpuSampler extends SamplerReadout {
  private watched = new Set<string>();
  private readonly command: SampleCommand;
  private sampleMs: number;
  private idlePercent: number;
  private visible = false;
  private focused = true;
  private disposed = false;
  private blurTimer: unknown;

  constructor(private readonly options: GpuSamplerOptions) {
    super(options.timers ?? realTimers, options.idleMinutes ?? 30);
    this.command = options.command ?? new SampleCommand();
    this.sampleMs = Math.max(0, options.sampleSeconds ?? 10) * 1000;
    this.idlePercent = options.idleGpuPercent ?? 5;
  }

  get active(): boolean {
    return this.visible && this.focused && this.sampleMs > 0 && !this.disposed;
  }

  setTargets(targets: readonly GpuTarget[]): void {
    if (this.disposed) return;
    const wanted = new Map(targets.map((t) => [t.id, t]));
    const changedIds: string[] = [];
    for (const [id, inst] of this.instances) {
      const next = wanted.get(id);
      if (!next || !inst.isFor(next)) {
        this.forget(id); // gone, or another address/key: a new connection for the new facts
        changedIds.push(id);
      }
    }
    for (const t of targets) {
      if (this.instances.has(t.id)) continue;
      this.instances.set(
        t.id,
        new InstanceSampler(
          t,
          this.context(),
          this.options.historyMs ?? 600_000,
          this.idlePercent,
          this.maxGapMs(t.id),
        ),
      );
      changedIds.push(t.id);
    }
    // One idle check for the whole list: a check reads every instance, so one per row made 1,000
    // rows a million reads (~200 ms of the extension host when a key lists 1,000 machines).
    if (changedIds.length) this.changed(changedIds);
    this.scheduleAll();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (!visible) this.closeAll();
    this.scheduleAll();
  }

  /** The instances to watch while nobody looks (auto-delete's eligible ones). Empty, the default: nothing then. */
  setWatched(ids: Iterable<string>): void {
    const next = new Set(ids);
    if (next.size === this.watched.size && [...next].every((id) => this.watched.has(id))) return;
    this.watched = next;
    for (const inst of this.instances.values()) inst.idle.setMaxGap(this.maxGapMs(inst.target.id));
    if (!this.active && this.blurTimer === undefined) this.closeAll(); // (a brief blur keeps its connections)
    this.scheduleAll();
  }

  /** Sampled at the watch pace right now. */
  isWatching(id: string): boolean {
    const inst = this.instances.get(id);
    return inst !== undefined && this.pace(inst) === 'watch';
  }

  setFocused(focused: boolean): void {
    this.focused = focused;
    this.cancelBlur();
    if (!focused && this.openConnections > 0) {
      this.blurTimer = this.timers.setTimeout(() => {
        this.blurTimer = undefined;
        if (!this.focused) this.closeAll();
      }, this.blurGraceMs());
    }
    this.scheduleAll();
  }

  setSampleSeconds(seconds: number): void {
    this.sampleMs = Math.max(0, seconds) * 1000;
    if (this.sampleMs === 0) this.closeAll();
    for (const inst of this.instances.values()) inst.idle.setMaxGap(this.maxGapMs(inst.target.id));
    this.scheduleAll();
  }

  setIdleSettings(gpuPercent: number, minutes: number): void {
    this.idlePercent = gpuPercent;
    this.idle.setSettings(gpuPercent, minutes);
  }

  /** One sample now, because the user asked (Show GPU Usage… / refresh); resets the back-off. */
  async refresh(id: string): Promise<GpuState | undefined> {
    if (!this.instances.has(id) || this.disposed) return undefined;
    return this.use(id, async (inst) => (await this.sampleNow(inst), inst.state));
  }

  /** Runs another command on the instance's connection. Rejects with CommandTransportError. */
  run(id: string, command: string, timeoutMs: number): Promise<RunResult> {
    return this.use(id, (inst) => inst.run(command, timeoutMs));
  }

  /**
   * A fresh sample, then `command`, both on the instance's one connection: the cost guard's look at
   * the machine before an auto-delete (our own connection must not count as another session).
   */
  inspect(id: string, command: string, timeoutMs: number): Promise<{ state: GpuState | undefined; result: RunResult }> {
    return this.use(id, async (inst) => {
      await this.sampleNow(inst);
      return { state: inst.state, result: await inst.run(command, timeoutMs) };
    });
  }

  /** Closes every connection; resolves when they are closed. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.cancelBlur();
    this.idle.cancel();
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
    return {
      transport,
      timers: this.timers,
      command: this.command,
      commandTimeoutMs,
      log,
      changed: (id) => this.changed([id]),
    };
  }

  private blurGraceMs(): number {
    return this.options.blurGraceMs ?? 60_000;
  }

  /** A gap this long between samples breaks an idle run (pace.ts). */
  private maxGapMs(id: string): number {
    return maxGapMs(this.blurGraceMs(), this.sampleMs, this.watched.has(id));
  }

  /** How `inst` is sampled now: at the active pace, the watch pace, or not at all. */
  private pace(inst: InstanceSampler): Pace | undefined {
    if (this.active) return 'active';
    const watch = this.sampleMs > 0 && !this.disposed && this.watched.has(inst.target.id) && !!inst.target.identityFile;
    return watch ? 'watch' : undefined;
  }

  private scheduleAll(): void {
    for (const inst of this.instances.values()) this.schedule(inst);
  }

  private schedule(inst: InstanceSampler): void {
    inst.stopTimer();
    const pace = this.pace(inst);
    if (!pace || inst.inFlight || this.instances.get(inst.target.id) !== inst) return;
    const failures = inst.state?.kind === 'hostKeyUnknown' ? 0 : inst.failures; // a local read: see the header
    const delay = attemptDelayMs(pace, this.sampleMs, failures, this.options.maxBackoffMs ?? 300_000);
    const due = inst.lastAttemptAt === undefined ? 0 : inst.lastAttemptAt + delay - this.timers.now();
    inst.sampleIn(Math.max(0, due), () => this.schedule(inst));
  }

  /** A sample or command asked for outside the schedule; after it, if nobody looks (and it is not watched), no connection stays open. */
  private async use<T>(id: string, work: (inst: InstanceSampler) => Promise<T>): Promise<T> {
    const inst = this.instances.get(id);
    if (!inst || this.disposed) throw new Error(l10n.t`no GPU target ${id}`);
    try {
      return await work(inst);
    } finally {
      if (!this.pace(inst) && this.instances.get(inst.target.id) === inst) await inst.closeConnection();
      this.schedule(inst);
    }
  }

  /** A sample now (sharing one in flight), the back-off reset. */
  private async sampleNow(inst: InstanceSampler): Promise<void> {
    inst.failures = 0;
    inst.stopTimer();
    await inst.sample();
  }

  /** Nobody looks any more: every connection closes but those of watched instances. */
  private closeAll(): void {
    for (const inst of this.instances.values()) {
      if (this.pace(inst)) continue;
      inst.stopTimer();
      void inst.closeConnection();
    }
    this.cancelBlur();
  }

  /** Stops sampling `id`; the caller announces the change. */
  private forget(id: string): void {
    const inst = this.instances.get(id);
    if (!inst) return;
    this.instances.delete(id);
    inst.stopTimer();
    void inst.closeConnection();
  }

  private changed(ids: readonly string[]): void {
    if (this.disposed) return;
    for (const id of ids) this.changes.fire(id);
    this.idle.check(ids);
  }

  private cancelBlur(): void {
    if (this.blurTimer !== undefined) this.timers.clearTimeout(this.blurTimer);
    this.blurTimer = undefined;
  }
}
