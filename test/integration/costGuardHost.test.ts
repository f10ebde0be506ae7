// The cost guard's VS Code side in the real extension host (issue 13), against the emulator started
// in this very process: an auto-delete's delete is a fresh GET first (refused when the instance is
// gone or changed) and then the Delete command's own path (one DELETE, the row removed, the key
// mapping forgotten, the end in the spend ledger); and CostMonitor tells the GPU sampler to watch
// exactly the instances auto-delete could take.
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { FalComputeClient, type ComputeInstance } from '../../src/api';
import type { FalSession } from '../../src/auth/falSession';
import { InstancesModel } from '../../src/core/instancesModel';
import {
  DEFAULT_COST_GUARD_SETTINGS,
  DeleteRefused,
  Ownership,
  SpendLedger,
  type CostGuardSettings,
  type DeleteGate,
  type ResultsSaver,
} from '../../src/cost';
import type { GpuSampler } from '../../src/gpu';
import { costGuardHost } from '../../src/instances/costGuardHost';
import { CostMonitor } from '../../src/instances/costMonitor';
import { InstanceDeleter } from '../../src/instances/instanceDeleter';
import { Watching } from '../../src/instances/watching';
import type { InstanceKeyStore } from '../../src/instances/instanceKeyStore';
import type { InstancesController } from '../../src/instances/instancesController';
import type { CostSettings } from '../../src/settings';
import { CostNotices } from '../../src/views/costNotices';
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../emulator';
import { StoredState } from '../../src/core/storedState';

class Memory {
  private readonly data = new Map<string, unknown>();
  keys = () => [...this.data.keys()];
  get<T>(key: string, d?: T): T {
    return (this.data.has(key) ? structuredClone(this.data.get(key)) : d) as T;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.data.set(key, structuredClone(value));
  }
}

const lines: string[] = [];
const log = {
  info: (l: string) => lines.push(l),
  warn: (l: string) => lines.push(l),
  error: (l: string) => lines.push(l),
} as unknown as vscode.LogOutputChannel;

function world(instances: ComputeInstance[], client?: FalComputeClient) {
  const state = new Memory();
  const model = new InstancesModel({ get: () => ({}), set: () => undefined });
  model.apply(instances, Date.now());
  const ownership = new Ownership(new StoredState(state));
  const ledger = new SpendLedger(new StoredState(state), (id) => ownership.createdHere(id));
  ledger.observe(model.list(), Date.now());
  const forgotten: string[] = [];
  const watching: string[] = [];
  const controller = {
    model,
    scheduler: { beginOperation: () => () => undefined, requestFull: async () => undefined },
    deletions: { watch: (ids: string[]) => void watching.push(...ids) },
  } as unknown as InstancesController;
  const keyStore = { delete: async (id: string) => void forgotten.push(id) } as unknown as InstanceKeyStore;
  const deleter = new InstanceDeleter(controller, keyStore, log, (id, at, saved) =>
    ledger.recordDeleted(id, at, saved),
  );
  const session = { requireClient: async () => client } as unknown as FalSession;
  const watched: string[][] = [];
  const sampler = {
    setWatched: (ids: Iterable<string>) => void watched.push([...ids]),
    idleSince: () => undefined,
    onDidChangeIdle: () => ({ dispose: () => undefined }),
  } as unknown as GpuSampler;
  return { state, model, ownership, ledger, forgotten, deleter, session, sampler, idle: sampler, watched, watching };
}

describe('cost guard host and monitor (extension host)', () => {
  let fal: FalEmulator;
  let client: FalComputeClient;
  const seed = { id: 'inst_guarded', instance_type: 'gpu_1x_h100_sxm5', status: 'ready', ip: '203.0.113.7' } as const;

  beforeEach(async () => {
    fal = await FalEmulator.start({ seed: [seed] });
    client = new FalComputeClient({
      apiKey: DEFAULT_EMULATOR_KEY,
      baseUrl: fal.baseUrl,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
  });
  afterEach(() => fal.close());

  /** A gate with no reason against the delete, counting how often the delete path asked it. */
  const open = () => {
    const asked = { check: 0, beforeSend: 0 };
    const gate: DeleteGate = { check: () => void asked.check++, beforeSend: () => void asked.beforeSend++ };
    return { gate, asked };
  };
  const host = (w: ReturnType<typeof world>) =>
    costGuardHost({
      model: w.model,
      session: w.session,
      sampler: w.sampler,
      deleter: w.deleter,
      notices: new CostNotices(log),
      log,
    });

  it("deletes after a fresh GET, through the Delete command's path: one DELETE, the row deleting until fal stops listing it, key forgotten, end in the ledger", async () => {
    const w = world((await client.listInstances()).instances, client);
    const { gate, asked } = open();
    await host(w).deleteInstance('inst_guarded', gate);
    assert.deepEqual(fal.requests.map((r) => `${r.method} ${r.path}`).slice(-2), [
      'GET /v1/compute/instances/inst_guarded',
      'DELETE /v1/compute/instances/inst_guarded',
    ]);
    assert.deepEqual(
      asked,
      { check: 3, beforeSend: 1 },
      'asked before the client, before the GET, after it, and right before the request',
    );
    assert.equal(w.model.get('inst_guarded')?.deleting, true, 'the row says "deleting…" until fal stops listing it');
    assert.deepEqual(w.watching, ['inst_guarded']);
    assert.deepEqual(w.forgotten, ['inst_guarded']);
    assert.equal(w.ledger.entries()[0]!.endKnown, true);
    assert.equal(w.ledger.entries()[0]!.resultsSaved, undefined, 'no note: not marked "results saved"');
    assert.ok(lines.includes('Deleted inst_guarded (auto-delete)'));
  });

  it('the ResultsSaver given reaches the guard; an auto-delete whose results were saved first is marked so in the spend ledger', async () => {
    const w = world((await client.listInstances()).instances, client);
    const results: ResultsSaver = {
      configured: () => true,
      save: async () => ({ kind: 'saved', fetched: 0, upToDate: 0 }),
    };
    assert.equal(costGuardHost({ ...w, notices: new CostNotices(log), log, results }).results, results);
    assert.equal(host(w).results, undefined, 'none given: nothing to bring home');
    await host(w).deleteInstance('inst_guarded', open().gate, { resultsSaved: true });
    assert.equal(w.ledger.entries()[0]!.resultsSaved, true);
    assert.ok(lines.includes('Deleted inst_guarded (auto-delete) (results saved first)'));
  });

  it('refuses, sending no DELETE, when fal now says the instance is not ready, has another address, or is gone', async () => {
    const w = world((await client.listInstances()).instances, client);
    fal.updateInstance('inst_guarded', { status: 'provisioning' });
    await assert.rejects(
      host(w).deleteInstance('inst_guarded', open().gate),
      /fal now says it is provisioning, not ready/,
    );
    fal.updateInstance('inst_guarded', { status: 'ready', ip: '203.0.113.99' });
    await assert.rejects(host(w).deleteInstance('inst_guarded', open().gate), /another address or type/);
    await client.deleteInstance('inst_guarded');
    fal.clearRequests();
    await assert.rejects(host(w).deleteInstance('inst_guarded', open().gate), /already gone \(404\)/);
    assert.deepEqual(
      fal.requests.map((r) => r.method),
      ['GET'],
      'only the fresh look',
    );
    assert.ok(w.model.get('inst_guarded'), 'the row stays until the list says otherwise');
  });

  it('the gate asked right before the DELETE stops it: nothing sent, the row no longer "deleting…", the refusal logged, not an error', async () => {
    const w = world((await client.listInstances()).instances, client);
    fal.clearRequests();
    const gate: DeleteGate = {
      check: () => undefined,
      beforeSend: () => {
        // Marking the row stops its GPU sampling, and with it the idle state this check reads.
        assert.equal(w.model.get('inst_guarded')?.deleting, false, 'asked before the row is marked "deleting…"');
        throw new DeleteRefused('it is protected from auto-delete');
      },
    };
    await assert.rejects(
      host(w).deleteInstance('inst_guarded', gate),
      (e: unknown) => e instanceof DeleteRefused && /protected/.test(e.message),
    );
    assert.deepEqual(
      fal.requests.map((r) => r.method),
      ['GET'],
      'the fresh look, and no DELETE',
    );
    assert.equal(w.model.get('inst_guarded')?.deleting, false);
    assert.deepEqual(w.forgotten, []);
    assert.ok(lines.includes('Not deleting inst_guarded (auto-delete): it is protected from auto-delete'));
  });

  it("the auto-delete's DELETE is sent once: a 503 is the outcome, not retried (its checks could not be repeated)", async () => {
    const w = world((await client.listInstances()).instances, client);
    fal.clearRequests();
    fal.addFault({ route: 'delete', kind: 'status', status: 503, times: 3 });
    await assert.rejects(host(w).deleteInstance('inst_guarded', open().gate), /503/);
    assert.deepEqual(
      fal.requests.map((r) => r.method),
      ['GET', 'DELETE'],
    );
    assert.equal(w.model.get('inst_guarded')?.deleting, false);
  });

  it('the watch: nothing while auto-delete is off; on, the ready instances created here and not protected (others only with autoDeleteOthers)', async () => {
    const inst = (id: string, status = 'ready'): ComputeInstance =>
      ({ id, instance_type: 'gpu_1x_h100_sxm5', region: 'us-west', status, ip: '203.0.113.8' }) as ComputeInstance;
    const w = world([inst('mine'), inst('mine-starting', 'provisioning'), inst('theirs'), inst('mine-protected')]);
    for (const id of ['mine', 'mine-starting', 'mine-protected'])
      w.ownership.recordCreate({ id, creator_user_nickname: undefined }, 1);
    const settings = (guard: Partial<CostGuardSettings>): CostSettings => ({
      guard: { ...DEFAULT_COST_GUARD_SETTINGS, ...guard },
      monthlyBudgetUsd: undefined,
      creatorNickname: '',
      leaseDefaultHours: 0,
    });
    const monitor = new CostMonitor({
      ...w,
      // A focused window (the watch does not depend on it).
      watching: new Watching({
        state: { focused: true, active: true },
        onDidChangeWindowState: () => ({ dispose() {} }),
      }),
      state: new StoredState(w.state),
      settings: settings({}),
      sampleSeconds: () => 10,
      log,
      nameOf: () => undefined,
      notices: new CostNotices(log),
    });
    try {
      assert.deepEqual(w.watched.at(-1), []);
      monitor.guard.setProtected('mine-protected', true);
      monitor.updateSettings(settings({ autoDelete: true }));
      assert.deepEqual(w.watched.at(-1), ['mine']);
      assert.ok(
        lines.includes(
          'Auto-delete watch: mine (one GPU sample every 60 s each while the view is hidden or the window unfocused)',
        ),
      );
      monitor.updateSettings(settings({ autoDelete: true, autoDeleteOthers: true }));
      assert.deepEqual(w.watched.at(-1), ['mine', 'theirs']);
      monitor.guard.setProtected('theirs', true);
      assert.deepEqual(w.watched.at(-1), ['mine']);
      monitor.updateSettings(settings({ autoDelete: false }));
      assert.deepEqual(w.watched.at(-1), []);
    } finally {
      monitor.dispose();
    }
    assert.deepEqual(w.watched.at(-1), [], 'disposed: nothing watched');
  });
});
