// `npm run demo`: the extension against the bundled fal API emulator with a few sample
// instances, no fal account needed. Desktop VS Code when `code` is on PATH, otherwise the
// browser VS Code of the test harness (code-server) at a printed loopback URL. Ctrl+C stops all.
//
// The emulator's key is handed to VS Code as FAL_KEY, so the extension's own "use the existing
// fal key?" offer picks it up: the demo runs the real product, with no demo-only code in it.
// Where sshd can run, the ready instances are reached over a loopback sshd whose sessions replay
// real nvidia-smi outputs (demoMachines.ts): the GPU view, an idle machine and its reminder.
// Everything the demo creates is in one temp dir, removed on exit (code-server's run dir is the
// harness's own, removed by it).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EMULATOR_KEY, FalEmulator, demoInstances } from '../emulator';
import { repoRoot, startCodeServer } from '../e2e/codeServer';
import { DEMO_KEY, demoSettings, startDemoMachines, type DemoMachines } from './demoMachines';

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
  const dir = mkdtempSync(join(tmpdir(), 'fal-demo-'));
  let machines: DemoMachines | undefined;
  process.on('exit', () => {
    machines?.stopSync();
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    machines = await startDemoMachines(dir);
  } catch (e) {
    console.log(`No GPU figures in this demo: ${e instanceof Error ? e.message : String(e)}.`);
  }
  const port = Number(process.env.FAL_DEMO_PORT ?? 4010);
  const fal = await FalEmulator.start({
    port,
    seed: machines?.seed ?? demoInstances(),
    timeline: { provisioningMs: 60_000 },
  });
  const settings = { 'fal.apiBaseUrl': fal.baseUrl, ...demoSettings, ...machines?.settings };
  console.log(
    `fal API emulator: ${fal.baseUrl} (key ${DEFAULT_EMULATOR_KEY}), ${fal.instances().length} sample instances`,
  );
  if (machines) console.log(`Demo machines: sshd on 127.0.0.1–3 port ${machines.port}`);
  console.log(`Demo files: ${dir} (removed on exit)`);
  const steps = [
    'Click the fal Compute icon in the activity bar and accept "Use This Key" (the emulator key).',
    ...(machines
      ? [
          `GPU view: hover a ready row, click "Choose it…" and pick ${DEMO_KEY} (the demo's key; asked once per machine).`,
          'inst_demo8xtrain trains; inst_demo1xdev sits idle: its idle marker and a reminder follow within a minute.',
        ]
      : []),
  ];
  if (onPath('code') && !process.env.FAL_DEMO_BROWSER) {
    // Desktop VS Code with a throwaway profile and HOME, so the user's own settings, keys and ~/.ssh stay untouched.
    const profile = join(dir, 'profile');
    const home = join(dir, 'home');
    mkdirSync(join(profile, 'User'), { recursive: true });
    mkdirSync(home, { recursive: true });
    writeFileSync(join(profile, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
    await machines?.prepareHome(home);
    const code = spawn(
      'code',
      [
        '--new-window',
        '--wait',
        `--user-data-dir=${profile}`,
        `--extensions-dir=${join(dir, 'extensions')}`,
        `--extensionDevelopmentPath=${repoRoot}`,
      ],
      {
        env: { ...process.env, FAL_KEY: DEFAULT_EMULATOR_KEY, HOME: home },
        stdio: 'inherit',
      },
    );
    const stop = () => process.exit(0); // the 'exit' handler above stops sshd and removes the dir
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    code.on('exit', stop);
    console.log(['Opened desktop VS Code.', ...steps].join('\n'));
    return;
  }

  // The harness stops code-server (and so this process, with the emulator) on Ctrl+C.
  const server = await startCodeServer({ env: { FAL_KEY: DEFAULT_EMULATOR_KEY }, settings });
  await machines?.prepareHome(server.dirs.home);
  const url = server.workbenchUrl({ payload: [['extensionDevelopmentPath', server.remoteUri(repoRoot)]] });
  console.log(`\nOpen VS Code in your browser:\n\n  ${url}\n`);
  console.log(steps.join('\n'));
  console.log('Ctrl+C stops VS Code, the emulator and the demo machines.');
}

void main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
