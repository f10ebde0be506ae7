// The machines behind `npm run demo` (shared with its UI test, test/e2e/demo.test.ts, so the test
// runs exactly what the demo runs): the emulator's demo instances, whose ready ones are reached
// over a REAL loopback sshd started the way the UI tests start theirs (test/unit/gpu/gpuSshd.ts),
// sessions answering nvidia-smi with the real captured outputs of test/fixtures/nvidia-smi
// (test/unit/gpu/stubNvidiaSmi.ts). The 8x trains (busy), the 1x dev box sits idle, so its idle
// marker and its reminder come within the demo's first minute; the spend figures carry a budget.
//
// One sshd stands for every machine: each has its own loopback address (the whole of 127.0.0.0/8
// reaches this host), and a session's nvidia-smi replays the outputs of the machine whose address
// the session came in on. The VS Code the demo opens gets the demo's key in its own ~/.ssh, and the
// host entries and host keys a first Connect would have left there: the user's ~/.ssh is never read.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoInstances, type SeedInstance } from '../emulator';
import { SSHD } from '../e2e/sshd';
import { connectedBefore, startGpuSshd } from '../unit/gpu/gpuSshd';
import { writeStubNvidiaSmi, type StubMode } from '../unit/gpu/stubNvidiaSmi';

/** How long a machine stays idle before it is marked and reminded about: short, so a newcomer sees both. */
export const DEMO_IDLE_MINUTES = 0.5;
/** How often the GPU view samples in the demo (the product's default is 10 s). */
export const DEMO_SAMPLE_SECONDS = 2;
/** The demo's private key, in the demo VS Code's ~/.ssh: the one to choose for every demo machine. */
export const DEMO_KEY = 'fal_demo_ed25519';

/** Each demo instance: where it is, and which real nvidia-smi outputs its sessions replay. */
export const DEMO_MACHINES: ReadonlyArray<{ readonly id: string; readonly address: string; readonly mode: StubMode }> =
  [
    { id: 'inst_demo8xtrain', address: '127.0.0.1', mode: 'h100x8-busy' },
    { id: 'inst_demo1xdev', address: '127.0.0.2', mode: 'h100x1-idle' },
    // Still provisioning when the demo starts; once ready it trains too.
    { id: 'inst_demo1xnew', address: '127.0.0.3', mode: 'h100x1-busy' },
  ];

/** The settings of every demo: the spend figures with a monthly budget a team would set (rates: the product's defaults, fal's prices). */
export const demoSettings: Record<string, unknown> = { 'fal.budget.monthlyUsd': 5000 };

export interface DemoMachines {
  /** The emulator's demo instances at the sshd's addresses. */
  readonly seed: SeedInstance[];
  /** Settings that point the extension at the sshd and make sampling and idleness quick. */
  readonly settings: Record<string, unknown>;
  readonly port: number;
  /** Puts the demo key, the host entries and the host keys in `home` (the HOME of the VS Code the demo opens). */
  prepareHome(home: string): Promise<void>;
  /** Stops sshd at once (for an 'exit' handler); its files go with the demo's dir. */
  stopSync(): void;
}

/** Why the demo runs without GPU figures here, or undefined when it can start its sshd. */
export function sshdMissing(): string | undefined {
  if (!existsSync(SSHD)) return `${SSHD} is not installed (node test/e2e/setup.mjs installs it, as root)`;
  if (process.getuid?.() !== 0) return 'the demo starts sshd only as root (it needs /run/sshd and any login user)';
  return undefined;
}

/** Starts the sshd (its files under `dir`); rejects with the reason when it cannot (see sshdMissing). */
export async function startDemoMachines(dir: string): Promise<DemoMachines> {
  const missing = sshdMissing();
  if (missing) throw new Error(missing);
  const dispatch = join(dir, 'bin');
  mkdirSync(dispatch, { recursive: true });
  const s = await startGpuSshd({
    parent: dir,
    moreAddresses: DEMO_MACHINES.map((m) => m.address).filter((a) => a !== '127.0.0.1'),
    pathFirst: dispatch,
  });
  try {
    writeDispatcher(dispatch, dir);
  } catch (e) {
    s.sshd.stopSync();
    throw e;
  }
  return {
    seed: demoInstances().map((i) => ({ ...i, ip: DEMO_MACHINES.find((m) => m.id === i.id)?.address ?? i.ip })),
    settings: {
      'fal.ssh.port': s.sshd.port,
      'fal.ssh.user': s.user,
      'fal.gpu.sampleSeconds': DEMO_SAMPLE_SECONDS,
      'fal.idle.minutes': DEMO_IDLE_MINUTES,
    },
    port: s.sshd.port,
    prepareHome: (home) => connectedBefore(s, home, DEMO_KEY, DEMO_MACHINES),
    stopSync: () => s.sshd.stopSync(),
  };
}

/** The sessions' `nvidia-smi`: the stub of the machine at the address the session came in on (SSH_CONNECTION's third field). */
function writeDispatcher(binDir: string, dir: string): void {
  const cases = DEMO_MACHINES.map((m) => {
    const stub = writeStubNvidiaSmi(join(dir, 'machines', m.id));
    stub.set(m.mode);
    return `  ${m.address}) exec '${join(stub.binDir, 'nvidia-smi')}' "$@" ;;`;
  });
  const script = join(binDir, 'nvidia-smi');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      '# The demo machines of test/demo/demoMachines.ts: one sshd, one address per machine.',
      'case "$(echo "$SSH_CONNECTION" | cut -d" " -f3)" in',
      ...cases,
      '  *) echo "demo nvidia-smi: no demo machine at this address: $SSH_CONNECTION"; exit 2 ;;',
      'esac',
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
}
