// UI test with the fal API emulator (test/emulator): the pattern for tests that need fal's API.
// The emulator runs in this mocha process; the extension in code-server reaches it through the
// `fal.apiBaseUrl` user setting written before the workbench starts.
import assert from 'node:assert/strict';
import { DEFAULT_EMULATOR_KEY, FalEmulator, demoInstances } from '../emulator';
import { openWorkbench, type Workbench } from './workbench';

describe('fal Compute against the API emulator', function () {
  let emulator: FalEmulator;
  let wb: Workbench;

  before(async function () {
    this.timeout(120_000);
    emulator = await FalEmulator.start({ seed: demoInstances() });
    wb = await openWorkbench({ settings: { 'fal.apiBaseUrl': emulator.baseUrl } });
  });

  after(async () => {
    await wb?.close();
    await emulator?.close();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) {
      await wb.screenshot(`FAILED ${this.currentTest.fullTitle()}`).catch(() => undefined);
    }
  });

  it('"fal: Set API Key" rejects a malformed key in the input box', async () => {
    await wb.openActivityView('fal Compute');
    await wb.runCommand('fal: Set API Key');
    await wb.inputBox.type('not-a-key');
    const message = await wb.inputBox.waitForMessage(/\S/);
    assert.ok(message.length > 0);
    assert.equal(emulator.requests.length, 0, 'no request for a key of the wrong shape');
  });

  it('checks a well-formed key against the emulator and saves it', async () => {
    await wb.inputBox.type(DEFAULT_EMULATOR_KEY);
    await wb.inputBox.enter();
    const toast = await wb.waitForNotification('API key saved');
    assert.match(toast.message, /fal API key saved/);
    assert.ok(
      emulator.requests.some((r) => r.keyId === DEFAULT_EMULATOR_KEY.split(':')[0]),
      `the emulator saw no request with the key: ${JSON.stringify(emulator.requests)}`,
    );
    await wb.screenshot('api-key-saved');
  });

  it('lists the emulator\'s instances in the Instances view', async () => {
    const ids = demoInstances().map((i) => i.id!);
    const shows = (row: { label: string; description: string; ariaLabel: string }, id: string) =>
      [row.label, row.description, row.ariaLabel].some((t) => t.includes(id));
    const rows = await wb.waitForTreeRows((rs) => ids.every((id) => rs.some((r) => shows(r, id))), 'Instances', 30_000);
    await wb.screenshot('instances-from-emulator');
    assert.ok(rows.every((r) => r.icon !== ''), `every row has an icon: ${JSON.stringify(rows)}`);
  });
});
