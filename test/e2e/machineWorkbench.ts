// A workbench with a machine behind it, for the tests of what happens ON the machine (setup on
// ready, the workspace up and results back): the emulator, whose new instances get 127.0.0.1; a
// REAL sshd whose sessions have their own $HOME (sshd's SetEnv), so the machine's files are this
// test's temp folder; and the sshd's key in the workbench's own ~/.ssh, for the create wizard.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../emulator';
import { waitFor } from '../support/polling';
import { startGpuSshd, type GpuSshd } from '../unit/gpu/gpuSshd';
import { openWorkbench, type Workbench } from './workbench';

export interface MachineWorkbench {
  readonly fal: FalEmulator;
  readonly wb: Workbench;
  readonly s: GpuSshd;
  /** The machine's $HOME. */
  readonly machineHome: string;
  /** Waits until no transfer's progress toast is on screen (it closes when its transfer ends). */
  progressClosed(): Promise<unknown>;
  /** Creates a 1x H100 through the wizard with the key; resolves with its id once fal lists it. */
  createInstance(): Promise<string>;
  dispose(): Promise<void>;
}

export async function openMachineWorkbench(options: {
  readonly workspace: string;
  /** The key's file name in ~/.ssh (its .pub is what the wizard offers). */
  readonly keyName: string;
  readonly settings?: Record<string, unknown>;
}): Promise<MachineWorkbench> {
  const machineHome = mkdtempSync(join(tmpdir(), 'fal-machine-home-'));
  const s = await startGpuSshd({ home: machineHome });
  const fal = await FalEmulator.start({ ip: '127.0.0.1', timeline: { pendingMs: 200, provisioningMs: 800 } });
  const wb = await openWorkbench({
    workspace: options.workspace,
    settings: {
      'fal.apiBaseUrl': fal.baseUrl,
      'fal.refresh.fastIntervalSeconds': 1,
      'fal.gpu.sampleSeconds': 0,
      'fal.credits.warnHours': 0,
      'fal.ssh.user': s.user,
      'fal.ssh.port': s.sshd.port,
      ...options.settings,
    },
  });
  const sshDir = join(wb.server.dirs.home, '.ssh');
  mkdirSync(sshDir, { recursive: true, mode: 0o700 });
  copyFileSync(s.plainKey, join(sshDir, options.keyName));
  copyFileSync(`${s.plainKey}.pub`, join(sshDir, `${options.keyName}.pub`));
  await wb.signIn(DEFAULT_EMULATOR_KEY);
  await wb.runCommand('Notifications: Clear All Notifications');
  return {
    fal,
    wb,
    s,
    machineHome,
    progressClosed: () =>
      waitFor(
        'the progress notification to close',
        () => wb.notifications(),
        (list) => !list.some((n) => /^(Uploading|Downloading|Bringing the results) /.test(n.message)),
        30_000,
        100,
      ),
    async createInstance() {
      const known = fal.instances().map((i) => i.id);
      await wb.runCommand('fal: Create H100 Instance');
      await wb.quickPick.waitForStep('Create H100 Instance', '1/');
      await wb.quickPick.answerAndAdvance('1x H100');
      await wb.quickPick.answerAndAdvance(`${options.keyName}.pub`);
      await wb.quickPick.waitForStep('Create H100 Instance', '3/3');
      await wb.quickPick.answerAndAdvance('Create 1x H100');
      const created = await waitFor(
        'the new instance',
        () => fal.instances().find((i) => !known.includes(i.id)),
        (i) => i !== undefined,
        30_000,
        100,
      );
      return created!.id;
    },
    async dispose() {
      await wb.close();
      await fal.close();
      await s.dispose();
      rmSync(machineHome, { recursive: true, force: true });
    },
  };
}
