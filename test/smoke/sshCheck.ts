// The SSH step of the smoke test, over the extension's own SSH code: the port waited for with
// src/ssh/reachability.ts (as Connect does), the host key checked by src/connections/sshTransport.ts (ssh2,
// host key pinned from a known_hosts file, only our key, never a password), `nvidia-smi -L` and one
// GPU sample run by the sampler's InstanceSampler on that one connection, parsed by src/gpu.
//
// The host key: a fresh machine's key cannot be known in advance, so it is accepted on first use
// for this one throwaway machine — read in an ssh2 handshake that stops at the host key (nothing
// is authenticated or sent), written under the instance's HostKeyAlias to a known_hosts file in the
// run's temporary folder (deleted after), and recorded in the report.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'ssh2';
import { realTimers } from '../../src/base/timers';
import { expectedGpus } from '../../src/core/instanceTypes';
import { CommandTransportError } from '../../src/connections/commandTransport';
import { InstanceSampler } from '../../src/gpu/instanceSampler';
import { SampleCommand } from '../../src/gpu/sampleCommand';
import { createSshTransport } from '../../src/connections/sshTransport';
import { describeState } from '../../src/gpu/stateWords';
import type { GpuState } from '../../src/gpu/types';
import { hostAlias } from '../../src/ssh/hostEntry';
import { waitForTcp } from '../../src/ssh/reachability';
import { WireReader } from '../../src/ssh/sshWire';

export interface HostKey {
  readonly type: string;
  /** `SHA256:…` as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;
  /** `type base64`, as written to the run's known_hosts. */
  readonly publicKey: string;
}

export interface SshTarget {
  readonly id: string;
  readonly ip: string;
  readonly port: number;
  readonly user: string;
  readonly instanceType: string;
  readonly identityFile: string;
  /** The run's temporary folder: the known_hosts file goes there. */
  readonly dir: string;
}

export interface SshResult {
  readonly hostKey: HostKey;
  /** Host keys seen before the one that worked, if the machine changed its key meanwhile. */
  readonly earlierHostKeys: readonly HostKey[];
  readonly attempts: number;
  /** When the first command answered (epoch ms): ready → SSH. */
  readonly connectedAt: number;
  readonly nvidiaSmiL: readonly string[];
  readonly sample: GpuState;
}

export class SshStepError extends Error {
  constructor(
    message: string,
    readonly partial: Partial<SshResult> = {},
  ) {
    super(message);
  }
}

const RETRIED: ReadonlySet<CommandTransportError['kind']> = new Set([
  'auth',
  'network',
  'timeout',
  'closed',
  'hostKeyMismatch',
]);
const COMMAND_TIMEOUT_MS = 30_000;
const PAUSE_MS = 3_000;

/**
 * Connects (trying again until `deadline` while the machine is still coming up: port closed, key
 * not installed yet), then runs `nvidia-smi -L` and one sample. Throws SshStepError.
 */
export async function checkSsh(
  target: SshTarget,
  options: { deadline: number; signal: AbortSignal; say: (line: string) => void },
): Promise<SshResult> {
  const { deadline, signal, say } = options;
  const knownHostsFile = join(target.dir, 'known_hosts');
  const transport = createSshTransport({ knownHostsFile, agentPath: undefined, connectTimeoutMs: 15_000 });
  const sampler = new InstanceSampler(
    {
      id: target.id,
      ip: target.ip,
      port: target.port,
      user: target.user,
      identityFile: target.identityFile,
      expected: expectedGpus(target.instanceType),
    },
    {
      transport,
      timers: realTimers,
      command: new SampleCommand(),
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
      log: say,
      changed: () => undefined,
    },
    600_000,
    5,
    600_000,
  );
  const seen: HostKey[] = [];
  let attempts = 0;
  const known = () => ({
    attempts,
    ...(seen.length > 0 && { hostKey: seen.at(-1)!, earlierHostKeys: seen.slice(0, -1) }),
  });
  try {
    for (;;) {
      signal.throwIfAborted();
      attempts++;
      let last: string;
      try {
        await waitForTcp(target.ip, target.port, { attempts: 1, timeoutMs: 5_000, signal });
        const hostKey = await readHostKey(target.ip, target.port, 15_000);
        if (seen.at(-1)?.publicKey !== hostKey.publicKey) {
          seen.push(hostKey);
          say(`  host key ${hostKey.type} ${hostKey.fingerprint}: accepted for this throwaway machine only`);
          await writeFile(knownHostsFile, `${hostAlias(target.id)} ${hostKey.publicKey}\n`, { mode: 0o600 });
        }
        const listed = await abortable(sampler.run('nvidia-smi -L', COMMAND_TIMEOUT_MS), signal);
        const connectedAt = Date.now();
        const partial = { hostKey, earlierHostKeys: seen.slice(0, -1), attempts, connectedAt };
        const lines = listed.stdout.split(/\r?\n/).filter((l) => l.trim() !== '');
        if (listed.exitCode !== 0 || !lines.some((l) => /^GPU \d+: /.test(l)))
          throw new SshStepError(
            `nvidia-smi -L ${listed.exitCode === 0 ? 'listed no GPU' : `exited ${listed.exitCode ?? 'by a signal'}`}: ${[...lines, listed.stderr.trim()].filter(Boolean).join(' | ').slice(0, 500)}`,
            { ...partial, nvidiaSmiL: lines },
          );
        await abortable(sampler.sample(), signal);
        const sample = sampler.state ?? { kind: 'sshFailed', reason: 'no sample was taken' };
        if (sample.kind !== 'ok')
          throw new SshStepError(`the GPU sample failed: ${describeState(sample)}`, {
            ...partial,
            nvidiaSmiL: lines,
            sample,
          });
        return { ...partial, nvidiaSmiL: lines, sample };
      } catch (e) {
        if (e instanceof SshStepError || signal.aborted) throw e;
        const retried = !(e instanceof CommandTransportError) || RETRIED.has(e.kind);
        last = e instanceof Error ? e.message : String(e);
        if (!retried) throw new SshStepError(last, known());
      }
      await sampler.closeConnection();
      const pause = Math.min(PAUSE_MS, deadline - Date.now());
      if (pause <= 0)
        throw new SshStepError(`no SSH within the wait after ready (${attempts} attempts); last: ${last}`, known());
      say(`  SSH not yet (${last}); trying again in ${(pause / 1000).toFixed(1)} s`);
      await abortable(new Promise((r) => setTimeout(r, pause)), signal);
    }
  } finally {
    await sampler.closeConnection();
  }
}

/** The server's host key, from a handshake that stops there: nothing is authenticated, nothing sent. */
export function readHostKey(host: string, port: number, timeoutMs: number): Promise<HostKey> {
  return new Promise<HostKey>((resolve, reject) => {
    const client = new Client();
    let key: Buffer | undefined;
    const done = () => {
      client.destroy();
      if (key) resolve(hostKeyOf(key));
      else reject(new CommandTransportError('network', `${host}:${port} showed no host key`));
    };
    client.on('error', (e: Error) =>
      key ? done() : (client.destroy(), reject(new CommandTransportError('network', e.message))),
    );
    client.on('ready', done);
    client.on('close', done);
    client.connect({
      host,
      port,
      username: 'host-key-only',
      readyTimeout: timeoutMs,
      tryKeyboard: false,
      hostVerifier: (presented: Buffer) => {
        key = Buffer.from(presented);
        return false; // stop here: the key is all we wanted
      },
    });
  });
}

export function hostKeyOf(blob: Buffer): HostKey {
  const type = new WireReader(blob).ascii();
  const fingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
  return { type, fingerprint, publicKey: `${type} ${blob.toString('base64')}` };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}
