// Cut-off text (issue 14 item 2): at 1440×900 with the default sidebar width, no essential word is
// ellipsed. Measured, not eyeballed: an element the workbench truncates with an ellipsis is one
// whose scrollWidth exceeds its clientWidth; a placeholder is measured with the input's own font.
// Covered: the tree rows in each status (ids as long as the emulator's, a name), the named 8x row
// with live GPU figures (a REAL sshd whose sessions replay real nvidia-smi outputs, test/unit/gpu/gpuSshd.ts)
// hovered, so with its inline action, busy and then idle with its idle badge, and each of its GPU
// children and GPU processes, every step of the create wizard (type, sector, key, confirm: the whole fingerprint and
// price, the Create item's detail; Delete after), and every toast the flows show (recorded on every
// animation frame while they run).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../emulator';
import { waitFor } from '../support/polling';
import { connectedBefore, quickGpuSettings, startGpuSshd, type GpuSshd } from '../unit/gpu/gpuSshd';
import { openWorkbench, screenshotOnFailure, type Workbench } from './workbench';

const PUB = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDzXvkl1Yq0sQpW1m3FZ4a3VbQO1kB4M2cqv7rP6o3Lh maria@workstation';
/** Ids shaped like the emulator's (`inst_` + 12), which are shaped like fal's examples. */
const ID = (s: string) => `inst_${s.padEnd(12, 'x').slice(0, 12)}`;
const SEED = [
  // The named 8x: at the test sshd's address, so its GPU figures are live.
  { id: ID('k3v9x0q2m7ab'), instance_type: 'gpu_8x_h100_sxm5', status: 'ready', ip: '127.0.0.1' },
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
const GPU_KEY = 'fal_gpu_ed25519';

interface Cut {
  text: string;
  need: number;
  have: number;
}

/**
 * Texts under `selector` that the workbench shows cut (text-overflow: ellipsis and too wide). Measured
 * to the fraction of a pixel: the laid-out text's right edge past the box's content edge. Chromium
 * draws the ellipsis for a text 0.2 px too wide, which whole-pixel scrollWidth and clientWidth miss.
 */
function ellipsed(page: Page, selector: string): Promise<Cut[]> {
  return page.evaluate((sel) => {
    const g = globalThis as any;
    const cuts: Cut[] = [];
    for (const root of Array.from(g.document.querySelectorAll(sel)) as any[]) {
      for (const el of [root, ...Array.from(root.querySelectorAll('*'))] as any[]) {
        const cs = g.getComputedStyle(el);
        if (el.offsetParent === null || cs.textOverflow !== 'ellipsis') continue;
        const range = g.document.createRange();
        range.selectNodeContents(el);
        const box = el.getBoundingClientRect();
        const left = box.left + parseFloat(cs.borderLeftWidth) + parseFloat(cs.paddingLeft);
        const right = box.right - parseFloat(cs.borderRightWidth) - parseFloat(cs.paddingRight);
        const textRight: number = range.getBoundingClientRect().right;
        if (textRight > right + 0.01 || el.scrollWidth > el.clientWidth + 1)
          cuts.push({
            text: String(el.textContent).trim(),
            need: Math.round((Math.max(textRight, left + el.scrollWidth) - left) * 10) / 10,
            have: Math.round((right - left) * 10) / 10,
          });
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
  let s: GpuSshd;
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
    s = await startGpuSshd();
    s.stub.set('h100x8-busy');
    fal = await FalEmulator.start({ seed: [...SEED], timeline: { provisioningMs: 3_000 } });
    wb = await openWorkbench({
      settings: {
        'fal.apiBaseUrl': fal.baseUrl,
        'fal.refresh.fastIntervalSeconds': 1,
        ...quickGpuSettings(s),
      },
    });
    await connectedBefore(s, wb.server.dirs.home, GPU_KEY, [{ id: NAMED, address: '127.0.0.1' }]);
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
    await s?.dispose();
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

  it('the named 8x row with live GPU figures, hovered (its inline action), busy and then idle (its idle badge), each GPU child its utilisation, memory and temperature whole, and each GPU process its memory', async function () {
    this.timeout(90_000);
    await wb.choosePrivateKey(NAMED, GPU_KEY);
    const named = wb.row(NAMED);
    const description = async () => (await wb.treeRows('Instances')).find((r) => r.label === NAME)?.description;
    /** The named row's figures: its mean utilisation and the memory in use, whatever else the row says. */
    const figures = (util: number, gb: number) => (d: string | undefined) =>
      new RegExp(`(^|\\s)${util} % · ${gb}(G|(/\\d+)? GB)`).test(d ?? '');
    await waitFor('live figures on the named row', description, figures(95, 106), 30_000, 100);
    await named.locator('.monaco-tl-twistie').click();
    const child = (start: string) => wb.view('Instances').locator(`.monaco-list-row[aria-label^="${start}"]`);
    await child('GPU 7,').waitFor();
    // The processes too: each says its memory and pid.
    await child('15 GPU processes').locator('.monaco-tl-twistie').click();
    await wb.waitForTreeRows((rs) => rs.filter((r) => r.icon === 'gear').length === 15, 'Instances');
    /** The row hovered, so its inline action (Connect) shows; then every row of the tree measured. */
    const measure = async (when: string, badge: boolean) => {
      await named.hover();
      const action = named.locator('.actions .action-label').filter({ visible: true });
      assert.equal(await action.count(), 1, `${when}: the row's inline action shows while hovered`);
      if (badge) await wb.waitForRowBadge(NAMED, 'zz', 10_000);
      await wb.screenshot(`cutoff-gpu-${when}`);
      const cuts = await ellipsed(wb.page, '.part.sidebar .pane .monaco-list-row');
      if (cuts.length) failures.push(`${when}:\n${show(cuts)}`);
      const gpus = (await wb.treeRows('Instances')).filter((r) => r.icon === 'circuit-board');
      assert.equal(gpus.length, 8, `${when}: one child per GPU`);
      for (const g of gpus)
        assert.match(g.description, /^\d+ % · \d+\/80 GB · \d+ °C/, `${when}: ${g.label} says its figures`);
    };
    failures.length = 0;
    await measure('busy', false);
    s.stub.set('h100x8-idle');
    await waitFor('idle figures on the named row', description, figures(0, 0), 30_000, 100);
    await measure('idle', true);
    s.stub.set('h100x8-busy');
    await waitFor('busy again', description, figures(95, 106), 30_000, 100);
    await named.locator('.monaco-tl-twistie').click();
    await wb.page.mouse.move(700, 500);
    await wb.runCommand('Notifications: Clear All Notifications'); // the idle reminder
    assert.deepEqual(failures, [], failures.join('\n\n'));
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
