// The credit balance and its runway in the real workbench (issue 21), against the emulator: a
// teammate's 8x H100 runs ($15.12/h from the default rates) and the account holds $412. The
// balance is read at most once a minute, so the tests wait for the extension's next read — on the
// emulator's request log and the workbench's DOM, never on a fixed sleep. The list refreshes every
// 5 s meanwhile (fal.refresh.slowIntervalSeconds), which must not make the balance read any faster.
// A new key is read at once (the minute counts per key), so a minute is waited only where it is
// what the test shows: one read a minute, one notification per crossing, a 403 never asked again.
import assert from 'node:assert/strict';
import { DEFAULT_EMULATOR_KEY, FalEmulator, type RequestRecord } from '../emulator';
import { waitFor } from '../support/polling';
import { openWorkbench, screenshotOnFailure, type Workbench } from './workbench';

const TEAMMATE = 'inst_teammate8x';
const NO_BILLING = 'no-billing-id:no-billing-secret';
/** Another key of the same account, which may read billing too. */
const SECOND_KEY = 'second-id:second-secret';
const WARNED = 'Credit runway under fal.credits.warnHours';

describe('Credit balance and runway (real workbench, emulator)', function () {
  let fal: FalEmulator;
  let wb: Workbench;

  const isBilling = (r: RequestRecord) => r.path === '/v1/account/billing';
  const isList = (r: RequestRecord) => r.path === '/v1/compute/instances';
  const billingReads = () => fal.requests.filter(isBilling);
  /** The one status bar item (its line always holds the $/h of the running 8x). */
  const item = () => wb.statusBarItem(/~\$15\.12\/h/);
  const warningColour = async () => /warning-kind/.test((await item().getAttribute('class')) ?? '');
  const tooltip = async (text: string | RegExp) => {
    const hover = await wb.hoverShowing(item(), text);
    return ((await hover.textContent()) ?? '').replace(/\u00a0/g, ' ');
  };
  /** Waits for the extension's next balance read after the `n` seen so far (of key `keyId`, else of any), and returns it. */
  const nextRead = (n: number, keyId?: string, timeout = 90_000) =>
    waitFor(
      `balance read #${n + 1}${keyId ? ` of ${keyId}` : ''}`,
      () => billingReads().filter((r) => keyId === undefined || r.keyId === keyId),
      (reads) => reads.length > n && reads[n]!.status !== undefined,
      timeout,
      200,
    ).then((reads) => reads[n]!);

  before(async function () {
    this.timeout(180_000);
    fal = await FalEmulator.start({
      keys: [{ key: DEFAULT_EMULATOR_KEY }, { key: SECOND_KEY }, { key: NO_BILLING, billing: false }],
      billing: { balance: 412 },
      seed: [
        {
          id: TEAMMATE,
          instance_type: 'gpu_8x_h100_sxm5',
          status: 'ready',
          ip: '203.0.113.80',
          creator_user_nickname: 'teammate',
        },
      ],
    });
    wb = await openWorkbench({
      settings: {
        'fal.apiBaseUrl': fal.baseUrl,
        'fal.refresh.slowIntervalSeconds': 5,
        'fal.gpu.sampleSeconds': 0,
        'workbench.hover.delay': 100,
      },
    });
    await wb.signIn(DEFAULT_EMULATOR_KEY);
    await wb.waitForTreeRows((rows) => rows.some((r) => r.ariaLabel.includes(TEAMMATE)), 'Instances', 30_000);
  });

  after(async () => {
    await wb?.close();
    await fal?.close();
  });

  afterEach(screenshotOnFailure(() => wb));

  it('the status bar tooltip says the balance and the runway at the current burn, labelled an estimate', async function () {
    this.timeout(60_000);
    const read = await nextRead(0);
    assert.deepEqual(read.query, { expand: 'credits' });
    const text = await tooltip(/Credit/);
    assert.match(
      text,
      /Credit\s*: \$41\d\.\d\d · ~27 h at \$15\.12\/h \(estimate: fal's balance at [\d:]+ ÷ the hourly rates in settings\)/,
    );
    assert.ok(!(await warningColour()), '27 h is over the 12 h of fal.credits.warnHours: no warning colour');
    assert.doesNotMatch((await item().textContent()) ?? '', /credit/, 'the line stays calm');
    await wb.screenshot('credit-runway-tooltip');
    await wb.page.mouse.move(0, 0);
  });

  it('the balance falls below the threshold: warning colour, the runway in the line, one notification — not one per refresh', async function () {
    this.timeout(180_000);
    const mark = wb.logMark();
    // A charge takes the balance under 12 h × $15.12/h = $181.44, where the 8x keeps it (it drains
    // at its real rate meanwhile). The first read below comes with another key of the account,
    // read at once; the read before it (test 1's, $412) was above, so this is a crossing.
    fal.setBilling({ balance: 155 });
    await wb.runCommand('fal: Set API Key');
    await wb.inputBox.type(SECOND_KEY);
    await wb.inputBox.enter();
    await wb.waitForNotification('API key saved');
    const charged = fal.billingState().balance;

    const below = await nextRead(0, 'second-id');
    assert.equal(below.status, 200);
    await waitFor('the warning colour', warningColour, Boolean, 10_000, 100);
    assert.match((await item().textContent()) ?? '', /~\$15\.12\/h · ~10 h of credit left/);
    const warning = await wb.waitForNotification(/^fal credit is running low/, 10_000);
    assert.match(
      warning.message,
      /^fal credit is running low: \$1[56]\d\.\d\d lasts ~10 h at the current \$15\.12\/h \(estimate\), under the 12 h of fal\.credits\.warnHours\. fal locks an account whose balance drops below its lock threshold/,
    );
    assert.deepEqual(warning.buttons, ['Show Spend']);
    assert.ok(charged < 181.44);
    await wb.waitForToastsToSettle();
    await wb.screenshot('credit-runway-warning');
    const text = await tooltip(/under the 12 h/);
    assert.match(text, /\$1[56]\d\.\d\d · ~10 h at \$15\.12\/h/);
    const readAt = /fal's balance at ([\d:]+)/.exec(text)![1]!;
    await wb.page.mouse.move(0, 0);

    // The next read, a minute later, is still under the threshold: no second notification.
    const again = await nextRead(1, 'second-id');
    // The floor holds between the extension's own read starts; seen from the emulator, give or take loopback's ms.
    assert.ok(again.startedAt - below.startedAt >= 60_000 - 100, 'at most one balance read a minute');
    const lists = fal.requests.filter(
      (r) => isList(r) && r.startedAt > below.startedAt && r.startedAt < again.startedAt,
    );
    assert.ok(lists.length >= 8, `the list refreshed every 5 s meanwhile (${lists.length} times)`);
    await tooltip(new RegExp(`fal's balance at (?!${readAt})[\\d:]+ ÷`)); // the extension has looked at the new read
    await wb.page.mouse.move(0, 0);
    assert.ok(await warningColour(), 'still under: still the warning colour');
    assert.equal(wb.extensionLog().slice(mark).split(WARNED).length - 1, 1, 'one notification for one crossing');

    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.runCommand('fal: Show Spend');
    const editor = wb.page.locator('.editor-instance .monaco-editor .view-lines');
    await editor.filter({ hasText: '## Credit' }).waitFor();
    const report = ((await editor.textContent()) ?? '').replace(/\u00a0/g, ' ');
    assert.match(report, /## Credit.*\$1[56]\d\.\d\d · ~10 h at \$15\.12\/h/s);
    await wb.runCommand('View: Close All Editors');
  });

  it('a key without billing read access (403): the balance hidden with a note, asked once, and nothing else changes', async function () {
    this.timeout(180_000);
    const mark = wb.logMark();
    await wb.runCommand('fal: Set API Key');
    await wb.inputBox.type(NO_BILLING);
    await wb.inputBox.enter();
    await wb.waitForNotification('API key saved');
    const denied = await waitFor(
      'the billing read with the new key',
      () => fal.requests.find((r) => isBilling(r) && r.keyId === 'no-billing-id' && r.status !== undefined),
      Boolean,
      60_000,
      200,
    );
    assert.equal(denied!.status, 403);
    const logged = await wb.waitForLog('The balance is not readable with this key', mark);
    assert.match(logged, /GET \/account\/billing answered 403 \(fal said: "Access denied"\)/);

    const text = await tooltip(/not readable/);
    assert.match(text, /Credit\s*: balance not readable with this key \(HTTP 403\)/);
    assert.doesNotMatch(text, /\$\d+\.\d\d ·/, 'no balance of the old key');
    await waitFor('the warning colour to go', warningColour, (on) => !on, 10_000, 100);
    await wb.screenshot('credit-not-readable');
    await wb.page.mouse.move(0, 0);

    // Nothing else: the instance is still listed, nothing says "key rejected", the list keeps refreshing.
    assert.ok((await wb.treeRows('Instances')).some((r) => r.ariaLabel.includes(TEAMMATE)));
    assert.equal(await wb.statusBarItem(/key rejected/).count(), 0);
    assert.doesNotMatch(wb.extensionLog().slice(mark), /Nothing is sent to fal with this key/);
    // And billing is not asked again: over more than a minute of refreshes with that key, no second read.
    await waitFor(
      'a list refresh more than a minute after the 403',
      () =>
        fal.requests.some((r) => isList(r) && r.keyId === 'no-billing-id' && r.startedAt > denied!.startedAt + 61_000),
      Boolean,
      90_000,
      500,
    );
    assert.equal(fal.requests.filter((r) => isBilling(r) && r.keyId === 'no-billing-id').length, 1);
    assert.equal(
      wb.extensionLog().slice(mark).split('The balance is not readable with this key').length - 1,
      1,
      'one log line',
    );
  });
});
