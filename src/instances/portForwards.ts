// The forwards of every instance (fal: Open Port…): one PortForward per machine port, each holding
// one borrow of the instance's connection from the one owner (src/connections). A forward ends when
// the user stops it, when its connection drops, or when its instance is no longer ready or listed;
// each end is one log line and a repaint of the row, never a notification. What listens on the
// machine is asked only when the user opens the pick (listening()), never in the background.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { errorText } from '../base/errorText';
import type { CommandConnection, CommandTransport } from '../connections/commandTransport';
import type { InstancesModel } from '../core/instancesModel';
import { sshAddressOf } from '../core/sshAddress';
import {
  JUPYTER_COMMAND,
  jupyterPath,
  LISTENING_COMMAND,
  listeningOf,
  LOOPBACK,
  parseJupyterServers,
  PortForward,
  type JupyterServer,
  type Listening,
} from '../ports';
import type { Settings } from '../settings';
import type { NameLookup } from './instanceNames';

export interface PortForwardsDeps {
  readonly model: InstancesModel;
  readonly connections: CommandTransport;
  readonly settings: () => Settings;
  readonly names: NameLookup;
  readonly log: vscode.LogOutputChannel;
}

/** What the user picked to forward. */
export interface PortChoice {
  readonly remotePort: number;
  /** Where the machine connects ('localhost' unless the port listens on another address only). */
  readonly host: string;
  /** TensorBoard, Jupyter…: the tool's name, when known. */
  readonly name?: string;
  /** The Jupyter server on that port, whose token opens it. */
  readonly jupyter?: JupyterServer;
}

/** One open forward as the tree and the commands see it. */
export interface ForwardEntry extends PortChoice {
  readonly id: string;
  readonly localPort: number;
  /** The local port asked for (the machine's) when it was taken here. */
  readonly wantedPort?: number;
  /** What opens it: http://127.0.0.1:<local><path>. */
  readonly url: string;
}

/** A forward that could not start, in words the user can act on. */
export class PortsError extends Error {
  override readonly name = 'PortsError';
}

export class PortForwards implements vscode.Disposable {
  private readonly forwards = new Map<string, Map<number, { entry: ForwardEntry; forward: PortForward }>>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the id of an instance whose forwards changed. */
  readonly onDidChange = this.changed.event;
  private readonly opened = new vscode.EventEmitter<ForwardEntry>();
  /** Fires with each new forward (the view reveals its row). */
  readonly onDidOpen = this.opened.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly deps: PortForwardsDeps) {
    const sub = deps.model.onDidChange(() => this.pruneGone());
    this.subscription = new vscode.Disposable(() => sub.dispose());
  }

  list(id: string): ForwardEntry[] {
    return [...(this.forwards.get(id)?.values() ?? [])].map((f) => f.entry).sort((a, b) => a.remotePort - b.remotePort);
  }

  find(id: string, remotePort: number): ForwardEntry | undefined {
    return this.forwards.get(id)?.get(remotePort)?.entry;
  }

  /** A borrow of the instance's connection (the command's, for the listing); give it back with close(). */
  async borrow(id: string, identityFile: string): Promise<CommandConnection> {
    const target = this.targetOf(id, identityFile);
    return this.deps.connections.connect(target, { acceptNewHostKey: true }).catch((e: unknown) => {
      throw new PortsError(l10n.t`Could not reach ${this.nameOf(id)}: ${errorText(e)}`);
    });
  }

  /** What listens on the machine and its Jupyter servers, asked over `connection` now (two sessions). */
  async listening(connection: CommandConnection): Promise<{ listening: Listening; jupyter: JupyterServer[] }> {
    const [ss, jupyter] = await Promise.all([
      connection.run(LISTENING_COMMAND, 15_000),
      connection.run(JUPYTER_COMMAND, 15_000).then(
        (r) => parseJupyterServers(r.stdout),
        () => [],
      ),
    ]);
    return { listening: listeningOf(ss), jupyter };
  }

  /** Forwards the port, or finds its forward when it is forwarded already. Rejects with PortsError. */
  async open(id: string, identityFile: string, choice: PortChoice): Promise<ForwardEntry> {
    const existing = this.find(id, choice.remotePort);
    if (existing) return existing;
    const connection = await this.borrow(id, identityFile);
    let forward: PortForward;
    try {
      forward = await PortForward.open({
        connection,
        remotePort: choice.remotePort,
        remoteHost: choice.host,
        log: (line) => this.deps.log.warn(`${id}: ${line}`),
      });
    } catch (e) {
      throw new PortsError(errorText(e)); // the forward gave the borrow back
    }
    const again = this.find(id, choice.remotePort); // two picks raced: keep the first
    if (again) {
      await forward.stop();
      return again;
    }
    const path = choice.jupyter ? jupyterPath(choice.jupyter) : '/';
    const entry: ForwardEntry = {
      ...choice,
      id,
      localPort: forward.localPort,
      ...(forward.wantedPort !== undefined && { wantedPort: forward.wantedPort }),
      url: `http://${LOOPBACK}:${forward.localPort}${path}`,
    };
    const forInstance = this.forwards.get(id) ?? new Map();
    forInstance.set(choice.remotePort, { entry, forward });
    this.forwards.set(id, forInstance);
    forward.onDidClose((reason) => this.ended(entry, reason));
    this.deps.log.info(
      `${id}: forwarding ${LOOPBACK}:${entry.localPort} → ${choice.host}:${choice.remotePort}${entry.wantedPort ? ` (local port ${entry.wantedPort} is in use here)` : ''}`,
    );
    this.changed.fire(id);
    this.opened.fire(entry);
    return entry;
  }

  /** Stops one forward (Stop Forwarding). */
  async stop(id: string, remotePort: number): Promise<void> {
    await this.forwards.get(id)?.get(remotePort)?.forward.stop();
  }

  dispose(): void {
    this.subscription.dispose();
    for (const forInstance of this.forwards.values()) for (const f of forInstance.values()) void f.forward.stop();
    this.changed.dispose();
    this.opened.dispose();
  }

  private ended(entry: ForwardEntry, reason: string | undefined): void {
    const forInstance = this.forwards.get(entry.id);
    if (forInstance?.get(entry.remotePort)?.entry !== entry) return;
    forInstance.delete(entry.remotePort);
    if (forInstance.size === 0) this.forwards.delete(entry.id);
    // l10n-exempt: log line only
    const how = reason === undefined ? 'stopped' : `closed: ${reason}`;
    this.deps.log.info(`${entry.id}: forward ${LOOPBACK}:${entry.localPort} → ${entry.remotePort} ${how}`);
    this.changed.fire(entry.id);
  }

  /** Forwards of instances no longer listed, being deleted or not ready end with them (one log line each instance). */
  private pruneGone(): void {
    for (const [id, forInstance] of [...this.forwards]) {
      if (sshAddressOf(this.deps.model.get(id))) continue;
      this.forwards.delete(id);
      for (const f of forInstance.values()) void f.forward.stop();
      this.deps.log.info(`${id}: no longer ready or listed; its ${forInstance.size} forward(s) stopped`);
      this.changed.fire(id);
    }
  }

  private targetOf(id: string, identityFile: string) {
    const ip = sshAddressOf(this.deps.model.get(id));
    if (!ip)
      throw new PortsError(l10n.t`${this.nameOf(id)} is not ready: a forward needs a running machine with an address.`);
    const ssh = this.deps.settings().ssh;
    return { id, ip, port: ssh.port, user: ssh.user, identityFile };
  }

  private nameOf(id: string): string {
    return this.deps.names.get(id) ?? id;
  }
}
