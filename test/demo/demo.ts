// `npm run demo`: the extension against the bundled fal API emulator with a few sample
// instances, no fal account needed. Desktop VS Code when `code` is on PATH, otherwise the
// browser VS Code of the test harness (code-server) at a printed loopback URL. Ctrl+C stops all.
//
// The emulator's key is handed to VS Code as FAL_KEY, so the extension's own "use the existing
// fal key?" offer picks it up: the demo runs the real product, with no demo-only code in it.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EMULATOR_KEY, FalEmulator, demoInstances } from '../emulator';
import { repoRoot, startCodeServer } from '../e2e/codeServer';

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => {
    try {
      return statSync(join(dir, command)).isFile();
    } catch {
      return false;
    }
  });
}

async function main(): Promise<void> {
  const port = Number(process.env.FAL_DEMO_PORT ?? 4010);
  const fal = await FalEmulator.start({ port, seed: demoInstances(), timeline: { provisioningMs: 60_000 } });
  const settings = { 'fal.apiBaseUrl': fal.baseUrl };
  console.log(
    `fal API emulator: ${fal.baseUrl} (key ${DEFAULT_EMULATOR_KEY}), ${fal.instances().length} sample instances`,
  );
  if (onPath('code') && !process.env.FAL_DEMO_BROWSER) {
    // Desktop VS Code with a throwaway profile, so the user's own settings and keys stay untouched.
    const profile = mkdtempSync(join(tmpdir(), 'fal-demo-'));
    mkdirSync(join(profile, 'User'), { recursive: true });
    writeFileSync(join(profile, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
    const code = spawn(
      'code',
      ['--new-window', '--wait', `--user-data-dir=${profile}`, `--extensionDevelopmentPath=${repoRoot}`],
      {
        env: { ...process.env, FAL_KEY: DEFAULT_EMULATOR_KEY },
        stdio: 'inherit',
      },
    );
    const stop = () => {
      rmSync(profile, { recursive: true, force: true });
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    code.on('exit', stop);
    console.log('Opened desktop VS Code. Open the fal Compute view and accept "Use This Key".');
    return;
  }

  // The harness stops code-server (and so this process, with the emulator) on Ctrl+C.
  const server = await startCodeServer({ env: { FAL_KEY: DEFAULT_EMULATOR_KEY }, settings });
  const url = server.workbenchUrl({ payload: [['extensionDevelopmentPath', server.remoteUri(repoRoot)]] });
  console.log(`\nOpen VS Code in your browser:\n\n  ${url}\n`);
  console.log('Then click the fal Compute icon in the activity bar and accept "Use This Key" (the emulator key).');
  console.log('Ctrl+C stops VS Code and the emulator.');
}

void main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
