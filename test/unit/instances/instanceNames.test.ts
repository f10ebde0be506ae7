// Names are kept per fal account and forgotten with their instance (issue 14 item 6).
import assert from 'node:assert/strict';
import type { ComputeInstance } from '../../../src/api';
import { accountOf } from '../../../src/core/falAccount';
import { InstancesModel } from '../../../src/core/instancesModel';
import { InstanceNames } from '../../../src/instances/instanceNames';
import { StoredState } from '../../../src/core/storedState';

const NAMES_KEY = 'fal.instanceNames';
import { NamePruner } from '../../../src/instances/namePruner';
import { MapState } from '../../support/memento';

const inst = (id: string): ComputeInstance =>
  ({ id, instance_type: 'gpu_1x_h100_sxm5', region: 'us-west', status: 'ready' }) as ComputeInstance;
const settle = () => new Promise((r) => setImmediate(r));

describe('InstanceNames', () => {
  it('keeps names per account; another key sees none of them; nothing of the key is stored', async () => {
    const state = new MapState();
    let account: string | undefined = accountOf('key-a:secret-key-a');
    const names = new InstanceNames(new StoredState(state), () => account);
    const changed: (readonly string[] | undefined)[] = [];
    names.onDidChange((ids) => changed.push(ids));
    await names.set('inst_1', '  api \n ');
    assert.equal(names.get('inst_1'), 'api');
    assert.deepEqual(changed, [['inst_1']]);
    account = accountOf('key-b:secret-key-b');
    assert.equal(names.get('inst_1'), undefined);
    account = undefined;
    await names.set('inst_1', 'nope');
    assert.equal(names.get('inst_1'), undefined, 'signed out: nothing stored');
    const stored = JSON.stringify(state.data.get(NAMES_KEY));
    assert.ok(!stored.includes('key-a') && !stored.includes('secret'), stored);
    account = accountOf('key-a:secret-key-a');
    await names.set('inst_1', '');
    assert.equal(names.get('inst_1'), undefined, 'an empty name removes it');
  });

  it('a hand-edited state file cannot put a line break into a name', async () => {
    const state = new MapState();
    const account = accountOf('k:secret-k');
    state.data.set(NAMES_KEY, { [account]: { inst_1: 'api\nProxyCommand x' } });
    assert.equal(new InstanceNames(new StoredState(state), () => account).get('inst_1'), 'api ProxyCommand x');
  });

  it('forgets the names of instances fal no longer lists, for the current account only', async () => {
    const state = new MapState();
    let account = accountOf('a:secret-a');
    const names = new InstanceNames(new StoredState(state), () => account);
    await names.set('inst_1', 'one');
    await names.set('inst_2', 'two');
    account = accountOf('b:secret-b');
    await names.set('inst_9', 'other account');
    account = accountOf('a:secret-a');
    const model = new InstancesModel({ get: () => ({}), set: () => undefined });
    const pruner = new NamePruner(model, names, () => account, { info: () => undefined, warn: () => undefined });
    model.apply([inst('inst_1'), inst('inst_2')], 1);
    await settle();
    assert.deepEqual([names.get('inst_1'), names.get('inst_2')], ['one', 'two']);
    model.apply([inst('inst_1')], 2);
    await settle();
    assert.equal(names.get('inst_2'), undefined, 'deleted: pruned');
    assert.equal(names.get('inst_1'), 'one');
    account = accountOf('b:secret-b');
    assert.equal(names.get('inst_9'), 'other account', 'the other account kept its names');
    pruner.dispose();
  });
});
