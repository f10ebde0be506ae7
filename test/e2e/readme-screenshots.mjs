#!/usr/bin/env node
// Copies the README's screenshots from the last UI test run (test-results/screenshots/) into
// media/readme/. Run after `npm run test:e2e`; with names (`… gpu-idle-row demo-spend-budget`), only
// those, after running the UI test files that take them. media/readme/ is not packaged (see .vscodeignore).
// The money in them is realistic: the GPU and cost tests keep fal's default rates, and the spend and
// budget come from the demo (`npm run demo`: default rates, a $5,000 monthly budget), not from the
// cost guard's own test, whose $1.00 budget and $3,600/h rate only drive its logic quickly.
import { copyFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const shots = [
  'instances-tree',
  'instance-tooltip',
  'create-step-1-type',
  'create-step-3-key',
  'create-step-4-confirm',
  'delete-modal',
  'connect-when-ready-progress',
  'welcome-no-key',
  'names-renamed-row',
  'walkthrough-done',
  'gpu-expanded-8x-busy',
  'gpu-tooltip-history',
  'gpu-idle-row',
  'gpu-usage-report',
  'cost-reminder',
  'cost-countdown',
  'demo-idle-reminder',
  'demo-spend-budget',
];
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !shots.includes(name));
if (unknown.length) {
  console.error(`not a README screenshot: ${unknown.join(', ')}`);
  process.exit(2);
}
mkdirSync(resolve(root, 'media/readme'), { recursive: true });
const copied = asked.length ? asked : shots;
for (const name of copied)
  copyFileSync(resolve(root, `test-results/screenshots/${name}.png`), resolve(root, `media/readme/${name}.png`));
console.log(`copied ${copied.length} screenshots to media/readme/`);
