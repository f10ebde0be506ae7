// Global state is a file anything may have written: every key reads back what this version wrote,
// and any other value reads as the key's default, logged once per key, never thrown.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { STORED_KEYS, type StoredKey } from '../../../src/core/storedKeys';
import { StoredState, type MementoLike } from '../../../src/core/storedState';

/** A globalState stand-in that round-trips through JSON, as VS Code's does. */
class JsonMemento implements MementoLike {
  readonly data = new Map<string, string>();
  get<T>(key: string, defaultValue: T): T {
    const raw = this.data.get(key);
    return raw === undefined ? defaultValue : (JSON.parse(raw) as T);
  }
  update(key: string, value: unknown): void {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, JSON.stringify(value));
  }
}

const KEYS = Object.keys(STORED_KEYS) as StoredKey[];

describe('stored state (src/core/storedState.ts)', () => {
  it('any JSON under any key reads as a value of its schema or as its default, never throws', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KEYS), fc.jsonValue(), (key, value) => {
        const memento = new JsonMemento();
        memento.update(key, value);
        const lines: string[] = [];
        const read = new StoredState(memento, (line) => lines.push(line)).get(key);
        const { schema, fallback } = STORED_KEYS[key];
        if (schema.safeParse(JSON.parse(JSON.stringify(value))).success) assert.equal(lines.length, 0);
        else {
          assert.deepEqual(read, fallback);
          assert.equal(lines.length, 1);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a value of the wrong shape is logged once per key, not on every read, and again only after a write', async () => {
    const memento = new JsonMemento();
    memento.update('fal.instanceKeys', ['an', 'older', 'shape']);
    memento.update('fal.instances.mineOnly', 'yes');
    const lines: string[] = [];
    const stored = new StoredState(memento, (line) => lines.push(line));
    for (let i = 0; i < 5; i++) {
      assert.deepEqual(stored.get('fal.instanceKeys'), {});
      assert.equal(stored.get('fal.instances.mineOnly'), false);
    }
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^The stored fal\.instanceKeys does not have the shape/);
    await stored.update('fal.instanceKeys', { inst_1: '/k/id' });
    assert.deepEqual(stored.get('fal.instanceKeys'), { inst_1: '/k/id' });
    memento.update('fal.instanceKeys', 7);
    stored.get('fal.instanceKeys');
    assert.equal(lines.length, 3);
  });

  it('an absent key reads as its default without a word; a throwing store too, with one', () => {
    const lines: string[] = [];
    assert.equal(new StoredState(new JsonMemento(), (l) => lines.push(l)).get('fal.milestone.connected'), false);
    assert.equal(lines.length, 0);
    const broken: MementoLike = {
      get: () => {
        throw new Error('disk');
      },
      update: () => undefined,
    };
    assert.equal(new StoredState(broken, (l) => lines.push(l)).get('fal.create.lastInstanceType'), undefined);
    assert.equal(lines.length, 1);
  });

  it('a stored object is parsed once until it is replaced (a Memento returns the same object until a write)', async () => {
    const data = new Map<string, unknown>();
    const memento: MementoLike = {
      get: <T>(k: string, d: T) => (data.has(k) ? (data.get(k) as T) : d),
      update: (k, v) => void data.set(k, v),
    };
    const lines: string[] = [];
    const state = new StoredState(memento, (line) => lines.push(line));
    await state.update('fal.instanceKeys', { inst_a: '/k/a' });
    const first = state.get('fal.instanceKeys');
    assert.equal(
      state.get('fal.instanceKeys'),
      first,
      'the same stored object: the value read before, not a new parse',
    );
    await state.update('fal.instanceKeys', { inst_a: '/k/a', inst_b: '/k/b' });
    assert.deepEqual(state.get('fal.instanceKeys'), { inst_a: '/k/a', inst_b: '/k/b' }, 'a write is read at once');
    data.set('fal.instanceKeys', { inst_a: 42 }); // another program replaces the object with a bad one
    assert.deepEqual(
      state.get('fal.instanceKeys'),
      {},
      'a replaced object is parsed again: the bad value reads as the default',
    );
    assert.equal(lines.length, 1);
  });

  it('reads back a pending create as it was written', async () => {
    const stored = new StoredState(new JsonMemento());
    const pending = {
      idempotencyKey: 'k',
      input: { instanceType: 'gpu_8x_h100_sxm5', sshKey: 'ssh-ed25519 AAAA', sector: 'sector_2' },
      name: 'n',
      startedAt: 5,
    } as const;
    await stored.update('fal.pendingCreates', { k: pending });
    assert.deepEqual(stored.get('fal.pendingCreates'), { k: pending });
  });
});
