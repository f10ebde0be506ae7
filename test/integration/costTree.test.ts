// The cost guard's part of the Instances tree with the real vscode API (issue 13): the lock of a
// protected row and its context value (Protect / Unprotect menus), the Mine filter and the
// grouping by creator with your own group marked "(you)".
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ComputeInstance } from '../../src/api';
import { InstancesModel } from '../../src/core/instancesModel';
import { Emitter } from '../../src/base/emitter';
import { LeaseBook, Ownership } from '../../src/cost';
import { CostTreePart } from '../../src/views/costTreePart';
import { MineFilter } from '../../src/views/mineFilter';
import { InstancesTreeProvider, type TreeNode } from '../../src/views/instancesTreeProvider';
import { StoredState } from '../../src/core/storedState';

const inst = (id: string, creator?: string): ComputeInstance =>
  ({
    id,
    instance_type: 'gpu_1x_h100_sxm5',
    region: 'us-west',
    status: 'ready',
    ip: '203.0.113.9',
    ...(creator ? { creator_user_nickname: creator } : {}),
  }) as ComputeInstance;

class Memory implements vscode.Memento {
  private readonly data = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.data.keys()];
  }
  get<T>(key: string, defaultValue?: T): T {
    return (this.data.has(key) ? this.data.get(key) : defaultValue) as T;
  }
  update(key: string, value: unknown): Thenable<void> {
    this.data.set(key, value);
    return Promise.resolve();
  }
}

function setup(groupBy: 'none' | 'creator' = 'none', nickname = '') {
  let firstSeen: Record<string, number> = {};
  const model = new InstancesModel({ get: () => firstSeen, set: (v) => void (firstSeen = v) });
  const state = new Memory();
  const ownership = new Ownership(new StoredState(state));
  const protectedIds = new Set<string>();
  const protection = new Emitter<string>();
  const guard = {
    isProtected: (id: string) => protectedIds.has(id),
    onDidChangeProtection: protection.event,
    leases: new LeaseBook(new StoredState(state)),
  };
  const mine = new MineFilter(new StoredState(state));
  const cost = new CostTreePart(guard, ownership, () => nickname, mine);
  const provider = new InstancesTreeProvider(
    model,
    { groupBy, sortBy: 'firstSeen', hourlyUsd: {} },
    undefined,
    Date.now,
    undefined,
    cost,
  );
  const events: Array<TreeNode | TreeNode[] | undefined | null> = [];
  provider.onDidChangeTreeData((e) => events.push(e));
  const protect = (id: string) => {
    protectedIds.add(id);
    protection.fire(id);
  };
  const ids = () =>
    provider.getChildren().map((n) => (n.kind === 'instance' ? n.id : n.kind === 'group' ? n.label : ''));
  return { model, ownership, cost, mine, provider, events, protect, ids, state, leases: guard.leases };
}

/** The row context menu as contributed, and the viewItem pattern of each command's entry. */
function rowMenu() {
  const pkg = vscode.extensions.getExtension('fal-compute-community.fal-compute')!.packageJSON as {
    contributes: { menus: Record<string, { command: string; when: string; group?: string }[]> };
  };
  const menu = pkg.contributes.menus['view/item/context']!;
  const re = (command: string) =>
    new RegExp(/viewItem =~ \/(.+)\/$/.exec(menu.find((m) => m.command === command)!.when)![1]!);
  return { menu, re };
}

describe('Instances tree: protection, Mine filter, creator groups (real vscode API)', () => {
  it('a protected row shows a lock in its status colour, says so to screen readers, and its context value offers Unprotect', () => {
    const t = setup();
    t.model.apply([inst('a'), inst('b')], 1);
    t.provider.getChildren(); // rendered once, as VS Code does
    t.protect('a');
    assert.deepEqual(t.events.at(-1), [t.provider.nodeFor('a')], 'only that row repaints');
    const [a, b] = t.provider.getChildren().map((n) => t.provider.getTreeItem(n));
    const icon = a!.iconPath as vscode.ThemeIcon;
    assert.equal(icon.id, 'lock');
    assert.equal((icon.color as vscode.ThemeColor).id, 'testing.iconPassed');
    assert.equal(a!.contextValue, 'falInstance.ready.protected');
    assert.match(a!.accessibilityInformation!.label, /ready, protected from auto-delete/);
    assert.equal((b!.iconPath as vscode.ThemeIcon).id, 'vm-running');
    assert.equal(b!.contextValue, 'falInstance.ready');
  });

  it('the menus: Protect on unprotected live rows, Unprotect on protected ones, and the old entries still on both', () => {
    const { re } = rowMenu();
    assert.ok(re('fal.protect').test('falInstance.ready') && !re('fal.protect').test('falInstance.ready.protected'));
    assert.ok(
      re('fal.unprotect').test('falInstance.ready.protected') && !re('fal.unprotect').test('falInstance.ready'),
    );
    for (const command of ['fal.connect', 'fal.deleteInstance', 'fal.copyIp', 'fal.openSshTerminal']) {
      assert.ok(re(command).test('falInstance.ready') && re(command).test('falInstance.ready.protected'), command);
    }
  });

  it('a row with a lease says "deletes at <time>" before its type, repaints when the lease changes, and offers Extend and Keep', () => {
    const t = setup();
    t.model.apply([inst('a'), inst('b')], 1);
    t.provider.getChildren();
    const end = Date.now() + 2 * 3_600_000;
    t.leases.set('a', end);
    assert.deepEqual(t.events.at(-1), [t.provider.nodeFor('a')], 'only that row repaints');
    const [a, b] = t.provider.getChildren().map((n) => t.provider.getTreeItem(n));
    const at = new Date(end).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    assert.match(String(a!.description), new RegExp(`^deletes at (\\w+ )?${at} · 1x H100$`));
    assert.equal(a!.contextValue, 'falInstance.ready.lease');
    assert.match(a!.accessibilityInformation!.label, /, deletes at /);
    assert.equal(b!.contextValue, 'falInstance.ready');
    t.protect('a');
    const waiting = t.provider.getTreeItem(t.provider.nodeFor('a'));
    assert.equal(waiting.description, 'lease waits (protected) · 1x H100');
    assert.equal(waiting.contextValue, 'falInstance.ready.protected.lease');
    const tip = t.provider.resolveTreeItem(waiting, t.provider.nodeFor('a')).tooltip as vscode.MarkdownString;
    assert.match(
      tip.value,
      /\| Lease \| \$\(lock\) ends at .*never deleted by its lease\. Kept by VS Code, not by the machine/,
    );
  });

  it('the lease menus: Extend and Keep on rows with a lease only; every other entry still on them', () => {
    const { menu, re } = rowMenu();
    for (const command of ['fal.lease.extend', 'fal.lease.keep']) {
      assert.ok(re(command).test('falInstance.ready.lease') && re(command).test('falInstance.ready.protected.lease'));
      assert.ok(!re(command).test('falInstance.ready') && !re(command).test('falInstance.ready.protected'), command);
    }
    assert.ok(
      re('fal.protect').test('falInstance.ready.lease') && !re('fal.protect').test('falInstance.ready.protected.lease'),
    );
    assert.ok(re('fal.unprotect').test('falInstance.ready.protected.lease'));
    for (const m of menu.filter(
      (m) =>
        /viewItem =~ \/\^falInstance/.test(m.when) &&
        !m.command.startsWith('fal.lease') &&
        !m.command.includes('protect'),
    ))
      assert.equal(re(m.command).test('falInstance.ready.lease'), re(m.command).test('falInstance.ready'), m.command);
  });

  it('every suffix combination (.protected, .lease, .setup) keeps a row its menu and adds only the entries of that suffix', () => {
    // Exhaustive over the context values instanceTreeItem.ts builds: a menu regex that forgets one suffix
    // hides its command on such rows (Protect went missing on rows with a setup run once).
    const { menu, re } = rowMenu();
    const rowCommands = menu.filter((m) => /viewItem =~ \/\^falInstance/.test(m.when)).map((m) => m.command);
    const shown = (value: string) => rowCommands.filter((c) => re(c).test(value)).sort();
    const own = (prefix: string) => rowCommands.filter((c) => c.startsWith(prefix));
    for (const kind of ['ready', 'transitional', 'stopped', 'unknown', 'unrecognized'])
      for (const isProtected of [false, true])
        for (const lease of [false, true])
          for (const setup of kind === 'ready' ? [false, true] : [false]) {
            const value = `falInstance.${kind}${isProtected ? '.protected' : ''}${lease ? '.lease' : ''}${setup ? '.setup' : ''}`;
            const base = shown(`falInstance.${kind}`).filter((c) => c !== 'fal.protect');
            const protection = isProtected
              ? ['fal.unprotect']
              : shown(`falInstance.${kind}`).filter((c) => c === 'fal.protect');
            const expected = [
              ...base,
              ...protection,
              ...(lease ? own('fal.lease.') : []),
              ...(setup ? ['fal.showSetupLog', 'fal.runSetupAgain'] : []),
            ].sort();
            assert.deepEqual(shown(value), expected, value);
            assert.equal(shown(value).includes('fal.openPort'), kind === 'ready', `Open Port… on ${value}`);
          }
    // A forward's row (portsTreePart.ts) has Stop Forwarding and no instance entry; no instance row has it.
    const forward = menu.filter((m) => /viewItem == falForward\b/.test(m.when));
    assert.deepEqual(forward.map((m) => `${m.command} ${m.group}`).sort(), [
      'fal.stopForwarding 1_forward@1',
      'fal.stopForwarding inline',
    ]);
    assert.deepEqual(
      rowCommands.filter((c) => re(c).test('falForward')),
      [],
    );
  });

  it('Mine: instances created here or under your nickname (learned or set); the choice is remembered', async () => {
    const t = setup('none', 'me-set');
    t.ownership.recordCreate({ id: 'made-here', creator_user_nickname: 'alice' }, 1);
    t.model.apply(
      [
        inst('made-here', 'alice'),
        inst('alice-elsewhere', 'alice'),
        inst('set-nick', 'me-set'),
        inst('teammate', 'bob'),
        inst('anon'),
      ],
      1,
    );
    assert.deepEqual(t.ids(), ['made-here', 'alice-elsewhere', 'set-nick', 'teammate', 'anon']);
    await t.mine.set(true);
    assert.equal(t.events.at(-1), undefined, 'the whole tree relays out');
    assert.deepEqual(t.ids(), ['made-here', 'alice-elsewhere', 'set-nick']);
    assert.equal(t.provider.hiddenByFilter, 2);
    assert.equal(t.state.get('fal.instances.mineOnly'), true);
    await t.mine.set(false);
    assert.deepEqual(t.ids(), ['made-here', 'alice-elsewhere', 'set-nick', 'teammate', 'anon']);
  });

  it('group by creator: named creators alphabetically, yours marked "(you)", the unknown creator last', () => {
    const t = setup('creator');
    t.ownership.recordCreate({ id: 'x', creator_user_nickname: 'zed' }, 1);
    t.model.apply([inst('x', 'zed'), inst('y', 'bob'), inst('z'), inst('w', 'zed')], 1);
    const groups = t.provider.getChildren();
    assert.deepEqual(
      groups.map((g) => (g.kind === 'group' ? `${g.label}: ${g.ids.join(',')}` : '')),
      ['bob: y', 'zed (you): x,w', 'unknown creator: z'],
    );
    const item = t.provider.getTreeItem(groups[1]!);
    assert.equal(item.description, '2');
  });
});
