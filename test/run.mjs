#!/usr/bin/env node
// The one test command: `npm test` (all layers) or `npm test -- unit|corpus|integration|e2e`.
// Builds, type-checks, lints (eslint.config.mjs), installs what the tests need (test/e2e/setup.mjs: sshd/ssh, Chromium,
// code-server) before the first layer, runs each layer in its own process, then prints one
// closing line `N passed, N failed` added up over the layers. A layer that dies without
// reporting counts as one failure, so a crash can never look green. Under CI=true a skipped
// (pending) test counts as a failure: on a machine set up by this script nothing may skip.
// The corpus layer (116 real SSH configs, third-party data read from ../shared, never copied
// here) runs with all layers when that folder exists; `npm run test:corpus` asks for it alone.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const results = resolve(root, 'test-results');
const mocha = resolve(root, 'node_modules/mocha/bin/mocha.js');
const reporter = resolve(root, 'out/test/support/summary-reporter.js');
const corpusDir = resolve(root, '..', 'shared', 'ssh-config-corpus');
const ci = process.env.CI === 'true' || process.env.CI === '1';

/** Each layer: the commands that prepare it and the command that runs it. */
const layers = {
  unit: {
    run: [
      process.execPath,
      '--enable-source-maps',
      mocha,
      '--reporter',
      reporter,
      '--timeout',
      '20000',
      'out/test/unit/**/*.test.js',
    ],
  },
  corpus: {
    run: [
      process.execPath,
      '--enable-source-maps',
      mocha,
      '--reporter',
      reporter,
      '--timeout',
      '60000',
      'out/test/corpus/**/*.test.js',
    ],
  },
  integration: {
    run: [process.execPath, '--enable-source-maps', 'out/test/integration/runTests.js'],
  },
  e2e: {
    prepare: [['npm', 'run', '--silent', 'package']],
    run: [
      process.execPath,
      '--enable-source-maps',
      mocha,
      '--reporter',
      reporter,
      '--timeout',
      '120000',
      'out/test/e2e/**/*.test.js',
    ],
  },
};

// `--repeat N` runs each selected layer N times in a row (e.g. `npm run test:e2e -- --repeat 3`): a test
// that passes once but not after itself, or only on an idle machine, shows up as a failure.
const args = process.argv.slice(2);
const repeatAt = args.findIndex((a) => a === '--repeat' || a.startsWith('--repeat='));
const repeat =
  repeatAt < 0 ? 1 : Number(args[repeatAt].includes('=') ? args[repeatAt].split('=')[1] : args[repeatAt + 1]);
if (!Number.isInteger(repeat) || repeat < 1) {
  console.error('--repeat takes a whole number of runs, at least 1');
  process.exit(2);
}
const wanted = args.filter(
  (a, i) => !a.startsWith('-') && !(repeatAt >= 0 && i === repeatAt + 1 && !args[repeatAt].includes('=')),
);
for (const name of wanted) {
  if (!(name in layers)) {
    console.error(`Unknown test layer "${name}". Layers: ${Object.keys(layers).join(', ')}`);
    process.exit(2);
  }
}
// All layers: the corpus only where ../shared holds it; asked for by name, it must be there.
const selected = wanted.length
  ? wanted
  : Object.keys(layers).filter((name) => name !== 'corpus' || existsSync(corpusDir));

function sh(argv, env = {}) {
  const r = spawnSync(argv[0], argv.slice(1), { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

mkdirSync(results, { recursive: true });
let passed = 0;
let failed = 0;
const lines = [];

/** [label, command, whether a failure stops the layers from running]. */
const setupSteps = [
  ['build', [process.execPath, 'esbuild.mjs'], true],
  ['typecheck', [process.execPath, 'node_modules/typescript/bin/tsc', '-p', '.', '--noEmit'], true],
  // Before the first layer, not only the UI layers: unit tests use the real ssh, ssh-keygen and
  // sshd. A failure (e.g. not root, packages missing) is counted, and the layers still run.
  ['setup (test/e2e/setup.mjs)', [process.execPath, 'test/e2e/setup.mjs'], false],
  // The layer rules (eslint.config.mjs): a failure counts like a failed test; the layers still run.
  ['lint', [process.execPath, 'node_modules/eslint/bin/eslint.js', '.'], false],
  // One format (.prettierrc.json, lines ≤ 120): `npm run format` writes it; a file left unformatted counts as a failure.
  [
    'format',
    [process.execPath, 'node_modules/prettier/bin/prettier.cjs', '--check', '--log-level', 'warn', '.'],
    false,
  ],
];
let blocked = false;
for (const [label, argv, blocking] of setupSteps) {
  console.log(`\n== ${label}`);
  if (sh(argv) !== 0) {
    failed += 1;
    blocked ||= blocking;
    lines.push(`${label}: FAILED`);
  }
}

// The counting rules, from the build just made (test/support/layerResult.ts).
const { judgeLayer } = blocked
  ? {}
  : (await import(pathToFileURL(resolve(root, 'out/test/support/layerResult.js')).href)).default;

if (!blocked) {
  for (const name of selected) {
    if (name === 'corpus' && !existsSync(corpusDir)) {
      failed += 1;
      lines.push(`corpus: ${corpusDir} not found (the 116 configs are read from there, never copied into the repo)`);
      continue;
    }
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
    for (let run = 1; run <= repeat; run++) {
      if (repeat > 1) console.log(`\n== ${name} tests, run ${run} of ${repeat}`);
      rmSync(summaryFile, { force: true });
      const code = sh(layer.run, { FAL_TEST_SUMMARY: summaryFile });
      const summary = existsSync(summaryFile) ? JSON.parse(readFileSync(summaryFile, 'utf8')) : undefined;
      const verdict = judgeLayer(name, code, summary, ci);
      passed += verdict.passed;
      failed += verdict.failed;
      lines.push(...verdict.lines.map((l) => (repeat > 1 ? `${l} (run ${run} of ${repeat})` : l)));
    }
  }
}

if (!wanted.length && !selected.includes('corpus')) lines.push(`corpus: not run (${corpusDir} not found)`);

console.log('\n== summary');
for (const l of lines) console.log(`  ${l}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
