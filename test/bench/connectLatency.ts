// Connect latency in the real workbench against the emulator and a REAL sshd on 127.0.0.1, with
// the Remote-SSH stub loaded so that Connect goes all the way to vscode.openFolder. The end point
// is the extension's own log line `Connect <id>: opening vscode-remote://…`, timed by the
// LogOutputChannel's millisecond timestamp (extension host clock = this process's clock, same
// machine), not by when we happen to read the file.
//   readyToOpenMs: "Connect When Ready" is waiting on a provisioning instance; the emulator flips
//     it to ready (t0) → `opening …`. Includes the wait's poll delay (the waited-on instance is asked
//     by id every second), the request, the host entry write (and ssh -G), the TCP probe and the
//     host-key check (a key exchange). Default refresh settings.
//   connectCommandToOpenMs: an already ready instance whose key is remembered (second connect):
//     click on the row's inline Connect button (t0) → `opening …`.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../emulator';
import { repoRoot } from '../e2e/codeServer';
import { sleep, waitFor } from '../support/polling';
import { KEYGEN, TestSshd } from '../e2e/sshd';
import { openWorkbench, extensionLogText } from '../e2e/workbench';

export interface ConnectLatencyResult {
  /** Median of the samples below. */
  readyToOpenMs: number;
  connectCommandToOpenMs: number;
  readyToOpenSamplesMs: number[];
  connectCommandToOpenSamplesMs: number[];
  /** What paced the wait: the settings in effect and the wait loop's own poll. */
  pacing: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** `2025-06-01 12:34:56.789 [info] …` (local time) → epoch ms. */
function logLineTime(line: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) /.exec(line);
  if (!m) throw new Error(`no millisecond timestamp on the log line: ${line}`);
  const [y, mo, d, h, mi, s, ms] = m.slice(1).map(Number) as [number, number, number, number, number, number, number];
  return new Date(y, mo - 1, d, h, mi, s, ms).getTime();
}

export async function measureConnectLatency(samples = 3): Promise<ConnectLatencyResult> {
  const ids = Array.from({ length: samples }, (_, i) => `inst_benchconn${i}`);
  const user = userInfo().username;
  const sshd = await TestSshd.start();
  let fal: FalEmulator | undefined;
  let wb: Awaited<ReturnType<typeof openWorkbench>> | undefined;
  try {
    fal = await FalEmulator.start({
      ip: '127.0.0.1',
      seed: ids.map((id) => ({ id, instance_type: 'gpu_1x_h100_sxm5' as const, status: 'provisioning' })),
    });
    // Default fal.refresh.* settings (no override), so the poll delays are the shipped ones.
    wb = await openWorkbench({
      settings: { 'fal.apiBaseUrl': fal.baseUrl, 'fal.ssh.port': sshd.port, 'fal.ssh.user': user },
      extensionDevelopmentPath: resolve(repoRoot, 'test/fixtures/remote-ssh-stub'),
    });
    const page = wb.page;
    // vscode.openFolder (new window) opens a browser window: close it so that it costs nothing.
    let popups = 0;
    page.context().on('page', (p) => {
      popups++;
      void p.close().catch(() => undefined);
    });
    /** After an `opening` line: let the new window open and close, then give the workbench its focus back. */
    const settle = async (expectedPopups: number) => {
      await waitFor(
        'the new window of vscode.openFolder',
        () => popups,
        (n) => n >= expectedPopups,
        5_000,
        50,
      ).catch(() => undefined);
      await sleep(500);
      await page.bringToFront();
    };
    const home = wb.server.dirs.home;
    mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
    const keyPath = join(home, '.ssh', 'fal_bench_ed25519');
    execFileSync(KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', 'fal bench key', '-f', keyPath]);
    execFileSync('cp', [`${keyPath}.pub`, sshd.authorizedKeys]);

    const log = () => extensionLogText(wb!.server.dirs.userData);
    const openingLines = (id: string) =>
      log()
        .split('\n')
        .filter((l) => l.includes(`Connect ${id}: opening vscode-remote://ssh-remote+fal-${id}`));
    /** Polls the log file every 20 ms for the n-th `opening` line of id; returns its timestamp. */
    const openedAt = async (id: string, n: number) => {
      const lines = await waitFor(
        `"Connect ${id}: opening …" #${n} in the log`,
        () => openingLines(id),
        (ls) => ls.length >= n,
        60_000,
        20,
      );
      return logLineTime(lines[n - 1]!);
    };

    await wb.signIn(DEFAULT_EMULATOR_KEY);
    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.waitForTreeRows((rs) => ids.every((id) => rs.some((r) => r.ariaLabel.includes(id))), 'Instances', 30_000);

    // 1. Ready → opening, while "Connect When Ready" waits. The flip lands at a different phase of
    //    the wait loop's poll each time (the first wait after the progress shows varies).
    const readySamples: number[] = [];
    for (const [i, id] of ids.entries()) {
      await wb.runCommand('fal: Connect…');
      await wb.quickPick.waitOpen();
      await wb.quickPick.answer(id);
      await wb.quickPick.waitOpen();
      await wb.quickPick.answer('fal_bench_ed25519'); // asked once per instance, then remembered
      await wb.waitForNotification(`Connect when ready: ${id}`, 20_000);
      await sleep(1500 + (i * 2000) / samples);
      const t0 = Date.now();
      fal.updateInstance(id, { status: 'ready', ip: '127.0.0.1' });
      readySamples.push((await openedAt(id, 1)) - t0);
      await settle(i + 1);
    }

    // 2. Second connect of a ready instance with a remembered key, from the inline button.
    await wb.openActivityView('fal Compute');
    await wb.waitForTreeRows(
      (rs) => ids.every((id) => rs.some((r) => r.ariaLabel.includes(id) && /ready/i.test(r.ariaLabel))),
      'Instances',
      30_000,
    );
    const connectSamples: number[] = [];
    for (const [i, id] of ids.entries()) {
      const row = wb.view('Instances').locator(`.monaco-list-row[aria-label*="${id}"]`);
      await row.hover();
      const button = row.locator('.actions .action-label[aria-label^="Connect"]');
      await button.waitFor({ timeout: 10_000 });
      await sleep(300);
      const t0 = Date.now();
      await button.click();
      connectSamples.push((await openedAt(id, 2)) - t0);
      await settle(samples + i + 1);
    }
    process.stderr.write(`connect bench: ${popups} new window(s) opened by vscode.openFolder (closed)\n`);
    const text = log();
    if (/Connect inst_benchconn\d: (Remote-SSH provider none|cannot|not ready)/i.test(text))
      throw new Error(`Connect did not go as expected:\n${text.slice(-3000)}`);
    // The ssh host-key check must have run (and passed) on every connect.
    const checks = (text.match(/inst_benchconn\d: host key check: ok/g) ?? []).length;
    if (checks < 2 * samples)
      throw new Error(`expected ${2 * samples} host key checks "ok", saw ${checks}:\n${text.slice(-3000)}`);
    return {
      readyToOpenMs: median(readySamples),
      connectCommandToOpenMs: median(connectSamples),
      readyToOpenSamplesMs: readySamples,
      connectCommandToOpenSamplesMs: connectSamples,
      pacing:
        'default fal.refresh.* (fast 3 s, slow 60 s); while Connect When Ready waits, the scheduler asks that instance by id every second',
    };
  } finally {
    await wb?.close().catch(() => undefined);
    await fal?.close().catch(() => undefined);
    await sshd.dispose();
  }
}
