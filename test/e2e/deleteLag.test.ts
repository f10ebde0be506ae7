// The delete lag (issue 14 item 3) in the real workbench: fal (the emulator's `deleteLagMs` guess)
// keeps listing a deleted instance for a few seconds after the 204. The status bar stops counting
// it and its cost as soon as the delete is confirmed; the row says "deleting…" and goes at the next
// fast refresh after fal stops listing it — not at the next slow one (60 s here).
import assert from 'node:assert/strict';
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../emulator';
import { waitFor } from '../support/polling';
import { openWorkbench, screenshotOnFailure, type Workbench } from './workbench';

const GONE = 'inst_r7t2m9k4x1aa';
const KEPT = 'inst_r7t2m9k4x1bb';
const LAG_MS = 6_000;

describe('Delete lag (against the emulator)', function () {
  let fal: FalEmulator;
  let wb: Workbench;
  const statusText = async () =>
    (
      (await wb
        .statusBarItem(/· ~\$/)
        .first()
        .innerText()
        .catch(() => '')) || ''
    )
      .replace(/\u00a0/g, ' ')
      .trim();

  before(async function () {
    this.timeout(120_000);
    fal = await FalEmulator.start({
      deleteLagMs: LAG_MS,
      seed: [
        { id: GONE, instance_type: 'gpu_8x_h100_sxm5', status: 'ready', ip: '203.0.113.80' },
        { id: KEPT, instance_type: 'gpu_8x_h100_sxm5', status: 'ready', ip: '203.0.113.81' },
      ],
    });
    wb = await openWorkbench({
      settings: {
        'fal.apiBaseUrl': fal.baseUrl,
        'fal.refresh.fastIntervalSeconds': 1,
        'fal.refresh.slowIntervalSeconds': 60,
      },
    });
    await wb.signIn(DEFAULT_EMULATOR_KEY);
    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.waitForTreeRows((rs) => rs.length === 2, 'Instances', 30_000);
    await waitFor('the status bar', statusText, (t) => t === '2 · ~$30.24/h', 10_000);
  });

  after(async () => {
    await wb?.close();
    await fal?.close();
  });

  afterEach(screenshotOnFailure(() => wb));

  it('stops counting a confirmed delete at once, keeps refreshing fast while fal still lists it, and drops the row when fal does', async function () {
    this.timeout(60_000);
    fal.addFault({ route: 'delete', kind: 'delay', ms: 1_500 });
    const mark = wb.logMark();
    await wb.runFromContextMenu(GONE, 'Delete Instance…', { select: true });
    await wb.waitForModal();
    await wb.clickModalButton('Delete');
    // Before fal has even answered: no longer counted, nor its $15.12/h.
    await waitFor('the status bar to drop the deleted machine', statusText, (t) => t === '1 · ~$15.12/h', 1_400, 20);
    assert.ok(
      !fal.requests.some((r) => r.method === 'DELETE' && r.status !== undefined),
      'the count changed before fal answered the delete',
    );
    await waitFor(
      'fal to answer the delete',
      () => fal.requests.find((r) => r.method === 'DELETE')?.status,
      (s) => s === 204,
      10_000,
      50,
    );
    const answeredAt = Date.now();
    const rows = await wb.waitForTreeRows(
      (rs) => rs.some((r) => r.label === GONE && r.description === 'deleting… · 8x H100' && r.spinning),
      'Instances',
      5_000,
    );
    assert.equal(rows.length, 2, 'listed by fal after the 204: the row stays, saying so');
    await wb.page.mouse.move(0, 0);
    await wb.screenshot('delete-lag-deleting');
    assert.equal(await statusText(), '1 · ~$15.12/h');

    // Gone from the list LAG_MS after the 204; the row follows within a fast tick or two.
    await wb.waitForTreeRows((rs) => rs.length === 1 && rs[0]!.label === KEPT, 'Instances', LAG_MS + 8_000);
    const tookMs = Date.now() - answeredAt;
    assert.ok(tookMs < 30_000, `gone after ${tookMs} ms, long before the 60 s slow refresh`);
    const log = await wb.waitForLog(
      new RegExp(`Deleted instance ${GONE} no longer listed by fal \\(after \\d+ s\\)`),
      mark,
    );
    assert.match(log, /Refresh: fast/);
    await wb.waitForLog(/Refresh: slow \(every instance is stable\)/, mark);
    await wb.screenshot('delete-lag-gone');
  });
});
