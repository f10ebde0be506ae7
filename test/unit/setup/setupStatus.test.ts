// The status answer is read strictly: the exact block of the runner's facts, or `unknown`. Hostile
// or broken text (login-shell noise, a value with a newline, a line out of place, a truncated or
// doubled block) never reads as `set up`; and the intact answers read as what they are.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { END_MARKER, STATUS_MARKER } from '../../../src/setup/setupCommands';
import { parseLogAnswer, SetupLogReadError } from '../../../src/setup/setupRemote';
import { parseStatusAnswer } from '../../../src/setup/setupStatus';
import { setupRowText } from '../../../src/setup/setupWords';

const SHA = 'c'.repeat(64);
const facts = (o: Record<string, string> = {}) => {
  const f: Record<string, string> = {
    'run-id': '0123456789abcdef',
    sha256: SHA,
    timeout: '1800',
    started: '1700000000',
    pid: '4242',
    exit: '-',
    alive: '1',
    boot: 'same',
    bytes: '120',
    now: '1700000120',
    ...o,
  };
  return Object.entries(f).map(([k, v]) => `${k}=${v}`);
};
const answer = (lines: string[], noise = '') => `${noise}${[STATUS_MARKER, ...lines, END_MARKER].join('\n')}\n`;
const isSetUp = (stdout: string) => setupRowText(parseStatusAnswer(stdout), 0, 0) === 'set up';

/** A block whose facts are exactly the runner's and whose exit file said 0: the only way to `set up`. */
const EXACT_SET_UP = new RegExp(
  `(^|\\n)${STATUS_MARKER}\\nrun-id=[0-9a-z-]{8,64}\\nsha256=[0-9a-f]{64}\\ntimeout=[1-9][0-9]{0,6}\\n` +
    `started=[0-9]{1,12}\\npid=([1-9][0-9]{0,9}|-)\\nexit=0 [0-9]{1,12}\\nalive=[01]\\nboot=(same|other|unknown)\\n` +
    `bytes=([0-9]{1,15}|-)\\nnow=[0-9]{1,12}\\n${END_MARKER}\\n*$`,
);

describe('setup status answers', () => {
  it('reads each state: none, running, exited, lost (pid gone, or another boot)', () => {
    assert.deepEqual(parseStatusAnswer(answer(['none'])), { kind: 'none' });
    const running = parseStatusAnswer(answer(facts(), 'Welcome to Ubuntu\n@@fal-setup-status v0\n'));
    assert.deepEqual(running, {
      kind: 'running',
      pid: 4242,
      run: {
        runId: '0123456789abcdef',
        sha256: SHA,
        timeoutSeconds: 1800,
        startedAtMs: 1_700_000_000_000,
        logBytes: 120,
        machineNowMs: 1_700_000_120_000,
      },
    });
    assert.equal(setupRowText(running, 5_000, 65_000), 'setting up… 3 min');
    const exited = parseStatusAnswer(answer(facts({ exit: '1 1700000100', alive: '0' })));
    assert.deepEqual(exited.kind === 'exited' && [exited.exitCode, exited.endedAtMs], [1, 1_700_000_100_000]);
    assert.equal(parseStatusAnswer(answer(facts({ alive: '0' }))).kind, 'lost');
    assert.equal(
      parseStatusAnswer(answer(facts({ boot: 'other' }))).kind,
      'lost',
      'a pid alive in another boot is not ours',
    );
    assert.equal(parseStatusAnswer(answer(facts({ bytes: '-' }))).kind, 'running');
    const starting = parseStatusAnswer(answer(facts({ pid: '-', alive: '0', now: '1700000003' })));
    assert.deepEqual(starting.kind === 'running' && starting.pid, undefined, 'claimed, runner not yet started');
    assert.equal(parseStatusAnswer(answer(facts({ pid: '-', alive: '0', now: '1700000015' }))).kind, 'lost');
    assert.equal(parseStatusAnswer(answer(facts({ pid: '-', alive: '0', now: '1699999990' }))).kind, 'lost');
  });

  it('unknown for a value out of shape, a line missing, added or moved, no end, text after it', () => {
    const cases = [
      answer(facts({ exit: '0' })),
      answer(facts({ exit: '0 17x' })),
      answer(facts({ exit: '00 1700000100' })),
      answer(facts({ exit: '256 1700000100' })),
      answer(facts({ exit: '0 1700000100\nalive=0' })),
      answer(facts({ sha256: 'C'.repeat(64) })),
      answer(facts({ pid: '0' })),
      answer(facts().slice(1)),
      answer([...facts(), 'extra=1']),
      answer([facts()[1]!, facts()[0]!, ...facts().slice(2)]),
      `${STATUS_MARKER}\n${facts().join('\n')}\n`,
      `${answer(facts({ exit: '0 1700000100' }))}trailing\n`,
      '',
      'none\n',
    ];
    for (const text of cases) assert.equal(parseStatusAnswer(text).kind, 'unknown', JSON.stringify(text));
  });

  it('hostile text never reads as set up unless it is exactly the runner block with exit 0 (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        STATUS_MARKER,
        END_MARKER,
        'none',
        'exit=0 1700000100',
        'exit=0',
        'exit=00 1',
        'alive=1',
        'alive=0',
        'boot=other',
        ...facts(),
        ...facts({ exit: '0 1700000100' }),
      ),
      fc.string({ unit: 'grapheme-ascii', maxLength: 20 }),
      fc.string({ unit: 'binary', maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), fc.constantFrom('\n', '\r\n', ''), (lines, eol) => {
        const text = lines.join(eol === '' ? '\n' : eol) + eol;
        if (isSetUp(text)) assert.match(text, EXACT_SET_UP);
      }),
      { numRuns: 3000 },
    );
  });

  it('a real exit-0 block damaged anywhere (one character changed, added or removed) is never set up unless still exact (property)', () => {
    const intact = answer(facts({ exit: '0 1700000100', alive: '0' }));
    assert.equal(isSetUp(intact), true);
    fc.assert(
      fc.property(
        fc.nat(intact.length),
        fc.constantFrom('insert', 'delete', 'replace'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }),
        (at, how, s) => {
          const text =
            how === 'insert'
              ? intact.slice(0, at) + s + intact.slice(at)
              : how === 'delete'
                ? intact.slice(0, at) + intact.slice(at + 1)
                : intact.slice(0, at) + s + intact.slice(at + s.length);
          if (isSetUp(text)) assert.match(text, EXACT_SET_UP);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a log answer: exact bytes from base64; anything else is an error to retry, never a chunk', () => {
    const data = Buffer.from([0xff, 0x00, 0xc3, 0xa9, 0x0a]);
    const log = (after: string, body = data.toString('base64')) =>
      [STATUS_MARKER, ...facts(), 'offset=10', 'data', body, after, END_MARKER, ''].join('\n');
    const poll = parseLogAnswer(log('run-after=0123456789abcdef'), 1024);
    assert.deepEqual([poll.chunk?.offset, Buffer.from(poll.chunk!.bytes)], [10, data]);
    const bad = [
      log('run-after=ffffffffffffffff'),
      log('run-after=0123456789abcdef', '!!!!'),
      log('run-after=0123456789abcdef', 'AAA'),
      log('run-after=0123456789abcdef').replace('offset=10', 'offset=x'),
      log('run-after=0123456789abcdef').replace(`${END_MARKER}\n`, ''),
      log('run-after=0123456789abcdef').replace('exit=-', 'exit=0'),
    ];
    for (const text of bad) assert.throws(() => parseLogAnswer(text, 1024), SetupLogReadError, text);
    assert.throws(() => parseLogAnswer(log('run-after=0123456789abcdef'), 4), /longer than asked/);
    assert.deepEqual(parseLogAnswer(answer(['none']), 4), { status: { kind: 'none' } });
  });
});
