// `npm run demo` as the README describes it: the printed URL opens VS Code with the extension
// against the bundled emulator; accepting the offered key shows the sample instances; choosing the
// demo's key shows the GPU view of its machines (a real loopback sshd replaying real nvidia-smi
// outputs, test/demo/demoMachines.ts): the 8x busy, the 1x dev box idle, marked and reminded about
// within the demo's idle time, with the spend in the status bar. Ctrl+C stops everything.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { DEMO_IDLE_MINUTES, DEMO_KEY } from '../demo/demoMachines';
import { demoInstances } from '../emulator';
import { waitFor } from '../support/polling';
import { chromiumArgs, chromiumPath, repoRoot, runDirsOf } from './codeServer';
import { screenshotOnFailure, Workbench, type WorkbenchServer } from './workbench';

const URL_RE = /http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+/;
const TRAIN = 'inst_demo8xtrain';
const DEV = 'inst_demo1xdev';

describe('npm run demo', function () {
  let demo: ChildProcess;
  let browser: Browser;
  let wb: Workbench<WorkbenchServer>;
  let output = '';

  const description = async (id: string) =>
    (await wb.treeRows('Instances')).find((r) => r.ariaLabel.includes(id))?.description ?? '';
  /** Waits until the row's description is the GPU figures `expected` (live figures stand alone in the row). */
  const waitForGpu = (id: string, expected: string, timeout = 30_000) =>
    waitFor(
      `the row of ${id} to show ${expected}`,
      () => description(id),
      (d) => d === expected,
      timeout,
      100,
    );
  const refused = (port: number) =>
    new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), done(false)));
      socket.once('error', () => done(true));
    });

  before(async function () {
    this.timeout(120_000);
    // FAL_DEMO_BROWSER: the browser VS Code even where `code` is on PATH; port 0: any free port.
    demo = spawn(process.execPath, [resolve(repoRoot, 'out/test/demo/demo.js')], {
      env: { ...process.env, FAL_DEMO_BROWSER: '1', FAL_DEMO_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    demo.stdout!.on('data', (d) => (output += d));
    demo.stderr!.on('data', (d) => (output += d));
    const deadline = Date.now() + 90_000;
    while (!URL_RE.test(output)) {
      if (Date.now() > deadline || demo.exitCode !== null) throw new Error(`no URL from the demo:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // The demo's code-server, found by the folder its URL opens (<run>/workspace): its log, for the failures' evidence.
    const folder = decodeURIComponent(new URL(URL_RE.exec(output)![0]).searchParams.get('folder')!);
    const server: WorkbenchServer = { dirs: runDirsOf(dirname(folder)), stop: () => browser.close() };
    wb = new Workbench(page, page.context(), server);
  });

  after(async function () {
    this.timeout(30_000);
    await browser?.close();
    // A test that failed before Ctrl+C: Ctrl+C all the same, so the demo's own exit stops its sshd (a
    // daemon, which a SIGKILL of the demo would leave running) and removes its files.
    if (demo && demo.exitCode === null) {
      const exited = once(demo, 'exit');
      demo.kill('SIGINT');
      const timer = setTimeout(() => demo.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
  });

  afterEach(screenshotOnFailure(() => wb));

  it('starts its demo machines (a loopback sshd), saying where their files are', () => {
    assert.match(output, /Demo machines: sshd on 127\.0\.0\.1–3 port \d+/, output);
    assert.match(output, /Demo files: \S+ \(removed on exit\)/, output);
    assert.doesNotMatch(output, /No GPU figures in this demo/);
  });

  it('opens VS Code with the sample instances once the offered key is accepted', async function () {
    this.timeout(90_000);
    const page = wb.page;
    await page.goto(URL_RE.exec(output)![0]);
    await page.locator('.activitybar a.action-label[aria-label^="fal Compute"]').click({ timeout: 60_000 });
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'FAL_KEY' });
    await toast.locator('a.monaco-button', { hasText: 'Use This Key' }).click({ timeout: 30_000 });
    await page.locator('.quick-input-widget .quick-input-box input').waitFor();
    await page.keyboard.press('Enter');
    const rows = page.locator('.part.sidebar .monaco-list-row');
    await waitFor(
      'every demo instance listed',
      () => rows.count(),
      (n) => n === demoInstances().length,
      30_000,
      100,
    );
    await page.screenshot({ path: resolve(repoRoot, 'test-results/screenshots/demo.png') });
  });

  it("GPU view: the demo's key chosen as the printed steps say, the 8x shows its busy GPUs and the dev box its idle one", async function () {
    this.timeout(120_000);
    await wb.runCommand('Notifications: Clear All Notifications');
    // As printed: hover the row, "Choose it…", the demo's key.
    const hover = await wb.hoverShowing(wb.row(TRAIN).locator('.label-name'), 'no private key known for this instance');
    await hover.locator('a', { hasText: 'Choose it…' }).click();
    await wb.quickPick.answer(DEMO_KEY);
    await wb.quickPick.waitClosed();
    await waitForGpu(TRAIN, '95 % · 106G');
    // The palette's way, for the other machine.
    await wb.choosePrivateKey(DEV, DEMO_KEY);
    await waitForGpu(DEV, '0 % · 0G');
    // The tooltip the link was clicked in stays open until dismissed.
    await wb.page.mouse.move(0, 0);
    await wb.page.keyboard.press('Escape');
    await hover.waitFor({ state: 'detached' });
  });

  it("the idle dev box: its idle marker, then its reminder, within the demo's idle time; the spend and the budget in the status bar", async function () {
    const within = DEMO_IDLE_MINUTES * 60_000 + 30_000;
    this.timeout(within + 60_000);
    await wb.statusBarItem(/\/h · 1 idle/).waitFor({ timeout: within });
    await wb.waitForRowBadge(DEV, 'zz', 10_000);
    const reminder = await wb.waitForNotification(new RegExp(`^${DEV} \\(1x H100\\) has been idle for`), 30_000);
    assert.match(reminder.message, /has been idle for \d+ s — about \$0\.\d\d spent idle\./);
    assert.ok(reminder.buttons.includes('Keep 1 h'), reminder.buttons.join(', '));
    assert.equal(await description(TRAIN), '95 % · 106G', 'the 8x is still busy, and not marked');
    await wb.waitForToastsToSettle();
    await wb.page.mouse.move(0, 0);
    await wb.screenshot('demo-idle-reminder');
    const spend = wb.statusBarItem(/· ~\$[\d,.]+\/h/);
    await spend.hover();
    await wb.page
      .locator('.monaco-hover, .workbench-hover')
      .filter({ hasText: /Monthly budget\s*\$5000\.00/ })
      .first()
      .waitFor();
    await wb.screenshot('demo-spend-budget'); // the README's: fal's rates, a team's budget
    await wb.page.mouse.move(0, 0);
  });

  it('stops VS Code, the emulator and the demo machines on Ctrl+C, and removes their files', async function () {
    this.timeout(30_000);
    assert.equal(demo.exitCode, null, 'still running before Ctrl+C');
    const port = Number(/127\.0\.0\.1:(\d+)\/\?folder/.exec(output)![1]);
    const demoDir = /Demo files: (\S+)/.exec(output)?.[1] ?? '';
    const sshdPort = Number(/sshd on \S+ port (\d+)/.exec(output)?.[1]);
    assert.ok(existsSync(demoDir), `the demo files are there before Ctrl+C:\n${output}`);
    demo.kill('SIGINT');
    const [code] = await once(demo, 'exit');
    assert.equal(code, 130, 'the conventional exit code of Ctrl+C, after cleaning up');
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), 'code-server is gone');
    // Without sshd (the first test says so) there is no sshd to stop; the rest holds all the same.
    if (sshdPort) await waitFor('the demo sshd to stop listening', () => refused(sshdPort), Boolean, 10_000, 100);
    assert.ok(!existsSync(demoDir), 'the demo files are gone');
  });
});
