// Extension-host test layer: @vscode/test-electron's runTests() with this checkout as the
// extension under development and out/test/integration/index.js as the test module.
// Desktop VS Code is used when it can be downloaded and shown; otherwise (no network, no display,
// or FAL_VSCODE_SHIM=1) runTests spawns test/integration/code-shim.sh, which runs the same tests
// in code-server + headless Chromium. FAL_VSCODE_SHIM=0 forces the download.
import { runTests } from '@vscode/test-electron';
import { chmodSync, rmSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { join, resolve } from 'node:path';
import { makeRunDir } from '../e2e/codeServer';

const VSCODE_VERSION = '1.100.3'; // the same VS Code as code-server 4.100.3 (test/e2e/setup.mjs)
const root = resolve(__dirname, '../../..');

/** Why the shim is used, or undefined to download desktop VS Code. */
async function shimReason(): Promise<string | undefined> {
  const forced = process.env.FAL_VSCODE_SHIM;
  if (forced === '1') return 'FAL_VSCODE_SHIM=1';
  if (forced === '0') return undefined;
  if (process.platform === 'linux' && !process.env.DISPLAY) return 'no DISPLAY for desktop VS Code';
  try {
    await Promise.race([
      lookup('update.code.visualstudio.com'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('DNS timeout')), 2000).unref()),
    ]);
    return undefined;
  } catch (e) {
    return `VS Code cannot be downloaded (${e instanceof Error ? e.message : String(e)})`;
  }
}

async function main(): Promise<number> {
  const tmp = makeRunDir('runtests-');
  try {
    const reason = await shimReason();
    let vscodeExecutablePath: string | undefined;
    if (reason) {
      vscodeExecutablePath = join(root, 'test/integration/code-shim.sh');
      chmodSync(vscodeExecutablePath, 0o755); // in case a checkout lost the exec bit
      console.log(`runTests: using code-server through ${vscodeExecutablePath} (${reason})`);
    }
    await runTests({
      version: VSCODE_VERSION,
      vscodeExecutablePath,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'out/test/integration/index.js'),
      launchArgs: [
        `--user-data-dir=${join(tmp, 'user-data')}`,
        `--extensions-dir=${join(tmp, 'extensions')}`,
        '--disable-extensions',
      ],
      extensionTestsEnv: { FAL_TEST_HOST_MARKER: 'runTests', FAL_NODE: process.execPath },
    });
    return 0;
  } catch (e) {
    console.error(`runTests: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

void main().then((code) => process.exit(code));
