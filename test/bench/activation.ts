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

async function activationMs(which: keyof typeof EXTENSIONS): Promise<number> {
  const shim = join(root, 'test/integration/code-shim.sh');
  chmodSync(shim, 0o755);
  const tmp = makeRunDir('bench-activation-');
  const out = join(tmp, 'activation.json');
  try {
    await runTests({
      vscodeExecutablePath: shim,
      extensionDevelopmentPath: EXTENSIONS[which].path,
      extensionTestsPath: join(root, 'out/test/bench/activationHost.js'),
      launchArgs: [
        `--user-data-dir=${join(tmp, 'user-data')}`,
        `--extensions-dir=${join(tmp, 'extensions')}`,
        '--disable-extensions',
      ],
      extensionTestsEnv: { FAL_BENCH_OUT: out, FAL_NODE: process.execPath, FAL_BENCH_EXTENSION: EXTENSIONS[which].id },
    });
    return JSON.parse(readFileSync(out, 'utf8')).activationMs;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
