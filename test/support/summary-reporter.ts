// Mocha reporter used by every test layer: prints like `spec` and, when FAL_TEST_SUMMARY
// names a file, writes {passed, failed, pending} there so test/run.mjs can add up the layers.
import Mocha from 'mocha';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LayerSummary } from './layerResult';

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.FAL_TEST_SUMMARY;
      if (!file) return;
      const stats = runner.stats ?? { passes: 0, failures: 0, pending: 0, duration: 0 };
      const summary: LayerSummary = {
        passed: stats.passes,
        failed: stats.failures,
        pending: stats.pending,
        durationMs: stats.duration ?? 0,
      };
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(summary));
    });
  }
}

export = SummaryReporter;
