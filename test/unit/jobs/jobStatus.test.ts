// Job answers are read strictly: the exact block the machine prints, or unknown (for status) and
// unreadable (for one job of a listing). Hostile or broken text never reads as a job that exited 0;
// names and commands with newlines, quotes, `$()`, backquotes or invalid UTF-8 come back as stored.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { END_MARKER, JOB_STATUS_MARKER, LISTED_COMMAND_BYTES } from '../../../src/jobs/jobCommands';
import { parseJobAnswer, parseJobListing } from '../../../src/jobs/jobStatus';
import { SetupLogReadError, parseLogAnswerWith } from '../../../src/setup/setupRemote';
import { readJobAnswerBlock } from '../../../src/jobs/jobStatus';
import type { JobAnswer, JobListing } from '../../../src/jobs/types';

const ID = '0mh3k2a1b-0a1b2c3d';
const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64');
const block = (o: Record<string, string> = {}, id = ID) => {
  const f: Record<string, string> = {
    name: b64('train.py'),
    command: b64('python3 train.py'),
    workdir: b64('work'),
    started: '1700000000',
    pid: '4242',
    pgid: '4243',
    exit: '-',
    stop: '-',
    alive: '1',
    boot: 'same',
    bytes: '120',
    now: '1700000120',
    ...o,
  };
  return [`job=${id}`, ...Object.entries(f).map(([k, v]) => `${k}=${v}`)];
};
const answer = (lines: string[], noise = '') => `${noise}${[JOB_STATUS_MARKER, ...lines, END_MARKER].join('\n')}\n`;
const exitedZero = (a: JobAnswer) => a.kind === 'exited' && a.exitCode === 0;
const listedZero = (l: JobListing) =>
  l.kind === 'listed' && l.jobs.some((j) => j.kind === 'exited' && j.exitCode === 0);

describe('job status answers', () => {
  it('reads each state: none, running, starting, exited, stopped, lost (runner gone, another boot)', () => {
    assert.deepEqual(parseJobAnswer(answer(['none'])), { kind: 'none' });
    assert.deepEqual(parseJobAnswer(answer(block(), 'Welcome\n@@fal-job-status v0\n')), {
      kind: 'running',
      pid: 4242,
      run: {
        runId: ID,
        name: 'train.py',
        command: 'python3 train.py',
        workdir: 'work',
        startedAtMs: 1_700_000_000_000,
        logBytes: 120,
        machineNowMs: 1_700_000_120_000,
        stopRequestedAtMs: undefined,
      },
    });
    const starting = parseJobAnswer(answer(block({ pid: '-', alive: '0', now: '1700000002' })));
    assert.deepEqual(starting.kind === 'running' && starting.pid, undefined);
    const exited = parseJobAnswer(answer(block({ exit: '3 1700000100', alive: '0' })));
    assert.deepEqual(exited.kind === 'exited' && [exited.exitCode, exited.endedAtMs, exited.stopped], [
      3,
      1_700_000_100_000,
      false,
    ]);
    const stopped = parseJobAnswer(answer(block({ exit: '143 1700000100', stop: '1700000090' })));
    assert.deepEqual(stopped.kind === 'exited' && [stopped.stopped, stopped.run.stopRequestedAtMs], [
      true,
      1_700_000_090_000,
    ]);
    assert.equal(parseJobAnswer(answer(block({ alive: '0' }))).kind, 'lost');
    assert.equal(parseJobAnswer(answer(block({ boot: 'other' }))).kind, 'lost');
    assert.equal(parseJobAnswer(answer(block({ pid: '-', alive: '0', now: '1700000020' }))).kind, 'lost');
  });

  it('unknown for a value out of shape, a line missing, added or moved, a text over its bytes, no end', () => {
    const cases = [
      answer(block({ exit: '0' })),
      answer(block({ exit: '00 1700000100' })),
      answer(block({ exit: '256 1700000100' })),
      answer(block({ exit: '?' })),
      answer(block({ exit: '0 1700000100\nalive=0' })),
      answer(block({ pgid: '0' })),
      answer(block({ name: '-' })),
      answer(block({ command: 'abc' })),
      answer(block({ name: b64('x'.repeat(201)) })),
      answer(block({ command: b64('x'.repeat(4097)) })),
      answer(block({}, 'BAD_ID')),
      answer(block().slice(0, -1)),
      answer([...block(), 'extra=1']),
      answer([...block(), ...block()]),
      `${JOB_STATUS_MARKER}\n${block().join('\n')}\n`,
      answer(block()).replace(END_MARKER, `${END_MARKER}\nmore`),
      block().join('\n'),
    ];
    for (const text of cases) assert.equal(parseJobAnswer(text).kind, 'unknown', text);
  });

  it('no answer of any shape reads as exited 0 unless it is exactly such a block (property)', () => {
    const line = fc.oneof(
      fc.constantFrom(JOB_STATUS_MARKER, END_MARKER, 'none', `job=${ID}`, 'exit=0 1700000100', 'stop=-', 'alive=0'),
      fc.constantFrom(...block({ exit: '0 1700000100' })),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), (lines) => {
        const text = lines.join('\n');
        const exact = new RegExp(
          `(^|\\n)${JOB_STATUS_MARKER}\\njob=[0-9a-z-]{8,64}\\nname=[A-Za-z0-9+/=]*\\ncommand=[A-Za-z0-9+/=]*\\n` +
            `workdir=[A-Za-z0-9+/=]*\\nstarted=[0-9]+\\npid=([0-9]+|-)\\npgid=([0-9]+|-)\\nexit=0 [0-9]+\\n` +
            `stop=([0-9]+|-)\\nalive=[01]\\nboot=[a-z]+\\nbytes=([0-9]+|-)\\nnow=[0-9]+\\n${END_MARKER}\\n*$`,
        );
        if (exitedZero(parseJobAnswer(text))) assert.match(text, exact);
        const listing = parseJobListing(text);
        if (listedZero(listing)) assert.ok(text.includes('\nexit=0 '), text);
      }),
      { numRuns: 3000 },
    );
  });

  it('a bit changed anywhere in an exited-1 answer never makes it exited 0 (property)', () => {
    const good = answer(block({ exit: '1 1700000100', alive: '0' }));
    const exitDigit = good.indexOf('\nexit=1 ') + '\nexit='.length;
    fc.assert(
      fc.property(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        if (at === exitDigit) return; // '1' with its low bit flipped is a real exit 0
        const text = good.slice(0, at) + String.fromCharCode(good.charCodeAt(at) ^ (1 << bit)) + good.slice(at + 1);
        assert.equal(exitedZero(parseJobAnswer(text)), false, text);
        assert.equal(listedZero(parseJobListing(text)), false, text);
      }),
      { numRuns: 2000 },
    );
  });

  it('names, commands and workdirs round trip whatever they hold: newlines, quotes, $(), backquotes, invalid UTF-8 (property)', () => {
    const hostile = fc.oneof(
      fc.string(),
      fc.constantFrom("'; echo pwned > /tmp/x; '", '$(id)', '`id`', 'a\nb\r\nc', '\\', '"$HOME"', 'job=x\nexit=0 1'),
    );
    fc.assert(
      fc.property(hostile, hostile, fc.uint8Array({ maxLength: 64 }), (name, command, raw) => {
        const named = Buffer.from(name).subarray(0, 200);
        const text = parseJobAnswer(answer(block({ name: b64(named), command: b64(command), workdir: b64(raw) })));
        const decode = (b: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);
        assert.equal(text.kind, 'running');
        if (text.kind !== 'running') return;
        assert.equal(text.run.name, decode(named));
        assert.equal(text.run.command, decode(Buffer.from(command)));
        assert.equal(text.run.workdir, decode(raw));
      }),
      { numRuns: 500 },
    );
  });

  it('a listing: blocks newest first, a broken block is unreadable (named), anything between blocks is unknown', () => {
    const second = '0mh3k2a1a-ffffffff';
    const listed = parseJobListing(answer([...block({ exit: '0 1700000100' }), ...block({}, second)]));
    assert.deepEqual(listed.kind === 'listed' && listed.jobs.map((j) => [j.run.runId, j.kind]), [
      [ID, 'exited'],
      [second, 'running'],
    ]);
    assert.deepEqual(parseJobListing(answer([])), { kind: 'listed', jobs: [] });
    const broken = parseJobListing(answer([...block({ exit: '0 x' }), ...block({}, second)]));
    assert.deepEqual(
      broken.kind === 'listed' && [broken.jobs.map((j) => j.run.runId), broken.unreadable?.map((u) => u.jobId)],
      [[second], [ID]],
    );
    const long = parseJobListing(answer(block({ command: b64('x'.repeat(LISTED_COMMAND_BYTES + 1)) })));
    assert.equal(long.kind === 'listed' && long.unreadable?.length, 1, 'a listing holds at most 1 KiB of a command');
    for (const bad of [
      answer(['noise', ...block()]),
      answer([...block(), ...block()]),
      answer(Array.from({ length: 51 }, (_, i) => block({}, `job-${String(i).padStart(5, '0')}`)).flat()),
      `${JOB_STATUS_MARKER}\n${block().join('\n')}\n`,
      answer(block()).replace(END_MARKER, `${END_MARKER}\nmore`),
      block().join('\n'),
    ])
      assert.equal(parseJobListing(bad).kind, 'unknown', bad.slice(0, 200));
  });

  it("a log answer is setup's: exact bytes, or a rejection (another job's run-after, no end)", () => {
    const log = (lines: string[]) => answer([...block(), ...lines]);
    const poll = parseLogAnswerWith(
      log(['offset=3', 'data', b64('abc'), `run-after=${ID}`]),
      10,
      JOB_STATUS_MARKER,
      readJobAnswerBlock,
    );
    assert.deepEqual([poll.chunk?.offset, Buffer.from(poll.chunk!.bytes).toString()], [3, 'abc']);
    for (const bad of [
      log(['offset=3', 'data', b64('abc'), 'run-after=0mh3k2a1a-ffffffff']),
      log(['offset=3', 'data', b64('abc')]),
      log(['offset=3', 'data', b64('abcdefghijk'), `run-after=${ID}`]),
      answer(block({ exit: '0 x' })),
    ])
      assert.throws(() => parseLogAnswerWith(bad, 10, JOB_STATUS_MARKER, readJobAnswerBlock), SetupLogReadError);
  });
});
