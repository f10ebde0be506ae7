// Feeds the jobs watcher (src/jobs, the one owner of reading jobs from machines) from VS Code: the
// ready instances this window can log in to (a key is known), whether anyone looks (Watching), and
// which machines went away — a job last seen running on a deleted machine is
// reported lost, once.
import * as vscode from 'vscode';
import { Emitter } from '../base/emitter';
import { errorText } from '../base/errorText';
import { realTimers } from '../base/timers';
import type { CommandTransport } from '../connections/commandTransport';
import type { SshTarget } from '../connections/types';
import type { InstancesModel } from '../core/instancesModel';
import { sshAddressOf } from '../core/sshAddress';
import { JobRemote } from '../jobs/jobRemote';
import { JobsWatcher } from '../jobs/jobsWatcher';
import type { JobStatus } from '../jobs/types';
import type { InstanceKeyStore } from './instanceKeyStore';
import type { Watching } from './watching';

export interface JobsMonitorDeps {
  readonly model: InstancesModel;
  readonly keyStore: InstanceKeyStore;
  readonly connections: CommandTransport;
  readonly ssh: () => { readonly port: number; readonly user: string };
  readonly log: vscode.LogOutputChannel;
  readonly watching: Watching;
  /** A job seen running here ended: the notification, results, and a task's delete. */
  readonly ended: (id: string, status: JobStatus, machineGone: boolean) => void;
}

export class JobsMonitor implements vscode.Disposable {
  readonly watcher: JobsWatcher;
  private readonly changed = new Emitter<string>();
  /** Fires with the instance whose jobs changed (rows, the status bar, the cost guard's busy). */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private targetIds = new Set<string>();

  constructor(private readonly deps: JobsMonitorDeps) {
    this.watcher = new JobsWatcher({
      connections: deps.connections,
      timers: realTimers,
      remoteFor: (connection) => new JobRemote(connection),
      log: (line) => deps.log.info(line),
      changed: (id) => this.changed.fire(id),
      ended: deps.ended,
    });
    this.disposables.push(
      deps.model.onDidChange(() => this.updateTargets()),
      deps.keyStore.onDidChange(() => this.updateTargets()),
      deps.watching.onDidChange(() => this.watcher.setActive(deps.watching.someoneLooks)),
    );
    // Built on first need, after the view was attached: whether someone looks is known now.
    this.watcher.setActive(deps.watching.someoneLooks);
    this.updateTargets();
  }

  /** The instance as an SSH target with its key; undefined when it is not ready or no key is known. */
  target(id: string): SshTarget | undefined {
    const ip = sshAddressOf(this.deps.model.get(id));
    const identityFile = this.deps.keyStore.get(id);
    if (!ip || !identityFile) return undefined;
    return { id, ip, identityFile, ...this.deps.ssh() };
  }

  /**
   * The jobs running on `id` now, from a fresh listing (the last look before a delete); undefined
   * when they cannot be read — never "none".
   */
  async freshRunning(id: string): Promise<readonly JobStatus[] | undefined> {
    const target = this.target(id);
    if (!target) return undefined;
    try {
      const lent = await this.watcher.lend(target);
      try {
        const listing = await lent.jobs.list();
        return listing.kind === 'listed' ? listing.jobs.filter((j) => j.kind === 'running') : undefined;
      } finally {
        await lent.release();
      }
    } catch (e) {
      this.deps.log.warn(`Jobs of ${id} could not be listed: ${errorText(e)}`);
      return undefined;
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.watcher.dispose();
    this.changed.clear();
  }

  private updateTargets(): void {
    const targets = this.deps.model.list().flatMap((r) => this.target(r.instance.id) ?? []);
    const ids = new Set(targets.map((t) => t.id));
    // A machine that left the list after a good listing, or is being deleted, took its running jobs with it.
    const loaded = this.deps.model.state.kind === 'loaded';
    for (const id of this.targetIds) {
      const record = this.deps.model.get(id);
      if (!ids.has(id) && ((loaded && !record) || record?.deleting)) this.watcher.machineGone(id);
    }
    this.targetIds = ids;
    this.watcher.setTargets(targets);
  }
}
