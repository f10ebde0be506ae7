// Shared by the ssh tests: temp dirs (never the real ~/.ssh), the real OpenSSH tools, and a
// throw-away sshd on 127.0.0.1.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { waitForTcp } from '../../../src/ssh/reachability';
import { freePort } from '../../support/freePort';
import { sshdConfig } from '../../support/sshdConfig';

export { freePort };

/** A fresh temp dir per test; removed by the returned cleanup. */
export function makeTempDir(prefix = 'fal-ssh-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Temp files our writers might leave behind (`.name.random.tmp`, `.lock`). */
export function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.tmp') || n === '.lock');
}

export const SSH_KEYGEN = '/usr/bin/ssh-keygen';
export const SSH = '/usr/bin/ssh';
export const SSHD = '/usr/sbin/sshd';
export const hasOpenSsh = (): boolean => existsSync(SSH_KEYGEN) && existsSync(SSH);

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program without a shell; never throws for a non-zero exit. */
export function run(file: string, args: string[], timeoutMs = 15_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}

/** `ssh -G` (print the resolved config, no connection) for host with the given config file. */
export async function sshG(configFile: string, host: string): Promise<Map<string, string>> {
  const r = await run(SSH, ['-G', '-F', configFile, host]);
  if (r.code !== 0) throw new Error(`ssh -G ${host} failed (${r.code}): ${r.stderr}`);
  const values = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0)
      values.set(
        line.slice(0, space),
        (values.has(line.slice(0, space)) ? `${values.get(line.slice(0, space))}\n` : '') + line.slice(space + 1),
      );
  }
  return values;
}

export interface Sshd {
  readonly port: number;
  readonly user: string;
  readonly logFile: string;
  stop(): Promise<void>;
}

/**
 * A real Debian sshd on 127.0.0.1:<free port> (recipe of vscode-e2e-notes §8), running in the
 * foreground (-D) as our child so it is stopped by its pid. It lets in `user` (whoever runs the
 * tests) with the keys in authorizedKeys.
 */
export async function startSshd(
  dir: string,
  authorizedKeys: string,
  options: { hostKey?: string; port?: number } = {},
): Promise<Sshd> {
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation dir
  const hostKey = options.hostKey ?? join(dir, 'ssh_host_ed25519_key');
  if (!existsSync(hostKey)) {
    const r = await run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', 'test host', '-f', hostKey]);
    if (r.code !== 0) throw new Error(`ssh-keygen (host key) failed: ${r.stderr}`);
  }
  writeFileSync(join(dir, 'authorized_keys'), authorizedKeys, { mode: 0o600 });
  const port = options.port ?? (await freePort());
  const config = join(dir, 'sshd_config');
  const logFile = join(dir, 'sshd.log');
  writeFileSync(
    config,
    sshdConfig({ port, hostKey, pidFile: join(dir, 'sshd.pid'), authorizedKeys: join(dir, 'authorized_keys') }),
  );
  const child: ChildProcess = spawn(SSHD, ['-D', '-f', config, '-E', logFile], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForTcp('127.0.0.1', port, { attempts: 100, timeoutMs: 500, delayMs: 20 });
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '(no log)';
    throw new Error(`sshd did not start: ${(e as Error).message}\n${log}`);
  }
  return {
    port,
    user: userInfo().username,
    logFile,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** ssh options that keep the client away from the agent, the global known_hosts and prompts. */
export const ISOLATED_SSH_OPTIONS = [
  '-o',
  'BatchMode=yes',
  '-o',
  'IdentityAgent=none',
  '-o',
  'GlobalKnownHostsFile=/dev/null',
  '-o',
  'ConnectTimeout=5',
];

/**
 * The identity files ssh would really try for host (after %-token expansion, which `ssh -G` does
 * not show): `ssh -v` logs them before it connects; a ProxyCommand that exits at once stands in
 * for the connection. ssh logs through vis(3) (`\\` for a backslash, `\ooo` for other bytes).
 */
export async function sshIdentityFiles(configFile: string, host: string): Promise<string[]> {
  const r = await run(SSH, [
    '-v',
    '-F',
    configFile,
    '-o',
    'ProxyCommand=exec /bin/false',
    '-o',
    'BatchMode=yes',
    host,
    'true',
  ]);
  return [...r.stderr.matchAll(/^debug1: identity file (.*) type -?\d+\r?$/gm)]
    .map((m) => unvis(m[1]!))
    .filter((f) => !f.endsWith('-cert'));
}

/** Undoes vis(3) with VIS_SAFE|VIS_OCTAL, as OpenSSH's log.c writes to stderr. */
export function unvis(text: string): string {
  const bytes: number[] = [];
  const raw = Buffer.from(text, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x5c && raw[i + 1] === 0x5c) {
      bytes.push(0x5c);
      i++;
    } else if (raw[i] === 0x5c && /^[0-7]{3}$/.test(raw.toString('latin1', i + 1, i + 4))) {
      bytes.push(parseInt(raw.toString('latin1', i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(raw[i]!);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
