// The Delete command with results first (issue 19 item 5), in the real extension host against the
// emulator: the modal's buttons (Download Results, Then Delete first, then Delete) only when results
// paths are set and the machine is ready, the save before the one DELETE, a failed download that
// keeps the machine and says so (no DELETE sent), and the spend ledger's "results saved" mark.
// The modal and the warning are vscode.window's, replaced here (notifications.ts looks them up per call).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FalComputeClient, type ComputeInstance } from '../../src/api';
import type { FalSession } from '../../src/auth/falSession';
import { deleteInstances } from '../../src/commands/deleteInstances';
import { InstancesModel } from '../../src/core/instancesModel';
import { StoredState } from '../../src/core/storedState';
import { SpendLedger, type ResultsSaveOutcome, type ResultsSaver } from '../../src/cost';
import { InstanceDeleter } from '../../src/instances/instanceDeleter';
import type { InstanceKeyStore } from '../../src/instances/instanceKeyStore';
import type { InstancesController } from '../../src/instances/instancesController';
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../emulator';
import { MapState } from '../support/memento';

const log = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
} as unknown as vscode.LogOutputChannel;
const READY = { instance_type: 'gpu_1x_h100_sxm5', status: 'ready', ip: '203.0.113.7' } as const;

interface Shown {
  message: string;
  modal: boolean;
  detail?: string;
  items: string[];
}

describe('Delete: download results, then delete (extension host)', () => {
  let fal: FalEmulator;
  let client: FalComputeClient;
  const original = vscode.window.showWarningMessage;
  let shown: Shown[];
  let choose: (items: string[]) => string | undefined;

  beforeEach(async () => {
    fal = await FalEmulator.start({
      seed: [
        { id: 'inst_a', ...READY },
        { id: 'inst_b', ...READY, ip: '203.0.113.8' },
        { id: 'inst_p', instance_type: 'gpu_1x_h100_sxm5', status: 'provisioning' },
      ],
    });
    client = new FalComputeClient({
      apiKey: DEFAULT_EMULATOR_KEY,
      baseUrl: fal.baseUrl,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    shown = [];
    choose = (items) => items[0];
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = (
      message: string,
      ...rest: (string | vscode.MessageOptions)[]
    ) => {
      const options = typeof rest[0] === 'object' ? rest[0] : undefined;
      const items = rest.filter((r): r is string => typeof r === 'string');
      shown.push({
        message,
        modal: options?.modal === true,
        ...(options?.detail ? { detail: options.detail } : {}),
        items,
      });
      return Promise.resolve(options?.modal ? choose(items) : undefined);
    };
  });
  afterEach(async () => {
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = original;
    await fal.close();
  });

  async function world(outcomes: Record<string, ResultsSaveOutcome>, configured = true) {
    const model = new InstancesModel({ get: () => ({}), set: () => undefined });
    model.apply((await client.listInstances()).instances as ComputeInstance[], Date.now());
    const ledger = new SpendLedger(new StoredState(new MapState()), () => true);
    ledger.observe(model.list(), Date.now());
    const controller = {
      model,
      session: { requireClient: async () => client } as unknown as FalSession,
      scheduler: { beginOperation: () => () => undefined, requestFull: async () => undefined },
      deletions: { watch: () => undefined },
    } as unknown as InstancesController;
    const keyStore = { delete: async () => undefined } as unknown as InstanceKeyStore;
    const deleter = new InstanceDeleter(controller, keyStore, log, (id, at, saved) =>
      ledger.recordDeleted(id, at, saved),
    );
    const saves: string[] = [];
    const results: ResultsSaver = {
      configured: () => configured,
      save: async (id) => {
        saves.push(id);
        return outcomes[id] ?? { kind: 'saved', fetched: 1, upToDate: 0 };
      },
    };
    fal.clearRequests();
    const run = (...ids: string[]) =>
      deleteInstances(
        { controller, deleter, log, results },
        { kind: 'instance', id: ids[0] },
        ids.map((id) => ({ kind: 'instance', id })),
      );
    const deletes = () => fal.requests.filter((r) => r.method === 'DELETE').map((r) => r.path.split('/').at(-1));
    const saved = (id: string) => ledger.entries().find((e) => e.id === id)?.resultsSaved === true;
    return { run, saves, deletes, saved };
  }

  it('a ready machine: Download Results, Then Delete is the first (default) button; the results come home, then one DELETE, marked in the ledger', async () => {
    const w = await world({});
    await w.run('inst_a');
    assert.deepEqual(shown[0]!.items, ['Download Results, Then Delete', 'Delete']);
    assert.equal(shown[0]!.modal, true);
    assert.match(
      shown[0]!.detail!,
      /downloads its results \(fal\.results\.paths\) first and deletes it only if they all arrive/,
    );
    assert.deepEqual(w.saves, ['inst_a']);
    assert.deepEqual(w.deletes(), ['inst_a']);
    assert.equal(w.saved('inst_a'), true);
    assert.equal(shown.length, 1, 'nothing more to say');
  });

  it('a failed download keeps the machine: no DELETE, a warning (no button) that says why and that it is left running', async () => {
    const w = await world({ inst_a: { kind: 'failed', reason: 'the machine did not answer' } });
    await w.run('inst_a');
    assert.deepEqual(w.deletes(), []);
    assert.deepEqual(shown[1], {
      message:
        '1x H100 inst_a (203.0.113.7) was not deleted: its results could not be downloaded (the machine did not answer), so the machine is left running.',
      modal: false,
      items: [],
    });
    assert.equal(
      (await client.listInstances()).instances.some((i) => i.id === 'inst_a'),
      true,
    );
  });

  it('several: each downloaded, only those whose results came home deleted (one DELETE each), the not-ready one deleted as the modal said', async () => {
    const w = await world({ inst_b: { kind: 'failed', reason: 'outputs/x.pt is newer here' } });
    await w.run('inst_a', 'inst_b', 'inst_p');
    assert.match(shown[0]!.detail!, /Not ready, so there is nothing to download; deleted either way: 1x H100 inst_p\./);
    assert.deepEqual(w.saves, ['inst_a', 'inst_b']);
    assert.deepEqual(w.deletes().sort(), ['inst_a', 'inst_p']);
    assert.equal(w.saved('inst_a'), true);
    assert.equal(w.saved('inst_p'), false);
    assert.match(
      shown[1]!.message,
      /^1x H100 inst_b \(203\.0\.113\.8\) was not deleted: its results could not be downloaded \(outputs\/x\.pt is newer here\), so the machine is left running\. Deleted: /,
    );
  });

  it('Delete (the second button) deletes without downloading; a machine not ready, or no results paths, gets the old modal', async () => {
    const w = await world({});
    choose = (items) => items[1];
    await w.run('inst_a');
    assert.deepEqual([w.saves, w.deletes(), w.saved('inst_a')], [[], ['inst_a'], false]);
    choose = (items) => items[0];
    await w.run('inst_p');
    assert.deepEqual(shown[1]!.items, ['Delete']);
    assert.doesNotMatch(shown[1]!.detail!, /Download/);
    const off = await world({}, false);
    await off.run('inst_b');
    assert.deepEqual([shown[2]!.items, off.saves, off.deletes()], [['Delete'], [], ['inst_b']]);
  });
});
