// The live GPU view (issue 12) in the real workbench, against the emulator (ready instances at
// 127.0.0.1) and a REAL sshd whose sessions find a stub `nvidia-smi` first on their PATH (sshd's
// SetEnv, test/unit/gpu/gpuSshd.ts) replaying the real outputs of test/fixtures/nvidia-smi. The
// extension logs in as whoever runs the tests (`fal.ssh.user`), samples every second, and calls an
// instance idle after 3 s: every figure, state and marker below is what the workbench renders.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../emulator';
import { waitFor } from '../support/polling';
import { FIXTURES } from '../unit/gpu/fixtures';
import { quickGpuSettings, startGpuSshd, type GpuSshd } from '../unit/gpu/gpuSshd';
import { KEYGEN } from './sshd';
import { openWorkbench, screenshotOnFailure, type TreeRow, type Workbench } from './workbench';

const MAIN = 'inst_gpumain1';
const NOKEY = 'inst_gpunokey2';
const WRONGKEY = 'inst_gpuwrongkey3';
const readIfExists = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
/** The row's GPU figures for the stub's 8x H100 busy and idle outputs (mean utilisation, memory in use). */
const BUSY = '95 % · 106G';
const IDLE = '0 % · 0G';
const ACCEPTED = /Accepted publickey for /;
const COMMAND = /Starting session: command for /;

describe('Live GPU view (real sshd + stub nvidia-smi, real workbench)', function () {
  let fal: FalEmulator;
  let wb: Workbench;
  let s: GpuSshd;
  let home: string;

  const rowOf = (rows: TreeRow[], id: string) => rows.find((r) => r.ariaLabel.includes(id));
  const description = async (id: string) => rowOf(await wb.treeRows('Instances'), id)?.description ?? '';
  /** Waits until the row's description starts with the GPU part `expected` (what follows it, the IP or the type, is the row's own business). */
  const waitForDescription = (id: string, expected: string, timeout = 30_000) =>
    waitFor(
      `the row of ${id} to show ${expected}`,
      () => description(id),
      (d) => d === expected || d.startsWith(`${expected} · `),
      timeout,
      100,
    );
  /** A child row, by the start of its accessibility label ("GPU 0, …", "nvidia-smi not found, …"). */
  const childRow = (text: string) => wb.view('Instances').locator(`.monaco-list-row[aria-label^="${text}"]`);
  const expand = async (id: string) => {
    const row = wb.row(id);
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
    await waitFor(
      `${id} expanded`,
      () => row.getAttribute('aria-expanded'),
      (v) => v === 'true',
      10_000,
      100,
    );
  };
  const collapse = async (id: string) => {
    const row = wb.row(id);
    if ((await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
  };
  /** Hovers the row's label until its tooltip shows `text` (it is built on hover), and returns that hover. */
  const tooltipOf = (id: string, text: string | RegExp) => wb.hoverShowing(wb.row(id).locator('.label-name'), text);
  /**
   * Clicks the row's "Host key not known yet" line: Open SSH in Terminal, whose ssh (accept-new)
   * records the key. Then waits for that ssh to log in (`login`) or to be refused, and closes the terminal.
   */
  const learnHostKey = async (id: string, login: boolean) => {
    const shells = s.logLines(/Starting session: shell/).length;
    const refused = s.logLines(/Connection closed by authenticating user/).length;
    await expand(id);
    await childRow('Host key not known yet').first().click();
    await waitFor(
      `the host key of ${id} in known_hosts`,
      () => readIfExists(join(home, '.ssh', 'fal', 'known_hosts')),
      (t) => new RegExp(`^fal-${id} ssh-ed25519 `, 'm').test(t),
      30_000,
      100,
    );
    if (login)
      await waitFor(
        "the terminal's ssh to log in",
        () => s.logLines(/Starting session: shell/).length,
        (n) => n > shells,
        30_000,
        100,
      );
    else
      await waitFor(
        "sshd to refuse the terminal's key",
        () => s.logLines(/Connection closed by authenticating user/).length,
        (n) => n > refused,
        30_000,
        100,
      );
    // A terminal that takes the focus can close the palette under the driver: try again.
    for (let attempt = 1; ; attempt++) {
      try {
        await wb.runCommand('Terminal: Kill All Terminals', 8_000);
        await wb.page.locator('.part.panel .xterm').first().waitFor({ state: 'detached', timeout: 8_000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
    await wb.runCommand('Notifications: Clear All Notifications'); // code-server's note about terminal keybindings
  };
  const port = (l: string) => /port (\d+)/.exec(l)?.[1];
  /** The sampler's connections, by client port: those that ran a command (a terminal's ssh starts a shell instead). */
  const samplerPorts = () => new Set(s.logLines(COMMAND).map(port));
  /** Every authenticated connection (the terminals' included), and the sampler's connections and commands. */
  const counts = () => ({
    logins: s.logLines(ACCEPTED).length,
    sessions: samplerPorts().size,
    commands: s.logLines(COMMAND).length,
  });
  /** The sampler's connections that sshd has not seen end (disconnect or close). */
  const openConnections = () => {
    const ended = new Set(
      s.logLines(/Disconnected from user|Received disconnect from|Connection closed by|Connection reset by/).map(port),
    );
    return [...samplerPorts()].filter((p) => !ended.has(p));
  };

  before(async function () {
    this.timeout(180_000);
    s = await startGpuSshd();
    s.stub.set('h100x8-busy');
    fal = await FalEmulator.start({
      ip: '127.0.0.1',
      seed: [
        { id: MAIN, instance_type: 'gpu_8x_h100_sxm5', status: 'ready', ip: '127.0.0.1' },
        { id: NOKEY, instance_type: 'gpu_1x_h100_sxm5', status: 'ready', ip: '127.0.0.1' },
        { id: WRONGKEY, instance_type: 'gpu_1x_h100_sxm5', status: 'ready', ip: '127.0.0.1' },
      ],
    });
    wb = await openWorkbench({
      settings: {
        'fal.apiBaseUrl': fal.baseUrl,
        ...quickGpuSettings(s),
        'workbench.hover.delay': 100,
        'terminal.integrated.defaultProfile.linux': 'bash',
      },
    });
    // The user's keys in the workbench's HOME: the authorized one, and one sshd does not accept.
    home = wb.server.dirs.home;
    mkdirSync(join(home, '.ssh', 'fal'), { recursive: true, mode: 0o700 });
    copyFileSync(s.plainKey, join(home, '.ssh', 'fal_gpu_ed25519'));
    copyFileSync(`${s.plainKey}.pub`, join(home, '.ssh', 'fal_gpu_ed25519.pub'));
    execFileSync(KEYGEN, [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-C',
      'not authorized',
      '-f',
      join(home, '.ssh', 'id_unauthorized'),
    ]);
    // No instance was ever connected to: no host key is known (and with no host entry, the
    // extension would tidy a known_hosts file away). Each host key is learned the way a user does.

    await wb.signIn(DEFAULT_EMULATOR_KEY);
    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.waitForTreeRows((rs) => [MAIN, NOKEY, WRONGKEY].every((id) => rowOf(rs, id)), 'Instances', 30_000);
  });

  after(async () => {
    await wb?.close();
    await fal?.close();
    await s?.dispose();
  });

  afterEach(screenshotOnFailure(() => wb));

  it('without a known private key: the row keeps its words and gets no twistie; its tooltip says why, with a "Choose it…" link; nothing sent to sshd', async () => {
    // Often every teammate's machine: the row stays as it is (an expandable row would cost every row the twistie's width).
    const hover = await tooltipOf(MAIN, 'no private key known for this instance');
    assert.equal(await hover.locator('a', { hasText: 'Choose it…' }).count(), 1, 'the action, in the tooltip');
    await wb.screenshot('gpu-state-no-key');
    await wb.page.mouse.move(0, 0);
    const rows = await wb.treeRows('Instances');
    assert.deepEqual(
      rows.map((r) => r.description),
      ['8x H100', '1x H100', '1x H100'],
    );
    for (const id of [MAIN, NOKEY, WRONGKEY])
      assert.equal(await wb.row(id).getAttribute('aria-expanded'), null, `${id} is not expandable`);
    assert.equal(counts().logins, 0, 'no SSH connection without a key');
  });

  it('with the key but no host key known: "host key unknown" and nothing sent; its action (Open SSH in Terminal) learns it, and figures follow', async function () {
    this.timeout(90_000);
    await wb.choosePrivateKey(MAIN, 'fal_gpu_ed25519');
    await waitForDescription(MAIN, 'GPU: host key unknown');
    assert.equal(counts().logins, 0, 'no connection without a known host key');
    await expand(MAIN);
    await childRow('Host key not known yet').first().waitFor();
    await wb.page.mouse.move(0, 0);
    await wb.screenshot('gpu-state-host-key-unknown');
    // The terminal's ssh records the key under the instance's HostKeyAlias (fal reuses IPs); the sampler notices the file change.
    await learnHostKey(MAIN, true);
    await waitForDescription(MAIN, BUSY, 60_000);
    await collapse(MAIN);
  });

  it('live figures over ONE reused connection: the row, one child per GPU, the processes', async function () {
    this.timeout(90_000);
    await waitForDescription(MAIN, BUSY);
    await expand(MAIN);
    await childRow('GPU 7,').waitFor();
    const rows = await wb.treeRows('Instances');
    assert.deepEqual(
      rows.filter((r) => r.icon === 'circuit-board').map((r) => `${r.label}: ${r.description}`),
      [
        'GPU 0: 100 % · 26/80 GB · 41 °C',
        'GPU 1: 100 % · 11/80 GB · 37 °C',
        'GPU 2: 100 % · 11/80 GB · 36 °C',
        'GPU 3: 100 % · 11/80 GB · 38 °C',
        'GPU 4: 95 % · 11/80 GB · 39 °C',
        'GPU 5: 73 % · 11/80 GB · 36 °C',
        'GPU 6: 100 % · 11/80 GB · 86 °C',
        'GPU 7: 89 % · 11/80 GB · 37 °C',
      ],
    );
    assert.equal(rows.find((r) => r.label === '15 GPU processes')?.description, '106.3 GB');
    await childRow('15 GPU processes').locator('.monaco-tl-twistie').click();
    await childRow('python3, 11.2 GB · pid 2085218').waitFor();
    const procs = (await wb.treeRows('Instances')).filter((r) => r.icon === 'gear');
    assert.equal(procs.length, 15);
    assert.equal(
      `${procs[0]!.label} ${procs[0]!.description}`,
      'python3 13.0 GB · pid 2085037',
      '/opt/conda/bin/python3 by its name, its memory first',
    );
    await wb.page.mouse.move(0, 0);
    await wb.screenshot('gpu-expanded-8x-busy');
    const c = counts();
    await waitFor(
      'three more samples',
      () => counts().commands,
      (n) => n >= c.commands + 3,
      20_000,
      100,
    );
    assert.equal(counts().sessions, c.sessions, 'no new SSH connection: the one open is reused for every sample');
    assert.deepEqual(openConnections().length, 1, 'one open connection');
    await childRow('15 GPU processes').locator('.monaco-tl-twistie').click();
  });

  it('live: the figures follow the stub (busy → idle), repainting the row and its lines in place', async function () {
    this.timeout(60_000);
    s.stub.set('h100x8-idle');
    await waitForDescription(MAIN, IDLE);
    await childRow('No GPU processes').waitFor();
    const gpu0 = (await wb.treeRows('Instances')).find((r) => r.label === 'GPU 0')!;
    assert.equal(gpu0.description, '0 % · 0/80 GB · 30 °C');
    s.stub.set('h100x8-busy');
    await waitForDescription(MAIN, BUSY);
    await childRow('15 GPU processes').waitFor();
  });

  it('idle: with every GPU under 5 % and no process for fal.idle.minutes (3 s), the row is marked and the status bar line adds "· 1 idle" (its $/h in the tooltip)', async function () {
    this.timeout(60_000);
    s.stub.set('h100x8-idle');
    await waitForDescription(MAIN, IDLE);
    const idle = wb.statusBarItem(/\/h · 1 idle/);
    await idle.waitFor({ timeout: 30_000 });
    // The row's label carries the idle decoration (badge "zz", warning colour).
    const badge = await wb.waitForRowBadge(MAIN, 'zz', 10_000);
    assert.match(badge, /zz/);
    await wb.page.mouse.move(0, 0);
    await wb.screenshot('gpu-idle-row');
    await tooltipOf(MAIN, /idle for \d+ s \(every GPU under 5 %, no GPU process\)/);
    await wb.page.mouse.move(0, 0);
    // Busy again: the marker and the status bar part go.
    s.stub.set('h100x8-busy');
    await waitForDescription(MAIN, BUSY);
    await idle.waitFor({ state: 'detached', timeout: 20_000 });
  });

  it('tooltip: the GPU summary and the utilisation history (busy → idle → busy) as an image with its text alternative', async function () {
    this.timeout(60_000);
    await collapse(MAIN);
    const label = wb.row(MAIN).locator('.label-name');
    const hover = wb.page
      .locator('.monaco-hover, .workbench-hover')
      .filter({ hasText: 'GPU utilisation, last ' })
      .first();
    const img = hover.locator('img[src^="data:image/svg+xml;base64,"]');
    // The tooltip is built on hover (resolveTreeItem): move away and back until it shows, then read it in one go.
    const seen = await waitFor(
      'the tooltip with the history image',
      async () => {
        await wb.page.mouse.move(0, 0);
        await label.hover();
        if (
          !(await img.waitFor({ timeout: 3_000 }).then(
            () => true,
            () => false,
          ))
        )
          return undefined;
        return img
          .evaluate((el) => {
            const e = el as unknown as {
              alt: string;
              getBoundingClientRect(): { width: number };
              closest(s: string): { textContent: string | null } | null;
            };
            return {
              alt: e.alt,
              width: e.getBoundingClientRect().width,
              text: e.closest('.monaco-hover, .workbench-hover')?.textContent ?? '',
            };
          })
          .catch(() => undefined);
      },
      (v) => v !== undefined && v.width > 100,
      30_000,
      200,
    );
    assert.match(
      seen!.alt,
      /^GPU utilisation, last \d+ (min|s): now \d+ %, mean \d+ %, min 0 %, max 95 % \(\d+ samples\)$/,
      'the mean of the 8 GPUs, busy and idle',
    );
    assert.match(seen!.text, /GPUs\s*8×GPU 95 % · 106\/640 GB/);
    // The row repaints on every sample; the open tooltip stays (a user can read it).
    const before = counts().commands;
    await waitFor(
      'two more samples',
      () => counts().commands,
      (n) => n >= before + 2,
      20_000,
      100,
    );
    assert.ok(await img.isVisible(), 'the tooltip stayed open across repaints');
    await wb.screenshot('gpu-tooltip-history');
    await wb.page.mouse.move(0, 0);
  });

  it("nvidia-smi missing, then the driver failing: each its own words in the row and the child, with the shell's and nvidia-smi's own text", async function () {
    this.timeout(90_000);
    await expand(MAIN);
    s.stub.set('missing');
    await waitForDescription(MAIN, 'GPU: nvidia-smi not found');
    const missing = childRow('nvidia-smi not found').first();
    await missing.waitFor();
    // The shell's own words: "command not found", or, when the stub vanished between lookup and exec, "No such file or directory".
    assert.match(
      (await missing.textContent()) ?? '',
      /nvidia-smi: (command )?not found|nvidia-smi: No such file or directory/,
    );
    s.stub.set('driver-failed');
    await waitForDescription(MAIN, 'GPU: driver not responding');
    const driver = childRow('NVIDIA driver not responding').first();
    await driver.waitFor();
    assert.match(
      (await driver.textContent()) ?? '',
      /NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver/,
    );
    await wb.page.mouse.move(0, 0);
    await wb.screenshot('gpu-state-driver-failed');
    s.stub.set('h100x8-busy');
    await waitForDescription(MAIN, BUSY, 40_000);
    await collapse(MAIN);
  });

  it('a key sshd refuses: "SSH failed: <reason>" with a retry action, never a modal', async function () {
    this.timeout(120_000);
    await wb.choosePrivateKey(WRONGKEY, 'id_unauthorized');
    await waitForDescription(WRONGKEY, 'GPU: host key unknown');
    await learnHostKey(WRONGKEY, false); // the terminal's ssh gets the host key, then sshd refuses the key
    await waitForDescription(WRONGKEY, 'GPU: SSH failed', 30_000);
    const line = childRow('SSH failed: the server refused the key').first();
    await line.waitFor();
    assert.match((await line.getAttribute('aria-label')) ?? '', /id_unauthorized for user/);
    assert.equal(await wb.modal(), undefined);
    await collapse(WRONGKEY);
  });

  it('"fal: Show GPU Usage…" opens a read-only report with the per-GPU table, the processes and the raw output; its refresh samples again', async function () {
    this.timeout(60_000);
    // The whole report in view: no terminal panel left open by the tests above.
    if (await wb.page.locator('.part.panel').isVisible()) await wb.runCommand('View: Hide Panel');
    await wb.runCommand('fal: Show GPU Usage…');
    await wb.quickPick.answer(MAIN);
    const editor = wb.page.locator('.editor-instance .monaco-editor .view-lines');
    await editor.filter({ hasText: `${MAIN}: GPU usage of the 8x H100 at 127.0.0.1` }).waitFor();
    await editor.filter({ hasText: 'GPU processes (15)' }).waitFor();
    const text = (await editor.textContent())?.replace(/\u00a0/g, ' ') ?? '';
    assert.match(text, /6 +NVIDIA H100 80GB HBM3 +100 % +11751 MiB \/ 81559 MiB +86 °C +226 W \/ 700 W/);
    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.screenshot('gpu-usage-report');
    // The raw output, further down: as nvidia-smi printed it.
    await wb.page.keyboard.press('Control+End');
    await editor.filter({ hasText: 'Raw nvidia-smi output' }).waitFor();
    const raw = (await editor.textContent())?.replace(/\u00a0/g, ' ') ?? '';
    assert.ok(
      raw.includes(
        readFileSync(join(FIXTURES, 'query-compute-apps.h100x8-busy.csv'), 'utf8').trim().split('\n').pop()!,
      ),
      `the raw output as nvidia-smi printed it:\n${raw}`,
    );
    s.stub.set('h100x8-idle');
    await wb.page.locator('.editor-actions .action-label[aria-label^="Refresh GPU Usage"]').click();
    await wb.page.keyboard.press('Control+Home');
    await editor.filter({ hasText: 'GPU processes (0)' }).waitFor({ timeout: 20_000 });
    s.stub.set('h100x8-busy');
    await wb.runCommand('View: Close All Editors');
  });

  it('with the view hidden: connections closed, then no new SSH session and no command; shown again, sampling resumes', async function () {
    this.timeout(90_000);
    const mark = wb.logMark();
    await wb.runCommand('View: Show Explorer');
    await wb.waitForLog('GPU sampling paused (view hidden)', mark);
    // The sampler's connection ends with an SSH disconnect.
    await waitFor(
      "the sampler's connections to close (sshd log)",
      openConnections,
      (ports) => ports.length === 0,
      20_000,
      100,
    );
    const hidden = counts();
    // The one duration-based wait: absence can only be observed over time — 5 sample intervals.
    const start = Date.now();
    await waitFor(
      'five sample intervals with the view hidden',
      () => Date.now() - start,
      (ms) => ms >= 5_000,
      10_000,
      250,
    );
    assert.deepEqual(counts(), hidden, 'no session and no command while hidden');
    const sincePaused = wb.extensionLog().slice(mark).split('GPU sampling paused (view hidden)')[1] ?? '';
    assert.doesNotMatch(sincePaused, /GPU sample of/, 'no sample attempt logged while hidden');
    await wb.openActivityView('fal Compute');
    await waitFor(
      'sampling to resume',
      () => counts().commands,
      (n) => n > hidden.commands,
      20_000,
      100,
    );
    assert.ok(counts().sessions > hidden.sessions, 'a new connection when the view comes back');
  });
});
