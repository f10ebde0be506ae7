// The pruners' shared rule of what is gone: generated sequences of lists, failed lists, things
// remembered meanwhile and account switches, against what a user would expect of their host
// entries, key files and names.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GoneTracker } from '../../../src/core/goneTracker';

const ID: fc.Arbitrary<string> = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
const EVENT = fc.oneof(
  fc.record({ kind: fc.constant('list' as const), ids: fc.uniqueArray(ID) }),
  fc.record({ kind: fc.constant('failed' as const) }),
  fc.record({ kind: fc.constant('remember' as const), id: ID }),
  fc.record({ kind: fc.constant('reset' as const) }),
);

describe('core/GoneTracker', () => {
  it('never prunes what is listed, prunes each vanished id once at the list that lacks it, nothing before a first list, and keeps what no list has shown', () => {
    fc.assert(
      fc.property(fc.uniqueArray(ID), fc.array(EVENT, { maxLength: 30 }), (leftovers, events) => {
        const tracker = new GoneTracker();
        const store = new Set(leftovers);
        let listedSinceReset: Set<string> | undefined; // undefined: no successful list yet
        /** Remembered after the last first list without having been listed since: an instance created while a list was in flight. */
        const unsettled = new Set<string>();
        for (const event of events) {
          if (event.kind === 'failed') continue; // a failed list never reaches the tracker
          if (event.kind === 'reset') {
            tracker.reset();
            listedSinceReset = undefined;
            unsettled.clear();
            continue;
          }
          if (event.kind === 'remember') {
            if (!store.has(event.id) && listedSinceReset !== undefined && !listedSinceReset.has(event.id))
              unsettled.add(event.id);
            store.add(event.id);
            continue;
          }
          const listed = new Set(event.ids);
          const before = new Set(store);
          const rule = tracker.list(event.ids);
          assert.equal(
            rule.firstList,
            listedSinceReset === undefined,
            'failed lists do not count: the first successful one is',
          );
          const gone = rule.gone([...store, ...store]);
          assert.equal(new Set(gone).size, gone.length, 'each once');
          for (const id of gone) {
            assert.ok(!listed.has(id), `${id} is listed`);
            assert.ok(before.has(id), `${id} was not remembered`);
            assert.ok(!unsettled.has(id), `${id} was never listed since it was remembered`);
            store.delete(id);
          }
          // Whatever vanished is pruned now, not later: on a first list everything unlisted, else what an earlier list had.
          const vanished = [...before].filter(
            (id) => !listed.has(id) && (listedSinceReset === undefined || listedSinceReset.has(id)),
          );
          assert.deepEqual(gone.sort(), vanished.sort());
          listedSinceReset = new Set([...(listedSinceReset ?? []), ...listed]);
          for (const id of listed) unsettled.delete(id);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a prune queued behind another judges by its own list, and one that fails does not stop the next', async () => {
    const tracker = new GoneTracker();
    const done: string[] = [];
    const errors: unknown[] = [];
    const first = tracker.list(['a', 'b']);
    tracker.enqueue(
      async () => {
        await new Promise((resolve) => setImmediate(resolve));
        done.push(`first: ${first.gone(['b', 'c', 'd']).join()}`);
        throw new Error('disk full');
      },
      (e) => errors.push(e),
    );
    const second = tracker.list(['a']);
    tracker.enqueue(
      async () => {
        done.push(`second: ${second.gone(['b', 'c', 'd']).join()}`);
      },
      (e) => errors.push(e),
    );
    tracker.list(['a', 'd']); // d created meanwhile: the queued prunes must not take its absence from their lists as gone
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(
      done,
      ['first: c,d', 'second: b'],
      'the first list lacks c and d (what an earlier session left); the second lacks b, listed before, and d, never listed before it',
    );
    assert.equal(errors.length, 1);
  });
});
