// "fal: Open Port…": a port of a ready machine at a local port (127.0.0.1 only), over the instance's
// one SSH connection, opened in the browser. The pick lists what listens on the machine (ss -ltn,
// asked now, over a borrow of that connection) by name where known, and "Other port…"; a machine
// without ss, or whose ss failed, is said in the prompt of the port box. A port already forwarded
// is opened again. Jupyter opens with its own token.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { errorText } from '../base/errorText';
import type { CommandConnection } from '../connections/commandTransport';
import type { InstancesModel } from '../core/instancesModel';
import { labelText } from '../core/markdownText';
import { statusLook } from '../core/status';
import type { InstanceKeyStore } from '../instances/instanceKeyStore';
import type { NameLookup } from '../instances/instanceNames';
import { PortsError, type ForwardEntry, type PortChoice, type PortForwards } from '../instances/portForwards';
import { showInformationMessage } from '../notifications';
import { knownPortName, parsePort, type JupyterServer, type ListeningPort } from '../ports';
import { chooseKey } from '../remote/hostPreparation';
import { pickInstance } from './instancePicker';
import { CommandError } from './registerCommand';

export interface PortCommandDeps {
  readonly model: InstancesModel;
  readonly keyStore: InstanceKeyStore;
  readonly names: NameLookup;
  readonly forwards: PortForwards;
  readonly log: vscode.LogOutputChannel;
}

/** Jupyter's default port: a port any Jupyter server listens on is called by the name of this one. */
const JUPYTER_PORT = 8888;

type PortItem = vscode.QuickPickItem & { choice?: PortChoice };

export async function openPortCommand(deps: PortCommandDeps, arg: unknown): Promise<void> {
  const ready = (r: { instance: { status: string } }) => statusLook(r.instance.status).kind === 'ready';
  const record = await pickInstance(deps.model, arg, l10n.t('Open a port of which instance?'), ready, deps.names);
  if (!record) return;
  const id = record.instance.id;
  const identityFile = await chooseKey(deps, id);
  if (!identityFile) return;
  const name = deps.names.get(id) ?? id;
  const connection = await worded(() => deps.forwards.borrow(id, identityFile));
  let entry: ForwardEntry;
  try {
    const choice = await pickPort(deps, id, name, connection);
    if (!choice) return;
    entry = await worded(() => deps.forwards.open(id, identityFile, choice));
  } finally {
    await connection.close(); // the forward holds its own borrow
  }
  if (entry.wantedPort !== undefined)
    void showInformationMessage(
      l10n.t`Port ${entry.wantedPort} is in use on this computer: port ${entry.remotePort} of ${name} is at localhost:${entry.localPort} instead.`,
    );
  const opened = await vscode.env.openExternal(vscode.Uri.parse(entry.url, true));
  deps.log.info(`${id}: opened http://127.0.0.1:${entry.localPort}/${opened ? '' : ' (the browser did not open)'}`);
}

/** The port to forward: picked among those listening, or typed. Undefined when the user stopped. */
async function pickPort(
  deps: PortCommandDeps,
  id: string,
  name: string,
  connection: CommandConnection,
): Promise<PortChoice | undefined> {
  let why: string | undefined;
  // "Other port…" says why it is the only choice: no ss on the machine, or it failed.
  const otherItem = (): PortItem => ({
    label: l10n.t('Other port…'),
    alwaysShow: true,
    ...(why && { detail: labelText(l10n.t`Its listening ports are unknown: ${why}`) }),
  });
  const items = async (): Promise<PortItem[]> => {
    try {
      const { listening, jupyter } = await deps.forwards.listening(connection);
      if (listening.kind !== 'ports') why = listening.message;
      const ports = listening.kind === 'ports' ? listening.ports : [];
      return [...ports.map((p) => portItem(deps, id, p, jupyter)), otherItem()];
    } catch (e) {
      why = errorText(e);
      return [otherItem()];
    }
  };
  // The pick opens at once and is busy while the machine answers (ss runs now, never in the background).
  const picked = await vscode.window.showQuickPick(items(), {
    title: l10n.t`Open a port of ${name}`,
    placeHolder: l10n.t('A port the machine listens on, or another'),
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.choice) return picked.choice;
  const typed = await vscode.window.showInputBox({
    title: l10n.t`Open a port of ${name}`,
    prompt: why ? l10n.t`Its listening ports are unknown (${why}). Type the port.` : l10n.t('The port on the machine'),
    placeHolder: '6006',
    ignoreFocusOut: true,
    validateInput: (text) =>
      parsePort(text) === undefined ? l10n.t('A port is a number from 1 to 65535.') : undefined,
  });
  const port = typed === undefined ? undefined : parsePort(typed);
  if (port === undefined) return undefined;
  const known = knownPortName(port);
  return { remotePort: port, host: 'localhost', ...(known && { name: known }) };
}

function portItem(deps: PortCommandDeps, id: string, p: ListeningPort, jupyter: JupyterServer[]): PortItem {
  const server = jupyter.find((j) => j.port === p.port);
  const name = server ? knownPortName(JUPYTER_PORT) : knownPortName(p.port);
  const host = p.onLoopback ? 'localhost' : (p.addresses[0] ?? 'localhost').replace(/%.*$/, '').replace(/^\[|\]$/g, '');
  const forwarded = deps.forwards.find(id, p.port);
  return {
    label: String(p.port),
    description: labelText(
      [name, forwarded && l10n.t`forwarded to localhost:${forwarded.localPort}`].filter(Boolean).join(' · '),
    ),
    // The addresses come from the machine: shown as text, never as icons.
    detail: labelText(l10n.t`listening on ${p.addresses.join(', ')}`),
    choice: { remotePort: p.port, host, ...(name && { name }), ...(server && { jupyter: server }) },
  };
}

async function worded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw e instanceof PortsError ? new CommandError(e.message) : e;
  }
}
