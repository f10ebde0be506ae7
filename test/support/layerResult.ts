// How one test layer's run counts in test/run.mjs's closing `N passed, N failed` line (pure, so
// the counting rules are unit-tested; run.mjs imports the compiled file after the build).

/** What summary-reporter.ts writes to FAL_TEST_SUMMARY. */
export interface LayerSummary {
  passed: number;
  failed: number;
  pending: number;
  /** Wall time of the mocha run (what a layer costs; the README tracks the UI layer's). */
  durationMs?: number;
}

export interface LayerVerdict {
  readonly passed: number;
  readonly failed: number;
  /** Lines for the summary block. */
  readonly lines: string[];
}

/**
 * A layer that died without a summary counts as one failure, as does a non-zero exit with no
 * failed test, and a unit/corpus layer in which no test ran: a crash must never look green.
 * Under CI (`ci`), each skipped/pending test counts as a failure: CI runs on a machine that
 * test/e2e/setup.mjs prepared, so a skip there means a test silently stopped proving anything.
 */
export function judgeLayer(
  name: string,
  exitCode: number,
  summary: LayerSummary | undefined,
  ci: boolean,
): LayerVerdict {
  if (!summary)
    return { passed: 0, failed: 1, lines: [`${name}: exited ${exitCode} without a summary (counted as 1 failure)`] };
  let failed = summary.failed;
  const lines: string[] = [];
  if (exitCode !== 0 && summary.failed === 0) {
    failed += 1;
    lines.push(`${name}: ${summary.passed} passed, but exited ${exitCode} (counted as 1 failure)`);
  } else {
    const took = summary.durationMs ? ` in ${(summary.durationMs / 1000).toFixed(1)} s` : '';
    lines.push(
      `${name}: ${summary.passed} passed, ${summary.failed} failed${summary.pending ? `, ${summary.pending} pending` : ''}${took}`,
    );
  }
  if ((name === 'unit' || name === 'corpus') && summary.passed + summary.failed === 0) {
    failed += 1;
    lines.push(`${name}: no tests ran (counted as 1 failure)`);
  }
  if (ci && summary.pending > 0) {
    failed += summary.pending;
    lines.push(`${name}: ${summary.pending} test(s) skipped/pending under CI=true (each counted as a failure)`);
  }
  return { passed: summary.passed, failed, lines };
}
