// A fal key that already exists outside VS Code (FAL_KEY) is offered for import — and used only
// after the user accepts. This is also the path `npm run demo` takes.
import assert from 'node:assert/strict';
import { DEFAULT_EMULATOR_KEY, FalEmulator, demoInstances } from '../emulator';
import { openWorkbench, type Workbench, screenshotOnFailure } from './workbench';

describe('Importing an existing fal key (FAL_KEY)', function () {
  let fal: FalEmulator;
  let wb: Workbench;

  before(async function () {
    this.timeout(120_000);
    fal = await FalEmulator.start({ seed: demoInstances() });
    wb = await openWorkbench({ env: { FAL_KEY: DEFAULT_EMULATOR_KEY }, settings: { 'fal.apiBaseUrl': fal.baseUrl } });
  });

  after(async () => {
    await wb?.close();
    await fal?.close();
  });

  afterEach(screenshotOnFailure(() => wb));

  it('asks before using the key, and sends nothing until then', async () => {
    await wb.openActivityView('fal Compute');
    const offer = await wb.waitForNotification('FAL_KEY environment variable');
    assert.deepEqual(offer.buttons, ['Use This Key', 'Not Now']);
    assert.match(await wb.welcomeText('Instances'), /Use Existing fal Key/);
    await wb.screenshot('key-import-offer');
    assert.equal(fal.requests.length, 0, 'no request without consent');
  });

  it('uses the key once accepted (checked against fal first) and lists the instances', async () => {
    await wb.clickNotificationButton('Use This Key');
    await wb.inputBox.waitOpen();
    await wb.inputBox.enter();
    await wb.waitForTreeRows((rows) => rows.length === demoInstances().length, 'Instances', 20_000);
    assert.ok(
      fal.requests.some((r) => r.query.limit === '1'),
      'the key was verified with a one-item list',
    );
  });
});
