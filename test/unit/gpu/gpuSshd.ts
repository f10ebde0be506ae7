// A real sshd for the GPU transport tests and the GPU bench: TestSshd (LogLevel VERBOSE) with the
// stub nvidia-smi first on every session's PATH (sshd_config `SetEnv`, so nothing in the user's
// home changes), client keys (plain and passphrase-protected) in authorized_keys, and our own
// known_hosts holding the server's key under the instance's HostKeyAlias.
import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { hostAlias, sshPaths, upsertHost } from '../../../src/ssh';
import { rememberHostKey } from '../../../src/ssh/rememberHostKey';
import type { GpuTarget } from '../../../src/gpu/types';
import { KEYGEN, SSHD, TestSshd } from '../../e2e/sshd';
import { waitFor } from '../../support/polling';
import { writeStubNvidiaSmi, type StubNvidiaSmi } from './stubNvidiaSmi';

export const PASSPHRASE = 'correct horse battery staple';

export interface GpuSshd {
  readonly sshd: TestSshd;
  readonly stub: StubNvidiaSmi;
  readonly user: string;
  /** Unencrypted ed25519 client key. */
  readonly plainKey: string;
  /** Passphrase-protected ed25519 client key (PASSPHRASE). */
  readonly lockedKey: string;
  /** Our known_hosts (like ~/.ssh/fal/known_hosts). */
  readonly knownHosts: string;
  /** `ssh-ed25519 AAAA…` of the server. */
  readonly hostKey: string;
  target(id: string, identityFile?: string): GpuTarget & { readonly identityFile: string };
  /** Lines of the sshd log matching `re`. */
  logLines(re: RegExp): string[];
  dispose(): Promise<void>;
}

/**
 * A mocha `before` hook body: starts the sshd, or skips the suite with the reason in its title when
 * sshd is not installed (test/e2e/setup.mjs installs it; under CI=true a skip counts as a failure).
 */
export async function gpuSshdOrSkip(ctx: Mocha.Context, options: GpuSshdOptions = {}): Promise<GpuSshd> {
  if (!existsSync(SSHD)) {
    ctx.test!.parent!.title += ` (skipped: ${SSHD} is not installed; run node test/e2e/setup.mjs)`;
    ctx.skip();
  }
  return startGpuSshd(options);
}

export interface GpuSshdOptions {
  /** The sessions' $HOME (sshd's SetEnv), so what a test writes under ~ stays in its own folder. */
  readonly home?: string;
  /** Where sshd's temp dir goes (default: the system's temp dir). */
  readonly parent?: string;
  /** Loopback addresses sshd listens on besides 127.0.0.1 (same port): one sshd standing for several machines. */
  readonly moreAddresses?: readonly string[];
  /** A folder put on the sessions' PATH before the stub's (a command of its own that shadows the stub). */
  readonly pathFirst?: string;
}

export async function startGpuSshd(options: GpuSshdOptions = {}): Promise<GpuSshd> {
  const sshd = await TestSshd.start(options.parent);
  const dir = join(sshd.dir, 'gpu');
  mkdirSync(dir, { recursive: true });
  const stub = writeStubNvidiaSmi(join(dir, 'stub'));
  // Sessions get the stub first on their PATH. SIGHUP makes sshd re-exec itself and read the config
  // again (same pid file, same port): quicker and steadier on a loaded machine than stop + start.
  const path = [...(options.pathFirst ? [options.pathFirst] : []), stub.binDir, '/usr/local/bin:/usr/bin:/bin'];
  appendFileSync(
    sshd.config,
    [
      ...(options.moreAddresses ?? []).map((a) => `ListenAddress ${a}`),
      `SetEnv PATH=${path.join(':')}${options.home ? ` HOME=${options.home}` : ''}`,
      '',
    ].join('\n'),
  );
  process.kill(Number(readFileSync(sshd.pidFile, 'utf8').trim()), 'SIGHUP');
  await waitFor(
    'sshd to reload its config',
    () => readFileSync(sshd.log, 'utf8').split('Server listening').length - 1,
    (n) => n >= 2 + (options.moreAddresses?.length ?? 0), // once before, then once per address
    20_000,
    50,
  );

  const plainKey = join(dir, 'id_plain');
  const lockedKey = join(dir, 'id_locked');
  execFileSync(KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', 'gpu plain', '-f', plainKey]);
  execFileSync(KEYGEN, ['-q', '-t', 'ed25519', '-N', PASSPHRASE, '-C', 'gpu locked', '-f', lockedKey]);
  writeFileSync(
    sshd.authorizedKeys,
    `${readFileSync(`${plainKey}.pub`, 'utf8')}${readFileSync(`${lockedKey}.pub`, 'utf8')}`,
    { mode: 0o600 },
  );

  const hostKey = readFileSync(join(sshd.dir, 'host_key.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, '');
  const user = userInfo().username;
  return {
    sshd,
    stub,
    user,
    plainKey,
    lockedKey,
    knownHosts,
    hostKey,
    target: (id, identityFile = plainKey) => ({ id, ip: '127.0.0.1', port: sshd.port, user, identityFile }),
    logLines: (re) =>
      readFileSync(sshd.log, 'utf8')
        .split('\n')
        .filter((l) => re.test(l)),
    dispose: () => sshd.dispose(),
  };
}

/** The known_hosts line ssh writes for an instance's HostKeyAlias. */
export function aliasLine(id: string, key: string): string {
  return `${hostAlias(id)} ${key}\n`;
}

/** The settings that point the extension at this sshd, sampling every second and calling a machine idle after 3 s. */
export function quickGpuSettings(s: GpuSshd): Record<string, unknown> {
  return {
    'fal.ssh.port': s.sshd.port,
    'fal.ssh.user': s.user,
    'fal.gpu.sampleSeconds': 1,
    'fal.idle.minutes': 0.05,
  };
}

/**
 * What a first Connect to each machine would have left in `home`'s ~/.ssh: the sshd's key as `keyName`,
 * each machine's host entry (our managed file) and its host key. The user's own ~/.ssh is never read.
 */
export async function connectedBefore(
  s: GpuSshd,
  home: string,
  keyName: string,
  machines: ReadonlyArray<{ readonly id: string; readonly address: string }>,
): Promise<void> {
  const paths = sshPaths(home);
  mkdirSync(paths.sshDir, { recursive: true, mode: 0o700 });
  const key = join(paths.sshDir, keyName);
  copyFileSync(s.plainKey, key);
  copyFileSync(`${s.plainKey}.pub`, `${key}.pub`);
  const hostKey = Buffer.from(s.hostKey.split(' ')[1]!, 'base64');
  for (const m of machines) {
    const alias = hostAlias(m.id);
    await upsertHost(paths.managedConfig, {
      alias,
      hostName: m.address,
      user: s.user,
      port: s.sshd.port,
      identityFile: key,
      knownHostsFile: paths.knownHosts,
    });
    if (!(await rememberHostKey(paths.knownHosts, alias, hostKey)))
      throw new Error(`the host key of ${m.id} was not recorded in ${paths.knownHosts}`);
  }
}
