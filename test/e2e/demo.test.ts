// `npm run demo` as the README describes it: the printed URL opens VS Code with the extension
// against the bundled emulator; accepting the offered key shows the sample instances; Ctrl+C
// stops everything.
import assert from 'node:assert/strict';
import { waitFor } from '../support/polling';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { demoInstances } from '../emulator';
import { chromiumArgs, chromiumPath, repoRoot } from './codeServer';

describe('npm run demo', function () {
  let demo: ChildProcess;
  let browser: Browser;
  let page: Page;
  let output = '';

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
    while (!/http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+/.test(output)) {
      if (Date.now() > deadline || demo.exitCode !== null) throw new Error(`no URL from the demo:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  });

  after(async () => {
    await browser?.close();
    if (demo && demo.exitCode === null) demo.kill('SIGKILL');
  });

  it('opens VS Code with the sample instances once the offered key is accepted', async function () {
    this.timeout(90_000);
    const url = /http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+/.exec(output)![0];
    await page.goto(url);
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

  it('stops VS Code and the emulator on Ctrl+C', async function () {
    this.timeout(30_000);
    assert.equal(demo.exitCode, null, 'still running before Ctrl+C');
    const port = Number(/127\.0\.0\.1:(\d+)\/\?folder/.exec(output)![1]);
    demo.kill('SIGINT');
    const [code] = await once(demo, 'exit');
    assert.equal(code, 130, 'the conventional exit code of Ctrl+C, after cleaning up');
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), 'code-server is gone');
  });
});
