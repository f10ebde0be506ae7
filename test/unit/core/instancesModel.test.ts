import assert from 'node:assert/strict';
import { instanceIdProblem, type ComputeInstance, type InvalidInstanceRow } from '../../../src/api';
import { InstancesModel, type ModelChange } from '../../../src/core/instancesModel';

const inst = (id: string, status = 'ready', extra: Partial<ComputeInstance> = {}): ComputeInstance =>
  ({ id, instance_type: 'gpu_1x_h100_sxm5', region: 'us-west', status, ...extra }) as ComputeInstance;

function setup(initial: Record<string, number> = {}) {
  let stored = initial;
  const model = new InstancesModel({ get: () => stored, set: (v) => void (stored = v) });
  const changes: ModelChange[] = [];
  model.onDidChange((c) => changes.push(c));
  return { model, changes, stored: () => stored };
}

describe('InstancesModel', () => {
  it('keeps first-seen order stable whatever order the API lists in', () => {
    const { model } = setup();
    model.apply([inst('b'), inst('a')], 1000);
    model.apply([inst('c'), inst('a'), inst('b')], 2000);
    assert.deepEqual(
      model.list().map((r) => r.instance.id),
      ['b', 'a', 'c'],
      'first list in API order, newcomers after',
    );
    assert.equal(model.get('c')?.firstSeenAt, 2000);
    assert.equal(model.get('b')?.firstSeenAt, 1000);
  });

  it('reports only the rows that changed, and structure changes separately', () => {
    const { model, changes } = setup();
    model.apply([inst('a', 'provisioning'), inst('b')], 1);
    changes.length = 0;
    model.apply([inst('a', 'provisioning'), inst('b')], 2);
    assert.equal(changes.length, 0, 'an identical list fires nothing');
    model.apply([inst('a', 'ready', { ip: '203.0.113.9' }), inst('b')], 3);
    assert.deepEqual(changes, [{ changed: ['a'], structural: false }]);
    model.apply([inst('a', 'ready', { ip: '203.0.113.9' })], 4);
    assert.equal(changes.at(-1)?.structural, true);
  });

  it('keeps the same record object for unchanged rows', () => {
    const { model } = setup();
    model.apply([inst('a')], 1);
    const before = model.get('a');
    model.apply([inst('a')], 2);
    assert.equal(model.get('a'), before);
  });

  it('remembers first-seen times across restarts and forgets instances that are gone', () => {
    const first = setup();
    first.model.apply([inst('a'), inst('b')], 500);
    const second = setup(first.stored());
    second.model.apply([inst('a')], 9000);
    assert.equal(second.model.get('a')?.firstSeenAt, 500);
    assert.deepEqual(second.stored(), { a: 500 });
  });

  it('keeps the last list on error and marks rows being deleted', () => {
    const { model, changes } = setup();
    model.apply([inst('a'), inst('b')], 1);
    model.fail('fal had a server error', 'server', 2);
    assert.equal(model.state.kind, 'error');
    assert.equal(model.list().length, 2);
    changes.length = 0;
    model.markDeleting(['a']);
    assert.deepEqual(changes, [{ changed: ['a'], structural: false }]);
    assert.equal(model.get('a')?.deleting, true);
    model.apply([inst('a'), inst('b')], 3);
    assert.equal(model.get('a')?.deleting, true, 'still deleting while the API lists it');
    model.remove(['a']);
    assert.equal(model.get('a'), undefined);
  });

  it('signOut clears everything', () => {
    const { model } = setup();
    model.apply([inst('a')], 1);
    model.signOut();
    assert.equal(model.state.kind, 'signedOut');
    assert.deepEqual(model.list(), []);
  });

  it('keeps rows fal sent broken as invalid records: listed, keyed by their id when usable, never by an id a request would accept otherwise (item 3)', () => {
    const { model, changes } = setup();
    const broken: InvalidInstanceRow[] = [
      { id: 'b', idUsable: true, problem: 'status: expected string, received null' },
      { id: '..', idUsable: false, problem: 'id ".." cannot be used in a request' },
      { id: undefined, idUsable: false, problem: 'id: expected string, received undefined' },
    ];
    model.apply([inst('a')], 1000, broken);
    const rows = model.list();
    assert.deepEqual(
      rows.map((r) => [r.instance.id, r.invalid?.shownId, r.invalid?.problem]),
      [
        ['a', undefined, undefined],
        ['b', 'b', 'status: expected string, received null'],
        ['(invalid row 2)', '..', 'id ".." cannot be used in a request'],
        ['(invalid row 3)', undefined, 'id: expected string, received undefined'],
      ],
    );
    for (const key of ['(invalid row 2)', '(invalid row 3)'])
      assert.ok(instanceIdProblem(key), `${key} can never reach a URL`);
    const firstSeen = model.get('b')!.firstSeenAt;
    changes.length = 0;
    model.apply([inst('a')], 2000, broken);
    assert.equal(changes.length, 0, 'the same broken rows again: nothing to repaint');
    model.apply([inst('a'), inst('b')], 3000);
    assert.equal(model.get('b')?.invalid, undefined, 'fixed by fal: an ordinary row again');
    assert.equal(model.get('b')?.firstSeenAt, firstSeen, 'with its first-seen time (and so its cost estimate) kept');
    assert.deepEqual(changes.at(-1), { changed: ['b'], structural: true });
  });
});

describe('InstancesModel subscribers', () => {
  it('a subscriber that throws stops neither the subscribers after it nor the tree', () => {
    const { model, changes } = setup();
    model.onDidChange(() => {
      throw new Error('a broken subscriber');
    });
    const tree: ModelChange[] = [];
    model.onDidChange((c) => tree.push(c));
    assert.doesNotThrow(() => model.apply([inst('a')], 1));
    assert.deepEqual(
      tree,
      [{ changed: [], structural: true }],
      'the subscriber after the throwing one (the tree) still heard of the new row',
    );
    assert.equal(changes.length, 1);
  });
});
