// A real sshd on 127.0.0.1 for the Connect tests and the connect bench (vscode-e2e-notes §8):
// its own host key, config, pid file, log and authorized_keys in a temp dir; stopped by its pid
// file.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/freePort';
import { waitFor } from '../support/polling';
import { sshdConfig } from '../support/sshdConfig';

export { freePort };

export const SSHD = '/usr/sbin/sshd';
export const KEYGEN = '/usr/bin/ssh-keygen';

export class TestSshd {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get log(): string {
    return join(this.dir, 'sshd.log');
  }
  get config(): string {
    return join(this.dir, 'sshd_config');
  }
  get pidFile(): string {
    return join(this.dir, 'sshd.pid');
  }
  get authorizedKeys(): string {
    return join(this.dir, 'authorized_keys');
  }

  /** Writes the host key and config in a new temp dir (under `parent`, default the system's) and starts sshd on a free port. */
  static async start(parent = tmpdir()): Promise<TestSshd> {
    if (!existsSync(SSHD)) throw new Error(`${SSHD} missing: test/e2e/setup.mjs installs openssh-server`);
    const dir = mkdtempSync(join(parent, 'fal-e2e-sshd-'));
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    execFileSync(KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', 'e2e host', '-f', join(dir, 'host_key')]);
    const sshd = new TestSshd(dir, await freePort());
    writeFileSync(sshd.authorizedKeys, '', { mode: 0o600 });
    writeFileSync(
      sshd.config,
      sshdConfig({
        port: sshd.port,
        hostKey: join(dir, 'host_key'),
        pidFile: sshd.pidFile,
        authorizedKeys: sshd.authorizedKeys,
        logLevel: 'VERBOSE',
      }),
    );
    await sshd.restart();
    return sshd;
  }

  /** Starts (again) the sshd of this dir with its current config. */
  async restart(): Promise<void> {
    const started = spawnSync(SSHD, ['-f', this.config, '-E', this.log], { encoding: 'utf8' });
    if (started.status !== 0) throw new Error(`sshd failed: ${started.stderr}`);
    await waitFor('the sshd pid file', () => existsSync(this.pidFile), Boolean, 10_000);
  }

  /** Stops sshd by the pid in its pid file and waits for the file to go. */
  async stop(): Promise<void> {
    if (!existsSync(this.pidFile)) return;
    const pid = Number(readFileSync(this.pidFile, 'utf8').trim());
    if (pid > 0) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    await waitFor('sshd to remove its pid file', () => !existsSync(this.pidFile), Boolean, 10_000);
  }

  /** Stops sshd without waiting, for a process's 'exit' handler (nothing async runs there). */
  stopSync(): void {
    try {
      const pid = Number(readFileSync(this.pidFile, 'utf8').trim());
      if (pid > 0) process.kill(pid, 'SIGTERM'); // never 0: that would signal our own process group
    } catch {
      /* not started, or already gone */
    }
  }

  /** Stops sshd and removes its dir. */
  async dispose(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
