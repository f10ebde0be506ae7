// A real sshd and a real SSH connection for the setup tests: the GPU tests' sshd (its user is
// whoever runs the tests), the GPU transport's connection as the RemoteShell, and a setup dir of
// its own per test under the sshd's temp dir, named with spaces, quotes and a `$` so quoting shows.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandConnection } from '../../../src/connections/commandTransport';
import { createSshTransport } from '../../../src/connections/sshTransport';
import { SSHD } from '../../e2e/sshd';
import { waitFor } from '../../support/polling';
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

/** A describe()'s sshd and the connection of the test running: `t.s`, `t.conn` (a test may close and replace it). */
export interface SuiteSshd {
  readonly s: SetupSshd;
  conn: CommandConnection;
}

/**
 * Starts one sshd for the calling describe() (skipping it, saying why, where sshd is not installed),
 * a connection for each test, and closes both after.
 */
export function suiteSshd(): SuiteSshd {
  const t = {} as { s: SetupSshd; conn: CommandConnection };
  before(async function () {
    if (!existsSync(SSHD)) {
      this.test!.parent!.title += ` (skipped: ${SSHD} is not installed; run node test/e2e/setup.mjs)`;
      this.skip();
    }
    t.s = await startSetupSshd();
  });
  after(async () => t.s?.dispose());
  beforeEach(async () => (t.conn = await t.s.connect()));
  afterEach(async () => t.conn?.close());
  return t;
}

/** The SSH user's home as its own shell says (sshd takes it from passwd, not from our HOME). */
export async function homeOf(conn: CommandConnection): Promise<string> {
  return (await conn.run('printf %s "$HOME"', 5_000)).stdout;
}

/**
 * Makes the network go during a follower's read `times` times: each time after its text grew past
 * `step` more characters, then waits for that read to fail (so the follower must read it again).
 */
export async function dropWhileFollowing(
  shell: ReconnectingShell,
  textLength: () => number,
  failures: () => number,
  step: number,
  times = 3,
): Promise<void> {
  for (let drop = 0; drop < times; drop++) {
    await waitFor('more text', textLength, (n) => n > drop * step, 20_000, 20);
    shell.dropDuringNextRun();
    await waitFor('the dropped read', failures, (n) => n > drop, 20_000, 20);
  }
}
