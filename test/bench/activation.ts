// Activation time in the real extension host (code-server 1.100.3 through the runTests shim), a
// fresh host per sample, the production bundle in dist/ — each sample paired with one of an empty
// extension (test/fixtures/empty-extension) in the next fresh host. Absolute times swing 2.5×
// between runs on a shared machine; the ratio of a pair is what is tracked. (code-server loads one
// development extension per window, so the two cannot share a host.)
import { runTests } from '@vscode/test-electron';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeRunDir } from '../e2e/codeServer';

const root = resolve(__dirname, '../../..');
const EXTENSIONS = {
  fal: { path: root, id: 'fal-compute-community.fal-compute' },
  empty: { path: join(root, 'test/fixtures/empty-extension'), id: 'fal-compute-bench.empty-extension' },
} as const;

export interface ActivationSample {
  falMs: number;
  emptyMs: number;
}

export async function measureActivation(samples: number): Promise<ActivationSample[]> {
  const results: ActivationSample[] = [];
  for (let i = 0; i < samples; i++) {
    // Alternate which goes first, so a machine getting busier does not favour one side.
    const order = i % 2 === 0 ? (['fal', 'empty'] as const) : (['empty', 'fal'] as const);
    const ms: Record<string, number> = {};
    for (const which of order) ms[which] = await activationMs(which);
    results.push({ falMs: ms.fal!, emptyMs: ms.empty! });
  }
  return results;
}

export interface ActivationSplit {
  evaluationMs: number;
  wiringMs: number;
  /** After activation, the first need of the features it leaves out (the spend report opened): dist/features.js required, the features built. */
  firstNeedMs: number;
  /** The wiring's CPU profile (activate() alone), as the DevTools protocol gives it. */
  profile: unknown;
}

/** One fresh host: the bundle's evaluation and activate()'s wiring timed apart, the wiring profiled; then the features' first need. */
export async function measureActivationSplit(): Promise<ActivationSplit> {
  const tmp = makeRunDir('bench-activation-split-');
  try {
    const out = await hostRun('fal', tmp, { FAL_BENCH_SPLIT: '1' });
    const { evaluationMs, wiringMs, firstNeedMs } = JSON.parse(readFileSync(out, 'utf8'));
    const profile: unknown = JSON.parse(readFileSync(join(tmp, 'activation.cpuprofile'), 'utf8'));
    return { evaluationMs, wiringMs, firstNeedMs, profile };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function activationMs(which: keyof typeof EXTENSIONS): Promise<number> {
  const tmp = makeRunDir('bench-activation-');
  try {
    return JSON.parse(readFileSync(await hostRun(which, tmp), 'utf8')).activationMs;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function hostRun(which: keyof typeof EXTENSIONS, tmp: string, env: Record<string, string> = {}): Promise<string> {
  const shim = join(root, 'test/integration/code-shim.sh');
  chmodSync(shim, 0o755);
  const out = join(tmp, 'activation.json');
  await runTests({
    vscodeExecutablePath: shim,
    extensionDevelopmentPath: EXTENSIONS[which].path,
    extensionTestsPath: join(root, 'out/test/bench/activationHost.js'),
    launchArgs: [
      `--user-data-dir=${join(tmp, 'user-data')}`,
      `--extensions-dir=${join(tmp, 'extensions')}`,
      '--disable-extensions',
    ],
    extensionTestsEnv: {
      FAL_BENCH_OUT: out,
      FAL_NODE: process.execPath,
      FAL_BENCH_EXTENSION: EXTENSIONS[which].id,
      ...env,
    },
  });
  return out;
}
