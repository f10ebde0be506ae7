// A real sshd for the sync tests and bench: one borrowed connection, a fresh remote folder under the
// login user's home (found by asking the machine: $HOME, never a guessed /home/ubuntu), fresh local
// folders, all removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SshConnections } from '../../../src/connections/sshConnections';
import { createSshTransport, type SshTransportOptions } from '../../../src/connections/sshTransport';
import type { CommandConnection } from '../../../src/connections/commandTransport';
import { aliasLine, gpuSshdOrSkip, startGpuSshd, type GpuSshd } from '../gpu/gpuSshd';
import { writeFileSync } from 'node:fs';

export interface SyncSshd {
  readonly sshd: GpuSshd;
  readonly connections: SshConnections;
  connect(): Promise<CommandConnection>;
  /** A connection of its own (not shared): its close() ends the TCP connection under whatever runs on it. */
  connectAlone(): Promise<CommandConnection>;
  /** The machine's home (absolute), to look at the remote copy with plain fs calls (the sshd is local). */
  readonly home: string;
  /** A new local folder, removed by dispose(). */
  localDir(prefix: string): string;
  /** A new remote folder name (relative to home), removed by dispose(). */
  remoteDir(prefix: string): string;
  dispose(): Promise<void>;
}

/** `options.loadSsh2`: where ssh2 comes from (the bench passes the shipped dist/ssh2.js). */
export async function syncSshd(
  ctx?: Mocha.Context,
  options: Pick<SshTransportOptions, 'loadSsh2'> = {},
): Promise<SyncSshd> {
  const sshd = ctx ? await gpuSshdOrSkip(ctx) : await startGpuSshd();
  writeFileSync(sshd.knownHosts, aliasLine('sync', sshd.hostKey));
  const transport = createSshTransport({ knownHostsFile: sshd.knownHosts, agentPath: undefined, ...options });
  const connections = new SshConnections(transport);
  const connect = () => connections.connect(sshd.target('sync'));
  const probe = await connect();
  const home = (await probe.run('printf %s "$HOME"', 10_000)).stdout;
  await probe.close();
  const cleanup: string[] = [];
  return {
    sshd,
    connections,
    connect,
    connectAlone: () => transport.connect(sshd.target('sync')),
    home,
    localDir: (prefix) => {
      const dir = mkdtempSync(join(tmpdir(), `fal-${prefix}-`));
      cleanup.push(dir);
      return dir;
    },
    remoteDir: (prefix) => {
      const name = `fal-sync-test-${prefix}-${Math.random().toString(36).slice(2, 8)}`;
      cleanup.push(join(home, name));
      return name;
    },
    dispose: async () => {
      for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
      await sshd.dispose();
    },
  };
}

/** Registers a suite's before/after: one sshd and one borrowed connection, read once the suite runs. */
export function withSyncSshd(): { readonly s: SyncSshd; readonly conn: CommandConnection } {
  const suite = {} as { s: SyncSshd; conn: CommandConnection };
  before(async function () {
    suite.s = await syncSshd(this);
    suite.conn = await suite.s.connect();
  });
  after(async () => {
    await suite.conn?.close();
    await suite.s?.dispose();
  });
  return suite;
}
