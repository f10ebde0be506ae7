// A job's words (its row, its end) and the command Run on H100 proposes for the active file.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultCommandFor, jobNameFor } from '../../../src/jobs/jobCommandLine';
import { jobEndText, jobRowText } from '../../../src/jobs/jobWords';
import type { JobFacts, JobStatus } from '../../../src/jobs/types';
import { shellQuote } from '../../../src/setup/remoteShell';

const run = (over: Partial<JobFacts> = {}): JobFacts => ({
  runId: 'job-00000001',
  name: 'train.py',
  command: 'python3 train.py',
  workdir: 'repo',
  startedAtMs: 1_000_000,
  logBytes: 10,
  machineNowMs: 1_000_000 + 12 * 60_000,
  stopRequestedAtMs: undefined,
  ...over,
});

describe('job words', () => {
  it('the rows of the issue: running 12 min, succeeded · 1 h 04 min · ~$16.13, failed (exit 1), stopped, lost', () => {
    assert.equal(jobRowText({ kind: 'running', run: run(), pid: 1 }, 0, 0), 'running 12 min');
    const ended = (exitCode: number, stopped = false): JobStatus => ({
      kind: 'exited',
      run: run(),
      exitCode,
      stopped,
      endedAtMs: 1_000_000 + 64 * 60_000,
    });
    assert.equal(jobRowText(ended(0), 0, 0, 15.12), 'succeeded · 1 h 04 min · ~$16.13');
    assert.equal(jobRowText(ended(1), 0, 0), 'failed (exit 1) · 1 h 04 min');
    assert.equal(jobRowText(ended(143, true), 0, 0), 'stopped · 1 h 04 min');
    assert.equal(jobRowText({ kind: 'lost', run: run() }, 0, 0), 'lost');
  });

  it('a running job counts on from the read by our clock', () => {
    assert.equal(jobRowText({ kind: 'running', run: run(), pid: 1 }, 5_000, 5_000 + 60_000), 'running 13 min');
  });

  it('the end says the outcome, the duration and the estimate as an estimate', () => {
    const text = jobEndText(
      'train.py',
      'box',
      { kind: 'exited', run: run(), exitCode: 0, stopped: false, endedAtMs: 1_000_000 + 3_600_000 },
      2,
    );
    assert.equal(text, 'Job train.py on box succeeded in 1 h. (~$2.00, estimated)');
  });
});

describe('the command for the active file', () => {
  it('python3 for .py, bash for .sh, nothing for other files or paths outside the folder', () => {
    assert.equal(defaultCommandFor('train.py'), 'python3 train.py');
    assert.equal(defaultCommandFor('scripts\\run.sh'), 'bash scripts/run.sh');
    assert.equal(defaultCommandFor('notes.md'), undefined);
    assert.equal(defaultCommandFor('../other/train.py'), undefined);
  });

  it('fast-check: a file name of any characters becomes exactly one shell word naming it', () => {
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 1, maxLength: 30 })
          .filter((s) => !s.includes('/') && !s.includes('\\') && s !== '..' && s !== '.'),
        (base) => {
          const command = defaultCommandFor(`${base}.py`)!;
          const word = command.slice('python3 '.length);
          assert.ok(word === `${base}.py` || word === shellQuote(`${base}.py`));
          if (word === `${base}.py`) assert.match(word, /^[A-Za-z0-9._/-]+$/);
        },
      ),
    );
  });

  it('a job is named by the file it runs', () => {
    assert.equal(jobNameFor('torchrun --nproc_per_node 8 train.py --epochs 3'), 'train.py');
    assert.equal(jobNameFor("python3 'my run.py'"), 'my run.py');
    assert.equal(jobNameFor('nvidia-smi -l 1'), 'nvidia-smi -l 1');
  });
});
