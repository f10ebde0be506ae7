// Create and delete inside the real extension host: the commands and their menus, and the
// pending-create reconciliation (what activation runs after a reload) against the emulator started
// in this very host process.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FalComputeClient } from '../../src/api';
import { PendingCreates, reconcilePendingCreates, REPLAY_WINDOW_MS } from '../../src/instances/pendingCreates';
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../emulator';
import { StoredState } from '../../src/core/storedState';

const EXTENSION_ID = 'fal-compute-community.fal-compute';
const PUB = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDzXvkl1Yq0sQpW1m3FZ4a3VbQO1kB4M2cqv7rP6o3Lh host@test';

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}

/** A globalState stand-in with Memento's get/update (the extension passes context.globalState). */
class MemoryState {
  private readonly data = new Map<string, unknown>();
  get<T>(key: string, d: T): T {
    return (this.data.has(key) ? structuredClone(this.data.get(key)) : d) as T;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.data.set(key, structuredClone(value));
  }
}

describe('create and delete (in the extension host)', () => {
  let pkg: { contributes: Record<string, any> };

  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    pkg = ext.packageJSON;
  });

  it('registers fal.createInstance and fal.deleteInstance with the titles of the issue', async () => {
    const registered = await vscode.commands.getCommands(true);
    assert.ok(registered.includes('fal.createInstance'));
    assert.ok(registered.includes('fal.deleteInstance'));
    const commands: { command: string; title: string; category: string; icon?: string }[] = pkg.contributes.commands;
    const create = commands.find((c) => c.command === 'fal.createInstance');
    const del = commands.find((c) => c.command === 'fal.deleteInstance');
    assert.deepEqual([create?.category, create?.title, create?.icon], ['fal', 'Create H100 Instance', '$(add)']);
    assert.deepEqual([del?.category, del?.title], ['fal', 'Delete Instance…']);
  });

  it('"+" in the Instances title, "Create H100 Instance" in the empty welcome view', () => {
    const title: MenuEntry[] = pkg.contributes.menus['view/title'];
    const plus = title.find((m) => m.command === 'fal.createInstance');
    assert.ok(plus?.when?.includes('view == falCompute.instances'));
    assert.match(plus?.group ?? '', /^navigation/);
    const welcome: { when: string; contents: string }[] = pkg.contributes.viewsWelcome;
    const empty = welcome.find((w) => w.when === 'fal.viewState == empty');
    assert.match(empty?.contents ?? '', /\[Create H100 Instance\]\(command:fal\.createInstance\)/);
  });

  it('"Delete Instance…" is on every instance row except one being deleted', () => {
    const items: MenuEntry[] = pkg.contributes.menus['view/item/context'];
    const entry = items.find((m) => m.command === 'fal.deleteInstance');
    const match = /viewItem =~ \/(.+)\/$/.exec(entry?.when ?? '');
    assert.ok(match, entry?.when);
    const re = new RegExp(match[1]!);
    for (const state of ['ready', 'transitional', 'stopped', 'unknown', 'unrecognized'])
      assert.ok(re.test(`falInstance.${state}`), state);
    assert.ok(!re.test('falInstance.deleting'));
    assert.ok(!re.test('falGroup'));
  });

  describe('pending-create reconciliation against the emulator', () => {
    let fal: FalEmulator;
    let client: FalComputeClient;
    beforeEach(async () => {
      fal = await FalEmulator.start({ timeline: { provisioningMs: 100 } });
      client = new FalComputeClient({
        apiKey: DEFAULT_EMULATOR_KEY,
        baseUrl: fal.baseUrl,
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
      });
    });
    afterEach(() => fal.close());

    it('a create saved before a reload is replayed with the same key through drop-after-commit: exactly one instance', async () => {
      const state = new MemoryState();
      const store = new PendingCreates(new StoredState(state));
      const pending = {
        idempotencyKey: 'c0ffee00-0000-4000-8000-000000000001',
        input: { instanceType: 'gpu_1x_h100_sxm5' as const, sshKey: PUB },
        privateKeyPath: '/k/fal_ed25519',
        startedAt: Date.now() - 30_000,
      };
      await store.save(pending);
      // The reloaded window's first replay is committed by fal but its answer is lost; the client replays again.
      fal.addFault({ route: 'create', kind: 'drop-after-commit' });
      const keys = new Map<string, string>();
      const outcomes = await reconcilePendingCreates({
        pending: store,
        client,
        rememberKey: async (id, p) => void keys.set(id, p),
      });
      assert.deepEqual(
        outcomes.map((o) => o.kind),
        ['created'],
      );
      assert.equal(fal.instances().length, 1, 'exactly one instance');
      const posts = fal.requests.filter((r) => r.method === 'POST');
      assert.equal(posts.length, 2);
      assert.ok(posts.every((r) => r.idempotencyKey === pending.idempotencyKey));
      assert.deepEqual(posts[1]!.body, { instance_type: 'gpu_1x_h100_sxm5', ssh_key: PUB });
      assert.equal(keys.get(fal.instances()[0]!.id), '/k/fal_ed25519');
      assert.deepEqual(store.list(), []);
      // A second activation has nothing left to replay.
      assert.deepEqual(
        await reconcilePendingCreates({ pending: store, client, rememberKey: async () => undefined }),
        [],
      );
      assert.equal(fal.instances().length, 1);
    });

    it('a pending create older than 9 minutes is dropped and nothing is sent', async () => {
      const store = new PendingCreates(new StoredState(new MemoryState()));
      await store.save({
        idempotencyKey: 'old',
        input: { instanceType: 'gpu_1x_h100_sxm5', sshKey: PUB },
        startedAt: Date.now() - REPLAY_WINDOW_MS - 1000,
      });
      const outcomes = await reconcilePendingCreates({ pending: store, client, rememberKey: async () => undefined });
      assert.deepEqual(
        outcomes.map((o) => o.kind),
        ['expired'],
      );
      assert.equal(fal.requests.length, 0);
    });
  });
});
