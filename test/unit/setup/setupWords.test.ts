// The row's words for each setup state, on the machine's clock plus ours since its answer; a timeout
// is told apart from a script's own exit 124 by how long the run lasted.
import assert from 'node:assert/strict';
import type { SetupRunFacts, SetupStatus } from '../../../src/setup/setupStatus';
import {
  byteSizeText,
  setupRowText,
  setupStatusDetail,
  startOutcomeText,
  timedOut,
} from '../../../src/setup/setupWords';

const run = (o: Partial<SetupRunFacts> = {}): SetupRunFacts => ({
  runId: 'run-00000001',
  sha256: 'a'.repeat(64),
  timeoutSeconds: 1800,
  startedAtMs: 1_000_000,
  logBytes: 0,
  machineNowMs: 1_000_000 + 90_000,
  ...o,
});
const exited = (exitCode: number, lastedMs: number): SetupStatus => ({
  kind: 'exited',
  run: run(),
  exitCode,
  endedAtMs: 1_000_000 + lastedMs,
});

describe('setup words', () => {
  it('the row: setting up (machine time + ours since the answer), set up, failed, timed out, interrupted, unknown, nothing', () => {
    const running: SetupStatus = { kind: 'running', run: run(), pid: 7 };
    // The machine said 90 s; 40 s have passed here since: 2 min, whatever our clock reads in absolute terms.
    assert.equal(setupRowText(running, 5_000_000_000, 5_000_040_000), 'setting up… 2 min');
    assert.equal(setupRowText(running, 10, 0), 'setting up… 1 min', 'our clock going back adds nothing');
    assert.equal(setupRowText(exited(0, 60_000), 0, 0), 'set up');
    assert.equal(setupRowText(exited(1, 60_000), 0, 0), 'setup failed (exit 1)');
    assert.equal(setupRowText(exited(124, 1_800_000), 0, 0), 'setup timed out after 30 min');
    assert.equal(setupRowText(exited(137, 1_830_000), 0, 0), 'setup timed out after 30 min');
    assert.equal(setupRowText(exited(124, 60_000), 0, 0), 'setup failed (exit 124)', "the script's own 124");
    assert.equal(setupRowText({ kind: 'lost', run: run() }, 0, 0), 'setup interrupted');
    assert.equal(setupRowText({ kind: 'unknown', reason: 'x' }, 0, 0), 'setup state unknown');
    assert.equal(setupRowText({ kind: 'none' }, 0, 0), undefined);
    assert.equal(timedOut(exited(137, 1_830_000)), true);
    assert.match(setupStatusDetail(exited(137, 1_830_000)) ?? '', /killed when it did not end \(exit 137\)/);
    assert.match(setupStatusDetail({ kind: 'lost', run: run() }) ?? '', /Run Setup Again/);
  });

  it('what a start that did nothing new means', () => {
    assert.equal(startOutcomeText({ kind: 'started', runId: 'r' }), undefined);
    assert.match(startOutcomeText({ kind: 'missingTool', tool: 'bash' }) ?? '', /has no `bash`/);
    assert.match(startOutcomeText({ kind: 'existing', sameScript: false }) ?? '', /different setup script/);
    assert.match(startOutcomeText({ kind: 'busy' }) ?? '', /still running/);
    assert.match(startOutcomeText({ kind: 'failed', step: 'write', detail: '' }) ?? '', /disk full/);
    assert.match(startOutcomeText({ kind: 'failed', step: 'damaged', detail: '' }) ?? '', /arrived changed/);
    assert.deepEqual([0, 999, 1000, 2_500_000, 3e9].map(byteSizeText), ['0 B', '999 B', '1.0 KB', '2.5 MB', '3.0 GB']);
  });
});
