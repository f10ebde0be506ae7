// Outside text stays text in the real workbench: a teammate's fal nickname that is a command link
// to another instance, an icon and HTML, and a region with an icon and a web link, shown in a row
// tooltip that is trusted for the one "Choose it…" link (the no-key GPU state), and in the status
// bar's spend tooltip (trusted for Show Spend). The hover must show them literally, with no link,
// element or icon made from them; the extension's own link and icons stay.
import assert from 'node:assert/strict';
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../emulator';
import type { Locator } from 'playwright-core';
import { openWorkbench, screenshotOnFailure, type Workbench } from './workbench';

const ROW = 'inst_h0st1le7n1ck';
const VICTIM = 'inst_victim';
const NICKNAME = `[Choose it…](command:fal.gpu.chooseKey?["${VICTIM}"]) $(flame) <b>bold</b>`;
const REGION = '![](https://evil.example/p.png) $(zap) [x](https://e.example)';

describe('Hostile text from fal in hovers (real workbench)', function () {
  let fal: FalEmulator;
  let wb: Workbench;

  /** Screenshots after the hover's fade-in (finite animations only: a spinner never ends). */
  const screenshotSettled = async (hover: Locator, name: string) => {
    type Running = {
      readonly effect: { getComputedTiming(): { iterations?: number } } | null;
      readonly finished: Promise<unknown>;
    };
    await hover.evaluate((el) =>
      Promise.all(
        (el.ownerDocument.getAnimations() as Running[])
          .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
          .map((a) => a.finished),
      ),
    );
    await wb.screenshot(name);
  };
  /** What the hover made: links (with their targets), bold elements, icons, and its text. */
  const madeIn = (hover: Locator) =>
    hover.evaluate((el) => ({
      links: [...el.querySelectorAll('a')].map((a) => ({
        text: a.textContent ?? '',
        href: a.getAttribute('data-href') ?? a.getAttribute('href') ?? '',
      })),
      victimRefs: el.querySelectorAll(`[data-href*="inst_victim"], [href*="inst_victim"], img`).length,
      bold: el.querySelectorAll('b').length,
      icons: [...el.querySelectorAll('.codicon')].map(
        (i) =>
          [...i.classList]
            .find((c) => c.startsWith('codicon-') && !c.startsWith('codicon-modifier'))
            ?.slice('codicon-'.length) ?? '',
      ),
      text: (el.textContent ?? '').replace(/\s+/g, ' '),
    }));

  before(async function () {
    this.timeout(180_000);
    fal = await FalEmulator.start({
      seed: [
        {
          id: ROW,
          instance_type: 'gpu_1x_h100_sxm5',
          status: 'ready',
          ip: '127.0.0.1',
          region: REGION,
          creator_user_nickname: NICKNAME,
        },
        {
          id: VICTIM,
          instance_type: 'gpu_1x_h100_sxm5',
          status: 'ready',
          ip: '127.0.0.1',
          creator_user_nickname: 'victim',
        },
      ],
    });
    wb = await openWorkbench({
      settings: {
        'fal.apiBaseUrl': fal.baseUrl,
        'fal.gpu.sampleSeconds': 1,
        'workbench.hover.delay': 100,
      },
    });
    await wb.signIn(DEFAULT_EMULATOR_KEY);
    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.waitForTreeRows(
      (rs) => [ROW, VICTIM].every((id) => rs.some((r) => r.ariaLabel.includes(id))),
      'Instances',
      30_000,
    );
  });

  after(async () => {
    await wb?.close();
    await fal?.close();
  });

  afterEach(screenshotOnFailure(() => wb));

  it('the row tooltip (trusted for its own Choose-key link) shows the nickname and region as text, and makes no link, element or icon from them', async () => {
    const hover = await wb.hoverShowing(wb.row(ROW).locator('.label-name'), 'no private key known for this instance');
    const made = await madeIn(hover);
    assert.ok(made.text.includes(NICKNAME), `the nickname, literally: ${made.text}`);
    assert.ok(made.text.includes(REGION), `the region, literally: ${made.text}`);
    assert.deepEqual(
      made.links,
      [{ text: 'Choose it…', href: `command:fal.gpu.chooseKey?%5B%22${ROW}%22%5D` }],
      'only our own link, for this row',
    );
    assert.equal(made.victimRefs, 0, 'no link to the other instance, no image');
    assert.equal(made.bold, 0, 'no <b> from the nickname');
    assert.deepEqual(made.icons, ['vm-running'], 'only the status icon: no flame, no zap');
    await screenshotSettled(hover, 'hostile-text-row-tooltip');
  });

  it('the status bar tooltip (trusted for Show Spend) shows the nickname as text among the creators', async () => {
    const item = wb.page.locator('.statusbar-item', { has: wb.page.locator('.codicon-server') }).first();
    const hover = await wb.hoverShowing(item, 'Per creator this month');
    const made = await madeIn(hover);
    assert.ok(made.text.includes(NICKNAME), `the nickname, literally: ${made.text}`);
    assert.deepEqual(
      made.links.map((l) => l.href),
      ['command:fal.showSpend'],
      'only Show Spend',
    );
    assert.equal(made.victimRefs, 0);
    assert.equal(made.bold, 0);
    assert.deepEqual(made.icons, []);
    await screenshotSettled(hover, 'hostile-text-status-tooltip');
  });
});
