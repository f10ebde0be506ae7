// "Delete Instance…" in the real workbench against the emulator (issue 5): from the row's context
// menu, a modal naming the instance; Cancel sends nothing; Delete sends one DELETE and the row
// disappears; the palette command offers a multi-select pick showing type, status and IP.
import assert from 'node:assert/strict';
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../emulator';
import { openWorkbench, type Workbench, screenshotOnFailure } from './workbench';

describe('Delete Instance (against the emulator)', function () {
  let fal: FalEmulator;
  let wb: Workbench;
  const deletes = () => fal.requests.filter((r) => r.method === 'DELETE');

  before(async function () {
    this.timeout(120_000);
    fal = await FalEmulator.start({
      seed: [
        {
          id: 'inst_del_a',
          instance_type: 'gpu_8x_h100_sxm5',
          status: 'ready',
          ip: '203.0.113.50',
          sector: 'sector_1',
        },
        { id: 'inst_del_b', instance_type: 'gpu_1x_h100_sxm5', status: 'ready', ip: '203.0.113.51' },
        { id: 'inst_del_c', instance_type: 'gpu_1x_h100_sxm5', status: 'provisioning' },
      ],
    });
    wb = await openWorkbench({ settings: { 'fal.apiBaseUrl': fal.baseUrl, 'fal.refresh.fastIntervalSeconds': 1 } });
    await wb.signIn(DEFAULT_EMULATOR_KEY);
    await wb.waitForTreeRows((rs) => rs.length === 3, 'Instances', 30_000);
  });

  after(async () => {
    await wb?.close();
    await fal?.close();
  });

  afterEach(screenshotOnFailure(() => wb));

  const deleteFromContextMenu = (rowText: string) =>
    wb.runFromContextMenu(rowText, 'Delete Instance…', { select: true });

  it('context menu → modal naming the instance; Cancel sends no DELETE', async () => {
    fal.clearRequests();
    await deleteFromContextMenu('203.0.113.50');
    const modal = await wb.waitForModal();
    await wb.screenshot('delete-modal');
    assert.match(modal.message, /Delete 8x H100 inst_del_a \(203\.0\.113\.50\)\?/);
    assert.match(modal.detail, /all its data are destroyed/);
    assert.match(modal.detail, /Billing stops/);
    assert.ok(modal.buttons.includes('Delete'), JSON.stringify(modal.buttons));
    const mark = wb.logMark();
    await wb.clickModalButton('Cancel');
    await wb.waitForLog('Delete not confirmed; nothing was sent.', mark);
    assert.deepEqual(deletes(), [], 'cancelling sends no DELETE');
    // Instance rows only: a ready row clicked to select it may have expanded its GPU line (gpu.test.ts).
    assert.equal((await wb.treeRows('Instances')).filter((r) => r.ariaLabel.includes('inst_')).length, 3);
    assert.equal(fal.instances().length, 3);
  });

  it('confirming sends exactly one DELETE and the row disappears', async () => {
    fal.clearRequests();
    fal.addFault({ route: 'delete', kind: 'delay', ms: 1_500 });
    await deleteFromContextMenu('203.0.113.50');
    await wb.waitForModal();
    await wb.clickModalButton('Delete');
    const deleting = await wb.waitForTreeRows(
      (rs) => rs.some((r) => r.description.startsWith('deleting…') && r.spinning),
      'Instances',
      5_000,
    );
    assert.ok(
      deleting.some((r) => r.label === 'inst_del_a' && r.description === 'deleting… · 8x H100'),
      'the row shows a deleting state until gone',
    );
    // Instance rows only: a ready row clicked to select it may have expanded its GPU line (gpu.test.ts).
    const instanceRows = (rs: { ariaLabel: string }[]) => rs.filter((r) => r.ariaLabel.includes('inst_'));
    const rows = instanceRows(
      await wb.waitForTreeRows(
        (rs) => instanceRows(rs).length === 2 && !rs.some((r) => r.label === 'inst_del_a'),
        'Instances',
      ),
    );
    assert.equal(rows.length, 2);
    // The row goes once the DELETE has been answered: every request it made is in the log.
    assert.deepEqual(
      deletes().map((r) => r.path),
      ['/v1/compute/instances/inst_del_a'],
      'one DELETE for that instance',
    );
    assert.ok(!fal.instances().some((i) => i.id === 'inst_del_a'));
    await wb.screenshot('delete-row-gone');
  });

  it('"fal: Delete Instance…" is a multi-select pick showing type, status and IP', async () => {
    fal.clearRequests();
    await wb.runCommand('fal: Delete Instance…');
    await wb.quickPick.waitOpen();
    const rows = await wb.page.locator('.quick-input-widget .monaco-list-row').allInnerTexts();
    const text = rows.join('\n');
    assert.match(text, /1x H100[\s\S]*ready · 203\.0\.113\.51[\s\S]*inst_del_b/);
    assert.match(text, /provisioning · no IP yet[\s\S]*inst_del_c/);
    await wb.screenshot('delete-palette-pick');
    await wb.page
      .locator('.quick-input-widget .monaco-list-row', { hasText: 'inst_del_c' })
      .locator('.label-name')
      .first()
      .click();
    await wb.page.locator('.quick-input-widget .quick-input-count', { hasText: '1' }).waitFor();
    await wb.page.keyboard.press('Enter');
    const modal = await wb.waitForModal();
    assert.match(modal.message, /inst_del_c/);
    await wb.clickModalButton('Delete');
    await wb.waitForTreeRows((rs) => rs.length === 1 && rs[0]!.label === 'inst_del_b', 'Instances');
    assert.deepEqual(
      deletes().map((r) => r.path),
      ['/v1/compute/instances/inst_del_c'],
    );
  });
});
