// The `fal` task definition (tasks.json is the user's file: read strictly) and the one rule that
// decides whether a job's end deletes its machine. fast-check: no definition deletes unless it says
// so, and no fact short of "succeeded (or always), nothing else runs, not protected, results home"
// ever yields a delete.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { endDecision, readFalTask } from '../../../src/jobs/taskDefinition';

describe('the fal task definition', () => {
  it('reads the issue example: 8x, results, delete on success', () => {
    const read = readFalTask({
      type: 'fal',
      command: 'torchrun --nproc_per_node 8 train.py',
      instanceType: '8x',
      results: ['checkpoints/**'],
      deleteWhenDone: true,
    });
    assert.deepEqual(read, {
      task: {
        command: 'torchrun --nproc_per_node 8 train.py',
        instanceType: 'gpu_8x_h100_sxm5',
        results: ['checkpoints/**'],
        deleteWhenDone: 'onSuccess',
      },
    });
  });

  it('"always", false and absent', () => {
    const whenDone = (v: unknown) => {
      const r = readFalTask({ type: 'fal', command: 'x', ...(v === undefined ? {} : { deleteWhenDone: v }) });
      return 'task' in r ? r.task.deleteWhenDone : r.problem;
    };
    assert.equal(whenDone('always'), 'always');
    assert.equal(whenDone(false), 'never');
    assert.equal(whenDone(undefined), 'never');
  });

  it('anything out of shape is named, never guessed: a typo in deleteWhenDone, an unknown type, an empty command', () => {
    for (const bad of [
      { type: 'fal', command: 'x', deleteWhenDone: 'yes' },
      { type: 'fal', command: 'x', instanceType: '4x' },
      { type: 'fal', command: '   ' },
      { type: 'fal' },
      { type: 'fal', command: 'x', results: 'out/**' },
    ]) {
      const r = readFalTask(bad);
      assert.ok('problem' in r, JSON.stringify(bad));
    }
  });

  it('fast-check: a definition deletes only when deleteWhenDone is true or "always"', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (command, deleteWhenDone) => {
        const r = readFalTask({ type: 'fal', command, deleteWhenDone });
        if ('task' in r && r.task.deleteWhenDone !== 'never')
          assert.ok(deleteWhenDone === true || deleteWhenDone === 'always');
      }),
    );
  });
});

describe('endDecision (does a job end delete its machine)', () => {
  const facts = fc.record({
    deleteWhenDone: fc.constantFrom('never' as const, 'onSuccess' as const, 'always' as const),
    succeeded: fc.boolean(),
    otherJobsRunning: fc.constantFrom(true, false, undefined),
    isProtected: fc.boolean(),
    resultsHome: fc.boolean(),
  });

  it('fast-check: delete exactly when asked, succeeded (or always), nothing else known to run, unprotected, results home', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const expected =
          f.deleteWhenDone !== 'never' &&
          (f.succeeded || f.deleteWhenDone === 'always') &&
          f.otherJobsRunning === false &&
          !f.isProtected &&
          f.resultsHome;
        assert.equal(endDecision(f).kind === 'delete', expected);
      }),
    );
  });

  it('a failed job keeps its machine unless "always"', () => {
    const base = { succeeded: false, otherJobsRunning: false, isProtected: false, resultsHome: true };
    assert.deepEqual(endDecision({ ...base, deleteWhenDone: 'onSuccess' }), { kind: 'keep', reason: 'failed' });
    assert.deepEqual(endDecision({ ...base, deleteWhenDone: 'always' }), { kind: 'delete' });
  });
});
