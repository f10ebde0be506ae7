// The lease's clock (src/cost/lease.ts) and where the ends are kept (leaseBook.ts), in plain node.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  EXTEND_MS,
  extendedEnd,
  LeaseBook,
  LEASES_KEY,
  leaseChoices,
  leaseEnd,
  leaseHoursText,
  leaseLook,
  validLeaseHours,
} from '../../../src/cost';
import { StoredState } from '../../../src/core/storedState';
import { HOUR, MemoryStore } from './helpers';

describe('lease: the clock', () => {
  it('fal.lease.defaultHours: fractions allowed; 0, negative, non-numbers and more than a month read as "keep" (0)', () => {
    assert.equal(validLeaseHours(2), 2);
    assert.equal(validLeaseHours(0.005), 0.005);
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '2', null, undefined, 24 * 32])
      assert.equal(validLeaseHours(bad), 0, String(bad));
  });

  it('the wizard offers keep, 2, 4, 8, 24 h, and a default that is none of them as a choice of its own, in order', () => {
    assert.deepEqual(leaseChoices(0), [0, 2, 4, 8, 24]);
    assert.deepEqual(leaseChoices(4), [0, 2, 4, 8, 24]);
    assert.deepEqual(leaseChoices(0.005), [0, 0.005, 2, 4, 8, 24]);
    assert.deepEqual(leaseChoices(12), [0, 2, 4, 8, 12, 24]);
    assert.deepEqual(leaseChoices(-3), [0, 2, 4, 8, 24]);
    assert.equal(leaseHoursText(2), '2 h');
    assert.equal(leaseHoursText(0.005), '18 s');
    assert.equal(leaseHoursText(1.5), '1 h 30 min');
  });

  it('Extend 1 h adds an hour to the later of now and the end: never less than an hour left, never a lost hour', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e13 }), fc.integer({ min: 0, max: 1e13 }), (end, now) => {
        const next = extendedEnd(end, now);
        assert.ok(next - now >= EXTEND_MS, 'at least an hour from now');
        assert.ok(next - end >= EXTEND_MS, 'at least an hour after the old end');
        assert.ok(next === end + EXTEND_MS || next === now + EXTEND_MS);
      }),
    );
  });

  it('a lease runs until its end, has ended from it on, and waits while the instance is protected', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.double({ min: 0.001, max: 48, noNaN: true }),
        fc.integer({ min: -1e9, max: 1e9 }),
        (start, hours, offset) => {
          const end = leaseEnd(start, hours);
          assert.equal(end, start + hours * HOUR);
          const now = end + offset;
          const look = leaseLook(end, now, false);
          assert.equal(look.kind, now < end ? 'running' : 'ended');
          assert.equal(leaseLook(end, now, true).kind, 'waits');
        },
      ),
    );
  });
});

describe('lease: the book', () => {
  it('keeps absolute ends; Extend and Keep change them and say so; a new book over the same store reads them back', () => {
    const store = new MemoryStore();
    const book = new LeaseBook(new StoredState(store));
    const changed: string[] = [];
    book.onDidChange((id) => changed.push(id));
    book.set('inst_a', 10 * HOUR);
    assert.equal(book.extend('inst_a', 5 * HOUR), 11 * HOUR, 'from the end when it is later');
    assert.equal(book.extend('inst_a', 20 * HOUR), 21 * HOUR, 'from now when the end has passed');
    assert.equal(book.extend('inst_b', 0), undefined, 'no lease: nothing to extend');
    assert.equal(new LeaseBook(new StoredState(store)).end('inst_a'), 21 * HOUR);
    book.remove('inst_a');
    assert.equal(book.end('inst_a'), undefined);
    assert.deepEqual(changed, ['inst_a', 'inst_a', 'inst_a', 'inst_a']);
  });

  it('salvages every valid entry of a corrupt store, one by one', () => {
    const store = new MemoryStore();
    store.data.set(LEASES_KEY, JSON.stringify({ inst_a: 5, inst_b: 'soon', inst_c: null, inst_d: { at: 1 } }));
    const book = new LeaseBook(new StoredState(store));
    assert.equal(book.end('inst_a'), 5);
    for (const id of ['inst_b', 'inst_c', 'inst_d', '__proto__', 'constructor']) assert.equal(book.end(id), undefined);
    store.data.set(LEASES_KEY, JSON.stringify([1, 2]));
    assert.equal(book.end('0'), undefined, 'not an object: no leases');
  });

  it('forgets a lease only when a complete list lacks its instance and its end has passed', () => {
    const store = new MemoryStore();
    const book = new LeaseBook(new StoredState(store));
    book.set('inst_gone', 1 * HOUR);
    book.set('inst_new', 9 * HOUR);
    book.set('inst_listed', 1 * HOUR);
    book.prune(['inst_listed'], 2 * HOUR);
    assert.equal(book.end('inst_gone'), undefined);
    assert.equal(book.end('inst_new'), 9 * HOUR, 'a fresh create the list was fetched before keeps its lease');
    assert.equal(book.end('inst_listed'), 1 * HOUR, 'a listed instance keeps its ended lease (its countdown is due)');
  });
});
