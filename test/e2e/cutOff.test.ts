// Cut-off text (issue 14 item 2): at 1440×900 with the default sidebar width, no essential word is
// ellipsed. Measured, not eyeballed: an element the workbench truncates with an ellipsis is one
// whose scrollWidth exceeds its clientWidth; a placeholder is measured with the input's own font.
// Covered: the tree rows in each status (ids as long as the emulator's, a name), every step of the
// create wizard (type, sector, key, confirm: the whole fingerprint and price, the Create item's
// detail; Delete after), and every toast the flows show (recorded on every animation frame while they run).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../emulator';
import { waitFor } from '../support/polling';
import { openWorkbench, screenshotOnFailure, type Workbench } from './workbench';

const PUB = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDzXvkl1Yq0sQpW1m3FZ4a3VbQO1kB4M2cqv7rP6o3Lh maria@workstation';
/** Ids shaped like the emulator's (`inst_` + 12), which are shaped like fal's examples. */
const ID = (s: string) => `inst_${s.padEnd(12, 'x').slice(0, 12)}`;
const SEED = [
  { id: ID('k3v9x0q2m7ab'), instance_type: 'gpu_8x_h100_sxm5', status: 'ready', ip: '203.0.113.142' },
  { id: ID('a1b2c3d4e5f6'), instance_type: 'gpu_1x_h100_sxm5', status: 'ready', ip: '203.0.113.143' },
  { id: ID('ec786ab73f2k'), instance_type: 'gpu_1x_h100_sxm5', status: 'provisioning' },
  { id: ID('q9w8e7r6t5y4'), instance_type: 'gpu_8x_h100_sxm5', status: 'init' },
  { id: ID('z1x2c3v4b5n6'), instance_type: 'gpu_1x_h100_sxm5', status: 'pending' },
  { id: ID('m1n2b3v4c5x6'), instance_type: 'gpu_1x_h100_sxm5', status: 'stopped' },
  { id: ID('l1k2j3h4g5f6'), instance_type: 'gpu_8x_h100_sxm5', status: 'unknown' },
  { id: ID('p0o9i8u7y6t5'), instance_type: 'gpu_1x_h100_sxm5', status: 'hibernating' },
] as const;
const NAMED = SEED[0].id;
const DELETED = SEED[1].id;
const NAME = 'llama-70b finetune';

interface Cut {
  text: string;
  need: number;
  have: number;
}

/** Texts under `selector` that the workbench shows cut (text-overflow: ellipsis and too wide). */
function ellipsed(page: Page, selector: string): Promise<Cut[]> {
  return page.evaluate((sel) => {
    const doc = (globalThis as any).document;
    const cuts: Cut[] = [];
    for (const root of Array.from(doc.querySelectorAll(sel)) as any[]) {
      for (const el of [root, ...Array.from(root.querySelectorAll('*'))] as any[]) {
        if (el.offsetParent === null || (globalThis as any).getComputedStyle(el).textOverflow !== 'ellipsis') continue;
        if (el.scrollWidth > el.clientWidth + 1)
          cuts.push({ text: String(el.textContent).trim(), need: el.scrollWidth, have: el.clientWidth });
      }
    }
    return cuts;
  }, selector);
}

/** The quick input's placeholder, if it does not fit its box. */
function placeholderCut(page: Page): Promise<Cut | undefined> {
  return page.evaluate(() => {
    const g = globalThis as any;
    const input = g.document.querySelector('.quick-input-widget .quick-input-box input');
    const text = input?.getAttribute('placeholder') ?? '';
    if (!input || !text || input.value) return undefined;
    const cs = g.getComputedStyle(input);
    const ctx = g.document.createElement('canvas').getContext('2d');
    ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const need = Math.ceil(ctx.measureText(text).width);
    const have = input.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    return need > have ? { text, need, have } : undefined;
  });
}

/** Runs in the page: every toast message seen, and whether it was ever cut. */
function recordToasts(): void {
  const g = globalThis as any;
  const seen: Record<string, boolean> = (g.__falToasts = {});
  const sample = () => {
    for (const el of Array.from(
      g.document.querySelectorAll('.notifications-toasts .notification-toast .notification-list-item-message'),
    ) as any[]) {
      if (el.offsetParent === null || el.clientWidth === 0) continue;
      const text = String(el.textContent).trim();
      seen[text] = seen[text] === true || el.scrollWidth > el.clientWidth + 1;
    }
    g.requestAnimationFrame(sample);
  };
  g.requestAnimationFrame(sample);
}

describe('No essential text is cut at 1440×900 (measured)', function () {
  let fal: FalEmulator;
  let wb: Workbench;
  const failures: string[] = [];
  const show = (cuts: Cut[]) => cuts.map((c) => `"${c.text}" needs ${c.need}px, has ${c.have}px`).join('\n');

  async function measureQuickPick(step: string): Promise<void> {
    await wb.quickPick.waitOpen();
    await wb.page.locator('.quick-input-widget .monaco-list-row').first().waitFor();
    const cuts = [
      ...(await ellipsed(wb.page, '.quick-input-widget .quick-input-list')),
      ...(await ellipsed(wb.page, '.quick-input-widget .quick-input-title')),
    ];
    const ph = await placeholderCut(wb.page);
    if (ph) cuts.push(ph);
    await wb.screenshot(`cutoff-${step}`);
    if (cuts.length) failures.push(`${step}:\n${show(cuts)}`);
  }

  before(async function () {
    this.timeout(120_000);
    fal = await FalEmulator.start({ seed: [...SEED], timeline: { provisioningMs: 3_000 } });
    wb = await openWorkbench({ settings: { 'fal.apiBaseUrl': fal.baseUrl, 'fal.refresh.fastIntervalSeconds': 1 } });
    const sshDir = join(wb.server.dirs.home, '.ssh');
    mkdirSync(sshDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(sshDir, 'id_ed25519.pub'), `${PUB}\n`);
    writeFileSync(join(sshDir, 'id_ed25519'), 'not read', { mode: 0o600 });
    await wb.page.evaluate(recordToasts);
    await wb.signIn(DEFAULT_EMULATOR_KEY);
    await wb.waitForTreeRows((rs) => rs.length === SEED.length, 'Instances', 30_000);
  });

  after(async () => {
    await wb?.close();
    await fal?.close();
  });

  afterEach(screenshotOnFailure(() => wb));

  it('the tree rows in each status (and named, and being deleted)', async function () {
    this.timeout(60_000);
    await wb.runFromContextMenu(NAMED, 'Rename…');
    await wb.inputBox.type(NAME);
    await wb.inputBox.enter();
    await wb.waitForTreeRows((rs) => rs.some((r) => r.label === NAME), 'Instances');
    fal.addFault({ route: 'delete', kind: 'delay', ms: 60_000 });
    await wb.runFromContextMenu(DELETED, 'Delete Instance…', { select: true });
    await wb.waitForModal();
    await wb.clickModalButton('Delete');
    const rows = await wb.waitForTreeRows((rs) => rs.some((r) => r.description.startsWith('deleting…')), 'Instances');
    await wb.page.mouse.move(700, 500); // no hover: a hovered row gives room to its inline buttons
    await wb.page
      .locator('.monaco-list-row.focused')
      .first()
      .evaluate(() => undefined)
      .catch(() => undefined);
    await wb.screenshot('cutoff-tree-rows');
    const descriptions = rows.map((r) => r.description);
    for (const words of [
      'starting · 1x H100',
      'starting · 8x H100',
      'stopped · 1x H100',
      'unknown · 8x H100',
      'hibernating · 1x H100',
      'deleting… · 1x H100',
      '8x H100',
    ]) {
      assert.ok(descriptions.includes(words), `a row says "${words}": ${JSON.stringify(descriptions)}`);
    }
    const cuts = await ellipsed(wb.page, '.part.sidebar .pane .monaco-list-row');
    assert.deepEqual(cuts, [], show(cuts));
    fal.clearFaults();
  });

  it("every step of the create wizard: type, sector, key, confirm (the whole fingerprint and price, the Create item's detail), Delete after, and the name box", async function () {
    this.timeout(60_000);
    failures.length = 0;
    await wb.runCommand('fal: Create H100 Instance');
    await wb.quickPick.waitForStep('Create H100 Instance', '1/');
    await measureQuickPick('type');
    await wb.quickPick.answerAndAdvance('8x H100');
    await measureQuickPick('sector');
    await wb.quickPick.answerAndAdvance('sector_2');
    await measureQuickPick('key');
    await wb.quickPick.answerAndAdvance('id_ed25519.pub');
    await measureQuickPick('confirm');
    const confirm = (await wb.page.locator('.quick-input-widget .monaco-list-rows').innerText()).replace(
      /\u00a0/g,
      ' ',
    );
    assert.match(confirm, /SHA256:[A-Za-z0-9+/]{43}/, 'the whole fingerprint is in the rows');
    assert.match(confirm, /~\$15\.12\/h \(estimate\)/);
    assert.match(confirm, /billed by the hour until you delete it/);
    assert.match(confirm, /~\$[\d,.]+ this month if all keeps running \(estimate\)/, 'the month projection, whole');
    // Delete after (the lease): its row above, its own pick here; Back returns to the confirm step.
    await wb.quickPick.answerAndAdvance('Keep until I delete');
    await measureQuickPick('delete-after');
    await wb.quickPick.back();
    await wb.quickPick.waitForStep('Create H100 Instance', '4/4');
    await wb.quickPick.answer('workspace');
    await wb.inputBox.waitOpen();
    const prompt = await wb.inputBox.message();
    const promptCuts = await ellipsed(wb.page, '.quick-input-widget');
    await wb.screenshot('cutoff-name');
    if (promptCuts.length) failures.push(`name box (${prompt}):\n${show(promptCuts)}`);
    await wb.quickPick.dismiss();
    assert.deepEqual(failures, [], failures.join('\n\n'));
  });

  it('every toast of the flows: key saved, generated key, progress, ready, Copy IP, Stop Waiting', async function () {
    this.timeout(90_000);
    await wb.runCommand('fal: Create H100 Instance');
    await wb.quickPick.answerAndAdvance('1x H100');
    await wb.quickPick.answerAndAdvance('Generate a new ed25519 key');
    await wb.quickPick.answerAndAdvance('Create 1x H100');
    await wb.waitForNotification(/is ready at/, 30_000);
    await wb.clickNotificationButton('Copy IP');
    await wb.waitForNotification(/^Copied /);
    await wb.waitForToastsToSettle();
    await wb.screenshot('cutoff-toasts');
    await wb.runCommand('Notifications: Clear All Notifications');
    const before = new Set(fal.instances().map((i) => i.id));
    await wb.runCommand('fal: Create H100 Instance');
    await wb.quickPick.answerAndAdvance('1x H100');
    await wb.quickPick.answerAndAdvance('id_ed25519.pub');
    await wb.quickPick.answerAndAdvance('Create 1x H100');
    const created = await waitFor(
      'the second instance',
      () => fal.instances().find((i) => !before.has(i.id)),
      (i) => i !== undefined,
      10_000,
      20,
    );
    fal.updateInstance(created!.id, { status: 'provisioning' });
    await wb.waitForNotification(/^Provisioning /);
    await wb.clickNotificationButton('Stop Waiting');
    await wb.waitForNotification('Stopped waiting');
    await wb.waitForToastsToSettle();
    await wb.screenshot('cutoff-toast-stopped-waiting');
    const toasts = await wb.page.evaluate(() => (globalThis as any).__falToasts as Record<string, boolean>);
    const texts = Object.keys(toasts);
    for (const expected of [
      /^fal API key saved\.$/,
      /^New SSH key /,
      /^Provisioning /,
      / is ready at /,
      /^Copied /,
      /^Stopped waiting\. /,
    ]) {
      assert.ok(
        texts.some((t) => expected.test(t)),
        `the toast ${expected} was seen: ${JSON.stringify(texts)}`,
      );
    }
    const cut = texts.filter((t) => toasts[t]);
    assert.deepEqual(cut, [], `toasts shown cut:\n${cut.join('\n')}`);
  });
});
