import assert from 'node:assert/strict';
import { judgeLayer } from '../../support/layerResult';

describe('test/run.mjs: how a layer counts (judgeLayer)', () => {
  it('under CI=true every skipped/pending test is a failure; locally it is only reported', () => {
    const ci = judgeLayer('unit', 0, { passed: 10, failed: 0, pending: 4 }, true);
    assert.equal(ci.failed, 4);
    assert.match(ci.lines.join('\n'), /4 test\(s\) skipped\/pending under CI=true/);
    const local = judgeLayer('unit', 0, { passed: 10, failed: 0, pending: 4 }, false);
    assert.equal(local.failed, 0);
    assert.match(local.lines.join('\n'), /10 passed, 0 failed, 4 pending/);
  });

  it('a crash never looks green: no summary, a non-zero exit, or no test at all is one failure', () => {
    assert.deepEqual(
      [
        judgeLayer('e2e', 1, undefined, false).failed,
        judgeLayer('e2e', 3, { passed: 2, failed: 0, pending: 0 }, false).failed,
      ],
      [1, 1],
    );
    assert.equal(judgeLayer('corpus', 0, { passed: 0, failed: 0, pending: 0 }, false).failed, 1);
    assert.deepEqual(judgeLayer('integration', 1, { passed: 5, failed: 2, pending: 0 }, true), {
      passed: 5,
      failed: 2,
      lines: ['integration: 5 passed, 2 failed'],
    });
  });
});
