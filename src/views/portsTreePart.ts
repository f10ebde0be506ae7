// The forwards of an instance as children of its row (fal: Open Port…): `localhost:6006 → 6006 ·
// TensorBoard`, with Stop Forwarding inline and in the context menu (contextValue `falForward`).
// They vanish with the forward: stopped, the connection dropped, the instance gone.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { labelText } from '../core/markdownText';
import type { ForwardEntry, PortForwards } from '../instances/portForwards';

export type PortNode = { readonly kind: 'port'; readonly id: string; readonly remotePort: number };

export class PortsTreePart {
  private readonly nodes = new Map<string, PortNode>();

  constructor(
    private readonly forwards: Pick<PortForwards, 'list' | 'find' | 'onDidChange'> &
      Partial<Pick<PortForwards, 'onDidOpen'>>,
  ) {}

  /** Fires with the id of the instance whose forwards changed: its row repaints. */
  onDidChange(listener: (id: string) => void): vscode.Disposable {
    return this.forwards.onDidChange(listener);
  }

  /** Fires with the row of each new forward: the view reveals it (a row that had no children opens collapsed). */
  onDidOpen(listener: (node: PortNode) => void): vscode.Disposable {
    return (
      this.forwards.onDidOpen?.((entry) => listener(this.node(entry.id, entry.remotePort))) ??
      new vscode.Disposable(() => undefined)
    );
  }

  has(id: string): boolean {
    return this.forwards.list(id).length > 0;
  }

  children(id: string): PortNode[] {
    const live = this.forwards.list(id);
    for (const [key, node] of this.nodes)
      if (node.id === id && !live.some((f) => f.remotePort === node.remotePort)) this.nodes.delete(key);
    return live.map((f) => this.node(id, f.remotePort));
  }

  treeItem(node: PortNode): vscode.TreeItem {
    const entry = this.forwards.find(node.id, node.remotePort);
    if (!entry) return new vscode.TreeItem(l10n.t('(gone)'));
    const item = new vscode.TreeItem(labelText(forwardLabel(entry)), vscode.TreeItemCollapsibleState.None);
    item.id = `${node.id}/port:${node.remotePort}`;
    item.iconPath = new vscode.ThemeIcon('plug');
    item.contextValue = 'falForward';
    item.tooltip = forwardTooltip(entry);
    item.accessibilityInformation = {
      label: l10n.t`Port ${entry.remotePort} of the machine forwarded to localhost:${entry.localPort}`,
    };
    return item;
  }

  private node(id: string, remotePort: number): PortNode {
    const key = `${id}/${remotePort}`;
    let node = this.nodes.get(key);
    if (!node) {
      node = { kind: 'port', id, remotePort };
      this.nodes.set(key, node);
    }
    return node;
  }
}

/** `localhost:6006 → 6006 · TensorBoard` (the name only when known). */
export function forwardLabel(entry: ForwardEntry): string {
  const base = `localhost:${entry.localPort} → ${entry.remotePort}`;
  return entry.name ? `${base} · ${entry.name}` : base;
}

function forwardTooltip(entry: ForwardEntry): string {
  const lines = [
    l10n.t`Port ${entry.remotePort} of the machine at http://127.0.0.1:${entry.localPort}, over its SSH connection.`,
    l10n.t('Listening on 127.0.0.1 only: not reachable from your network.'),
  ];
  if (entry.wantedPort !== undefined)
    lines.push(l10n.t`Local port ${entry.wantedPort} was in use here, so ${entry.localPort} was taken instead.`);
  return lines.join('\n');
}
