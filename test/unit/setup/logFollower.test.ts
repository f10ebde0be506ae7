// The log follower in fake time over a pretend machine: every byte given out once and in order,
// whatever the read sizes, the dropped reads and the moments the log grows; whole characters; a
// resume point a reopened terminal continues from exactly; a first open of a large log that shows
// its end; a new run after Run Setup Again.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SetupLogFollower, type LogFollowerOptions } from '../../../src/setup/logFollower';
import type { SetupStatus } from '../../../src/setup/setupStatus';
import { FakeTimers } from '../core/fakeTimers';
import { FakeSetupLog } from './fakeSetupLog';

const decodeAll = (b: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);

/** Bytes that make a log hard to follow: ASCII, multibyte characters, invalid bytes, a BOM. */
const logBytes = fc
  .array(
    fc.oneof(
      fc.constantFrom('a', '\n', 'é', '€', '😀', '\ufeff').map((s) => [...Buffer.from(s)]),
      fc.constantFrom([0xff], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0x80], [0xed, 0xa0, 0x80]),
      fc.uint8Array({ maxLength: 6 }).map((a) => [...a]),
    ),
    { maxLength: 300 },
  )
  .map((parts) => Uint8Array.from(parts.flat()));

function follow(fake: FakeSetupLog, timers: FakeTimers, o: Partial<LogFollowerOptions> = {}) {
  const out = { text: '', ends: [] as SetupStatus[], failures: 0 };
  const follower = new SetupLogFollower({
    source: fake,
    timers,
    pollMs: 1000,
    retryMs: 5000,
    onText: (t) => (out.text += t),
    onEnd: (st) => out.ends.push(st),
    onReadFailed: () => out.failures++,
    ...o,
  });
  return { follower, out };
}

describe('SetupLogFollower', () => {
  it('gives out the whole log exactly once, whatever the read sizes, drops and write times (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        logBytes,
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.integer({ min: 1, max: 64 }),
        fc.infiniteStream(fc.boolean()),
        fc.infiniteStream(fc.nat({ max: 64 })),
        async (bytes, cuts, readBytes, drops, shorts) => {
          const timers = new FakeTimers();
          const fake = new FakeSetupLog();
          fake.fail = () => drops.next().value as boolean;
          fake.shortRead = () => shorts.next().value as number;
          const { follower, out } = follow(fake, timers, { readBytes, resume: { runId: fake.runId, offset: 0 } });
          follower.start();
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          let written = 0;
          for (const at of [...points, bytes.length]) {
            fake.write(bytes.subarray(written, at));
            written = at;
            await timers.advance(700);
          }
          fake.state = 'exited';
          for (let i = 0; i < 10_000 && !follower.ended; i++) await timers.advance(1000);
          assert.equal(out.text, decodeAll(bytes));
          assert.equal(out.ends.length, 1);
          assert.equal(follower.resumeAt?.offset, bytes.length);
          assert.deepEqual(timers.scheduled, [], 'no poll after the end');
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a reopened terminal continues at resumeAt: the two texts together are the whole log (property)', async () => {
    await fc.assert(
      fc.asyncProperty(logBytes, fc.nat(), fc.integer({ min: 1, max: 16 }), async (bytes, cut, readBytes) => {
        const timers = new FakeTimers();
        const fake = new FakeSetupLog();
        fake.write(bytes.subarray(0, cut % (bytes.length + 1)));
        const first = follow(fake, timers, { readBytes, resume: { runId: fake.runId, offset: 0 } });
        first.follower.start();
        await timers.advance(3000);
        first.follower.stop();
        fake.write(bytes.subarray(cut % (bytes.length + 1)));
        fake.state = 'exited';
        const second = follow(fake, timers, { readBytes, resume: first.follower.resumeAt });
        second.follower.start();
        for (let i = 0; i < 10_000 && !second.follower.ended; i++) await timers.advance(1000);
        assert.equal(first.out.text + second.out.text, decodeAll(bytes));
      }),
      { numRuns: 150 },
    );
  });

  it('a failed read is tried again after retryMs from the same offset; stop() stops polling', async () => {
    const timers = new FakeTimers();
    const fake = new FakeSetupLog();
    fake.write('one\n');
    let failing = true;
    fake.fail = () => failing;
    const { follower, out } = follow(fake, timers);
    follower.start();
    await timers.advance(0);
    assert.equal(out.failures, 1);
    assert.deepEqual(timers.scheduled, [5000]);
    failing = false;
    await timers.advance(5000);
    assert.equal(out.text, 'one\n');
    follower.stop();
    assert.deepEqual(timers.scheduled, []);
    const reads = fake.reads;
    await timers.advance(60_000);
    assert.equal(fake.reads, reads);
  });

  it('a first open of a large log shows its last bytes after a line that says how much was skipped, from a whole character', async () => {
    const timers = new FakeTimers();
    const fake = new FakeSetupLog();
    fake.write(Buffer.concat([Buffer.alloc(2_000_000, 'x'), Buffer.from('€€€€\nend\n')]));
    fake.state = 'exited';
    const { follower, out } = follow(fake, timers, { firstOpenBytes: 13 });
    follower.start();
    for (let i = 0; i < 100 && !follower.ended; i++) await timers.advance(1000);
    // 13 bytes before the end start inside the second €: its two tail bytes are skipped too.
    assert.equal(
      out.text,
      '[2.0 MB of earlier output not shown; the whole log is ~/.fal/setup/current/log on the machine]\n€€\nend\n',
    );
    assert.equal(fake.reads, 1);
  });

  it('a follower far behind (a job printing faster than SSH carries) skips ahead to the last bytes, says how much, and never chases the whole log', async () => {
    const timers = new FakeTimers();
    const fake = new FakeSetupLog();
    fake.write('start\n');
    const { follower, out } = follow(fake, timers, { firstOpenBytes: 9, maxBehindBytes: 1000, readBytes: 100 });
    follower.start();
    await timers.advance(0);
    assert.equal(out.text, 'start\n');
    fake.write(Buffer.alloc(5_000, 'y'));
    fake.write('€ tail\n');
    fake.state = 'exited';
    for (let i = 0; i < 100 && !follower.ended; i++) await timers.advance(1000);
    const skipped = fake.log.length - 6 - 9;
    assert.equal(
      out.text,
      `start\n\n[${(skipped / 1000).toFixed(1)} KB skipped to keep up; the whole log is ~/.fal/setup/current/log on the machine]\n€ tail\n`,
    );
    assert.ok(fake.reads < 10, `${fake.reads} reads, not the 50 a chase would take`);
  });

  it('a run just started: while nothing has come, it is read every 250 ms for 5 s, then at its pace', async () => {
    const timers = new FakeTimers();
    const fake = new FakeSetupLog();
    const { follower } = follow(fake, timers);
    follower.start();
    await timers.advance(5_000);
    assert.equal(fake.reads, 21, 'at once, then every 250 ms');
    await timers.advance(10_000);
    assert.equal(fake.reads, 31, 'then every second');
    follower.stop();
  });

  it('a source that returns less than asked (a capped read) after the run ended: everything still comes out', async () => {
    const timers = new FakeTimers();
    const fake = new FakeSetupLog();
    fake.cap = 10;
    fake.write('0123456789'.repeat(10));
    fake.state = 'exited';
    const { follower, out } = follow(fake, timers, { readBytes: 64 });
    follower.start();
    for (let i = 0; i < 100 && !follower.ended; i++) await timers.advance(1000);
    assert.equal(out.text, '0123456789'.repeat(10));
    assert.equal(fake.reads, 10, 'one read after another, no poll interval between');
  });

  it('a log shorter than its size said: no read at once after an empty one, and an ended run still ends', async () => {
    const timers = new FakeTimers();
    const fake = new FakeSetupLog();
    fake.write('abc\n');
    fake.sizeLie = 100;
    const { follower, out } = follow(fake, timers);
    follower.start();
    await timers.advance(0);
    assert.equal(out.text, 'abc\n');
    assert.deepEqual(timers.scheduled, [1000], 'the next read after the poll interval, not at once');
    fake.state = 'exited';
    await timers.advance(1000);
    assert.equal(out.ends.length, 1);
  });

  it('a log that fits is shown whole on a first open, with no skipped line', async () => {
    const timers = new FakeTimers();
    const fake = new FakeSetupLog();
    fake.write('short\n');
    fake.state = 'exited';
    const statuses: [string, number][] = [];
    const { follower, out } = follow(fake, timers, { onStatus: (st, at) => statuses.push([st.kind, at]) });
    await timers.advance(500);
    follower.start();
    await timers.advance(0);
    assert.equal(out.text, 'short\n');
    assert.deepEqual(statuses, [['exited', 500]]);
    assert.equal(out.ends[0]?.kind, 'exited');
  });

  it('Run Setup Again while following: the old text is finished, a line says so, the new log follows', async () => {
    const timers = new FakeTimers();
    const fake = new FakeSetupLog();
    fake.write(Buffer.from([0x6f, 0x6c, 0x64, 0xe2, 0x82])); // "old" and a cut €
    const { follower, out } = follow(fake, timers);
    follower.start();
    await timers.advance(0);
    fake.replaceRun('run-00000002');
    fake.write('new\n');
    fake.state = 'exited';
    for (let i = 0; i < 10 && !follower.ended; i++) await timers.advance(1000);
    assert.equal(out.text, 'old\ufffd\n[setup was started again: its new log follows]\nnew\n');
    assert.deepEqual(follower.resumeAt, { runId: 'run-00000002', offset: 4 });
  });

  it('no run yet, or an unreadable status: keeps polling, never ends', async () => {
    const timers = new FakeTimers();
    const fake = new FakeSetupLog();
    fake.state = 'none';
    const { follower, out } = follow(fake, timers);
    follower.start();
    await timers.advance(5000);
    fake.state = 'unknown';
    await timers.advance(5000);
    assert.equal(follower.ended, false);
    assert.deepEqual(out.ends, []);
    assert.deepEqual(timers.scheduled, [1000]);
    fake.state = 'lost';
    fake.write('half\n');
    await timers.advance(1000);
    assert.equal(out.text, 'half\n');
    assert.equal((out.ends as SetupStatus[])[0]?.kind, 'lost');
  });
});
