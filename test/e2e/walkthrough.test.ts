// Get Started (issue 14 item 7): the walkthrough's four steps in the real workbench. Each step's
// button runs its command, and a step is checked only once it was really done — a key stored, an
// instance listed, a connection opened, an instance deleted — not when its button was clicked
// (each step's button is first used and abandoned, and the step must stay unchecked).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../emulator';
import { waitFor } from '../support/polling';
import { freePort } from './sshd';
import { openWorkbench, screenshotOnFailure, type Workbench } from './workbench';

const PUB = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDzXvkl1Yq0sQpW1m3FZ4a3VbQO1kB4M2cqv7rP6o3Lh walk@test';
const STEPS = ['setKey', 'create', 'connect', 'delete'] as const;
type Step = (typeof STEPS)[number];

describe('Get Started walkthrough', function () {
  let fal: FalEmulator;
  let wb: Workbench;

  const step = (id: Step) => wb.page.locator(`button.getting-started-step[data-step-id$="${id}"]`);
  const checked = async () =>
    Promise.all(STEPS.map(async (id) => (await step(id).getAttribute('aria-checked')) === 'true'));
  const waitChecked = (expected: boolean[], timeout = 15_000) =>
    waitFor(
      `steps checked ${JSON.stringify(expected)}`,
      checked,
      (c) => JSON.stringify(c) === JSON.stringify(expected),
      timeout,
      100,
    );
  /**
   * Picks the row holding `text` in the open quick pick by clicking it: the walkthrough editor
   * takes the keyboard focus back when it re-renders a step, so an Enter could land there.
   */
  async function choose(text: string): Promise<void> {
    await wb.quickPick.waitOpen();
    const shown = () =>
      wb.page.evaluate(
        () =>
          (globalThis as any).document.querySelector('.quick-input-widget .quick-input-title')?.textContent +
          '|' +
          (globalThis as any).document
            .querySelector('.quick-input-widget .quick-input-box input')
            ?.getAttribute('placeholder'),
      );
    const before = await shown();
    await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first().click();
    await waitFor(
      `the pick of "${text}" to be taken`,
      async () => ((await wb.quickPick.isOpen()) ? await shown() : 'closed'),
      (now) => now !== before,
      10_000,
      50,
    );
  }
  async function clickButton(id: Step, title: string): Promise<void> {
    await step(id).click();
    const button = wb.page
      .locator('.getting-started-step.expanded .monaco-button, .getting-started-step.expanded a.button-link', {
        hasText: title,
      })
      .first();
    await button.click();
  }

  before(async function () {
    this.timeout(120_000);
    // Nothing listens on the SSH port: the terminal's ssh fails at once, on this machine only.
    fal = await FalEmulator.start({ ip: '127.0.0.1', timeline: { provisioningMs: 1_500 } });
    wb = await openWorkbench({
      settings: {
        'fal.apiBaseUrl': fal.baseUrl,
        'fal.refresh.fastIntervalSeconds': 1,
        'fal.ssh.port': await freePort(),
      },
    });
    const sshDir = join(wb.server.dirs.home, '.ssh');
    mkdirSync(sshDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(sshDir, 'id_walk.pub'), `${PUB}\n`);
    writeFileSync(join(sshDir, 'id_walk'), 'not read by the extension', { mode: 0o600 });
  });

  after(async () => {
    await wb?.close();
    await fal?.close();
  });

  afterEach(screenshotOnFailure(() => wb));

  it('opens from "Welcome: Open Walkthrough…" with four unchecked steps', async () => {
    await wb.runCommand('Welcome: Open Walkthrough...');
    await wb.quickPick.answer('Get Started with fal Compute');
    await step('setKey').waitFor({ timeout: 20_000 });
    await waitChecked([false, false, false, false]);
    await wb.page.mouse.move(0, 0);
    await wb.screenshot('walkthrough-start');
  });

  it('1. Set API Key: the button opens the key box; Escape leaves the step unchecked; a saved key checks it', async function () {
    this.timeout(60_000);
    await clickButton('setKey', 'Set API Key');
    await wb.inputBox.waitOpen();
    assert.match(await wb.quickPick.title(), /fal: Set API Key/);
    await wb.quickPick.dismiss();
    assert.deepEqual(await checked(), [false, false, false, false], 'clicking is not doing');
    await clickButton('setKey', 'Set API Key');
    await wb.inputBox.type(DEFAULT_EMULATOR_KEY);
    await wb.inputBox.enter();
    await waitChecked([true, false, false, false]);
  });

  it('2. Create: abandoned wizard → unchecked; an instance listed → checked', async function () {
    this.timeout(60_000);
    await clickButton('create', 'Create H100 Instance');
    await wb.quickPick.waitForStep('Create H100 Instance', '1/');
    await wb.quickPick.dismiss();
    assert.deepEqual(await checked(), [true, false, false, false]);
    await clickButton('create', 'Create H100 Instance');
    await wb.quickPick.waitForStep('Create H100 Instance', '1/');
    await choose('1x H100');
    await choose('id_walk.pub');
    await choose('Create 1x H100');
    await waitChecked([true, true, false, false]);
    await wb.waitForNotification(/is ready at/, 30_000);
    await wb.runCommand('Notifications: Clear All Notifications');
  });

  it('3. Connect: the fallback declined → unchecked; an SSH terminal opened → checked (Remote-SSH is not installed here)', async function () {
    this.timeout(60_000);
    await clickButton('connect', 'Connect…');
    await choose('1x H100'); // which instance (the palette way: no row was given)
    const offer = await wb.waitForNotification('needs the Remote - SSH extension');
    assert.ok(offer.buttons.includes('Open SSH in Terminal'));
    await wb.runCommand('Notifications: Clear All Notifications');
    assert.deepEqual(await checked(), [true, true, false, false]);
    await clickButton('connect', 'Connect…');
    await choose('1x H100');
    await wb.waitForNotification('needs the Remote - SSH extension');
    await wb.clickNotificationButton('Open SSH in Terminal');
    await waitChecked([true, true, true, false]);
  });

  /** The step's button, then the first instance ticked in the picker and OK: the delete modal opens. */
  const pickFirstToDelete = async () => {
    await clickButton('delete', 'Delete Instance…');
    await wb.quickPick.waitOpen();
    await wb.page.locator('.quick-input-widget .monaco-list-row').first().locator('.label-name').first().click();
    await wb.page.locator('.quick-input-widget .quick-input-count', { hasText: '1' }).waitFor();
    await wb.page.locator('.quick-input-widget .monaco-button', { hasText: /^OK$/ }).click(); // not Enter: see choose()
    await wb.waitForModal();
  };

  it('4. Delete: the modal cancelled → unchecked; fal confirms the delete → checked', async function () {
    this.timeout(60_000);
    // Out of the way of the final picture (here, where no step is being re-rendered to steal the focus).
    await wb.runCommand('View: Hide Panel');
    await wb.runCommand('Notifications: Clear All Notifications');
    await pickFirstToDelete();
    await wb.clickModalButton('Cancel');
    assert.deepEqual(await checked(), [true, true, true, false]);
    await pickFirstToDelete();
    await wb.clickModalButton('Delete');
    await waitChecked([true, true, true, true]);
    assert.equal(fal.instances().length, 0);
    // The picture for the README: every step checked, nothing in front of it.
    await step('setKey').click();
    await wb.page.mouse.move(0, 0);
    await wb.screenshot('walkthrough-done');
  });
});
