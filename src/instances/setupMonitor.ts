// Feeds the setup coordinator (src/setup, the one owner of setup on the machines) from VS Code:
// which ready instances were created from a folder open in this window whose workspace has a setup
// (`.fal/setup.sh` or `fal.setup.command`), whether anyone looks (Watching),
// and the questions only VS Code can ask: is the workspace trusted, has the user seen and approved
// this exact content. A workspace without a setup sees nothing new: no instance is handed in, so no
// SSH connection is made for it.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { Emitter } from '../base/emitter';
import { realTimers } from '../base/timers';
import type { CommandTransport } from '../connections/commandTransport';
import type { SshTarget } from '../connections/types';
import type { InstancesModel } from '../core/instancesModel';
import type { StoredState } from '../core/storedState';
import type { Settings } from '../settings';
import { approve, chooseSetupScript, needsApproval, SETUP_FILE, SetupCoordinator, tooLargeText } from '../setup';
import type { PreparedSetup } from '../setup';
import { errorText } from '../base/errorText';
import type { SetupScript } from '../setup/setupSource';
import type { SetupStatus } from '../setup/setupStatus';
import { sshAddressOf } from '../core/sshAddress';
import { showErrorMessage, showWarningMessage } from '../notifications';
import type { InstanceKeyStore } from './instanceKeyStore';
import type { NameLookup } from './instanceNames';
import { SetupOrigins } from './setupOrigins';
import type { Watching } from './watching';

export interface SetupMonitorDeps {
  readonly model: InstancesModel;
  readonly keyStore: InstanceKeyStore;
  readonly stored: StoredState;
  readonly connections: CommandTransport;
  readonly settings: () => Settings;
  readonly names: NameLookup;
  readonly log: vscode.LogOutputChannel;
  readonly watching: Watching;
  /** A run we watched ended: the notification (views/setupNotices.ts). */
  readonly ended: (id: string, status: SetupStatus) => void;
  /**
   * Uploads the workspace to the machine (Upload Workspace's transfer) and resolves with its copy's folder
   * relative to home, where the setup then runs (`fal.setup.uploadWorkspace`). Rejects when it did not finish.
   */
  readonly uploadWorkspace?: (id: string, identityFile: string) => Promise<string>;
}

export class SetupMonitor implements vscode.Disposable {
  readonly coordinator: SetupCoordinator;
  readonly origins: SetupOrigins;
  private readonly changed = new Emitter<string>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** Folders (uri strings) whose workspace has a setup, re-read when `.fal/setup.sh` or the setting changes. */
  private foldersWithSetup = new Set<string>();

  constructor(private readonly deps: SetupMonitorDeps) {
    this.origins = new SetupOrigins(deps.stored, (e) => deps.log.error(`Could not save setup origins: ${String(e)}`));
    this.coordinator = new SetupCoordinator({
      connections: deps.connections,
      timers: realTimers,
      prepare: (id) => this.prepare(id),
      timeoutSeconds: () => deps.settings().setup.timeoutMinutes * 60,
      log: (line) => deps.log.info(line),
      changed: (id) => this.changed.fire(id),
      ended: deps.ended,
      startFailed: (id, outcome) => deps.log.warn(`Setup ${id}: not started (${JSON.stringify(outcome)})`),
    });
    // Built on first need, after the view was attached: whether someone looks is known now.
    this.coordinator.setActive(deps.watching.someoneLooks);
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${SETUP_FILE}`);
    const reread = () => void this.readFolders();
    this.disposables.push(
      watcher,
      watcher.onDidCreate(reread),
      watcher.onDidDelete(reread),
      deps.model.onDidChange(() => this.updateTargets()),
      deps.keyStore.onDidChange(() => this.updateTargets()),
      vscode.workspace.onDidChangeWorkspaceFolders(reread),
      vscode.workspace.onDidGrantWorkspaceTrust(reread),
      deps.watching.onDidChange(() => this.coordinator.setActive(deps.watching.someoneLooks)),
    );
    reread();
  }

  /** The settings changed (fal.setup.command may give a workspace a setup, or take it away). */
  settingsChanged(): void {
    void this.readFolders();
  }

  /** Remembers the folder an instance was created from (its create returned it). */
  recordCreate(id: string): void {
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
    if (folder) this.origins.record(id, folder.uri.toString());
    this.updateTargets();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.coordinator.dispose();
    this.changed.clear();
  }

  private async readFolders(): Promise<void> {
    const settings = this.deps.settings();
    const found = new Set<string>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (settings.setup.command !== '' || (await this.readSetupFile(folder.uri)) !== undefined)
        found.add(folder.uri.toString());
    }
    this.foldersWithSetup = found;
    this.updateTargets();
  }

  private readSetupFile(folder: vscode.Uri): Thenable<Uint8Array | undefined> {
    return vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, SETUP_FILE)).then(
      (bytes) => bytes,
      () => undefined,
    );
  }

  /** Ready instances with an address and a key, created from an open folder that has a setup. */
  private updateTargets(): void {
    const ssh = this.deps.settings().ssh;
    const targets: SshTarget[] = [];
    for (const r of this.deps.model.list()) {
      const origin = this.origins.get(r.instance.id);
      const ip = sshAddressOf(r);
      const identityFile = this.deps.keyStore.get(r.instance.id);
      if (!origin || !this.foldersWithSetup.has(origin) || !ip || !identityFile) continue;
      targets.push({ id: r.instance.id, ip, port: ssh.port, user: ssh.user, identityFile });
    }
    this.coordinator.setTargets(targets);
  }

  /** The script to run on `id` and where, after trust, approval and the upload; undefined when nothing is to run. */
  private async prepare(id: string): Promise<PreparedSetup | undefined> {
    const script = await this.approvedScript(id);
    if (!script) return undefined;
    const identityFile = this.deps.keyStore.get(id);
    if (!this.deps.settings().setup.uploadWorkspace || !this.deps.uploadWorkspace || !identityFile) return { script };
    try {
      return { script, workdir: await this.deps.uploadWorkspace(id, identityFile) };
    } catch (error) {
      this.deps.log.warn(`Setup ${id}: not started, the workspace upload did not finish: ${errorText(error)}`);
      const again = l10n.t('Try Again');
      void showWarningMessage(
        l10n.t`The setup of ${this.nameOf(id)} did not start: the workspace upload did not finish (${errorText(error)}).`,
        again,
      ).then((answer) => {
        if (answer === again) void this.coordinator.runAgain(id);
      });
      return undefined;
    }
  }

  /** The script to run on `id`, after trust and approval; undefined when nothing is to run. */
  private async approvedScript(id: string): Promise<SetupScript | undefined> {
    const origin = this.origins.get(id);
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.toString() === origin);
    if (!folder) return undefined;
    if (!vscode.workspace.isTrusted) {
      this.deps.log.info(`Setup ${id}: not run, the workspace is not trusted`);
      void showWarningMessage(
        l10n.t`The setup of ${this.nameOf(id)} did not run: this workspace is not trusted. Trust it (Manage Workspace Trust) and it runs.`,
      );
      return undefined;
    }
    const fileUri = vscode.Uri.joinPath(folder.uri, SETUP_FILE);
    const choice = chooseSetupScript(await this.readSetupFile(folder.uri), this.deps.settings().setup.command);
    if (choice.kind === 'none') return undefined;
    if (choice.kind === 'tooLarge') {
      void showErrorMessage(tooLargeText(choice.bytes));
      return undefined;
    }
    const store = {
      get: () => this.deps.stored.get('fal.setup.approved'),
      set: (hashes: readonly string[]) => this.deps.stored.update('fal.setup.approved', [...hashes]),
    };
    if (!needsApproval(store, choice.script)) return choice.script;
    if (choice.script.origin === 'file')
      await vscode.window.showTextDocument(fileUri, { preview: true, preserveFocus: true });
    const run = l10n.t('Run Setup');
    const what =
      choice.script.origin === 'file'
        ? l10n.t`${SETUP_FILE} (open in the editor)`
        : l10n.t`fal.setup.command: ${Buffer.from(choice.script.bytes).toString('utf8').trim()}`;
    const answer = await showWarningMessage(
      l10n.t`Run this workspace's setup on ${this.nameOf(id)}?`,
      {
        modal: true,
        detail: l10n.t`${what}\n\nIt runs once on the machine as ${this.deps.settings().ssh.user}, detached (it goes on if VS Code closes), with its output in a log you can follow. It comes from the repository you opened: run it only if you trust what it does. You are asked again whenever its content changes.`,
      },
      run,
    );
    if (answer !== run) {
      this.deps.log.info(`Setup ${id}: not approved, not run`);
      return undefined;
    }
    await approve(store, choice.script);
    return choice.script;
  }

  private nameOf(id: string): string {
    return this.deps.names.get(id) ?? id;
  }
}
