// The Instances tree provider with the real vscode API (TreeItem, ThemeIcon, EventEmitter):
// stable element identity, and change events only for what changed.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ComputeInstance } from '../../src/api';
import { InstancesModel } from '../../src/core/instancesModel';
import type { ForwardEntry } from '../../src/instances/portForwards';
import { InstancesTreeProvider, type TreeNode } from '../../src/views/instancesTreeProvider';
import { PortsTreePart } from '../../src/views/portsTreePart';

const inst = (id: string, status: string, type = 'gpu_1x_h100_sxm5', ip?: string): ComputeInstance =>
  ({ id, instance_type: type, region: 'us-west', status, ...(ip ? { ip } : {}) }) as ComputeInstance;

function setup(groupBy: 'none' | 'status' | 'type' = 'none') {
  let firstSeen: Record<string, number> = {};
  const model = new InstancesModel({ get: () => firstSeen, set: (v) => void (firstSeen = v) });
  const provider = new InstancesTreeProvider(model, { groupBy, sortBy: 'firstSeen', hourlyUsd: {} });
  const events: Array<TreeNode | TreeNode[] | undefined | null> = [];
  provider.onDidChangeTreeData((e) => events.push(e));
  return { model, provider, events };
}

describe('Instances tree provider (real vscode API)', () => {
  it('keeps one element object per instance across refreshes', () => {
    const { model, provider } = setup();
    model.apply([inst('a', 'ready', undefined, '203.0.113.1'), inst('b', 'provisioning')], 1);
    const before = provider.getChildren();
    model.apply([inst('b', 'ready', undefined, '203.0.113.2'), inst('a', 'ready', undefined, '203.0.113.1')], 2);
    const after = provider.getChildren();
    assert.equal(after.length, 2);
    assert.equal(after[0], before[0], 'same object for a');
    assert.equal(after[1], before[1], 'same object for b');
  });

  it('fires an event for just the changed row; none for an identical list; a full one when rows come or go', () => {
    const { model, provider, events } = setup();
    model.apply([inst('a', 'ready', undefined, '203.0.113.1'), inst('b', 'provisioning')], 1);
    events.length = 0;
    model.apply([inst('a', 'ready', undefined, '203.0.113.1'), inst('b', 'provisioning')], 2);
    assert.equal(events.length, 0, 'identical list: no event');
    model.apply([inst('a', 'ready', undefined, '203.0.113.1'), inst('b', 'ready', undefined, '203.0.113.2')], 3);
    assert.equal(events.length, 1);
    assert.deepEqual(events[0], [provider.nodeFor('b')], 'only b');
    model.apply([inst('a', 'ready', undefined, '203.0.113.1')], 4);
    assert.equal(events.at(-1), undefined, 'a removal rebuilds the list');
  });

  it('renders rows with the status icon, colour, id and context value', () => {
    const { model, provider } = setup();
    model.apply([inst('a', 'provisioning', 'gpu_8x_h100_sxm5'), inst('z', 'hibernating')], 1);
    const [a, z] = provider.getChildren().map((n) => provider.getTreeItem(n));
    assert.equal(a?.label, 'a', 'no name: the id is the label (what tells machines apart)');
    assert.equal(a?.description, 'starting · 8x H100', 'the status first, then the type');
    assert.match(a!.accessibilityInformation!.label, /starting \(provisioning\)/, "fal's word for a screen reader");
    assert.equal(a?.id, 'a');
    assert.equal((a?.iconPath as vscode.ThemeIcon).id, 'loading~spin');
    assert.equal(((a?.iconPath as vscode.ThemeIcon).color as vscode.ThemeColor).id, 'charts.yellow');
    assert.equal(a?.contextValue, 'falInstance.transitional');
    assert.equal(z?.contextValue, 'falInstance.unrecognized');
    assert.equal(z?.description, 'hibernating · 1x H100');
  });

  it('a ready row says its type only (its icon says ready); a deleted row says so first; a name is the label', () => {
    const names = new Map<string, string>();
    const listeners: ((ids: readonly string[] | undefined) => void)[] = [];
    const { model } = setup();
    const provider = new InstancesTreeProvider(
      model,
      { groupBy: 'none', sortBy: 'firstSeen', hourlyUsd: {} },
      {
        get: (id) => names.get(id),
        onDidChange: (l) => (listeners.push(l), { dispose: () => undefined }),
      },
    );
    const fired: unknown[] = [];
    provider.onDidChangeTreeData((e) => fired.push(e));
    model.apply([inst('a', 'ready', 'gpu_8x_h100_sxm5'), inst('b', 'ready')], 1);
    const item = (id: string) => provider.getTreeItem(provider.nodeFor(id));
    assert.deepEqual([item('a').label, item('a').description], ['a', '8x H100']);
    names.set('a', 'api');
    fired.length = 0;
    for (const l of listeners) l(['a']);
    assert.deepEqual(fired, [[provider.nodeFor('a')]], 'a rename repaints that row only');
    assert.deepEqual([item('a').label, item('a').description], ['api', '8x H100']);
    assert.match(item('a').accessibilityInformation!.label, /^api, 8x H100 a, ready/);
    model.markDeleting(['b']);
    assert.equal(item('b').description, 'deleting… · 1x H100');
    model.markDeleteStalled(['b']);
    assert.equal(item('b').description, 'still listed · 1x H100');
    assert.equal(item('b').contextValue, 'falInstance.deleteStalled');
  });

  it('moves a row between status groups with a full refresh, keeping group objects', () => {
    const { model, provider, events } = setup('status');
    model.apply([inst('a', 'provisioning'), inst('b', 'ready', undefined, '203.0.113.2')], 1);
    const groups = provider.getChildren();
    assert.deepEqual(
      groups.map((g) => provider.getTreeItem(g).label),
      ['Ready', 'Starting'],
    );
    events.length = 0;
    model.apply([inst('a', 'ready', undefined, '203.0.113.1'), inst('b', 'ready', undefined, '203.0.113.2')], 2);
    assert.deepEqual(events, [undefined]);
    const [ready] = provider.getChildren();
    assert.equal(ready, groups[0], 'the Ready group is the same object');
    assert.deepEqual(
      provider.getChildren(ready).map((n) => (n.kind === 'instance' ? n.id : '')),
      ['a', 'b'],
    );
  });

  it('shows a row fal sent broken as "invalid data from fal" with its id and what was wrong, offering no action (issue 10 items 3, 4)', () => {
    const { model, provider } = setup();
    model.apply([inst('a', 'ready', undefined, '203.0.113.1')], 1, [
      { id: 'b', idUsable: true, problem: 'status: expected string, received null' },
      { id: '..', idUsable: false, problem: 'id cannot be used in a request: it consists only of dots' },
    ]);
    const nodes = provider.getChildren();
    const [, b, dots] = nodes.map((n) => provider.getTreeItem(n));
    assert.equal(b?.label, 'invalid data from fal');
    assert.equal(b?.description, 'b · status: expected string, received null');
    assert.equal((b?.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.equal(b?.contextValue, 'falInstance.invalid');
    assert.equal(dots?.description, '.. · id cannot be used in a request: it consists only of dots');
    assert.equal(dots?.contextValue, 'falInstance.invalid');
    const tooltip = provider.resolveTreeItem(b!, nodes[1]!).tooltip as vscode.MarkdownString;
    // fal's words are escaped in the source (every punctuation mark), so they render as they are.
    assert.match(tooltip.value.replace(/\\(.)/g, '$1'), /status: expected string, received null/);
    assert.match(tooltip.value, /no actions/);
    const ext = vscode.extensions.getExtension('fal-compute-community.fal-compute')!;
    const menus: Array<{ command: string; when?: string }> = ext.packageJSON.contributes.menus['view/item/context'];
    for (const menu of menus) {
      const regex = /viewItem =~ \/(.+)\/$/.exec(menu.when ?? '');
      const offered = regex
        ? new RegExp(regex[1]!).test('falInstance.invalid')
        : (menu.when ?? '').includes('viewItem == falInstance.invalid');
      assert.ok(!offered, `${menu.command} is not offered on an invalid row`);
    }
  });

  it('forwards are children of their row: expanded, `localhost:L → R · name`, falForward; gone with the forward', () => {
    const entries: ForwardEntry[] = [];
    const changed = new vscode.EventEmitter<string>();
    const part = new PortsTreePart({
      list: (id) => entries.filter((e) => e.id === id),
      find: (id, port) => entries.find((e) => e.id === id && e.remotePort === port),
      onDidChange: changed.event,
    });
    let firstSeen: Record<string, number> = {};
    const model = new InstancesModel({ get: () => firstSeen, set: (v) => void (firstSeen = v) });
    const options = { groupBy: 'none' as const, sortBy: 'firstSeen' as const, hourlyUsd: {} };
    const provider = new InstancesTreeProvider(
      model,
      options,
      undefined,
      Date.now,
      undefined,
      undefined,
      undefined,
      undefined,
      part,
    );
    const events: Array<TreeNode | TreeNode[] | undefined | null> = [];
    provider.onDidChangeTreeData((e) => events.push(e));
    model.apply([inst('a', 'ready', undefined, '203.0.113.1')], 1);
    const row = provider.nodeFor('a');
    assert.equal(provider.getTreeItem(row).collapsibleState, vscode.TreeItemCollapsibleState.None);
    entries.push(
      {
        id: 'a',
        remotePort: 6006,
        localPort: 6006,
        host: 'localhost',
        name: 'TensorBoard',
        url: 'http://127.0.0.1:6006/',
      },
      {
        id: 'a',
        remotePort: 8888,
        localPort: 41234,
        wantedPort: 8888,
        host: 'localhost',
        url: 'http://127.0.0.1:41234/',
      },
    );
    changed.fire('a');
    assert.deepEqual(events.at(-1), [row], 'only that row repaints');
    assert.equal(provider.getTreeItem(row).collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    const children = provider.getChildren(row);
    const items = children.map((n) => provider.getTreeItem(n));
    assert.deepEqual(
      items.map((i) => i.label),
      ['localhost:6006 → 6006 · TensorBoard', 'localhost:41234 → 8888'],
    );
    assert.ok(items.every((i) => i.contextValue === 'falForward'));
    assert.match(String(items[1]!.tooltip), /Local port 8888 was in use here, so 41234 was taken instead\./);
    assert.equal(provider.getParent(children[0]!), row);
    assert.deepEqual(provider.getChildren(children[0]!), []);
    entries.length = 0;
    changed.fire('a');
    assert.deepEqual(provider.getChildren(row), []);
    assert.equal(provider.getTreeItem(row).collapsibleState, vscode.TreeItemCollapsibleState.None);
  });
});
