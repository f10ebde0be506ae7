// A real sshd and a real SSH connection for the setup tests: the GPU tests' sshd (its user is
// whoever runs the tests), the GPU transport's connection as the RemoteShell, and a setup dir of
// its own per test under the sshd's temp dir, named with spaces, quotes and a `$` so quoting shows.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandConnection } from '../../../src/connections/commandTransport';
import { createSshTransport } from '../../../src/connections/sshTransport';
import { aliasLine, startGpuSshd, type GpuSshd } from '../gpu/gpuSshd';
import { writeFileSync } from 'node:fs';

export const HOSTILE_DIR_NAME = `set up 'it' "now" $HOME \`x\``;

export interface SetupSshd {
  readonly gpu: GpuSshd;
  connect(): Promise<CommandConnection>;
  /** A new setup dir (absolute, not yet made) with HOSTILE_DIR_NAME in its path. */
  newDir(): string;
  dispose(): Promise<void>;
}

export async function startSetupSshd(): Promise<SetupSshd> {
  const gpu = await startGpuSshd();
  writeFileSync(gpu.knownHosts, aliasLine('setup-a', gpu.hostKey));
  const transport = createSshTransport({ knownHostsFile: gpu.knownHosts, agentPath: undefined });
  let n = 0;
  return {
    gpu,
    connect: () => transport.connect({ ...gpu.target('setup-a'), identityFile: gpu.plainKey }),
    newDir: () => {
      const parent = join(gpu.sshd.dir, `setup-${++n}`);
      mkdirSync(parent);
      return join(parent, HOSTILE_DIR_NAME);
    },
    dispose: () => gpu.dispose(),
  };
}

/**
 * A RemoteShell that lends one connection and makes a new one after it failed, as the shared
 * connection owner will; `dropDuringNextRun()` makes the network go while the next command runs.
 */
export class ReconnectingShell {
  private current: Promise<CommandConnection> | undefined;
  connections = 0;
  private dropNext = false;

  constructor(private readonly connect: () => Promise<CommandConnection>) {}

  async run(command: string, timeoutMs: number) {
    this.current ??= (this.connections++, this.connect());
    const conn = this.current;
    try {
      const running = (await conn).run(command, timeoutMs);
      if (this.dropNext) {
        this.dropNext = false;
        await this.drop();
      }
      return await running;
    } catch (e) {
      if (this.current === conn) this.current = undefined;
      throw e;
    }
  }

  dropDuringNextRun(): void {
    this.dropNext = true;
  }

  async drop(): Promise<void> {
    const conn = this.current;
    this.current = undefined;
    await (await conn)?.close();
  }

  async close(): Promise<void> {
    await this.drop();
  }
}
