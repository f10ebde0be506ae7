// The vscode side of Connect, Open SSH in Terminal, Copy SSH Command / IP and Forget Host Key:
// resolves the instance and its key, writes the host entry (hostSync), probes, opens the window.
// Every step is logged to the "fal Compute" channel (paths and aliases, never key material).
import { access } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { InstanceRecord } from '../core/instancesModel';
import { isTransitional, statusLook } from '../core/status';
import type { InstanceKeyStore } from '../instances/instanceKeyStore';
import type { InstancesController } from '../instances/instancesController';
import { forgetInstanceHostKeys, hostAlias, listPublicKeys, ReachabilityError, SshConfigError, waitForTcp, type ResolveCheck } from '../ssh';
import { readConnectSettings, type ConnectSettings } from './connectSettings';
import { checkInstanceIp, REMOTE_SSH_TO_INSTALL, remoteFolderUri, remoteSshProvider, REMOTE_SSH_EXTENSIONS, sshCommandLine, terminalConfigFile } from './remoteSsh';
import { describeResolveCheck, writeHostOnly, writeHostWithInclude, type HostTarget } from './hostSync';
import { probeHostKey } from './sshProbe';

export interface RemoteDeps {
  readonly controller: Pick<InstancesController, 'model' | 'refresh'>;
  readonly log: vscode.LogOutputChannel;
  readonly keyStore: InstanceKeyStore;
}

/** A host entry ready to use: `ssh <alias>` works (or `ssh -F <managedOnly> <alias>`). */
interface PreparedHost {
  readonly id: string;
  readonly alias: string;
  readonly ip: string;
  readonly settings: ConnectSettings;
  /** Set when the user's config refused our Include: the managed file to pass with -F. */
  readonly managedOnly?: string;
}

type Purpose = 'connect' | 'terminal' | 'copy';

const INSTALL = 'Install Remote - SSH';
const TERMINAL = 'Open SSH in Terminal';
const OPEN_FILE = 'Open File';
const FORGET = 'Forget Old Key';
const BROWSE = 'Browse…';

export class RemoteService {
  constructor(private readonly deps: RemoteDeps) {}

  private get log() {
    return this.deps.log;
  }

  // ------------------------------------------------------------------------------------------
  // Commands

  async connect(arg: unknown): Promise<void> {
    let record = await this.pickRecord(arg, 'Connect to which instance?', (r) => r.instance.status === 'ready' || isTransitional(r.instance.status));
    if (!record) return;
    const { id } = record.instance;
    this.log.info(`Connect ${id}: status ${record.instance.status}, ip ${record.instance.ip ?? '(none)'}`);
    // Asked before any waiting, so "Connect when ready" needs nobody at the keyboard later.
    const identityFile = await this.keyFor(id, readConnectSettings());
    if (!identityFile) {
      this.log.info(`Connect ${id}: no key chosen; stopped`);
      return;
    }
    if (isTransitional(record.instance.status) || (record.instance.status === 'ready' && !record.instance.ip)) {
      record = await this.waitUntilReady(id);
      if (!record) return;
    }
    if (record.instance.status !== 'ready') {
      this.log.warn(`Connect ${id}: not ready (${record.instance.status})`);
      void vscode.window.showWarningMessage(`Instance ${id} is ${statusLook(record.instance.status).label}; only a ready instance accepts SSH connections.`);
      return;
    }
    const host = await this.prepareHost(record, 'connect', identityFile);
    if (!host) return;

    const provider = remoteSshProvider((extId) => vscode.extensions.getExtension(extId) !== undefined);
    this.log.info(`Connect ${id}: Remote-SSH provider ${provider ?? `none (looked for ${REMOTE_SSH_EXTENSIONS.join(', ')})`}`);
    if (!provider) return this.offerRemoteSshFallback(host);

    if (!(await this.probePort(host))) return;
    if (!(await this.checkHostKey(host))) return;

    const uriText = remoteFolderUri(host.alias, host.settings.user);
    const forceNewWindow = host.settings.openIn === 'newWindow';
    this.log.info(`Connect ${id}: opening ${uriText} (${forceNewWindow ? 'new window' : 'this window'}) with ${provider}`);
    await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.parse(uriText), { forceNewWindow });
    this.log.info(`Connect ${id}: vscode.openFolder returned`);
  }

  async openSshTerminal(arg: unknown): Promise<void> {
    const record = await this.pickRecord(arg, 'Open SSH in a terminal to which instance?', (r) => !!r.instance.ip);
    if (!record) return;
    const host = await this.prepareHost(record, 'terminal');
    if (!host) return;
    await this.terminal(host, true);
  }

  async copySshCommand(arg: unknown): Promise<void> {
    const record = await this.pickRecord(arg, 'Copy the SSH command of which instance?', (r) => !!r.instance.ip);
    if (!record) return;
    const { id } = record.instance;
    const host = await this.prepareHost(record, 'copy');
    if (!host) return;
    const command = sshCommandLine(host.alias, this.configForSsh(host));
    await vscode.env.clipboard.writeText(command);
    this.log.info(`Copy SSH Command ${id}: ${command}`);
    void vscode.window.showInformationMessage(`Copied "${command}".`);
  }

  async copyIp(arg: unknown): Promise<void> {
    const record = await this.pickRecord(arg, 'Copy the IP address of which instance?', (r) => !!r.instance.ip);
    if (!record) return;
    const { id } = record.instance;
    const ip = record.instance.ip;
    if (!ip) {
      void vscode.window.showWarningMessage(`Instance ${id} has no IP address yet.`);
      return;
    }
    await vscode.env.clipboard.writeText(ip);
    this.log.info(`Copy IP ${id}: ${ip}`);
    void vscode.window.showInformationMessage(`Copied ${ip}.`);
  }

  async forgetHostKey(arg: unknown): Promise<void> {
    const id = await this.pickInstance(arg, 'Forget the remembered host key of which instance?', (r) => !!r.instance.ip);
    if (!id) return;
    const ip = this.deps.controller.model.get(id)?.instance.ip;
    if (!ip) {
      void vscode.window.showWarningMessage(`Instance ${id} has no IP address.`);
      return;
    }
    await this.forget(id, ip, readConnectSettings());
  }

  // ------------------------------------------------------------------------------------------
  // Steps

  /** The instance id from a tree node / id argument, or a quick pick of the listed instances. */
  private async pickInstance(arg: unknown, title: string, eligible: (r: InstanceRecord) => boolean): Promise<string | undefined> {
    if (typeof arg === 'string' && arg) return arg;
    if (arg && typeof arg === 'object' && 'id' in arg && typeof (arg as { id: unknown }).id === 'string') return (arg as { id: string }).id;
    const records = this.deps.controller.model.list().filter(eligible);
    if (records.length === 0) {
      void vscode.window.showInformationMessage('No fal instance to choose from (refresh the Instances view, or create one).');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      records.map((r) => ({
        label: r.instance.id,
        description: [statusLook(r.instance.status).label, r.instance.ip].filter(Boolean).join(' · '),
        detail: r.instance.instance_type,
      })),
      { title, placeHolder: 'Instance', ignoreFocusOut: true },
    );
    return picked?.label;
  }

  /** The listed instance the argument or a quick pick names; undefined (reported) when it is gone. */
  private async pickRecord(arg: unknown, title: string, eligible: (r: InstanceRecord) => boolean): Promise<InstanceRecord | undefined> {
    const id = await this.pickInstance(arg, title, eligible);
    if (!id) return undefined;
    const record = this.deps.controller.model.get(id);
    if (!record) this.gone(id);
    return record;
  }

  private gone(id: string): void {
    this.log.warn(`Instance ${id} is not in the list (deleted?)`);
    void vscode.window.showWarningMessage(`Instance ${id} is no longer listed; it may have been deleted.`);
  }

  /** Polls (through the controller's refresh) until the instance is ready with an IP. */
  private async waitUntilReady(id: string): Promise<InstanceRecord | undefined> {
    const { model } = this.deps.controller;
    this.log.info(`Connect ${id}: waiting until ready`);
    const started = Date.now();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Connect when ready: ${id}`, cancellable: true },
      async (progress, token): Promise<InstanceRecord | 'cancelled' | undefined> => {
        for (;;) {
          if (token.isCancellationRequested) return 'cancelled';
          const record = model.get(id);
          if (!record) return undefined;
          const { status, ip } = record.instance;
          if (status === 'ready' && ip) return record;
          if (status !== 'ready' && !isTransitional(status)) return record;
          const seconds = Math.round((Date.now() - started) / 1000);
          progress.report({ message: `${statusLook(status).label}… (${seconds} s) — will connect when ready` });
          await this.deps.controller.refresh().catch(() => undefined);
          if (token.isCancellationRequested) return 'cancelled';
          const next = model.get(id);
          if (next && next.instance.status === 'ready' && next.instance.ip) continue;
          await new Promise<void>((resolve) => {
            const sub = token.onCancellationRequested(() => finish());
            const timer = setTimeout(() => finish(), 2000);
            function finish() {
              clearTimeout(timer);
              sub.dispose();
              resolve();
            }
          });
        }
      },
    );
    if (result === 'cancelled') {
      this.log.info(`Connect ${id}: waiting cancelled`);
      return undefined;
    }
    if (!result) {
      this.gone(id);
      return undefined;
    }
    this.log.info(`Connect ${id}: now ${result.instance.status} after ${Math.round((Date.now() - started) / 1000)} s`);
    return result;
  }

  /** The instance's key path: remembered, or asked once (a ~/.ssh private key, or Browse…). */
  private async keyFor(id: string, settings: ConnectSettings): Promise<string | undefined> {
    const known = this.deps.keyStore.get(id);
    if (known) {
      if (await access(known).then(() => true, () => false)) return known;
      this.log.warn(`Key file ${known} of ${id} is missing; asking again`);
    }
    const { keys } = await listPublicKeys(settings.paths.sshDir);
    type Item = vscode.QuickPickItem & { path?: string };
    const items: Item[] = keys
      .filter((k) => k.privateKeyPath)
      .map((k) => ({ label: basename(k.privateKeyPath!), description: [k.parsed.type, k.parsed.comment].filter(Boolean).join(' '), detail: k.privateKeyPath, path: k.privateKeyPath }));
    items.push({ label: BROWSE, description: 'another private key file' });
    const picked = await vscode.window.showQuickPick(items, {
      title: `Which private key opens ${id}?`,
      placeHolder: 'The key whose public half this instance was created with (asked once, then remembered)',
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    let path = picked.path;
    if (!path) {
      const chosen = await vscode.window.showOpenDialog({
        title: `Private key for ${id}`,
        defaultUri: vscode.Uri.file(settings.paths.sshDir),
        canSelectFiles: true,
        canSelectFolders: false,
        canSelectMany: false,
        openLabel: 'Use This Key',
      });
      path = chosen?.[0]?.fsPath;
      if (!path) return undefined;
    }
    await this.deps.keyStore.set(id, path);
    this.log.info(`Remembered key file ${path} for ${id}`);
    return path;
  }

  /**
   * Writes the instance's Host block and our Include. Reports and returns undefined when a value
   * is refused or the user cancels; when only the user's config is refused, offers the fallbacks.
   */
  private async prepareHost(record: InstanceRecord, purpose: Purpose, knownKey?: string): Promise<PreparedHost | undefined> {
    const { id } = record.instance;
    const settings = readConnectSettings();
    const checked = checkInstanceIp(record.instance.ip);
    if (!checked.ok) {
      this.log.error(`${id}: refused, the instance ${checked.reason}`);
      void vscode.window.showErrorMessage(`Cannot connect to ${id}: the instance ${checked.reason}.`);
      return undefined;
    }
    let alias: string;
    try {
      alias = hostAlias(id);
    } catch (e) {
      return this.refused(id, e);
    }
    const identityFile = knownKey ?? (await this.keyFor(id, settings));
    if (!identityFile) {
      this.log.info(`${id}: no key chosen; stopped`);
      return undefined;
    }
    const target: HostTarget = { instanceId: id, ip: checked.ip, user: settings.user, port: settings.port, identityFile };
    try {
      const written = await writeHostWithInclude(settings.paths, target, settings.home);
      this.log.info(`${id}: host entry ${alias} ${written.entry} in ${settings.paths.managedConfig} (HostName ${checked.ip}, User ${settings.user}, Port ${settings.port}, IdentityFile ${identityFile})`);
      this.log.info(`${id}: Include in ${settings.paths.userConfig} ${written.include === 'present' ? 'already present' : written.include}`);
      if (!this.resolves(id, written.check, settings.paths.userConfig)) return undefined;
      return { id, alias, ip: checked.ip, settings };
    } catch (e) {
      if (!(e instanceof SshConfigError) || e.code === 'invalid-value' || e.code === 'invalid-path' || e.code === 'io') return this.refused(id, e);
      return this.userConfigRefused(id, e, settings, target, purpose);
    }
  }

  /** Logs ssh -G's verdict on the config just written; false (reported) when ssh could not use it. */
  private resolves(id: string, check: ResolveCheck, configFile: string): boolean {
    const { level, message } = describeResolveCheck(check, configFile);
    this.log[level](`${id}: ${message}`);
    if (level === 'error') void vscode.window.showErrorMessage(`Cannot connect to ${id}: ${message}`);
    return level !== 'error';
  }

  private refused(id: string, e: unknown): undefined {
    const message = e instanceof Error ? e.message : String(e);
    this.log.error(`${id}: host entry refused: ${message}`);
    void vscode.window.showErrorMessage(`Cannot write the SSH host entry of ${id}: ${message}`);
    return undefined;
  }

  /** The user's SSH config is one we must not change: nothing was written; offer the file or a terminal. */
  private async userConfigRefused(id: string, e: SshConfigError, settings: ConnectSettings, target: HostTarget, purpose: Purpose): Promise<PreparedHost | undefined> {
    const file = settings.paths.userConfig;
    const where = e.line ? `${file}, line ${e.line}` : file;
    this.log.error(`${id}: ${where} was not changed: ${e.message}`);
    const message = `Your SSH config ${where} was left untouched: ${e.message}` + (e.message.includes(file) ? '' : ` (${file})`);
    const choice = await vscode.window.showErrorMessage(message, OPEN_FILE, TERMINAL);
    if (choice === OPEN_FILE) {
      const line = Math.max(0, (e.line ?? 1) - 1);
      await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(line, 0, line, 0) });
      return undefined;
    }
    if (choice !== TERMINAL) return undefined;
    try {
      const written = await writeHostOnly(settings.paths, target);
      this.log.info(`${id}: host entry ${written.alias} ${written.entry} in ${settings.paths.managedConfig} (used with ssh -F)`);
      if (!this.resolves(id, written.check, settings.paths.managedConfig)) return undefined;
      const host: PreparedHost = { id, alias: written.alias, ip: target.ip, settings, managedOnly: settings.paths.managedConfig };
      if (purpose === 'terminal') return host; // the caller opens it
      await this.terminal(host, true);
      return undefined;
    } catch (err) {
      return this.refused(id, err);
    }
  }

  private async offerRemoteSshFallback(host: PreparedHost): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      `Opening ${host.id} in a VS Code window needs the Remote - SSH extension, which is not installed. Install it, or open SSH in a terminal instead.`,
      INSTALL,
      TERMINAL,
    );
    this.log.info(`Connect ${host.id}: Remote-SSH missing; chose ${choice ?? 'nothing'}`);
    if (choice === INSTALL) {
      await vscode.commands.executeCommand('workbench.extensions.search', `@id:${REMOTE_SSH_TO_INSTALL}`).then(undefined, () =>
        vscode.commands.executeCommand('extension.open', REMOTE_SSH_TO_INSTALL),
      );
    } else if (choice === TERMINAL) {
      await this.terminal(host, false);
    }
  }

  /** Waits for the SSH port (a few short tries, cancellable). */
  private async probePort(host: PreparedHost): Promise<boolean> {
    const { ip, settings, id } = host;
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Connecting to ${id}`, cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          const sub = token.onCancellationRequested(() => abort.abort(new vscode.CancellationError()));
          try {
            await waitForTcp(ip, settings.port, {
              attempts: 5,
              timeoutMs: 3000,
              delayMs: 2000,
              signal: abort.signal,
              onAttempt: (attempt, attempts) => {
                this.log.info(`Connect ${id}: probing ${ip}:${settings.port} (${attempt}/${attempts})`);
                progress.report({ message: `waiting for SSH on ${ip}:${settings.port} (${attempt}/${attempts})…` });
              },
            });
          } finally {
            sub.dispose();
          }
        },
      );
      this.log.info(`Connect ${id}: ${ip}:${settings.port} accepts TCP connections`);
      return true;
    } catch (e) {
      if (e instanceof vscode.CancellationError) {
        this.log.info(`Connect ${id}: cancelled while probing`);
        return false;
      }
      const message = e instanceof ReachabilityError ? e.message : e instanceof Error ? e.message : String(e);
      this.log.warn(`Connect ${id}: ${message}`);
      const choice = await vscode.window.showErrorMessage(`Cannot reach ${id}: ${message}. A new machine can take a minute more to accept SSH.`, 'Try Again', TERMINAL);
      if (choice === 'Try Again') return this.probePort(host);
      if (choice === TERMINAL) await this.terminal(host, false);
      return false;
    }
  }

  /** true to go on; false when ssh reports a changed host key (after offering to forget it). */
  private async checkHostKey(host: PreparedHost): Promise<boolean> {
    const config = host.managedOnly ?? host.settings.paths.userConfig;
    const verdict = await probeHostKey(config, host.alias);
    this.log.info(`${host.id}: host key check: ${verdict.kind}${verdict.kind === 'unknown' ? ` (${verdict.reason})` : ''}`);
    if (verdict.kind !== 'changed') return true;
    const choice = await vscode.window.showErrorMessage(
      `The host key of ${host.id} (${host.ip}) is not the one remembered for this instance in ${host.settings.paths.knownHosts}. ` +
        'It changes if the machine was reinstalled — but it can also mean the connection is being intercepted. ' +
        'Forget the old key and trust the new one on the next connection?',
      { modal: false },
      FORGET,
    );
    if (choice === FORGET) await this.forget(host.id, host.ip, host.settings);
    return false;
  }

  private async forget(id: string, ip: string, settings: ConnectSettings): Promise<void> {
    // Recorded under the instance's alias (HostKeyAlias); files from before that, under the address.
    const removed = await forgetInstanceHostKeys(settings.paths.knownHosts, { alias: hostAlias(id), ip, port: settings.port });
    this.log.info(`${id}: forgot ${removed} host key line(s) of ${hostAlias(id)} / ${ip}:${settings.port} in ${settings.paths.knownHosts}`);
    void vscode.window.showInformationMessage(
      removed ? `Forgot the old host key of ${id} (${ip}); the next connection trusts the instance's new key.` : `No host key of ${id} (${ip}) was remembered in ${settings.paths.knownHosts}.`,
    );
  }

  /** -F for a terminal's / the clipboard's ssh, when its default config would not see our Include. */
  private configForSsh(host: PreparedHost): string | undefined {
    let passwdHome: string | undefined;
    try {
      passwdHome = userInfo().homedir;
    } catch {
      passwdHome = undefined;
    }
    const sshDefault = passwdHome ? join(passwdHome, '.ssh', 'config') : host.settings.paths.userConfig;
    return terminalConfigFile(host.settings.paths.userConfig, sshDefault, host.managedOnly);
  }

  private async terminal(host: PreparedHost, checkKey: boolean): Promise<void> {
    if (checkKey && !(await this.checkHostKey(host))) return;
    const command = sshCommandLine(host.alias, this.configForSsh(host));
    const terminal = vscode.window.createTerminal({ name: `fal: ${host.id}`, iconPath: new vscode.ThemeIcon('remote') });
    terminal.show();
    terminal.sendText(command);
    this.log.info(`Open SSH in Terminal ${host.id}: ${command}`);
  }
}
