// Feeds the GPU sampler (src/gpu, the one owner of GPU sampling) from VS Code: which instances to
// look at (ready, with an address; the private key the extension knows for each), whether anyone
// is looking (Watching: view visible, window focused, each told apart in its words), and the
// settings. It never samples by itself; it only tells the sampler, which decides.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { expectedGpus } from '../core/instanceTypes';
import type { InstancesModel } from '../core/instancesModel';
import type { IdleSource } from '../cost/types';
import type { CommandTransport } from '../connections/commandTransport';
import { GpuSampler, type GpuTarget } from '../gpu';
import { sshAddressOf } from '../core/sshAddress';
import type { GpuSettings, Settings } from '../settings';
import type { InstanceKeyStore } from './instanceKeyStore';
import type { Watching } from './watching';

export class GpuMonitor implements vscode.Disposable {
  readonly sampler: GpuSampler;
  private readonly disposables: vscode.Disposable[] = [];
  private gpuSettings: GpuSettings;
  private ssh: Settings['ssh'];
  private lastActivity = '';

  constructor(
    private readonly model: InstancesModel,
    private readonly keyStore: InstanceKeyStore,
    settings: Settings,
    private readonly log: vscode.LogOutputChannel,
    /** The connection owner (src/connections): the sampler borrows one connection per instance from it. */
    connections: CommandTransport,
    private readonly watching: Watching,
  ) {
    this.gpuSettings = settings.gpu;
    this.ssh = settings.ssh;
    this.sampler = new GpuSampler({
      transport: connections,
      sampleSeconds: settings.gpu.sampleSeconds,
      idleGpuPercent: settings.gpu.idleGpuPercent,
      idleMinutes: settings.gpu.idleMinutes,
      log: (message) => log.info(message),
    });
    this.disposables.push(
      model.onDidChange(() => this.updateTargets()),
      keyStore.onDidChange(() => this.updateTargets()),
      watching.tell(this.sampler),
      watching.onDidChange(() => this.logActivity()),
    );
    this.updateTargets();
    // Built on first need, after the view was attached: the log says now whether sampling is on.
    this.logActivity();
  }

  get settings(): GpuSettings {
    return this.gpuSettings;
  }

  /** The idle signal the cost guard consumes (its own IdleSource interface): the sampler as is. */
  get idleSource(): IdleSource {
    return this.sampler;
  }

  updateSettings(settings: Settings): void {
    const knownHostsMoved = settings.ssh.paths.knownHosts !== this.ssh.paths.knownHosts;
    this.gpuSettings = settings.gpu;
    this.ssh = settings.ssh;
    if (knownHostsMoved)
      this.log.warn('GPU view: the known_hosts path changed; reload the window for GPU sampling to use it');
    this.sampler.setSampleSeconds(settings.gpu.sampleSeconds);
    this.sampler.setIdleSettings(settings.gpu.idleGpuPercent, settings.gpu.idleMinutes);
    this.updateTargets();
    this.logActivity();
  }

  /** The ready instances the sampler may look at, as SSH targets. */
  targets(): GpuTarget[] {
    const targets: GpuTarget[] = [];
    for (const r of this.model.list()) {
      const ip = sshAddressOf(r);
      if (!ip) continue;
      const identityFile = this.keyStore.get(r.instance.id);
      const expected = expectedGpus(r.instance.instance_type);
      targets.push({
        id: r.instance.id,
        ip,
        port: this.ssh.port,
        user: this.ssh.user,
        ...(identityFile ? { identityFile } : {}),
        ...(expected ? { expected } : {}),
      });
    }
    return targets;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    void this.sampler.dispose();
  }

  /** Closes every SSH connection; resolves when they are closed (deactivate awaits it). */
  close(): Promise<void> {
    for (const d of this.disposables) d.dispose();
    return this.sampler.dispose();
  }

  private updateTargets(): void {
    this.sampler.setTargets(this.targets());
  }

  /** Why figures are not updating by themselves now (for the GPU usage report); undefined while sampling. */
  pausedNote(): string | undefined {
    const activity = this.activity();
    if (activity === 'on') return undefined;
    const why =
      activity === 'off'
        ? l10n.t('off (fal.gpu.sampleSeconds = 0)')
        : activity === 'hidden'
          ? l10n.t('paused (view hidden)')
          : l10n.t('paused (window unfocused)');
    return l10n.t`Live sampling is ${why}: these figures update by themselves only while the Instances view is visible and the window focused. The refresh button takes one sample now.`;
  }

  /** Whether the sampler samples by itself now, or why not. */
  private activity(): 'off' | 'hidden' | 'unfocused' | 'on' {
    if (this.gpuSettings.sampleSeconds === 0) return 'off';
    if (!this.watching.visible) return 'hidden';
    if (!this.watching.focused) return 'unfocused';
    return 'on';
  }

  /** The activity in the log's words (English, like every log line; pausedNote words it for the report). */
  private activityLine(): string {
    switch (this.activity()) {
      case 'off':
        return 'off (fal.gpu.sampleSeconds = 0)'; // l10n-exempt: log line only (logActivity's log.info)
      case 'hidden':
        return 'paused (view hidden)'; // l10n-exempt: log line only (logActivity's log.info)
      case 'unfocused':
        return 'paused (window unfocused)'; // l10n-exempt: log line only (logActivity's log.info)
      case 'on':
        return `on, every ${this.gpuSettings.sampleSeconds} s`; // l10n-exempt: log line only (logActivity's log.info)
    }
  }

  /** One log line per change of activity, so the log tells when SSH traffic may happen. */
  private logActivity(): void {
    const why = this.activityLine();
    if (why === this.lastActivity) return;
    this.lastActivity = why;
    this.log.info(`GPU sampling ${why}`);
  }
}
