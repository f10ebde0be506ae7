// Where a job's terminal stopped, kept across a reload: while a log streams (several chunks a second)
// the place is stored in batches, not per chunk — each write stores and re-parses up to 200 entries —
// yet a read always sees the newest place, and a settled place (terminal closed, log ended, window
// closing) is stored at once.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { StoredState } from '../../../src/core/storedState';
import { JobBook } from '../../../src/instances/jobBook';
import { FakeTimers } from '../core/fakeTimers';

function memento() {
  const values = new Map<string, unknown>();
  const writes: string[] = [];
  return {
    writes,
    values,
    get: <T>(key: string, fallback: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    update: (key: string, value: unknown) => {
      writes.push(key);
      values.set(key, value);
    },
  };
}

function book() {
  const m = memento();
  const timers = new FakeTimers();
  const stored = new StoredState(m);
  const errors: unknown[] = [];
  return { m, timers, stored, errors, book: new JobBook(stored, timers, (e) => errors.push(e)) };
}

describe('JobBook, the place of a followed log', () => {
  it('a streaming log is stored at most once every 2 s, and a read sees the newest place at once', async () => {
    const b = book();
    for (let offset = 1; offset <= 100; offset++) {
      b.book.setResumeAt('i1/j1', { runId: 'r1', offset }, false);
      assert.deepEqual(b.book.resumeAt('i1/j1'), { runId: 'r1', offset });
      await b.timers.advance(50); // 20 chunks a second, for 5 s
    }
    assert.ok(b.m.writes.length <= 3, `${b.m.writes.length} writes for 100 chunks in 5 s`);
    await b.timers.advance(2_000);
    assert.deepEqual(new StoredState(b.m).get('fal.jobs.resume')['i1/j1'], { runId: 'r1', offset: 100 });
    assert.deepEqual(b.errors, []);
  });

  it('a settled place is stored at once, with every other unsaved place; the same place again writes nothing', async () => {
    const b = book();
    b.book.setResumeAt('i1/a', { runId: 'r', offset: 10 }, false);
    b.book.setResumeAt('i1/b', { runId: 'r', offset: 20 }, true);
    assert.equal(b.m.writes.length, 1);
    assert.deepEqual(new StoredState(b.m).get('fal.jobs.resume'), {
      'i1/a': { runId: 'r', offset: 10 },
      'i1/b': { runId: 'r', offset: 20 },
    });
    b.book.setResumeAt('i1/b', { runId: 'r', offset: 20 }, true);
    await b.timers.advance(10_000);
    assert.equal(b.m.writes.length, 1, 'nothing new to store');
  });

  it('saveResume (the window closing) stores what a batch was still holding', async () => {
    const b = book();
    b.book.setResumeAt('i1/a', { runId: 'r', offset: 7 }, false);
    assert.equal(b.m.writes.length, 0);
    await b.book.saveResume();
    assert.deepEqual(new StoredState(b.m).get('fal.jobs.resume')['i1/a'], { runId: 'r', offset: 7 });
    assert.deepEqual(b.timers.scheduled, [], 'no batch left waiting');
  });

  it('any sequence of places: what is stored after a save is the last place per log, at most 200 logs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.nat(1_000_000), fc.boolean()), { maxLength: 400 }),
        async (steps) => {
          const b = book();
          const last = new Map<string, number>();
          for (const [job, offset, settled] of steps) {
            b.book.setResumeAt(`i/${job}`, { runId: 'r', offset }, settled);
            last.set(`i/${job}`, offset);
          }
          await b.book.saveResume();
          const stored = new StoredState(b.m).get('fal.jobs.resume');
          assert.ok(Object.keys(stored).length <= 200);
          for (const [key, point] of Object.entries(stored)) assert.equal(point.offset, last.get(key), key);
          for (const [key, offset] of last) assert.equal(b.book.resumeAt(key)?.offset ?? offset, offset, key);
        },
      ),
    );
  });
});
