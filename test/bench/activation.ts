// Activation time in the real extension host (code-server 1.100.3 through the runTests shim):
// a fresh host per sample, the production bundle in dist/.
import { runTests } from '@vscode/test-electron';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeRunDir } from '../e2e/codeServer';

const root = resolve(__dirname, '../../..');

export async function measureActivation(samples: number): Promise<number[]> {
  const shim = join(root, 'test/integration/code-shim.sh');
  chmodSync(shim, 0o755);
  const results: number[] = [];
  for (let i = 0; i < samples; i++) {
    const tmp = makeRunDir('bench-activation-');
    const out = join(tmp, 'activation.json');
    try {
      await runTests({
        vscodeExecutablePath: shim,
        extensionDevelopmentPath: root,
        extensionTestsPath: join(root, 'out/test/bench/activationHost.js'),
        launchArgs: [`--user-data-dir=${join(tmp, 'user-data')}`, `--extensions-dir=${join(tmp, 'extensions')}`, '--disable-extensions'],
        extensionTestsEnv: { FAL_BENCH_OUT: out, FAL_NODE: process.execPath },
      });
      results.push(JSON.parse(readFileSync(out, 'utf8')).activationMs);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return results;
}
