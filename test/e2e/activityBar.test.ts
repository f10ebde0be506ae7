// UI tests against the packaged extension (fal-compute.vsix) in a real VS Code workbench.
import assert from 'node:assert/strict';
import { repoRoot } from './codeServer';
import { openWorkbench, type Workbench, screenshotOnFailure } from './workbench';
import { readManifest } from '../support/manifest';

/** The first paragraph of each welcome content of the Instances view, as the workbench renders it. */
function welcomeParagraphs(): string[] {
  const pkg = readManifest(repoRoot);
  const entries: Array<{ view: string; contents: string }> = pkg.contributes?.viewsWelcome ?? [];
  return entries
    .filter((e) => e.view === 'falCompute.instances')
    .map((e) => e.contents.split('\n')[0] ?? '')
    .filter((line) => !/^\[[^\]]*\]\([^)]*\)$/.test(line.trim())) // a line that is only a link renders as a button
    .map((line) => line.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').trim());
}

describe('fal Compute in the workbench', function () {
  let wb: Workbench;

  before(async function () {
    this.timeout(120_000);
    wb = await openWorkbench();
  });

  after(async () => {
    await wb?.close();
  });

  afterEach(screenshotOnFailure(() => wb));

  it('shows the fal Compute entry in the activity bar', async () => {
    const item = wb.activityBarItem('fal Compute');
    await item.waitFor({ timeout: 30_000 });
    assert.match((await item.getAttribute('aria-label')) ?? '', /^fal Compute/);
  });

  it('opens the Instances view with its welcome text', async () => {
    await wb.openActivityView('fal Compute');
    const expected = welcomeParagraphs();
    assert.ok(expected.length > 0, 'package.json has no welcome content for falCompute.instances');
    await wb.view('Instances').locator('.welcome-view-content').waitFor();
    const shown = await wb.welcomeText('Instances');
    await wb.screenshot('instances-view');
    assert.ok(
      expected.some((p) => shown.includes(p)),
      `the Instances view shows:\n${shown}\nexpected one of:\n${expected.join('\n')}`,
    );
  });

  it('"fal: Show Logs" shows the fal Compute output channel with the activation line', async () => {
    await wb.runCommand('fal: Show Logs');
    const text = await wb.waitForOutput(/fal Compute \S+ activated/);
    await wb.screenshot('show-logs');
    assert.match(text, /\[info\] fal Compute \S+ activated/);
  });

  it('reads the channel back through "Output: Show Output Channels..."', async () => {
    const text = await wb.readOutputChannel('fal Compute');
    assert.match(text, /fal Compute \S+ activated/);
  });
});
