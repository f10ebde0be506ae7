#!/usr/bin/env node
// The one test command: `npm test` (all layers) or `npm test -- unit|integration|e2e`.
// Builds, type-checks, lints (eslint.config.mjs), runs each layer in its own process, then prints one closing line
// `N passed, N failed` added up over the layers. A layer that dies without reporting
// counts as one failure, so a crash can never look green.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const results = resolve(root, 'test-results');
const mocha = resolve(root, 'node_modules/mocha/bin/mocha.js');
const reporter = resolve(root, 'out/test/support/summary-reporter.js');

/** Each layer: the commands that prepare it and the command that runs it. */
const layers = {
  unit: {
    run: [process.execPath, '--enable-source-maps', mocha, '--reporter', reporter, '--timeout', '20000', 'out/test/unit/**/*.test.js'],
  },
  integration: {
    prepare: [[process.execPath, 'test/e2e/setup.mjs']],
    run: [process.execPath, '--enable-source-maps', 'out/test/integration/runTests.js'],
  },
  e2e: {
    prepare: [[process.execPath, 'test/e2e/setup.mjs'], ['npm', 'run', '--silent', 'package']],
    run: [process.execPath, '--enable-source-maps', mocha, '--reporter', reporter, '--timeout', '120000', 'out/test/e2e/**/*.test.js'],
  },
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted) {
  if (!(name in layers)) {
    console.error(`Unknown test layer "${name}". Layers: ${Object.keys(layers).join(', ')}`);
    process.exit(2);
  }
}
const selected = wanted.length ? wanted : Object.keys(layers);

function sh(argv, env = {}) {
  const r = spawnSync(argv[0], argv.slice(1), { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

mkdirSync(results, { recursive: true });
let passed = 0;
let failed = 0;
const lines = [];

const setupSteps = [
  ['build', [process.execPath, 'esbuild.mjs']],
  ['typecheck', [process.execPath, 'node_modules/typescript/bin/tsc', '-p', '.', '--noEmit']],
  // The layer rules (eslint.config.mjs): a failure here counts like a failed test.
  ['lint', [process.execPath, 'node_modules/eslint/bin/eslint.js', '.']],
];
for (const [label, argv] of setupSteps) {
  console.log(`\n== ${label}`);
  if (sh(argv) !== 0) {
    failed += 1;
    lines.push(`${label}: FAILED`);
  }
}

if (failed === 0) {
  for (const name of selected) {
    const layer = layers[name];
    const summaryFile = resolve(results, `${name}.summary.json`);
    rmSync(summaryFile, { force: true });
    // Screenshots are evidence of this run only: none may be left over from an earlier one.
    if (name === 'e2e') rmSync(resolve(results, 'screenshots'), { recursive: true, force: true });
    console.log(`\n== ${name} tests`);
    const prepFailed = (layer.prepare ?? []).find((argv) => sh(argv) !== 0);
    if (prepFailed) {
      failed += 1;
      lines.push(`${name}: preparation failed (${prepFailed.join(' ')})`);
      continue;
    }
    const code = sh(layer.run, { FAL_TEST_SUMMARY: summaryFile });
    if (!existsSync(summaryFile)) {
      failed += 1;
      lines.push(`${name}: exited ${code} without a summary (counted as 1 failure)`);
      continue;
    }
    const s = JSON.parse(readFileSync(summaryFile, 'utf8'));
    passed += s.passed;
    failed += s.failed;
    if (code !== 0 && s.failed === 0) {
      failed += 1;
      lines.push(`${name}: ${s.passed} passed, but exited ${code} (counted as 1 failure)`);
    } else {
      lines.push(`${name}: ${s.passed} passed, ${s.failed} failed${s.pending ? `, ${s.pending} pending` : ''}${s.durationMs ? ` in ${(s.durationMs / 1000).toFixed(1)} s` : ''}`);
    }
    if (name === 'unit' && s.passed + s.failed === 0) {
      failed += 1;
      lines.push('unit: no tests ran (counted as 1 failure)');
    }
  }
}

console.log('\n== summary');
for (const l of lines) console.log(`  ${l}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
