// What the GPU sampler knows, for its readers (the tree, tooltips, the status bar, the cost guard):
// each instance's state, utilisation history and idle signal, and the events saying when they
// change. GpuSampler (sampler.ts) extends it with the policy that decides when to sample.
import { Emitter } from '../base/emitter';
import type { Timers } from '../base/timers';
import { IdleSignal } from './idleSignal';
import type { InstanceSampler } from './instanceSampler';
import type { GpuState, UtilizationPoint } from './types';

export abstract class SamplerReadout {
  protected readonly instances = new Map<string, InstanceSampler>();
  protected readonly changes = new Emitter<string>();
  protected readonly idleChanges = new Emitter<string>();
  protected readonly idle: IdleSignal;

  /** Fires (with the instance id) when an instance's state, history or presence changes. */
  readonly onDidChange = this.changes.event;
  /** Fires when idleSince(id) or isIdle(id) changes. */
  readonly onDidChangeIdle = this.idleChanges.event;

  constructor(
    protected readonly timers: Timers,
    idleMinutes: number,
  ) {
    const runs = {
      keys: () => this.instances.keys(),
      get: (id: string) => this.instances.get(id)?.idle,
      values: () => [...this.instances.values()].map((i) => i.idle),
    };
    this.idle = new IdleSignal(timers, runs, idleMinutes, (id) => this.idleChanges.fire(id));
  }

  /** Open SSH connections right now (for tests, the bench and the log). */
  get openConnections(): number {
    return [...this.instances.values()].filter((i) => i.connected).length;
  }

  /** Whether a sample is running now (the bench steps its clock when none is). */
  get sampling(): boolean {
    return [...this.instances.values()].some((i) => i.inFlight !== undefined);
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
    return this.idle.idleSince(id);
  }

  /** Idle for at least fal.idle.minutes. */
  isIdle(id: string): boolean {
    return this.idle.isIdle(id);
  }
}
