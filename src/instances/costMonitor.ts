// Wires the cost guard (src/cost, pure) into VS Code, as GpuMonitor wires the sampler:
// it tells the guard what the model lists, whether the window is focused and the settings; keeps
// the spend ledger current from complete lists; records our creates (Ownership); and tells the GPU
// sampler which instances to watch while nobody looks — only while fal.idle.autoDelete is on, and
// only those auto-delete could take (created here or allowed, not protected, ready).
import * as vscode from 'vscode';
import type { ComputeInstance } from '../api';
import type { FalSession } from '../auth/falSession';
import { spanText } from '../base/durations';
import { errorText } from '../base/errorText';
import { now } from '../base/timers';
import type { InstancesModel } from '../core/instancesModel';
import type { StoredState } from '../core/storedState';
import { statusLook } from '../core/status';
import {
  CostGuard,
  LeaseBook,
  leaseEnd,
  type CostGuardSettings,
  type GuardNotices,
  type IdleSource,
  type Ownership,
  type ResultsSaver,
  type SpendLedger,
} from '../cost';
import type { GpuSampler } from '../gpu';
import type { CostSettings } from '../settings';
import { costGuardHost } from './costGuardHost';
import type { InstanceDeleter } from './instanceDeleter';
import type { Watching } from './watching';

export interface CostMonitorDeps {
  readonly model: InstancesModel;
  readonly session: FalSession;
  readonly sampler: GpuSampler;
  /** The GPU view's idle signal (GpuMonitor.idleSource). */
  readonly idle: IdleSource;
  readonly ownership: Ownership;
  /** The user's names for instances (Rename…), said beside the id in every notification. */
  readonly nameOf: (instanceId: string) => string | undefined;
  readonly ledger: SpendLedger;
  readonly deleter: InstanceDeleter;
  readonly state: StoredState;
  readonly settings: CostSettings;
  readonly sampleSeconds: () => number;
  readonly log: vscode.LogOutputChannel;
  /** Whether the window is focused: reminders wait while it is not. */
  readonly watching: Watching;
  /** The reminders and the countdown on screen (views/costNotices.ts). */
  readonly notices: GuardNotices;
  /** Results first (issue 19 item 5): brings results home before an auto-delete or a lease's delete. */
  readonly results?: ResultsSaver;
  /** The jobs running on a machine, freshly listed, for the re-check before an auto-delete. */
  readonly runningJobs?: (id: string) => Promise<readonly string[] | undefined>;
}

export class CostMonitor implements vscode.Disposable {
  readonly guard: CostGuard;
  private settings: CostSettings;
  private readonly disposables: vscode.Disposable[] = [];
  private lastWatch = '';
  private lastSettings = '';

  constructor(private readonly deps: CostMonitorDeps) {
    const { model } = deps;
    this.settings = deps.settings;
    this.guard = new CostGuard({
      host: costGuardHost(deps),
      leases: new LeaseBook(deps.state, (e) => deps.log.error(`Could not save a lease: ${errorText(e)}`)),
      idle: deps.idle,
      store: deps.state,
      createdHere: (id) => deps.ownership.createdHere(id),
      nameOf: deps.nameOf,
      settings: this.settings.guard,
    });
    this.guard.setFocused(deps.watching.focused);
    this.logSettings();
    this.disposables.push(
      model.onDidChange(() => this.onModelChange()),
      deps.watching.onDidChange((look) => look === 'focused' && this.guard.setFocused(deps.watching.focused)),
      { dispose: this.guard.onDidChangeProtection(() => this.updateWatch()).dispose },
    );
    this.onModelChange();
  }

  updateSettings(settings: CostSettings): void {
    this.settings = settings;
    this.guard.setSettings(settings.guard);
    this.logSettings();
    this.updateWatch();
  }

  /**
   * Our own create succeeded (the create command, or a create finished after a reload); with
   * `leaseHours` > 0 (the wizard's Delete after), its lease starts now.
   */
  recordCreate(instance: Pick<ComputeInstance, 'id' | 'creator_user_nickname'>, leaseHours = 0): void {
    const at = now();
    this.deps.ownership.recordCreate(instance, at);
    if (leaseHours > 0) this.guard.leases.set(instance.id, leaseEnd(at, leaseHours));
    this.updateWatch();
  }

  dispose(): void {
    this.guard.dispose();
    this.deps.sampler.setWatched([]);
    for (const d of this.disposables) d.dispose();
  }

  private onModelChange(): void {
    const { model, ledger } = this.deps;
    const records = model.list();
    this.guard.setInstances(records);
    // Only a complete, successful list says what exists (never a failed refresh or a signed-out empty one).
    if (model.state.kind === 'loaded') {
      ledger.observe(records, now());
      this.guard.leases.prune(
        records.map((r) => r.instance.id),
        now(),
      );
    }
    this.updateWatch();
  }

  private logSettings(): void {
    const line = describeGuardSettings(this.settings.guard);
    if (line !== this.lastSettings) this.deps.log.info((this.lastSettings = line));
  }

  /** The instances auto-delete could take, for the sampler to watch while nobody looks. */
  private updateWatch(): void {
    const { guard: s } = this.settings;
    const ids = !s.autoDelete
      ? []
      : this.deps.model
          .list()
          .filter((r) => !r.deleting && statusLook(r.instance.status).kind === 'ready')
          .map((r) => r.instance.id)
          .filter((id) => !this.guard.isProtected(id) && (s.autoDeleteOthers || this.deps.ownership.createdHere(id)));
    this.deps.sampler.setWatched(ids);
    const line = ids.length
      ? // l10n-exempt: log line only (written by log.info below)
        `Auto-delete watch: ${ids.join(', ')} (one GPU sample every ${Math.max(this.deps.sampleSeconds(), 60)} s each while the view is hidden or the window unfocused)`
      : // l10n-exempt: log line only (written by log.info below)
        `Auto-delete watch: none${s.autoDelete ? '' : ' (fal.idle.autoDelete is off)'}: nothing is sampled while the view is hidden or the window unfocused`;
    if (line !== this.lastWatch) this.deps.log.info((this.lastWatch = line));
  }
}

/** One log line saying what the cost guard will do (written when it changes). */
// l10n-exempt: log line only (logSettings writes it with log.info)
export function describeGuardSettings(s: CostGuardSettings): string {
  const idle = s.idleMinutes > 0 ? `idle reminders after ${spanText(s.idleMinutes * 60_000)}` : 'no idle reminders';
  const running = s.runningHours > 0 ? `running-time reminders every ${s.runningHours} h` : 'no running-time reminders';
  const extras = [
    s.beforeDelete.trim() ? 'beforeDelete set' : '',
    s.autoDeleteOthers ? 'also instances not created here' : '',
  ].filter(Boolean);
  const auto = s.autoDelete
    ? `auto-delete ON after a ${spanText(s.graceMinutes * 60_000)} countdown${extras.length ? ` (${extras.join(', ')})` : ''}`
    : 'auto-delete off';
  return `Cost guard: ${idle}, ${running}, ${auto}`;
}
