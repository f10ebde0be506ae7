// Asks the real `ssh` whether the instance's host key still matches the one remembered in our
// known_hosts (plain Node). A changed key is the only failure acted upon; anything else (no ssh
// binary, a key with a passphrase, auth refused) is reported as 'unknown' and Connect goes on,
// since Remote-SSH shows those itself.
import { spawn } from 'node:child_process';
import { isHostKeyChangedError } from '../ssh';

export type HostKeyVerdict =
  | { readonly kind: 'ok' }
  | { readonly kind: 'changed'; readonly stderr: string }
  | { readonly kind: 'unknown'; readonly reason: string };

export function probeHostKey(
  configFile: string,
  alias: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<HostKeyVerdict> {
  const { timeoutMs = 15_000, signal } = options;
  return new Promise((resolve) => {
    let stderr = '';
    let settled = false;
    const done = (v: HostKeyVerdict) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(v);
    };
    // BatchMode: never prompt (no passphrase, no "trust this host?" question).
    const child = spawn('ssh', ['-F', configFile, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', alias, 'true'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      signal,
    });
    const timer = setTimeout(() => {
      child.kill();
      // l10n-exempt: log line only (checkHostKey logs an 'unknown' verdict's reason and goes on)
      done({ kind: 'unknown', reason: `ssh did not finish within ${timeoutMs} ms` });
    }, timeoutMs);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 64 * 1024) stderr += chunk;
    });
    child.on('error', (e) => done({ kind: 'unknown', reason: e.message }));
    child.on('close', (code) => {
      if (isHostKeyChangedError(stderr)) done({ kind: 'changed', stderr });
      else if (code === 0) done({ kind: 'ok' });
      // l10n-exempt: log line only (checkHostKey logs an 'unknown' verdict's reason and goes on)
      else done({ kind: 'unknown', reason: `ssh exited with ${code}: ${lastLine(stderr)}` });
    });
  });
}

function lastLine(text: string): string {
  const lines = text.trim().split(/\r?\n/);
  return lines[lines.length - 1] ?? '';
}
