#!/usr/bin/env node
// Copies the README's screenshots from the last UI test run (test-results/screenshots/) into
// media/readme/. Run after `npm run test:e2e`. media/readme/ is not packaged (see .vscodeignore).
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
  'cost-budget-modal',
  'cost-status-bar-budget-warning',
];
mkdirSync(resolve(root, 'media/readme'), { recursive: true });
for (const name of shots)
  copyFileSync(resolve(root, `test-results/screenshots/${name}.png`), resolve(root, `media/readme/${name}.png`));
console.log(`copied ${shots.length} screenshots to media/readme/`);
