// A lease (issue 19 item 6) in the real workbench, against the emulator: the create wizard's
// Delete after step, the row and its tooltip saying "deletes at …", the lease's countdown and exactly
// one DELETE of that instance at its end; Extend Lease 1 h and Keep Until I Delete from the row's
// context menu. fal.lease.defaultHours is 0.005 (18 s), which the wizard offers as a choice of its
// own, and the countdown lasts 6 s. GPU sampling is off: a lease never asks the machine whether it
// is idle (its fresh check is fal's), so no sshd is needed. Every verdict is read from the
// workbench, the emulator's request log or the extension's log — never from a fixed sleep.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../emulator';
import { waitFor } from '../support/polling';
import { openWorkbench, screenshotOnFailure, type Workbench } from './workbench';

const PUB = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDzXvkl1Yq0sQpW1m3FZ4a3VbQO1kB4M2cqv7rP6o3Lh lease@test';
/** A clock time as the row says it: "18:30", "6:30 PM", or with a weekday when it is not today. */
const CLOCK = String.raw`(\w{3},? )?\d\d?:\d\d( [AP]M)?`;

describe('Lease: Delete after (real workbench, emulator)', function () {
  let fal: FalEmulator;
  let wb: Workbench;

  const deletesOf = (id: string) => fal.requests.filter((r) => r.method === 'DELETE' && r.path.endsWith(`/${id}`));
  const rowOf = async (id: string) => (await wb.treeRows('Instances')).find((r) => r.ariaLabel.includes(id));
  const rowSayingDeletes = (id: string) =>
    waitFor(
      `the row of ${id} to say when it deletes`,
      () => rowOf(id),
      (r) => !!r && /^deletes at /.test(r.description),
      10_000,
      100,
    );
  const newInstance = (known: readonly string[]) => fal.instances().find((i) => !known.includes(i.id))!.id;
  const toast = (text: RegExp) =>
    wb.page
      .locator('.notifications-toasts .notification-toast')
      .filter({ has: wb.page.locator('.notification-list-item-message', { hasText: text }) });
  /** The wizard up to its confirm step: 1x H100, the lease@test key. */
  const toConfirm = async () => {
    await wb.runCommand('fal: Create H100 Instance');
    await wb.quickPick.waitForStep('Create H100 Instance', '1/');
    await wb.quickPick.answerAndAdvance('1x H100');
    await wb.quickPick.answerAndAdvance('id_lease.pub');
    await wb.quickPick.waitForStep('Create H100 Instance', '3/3');
  };
  const create = async () => {
    const known = fal.instances().map((i) => i.id);
    await wb.quickPick.answerAndAdvance('Create 1x H100');
    await wb.waitForNotification(/is ready at/, 30_000);
    return newInstance(known);
  };

  before(async function () {
    this.timeout(120_000);
    fal = await FalEmulator.start({ ip: '127.0.0.1', timeline: { pendingMs: 200, provisioningMs: 800 } });
    wb = await openWorkbench({
      settings: {
        'fal.apiBaseUrl': fal.baseUrl,
        'fal.refresh.fastIntervalSeconds': 1,
        'fal.gpu.sampleSeconds': 0,
        'fal.lease.defaultHours': 0.005,
        'fal.idle.graceMinutes': 0.1,
        'fal.credits.warnHours': 0,
        'workbench.hover.delay': 100,
      },
    });
    const sshDir = join(wb.server.dirs.home, '.ssh');
    mkdirSync(sshDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(sshDir, 'id_lease.pub'), `${PUB}\n`);
    await wb.signIn(DEFAULT_EMULATOR_KEY);
    await wb.runCommand('Notifications: Clear All Notifications');
  });

  after(async () => {
    await wb?.close();
    await fal?.close();
  });

  afterEach(screenshotOnFailure(() => wb));

  it('the confirm step\'s Delete after (default 18 s, offered on its own); the row and tooltip say "deletes at"; at the end the countdown, then exactly one DELETE of that instance', async function () {
    this.timeout(120_000);
    await toConfirm();
    const confirm = await wb.quickPick.rowLabels();
    assert.deepEqual(confirm, ['Create 1x H100', 'workspace', 'Delete after 18 s', 'id_lease.pub', 'Cancel']);
    await wb.screenshot('lease-wizard-confirm');
    await wb.quickPick.answerAndAdvance('Delete after 18 s');
    assert.match(await wb.quickPick.placeholder(), /^Delete after: a countdown at the end, then the delete/);
    assert.deepEqual(await wb.quickPick.rowLabels(), ['Keep until I delete', '18 s', '2 h', '4 h', '8 h', '24 h']);
    const rows = (await wb.page.locator('.quick-input-widget .monaco-list-rows').innerText()).replace(/\u00a0/g, ' ');
    assert.match(rows, new RegExp(`18 s\\s*deletes about ${CLOCK} · default`), 'the default, and when it would delete');
    await wb.screenshot('lease-wizard-delete-after');
    await wb.quickPick.answerAndAdvance('18 s');
    assert.ok((await wb.quickPick.rowLabels()).includes('Delete after 18 s'), 'back on the confirm step');
    fal.clearRequests();
    const mark = wb.logMark();
    const mine = await create();

    const row = await rowSayingDeletes(mine);
    assert.match(row!.description, new RegExp(`^deletes at ${CLOCK} · 1x H100$`));
    assert.match(row!.ariaLabel, /, deletes at /, 'said to screen readers too');
    await wb.page.mouse.move(0, 0);
    await wb.screenshot('lease-row-deletes-at');
    const tip = await wb.hoverShowing(wb.row(mine), 'Kept by VS Code');
    assert.match(
      (await tip.textContent()) ?? '',
      /Lease.*deletes at .*Kept by VS Code, not by the machine \(the admin key never goes onto it\): it acts only while a VS Code window with fal Compute is open, or at the next start after it ended/s,
    );
    await wb.screenshot('lease-tooltip');
    await wb.page.mouse.move(0, 0);

    const countdown = toast(/^The lease of /).first();
    await countdown.waitFor({ timeout: 30_000 });
    const text = (await countdown.locator('.notification-list-item-message').textContent()) ?? '';
    assert.match(
      text,
      new RegExp(
        `^The lease of workspace \\(${mine}, 1x H100\\) ended at ${CLOCK}\\. Delete at .* \\(in \\d+ s\\), after a fresh check that fal still lists it as the same ready machine\\. Deleting destroys its disk\\. Keep keeps it until you delete it; Cancel moves its lease 1 h on\\.$`,
      ),
    );
    await wb.waitForToastsToSettle();
    await wb.screenshot('lease-countdown');
    await wb.waitForLog(`[cost] ${mine}: its lease ended: lease countdown started (6 s)`, mark);
    await wb.waitForLog(`[cost] ${mine}: deleted at the end of its lease`, mark, 30_000);
    const done = await wb.waitForNotification(/^Deleted workspace \(/);
    assert.match(done.message, /its lease ended, and a fresh check found it unchanged/);
    await wb.waitForTreeRows((rs) => !rs.some((r) => r.ariaLabel.includes(mine)), 'Instances', 20_000);
    assert.equal(deletesOf(mine).length, 1, 'exactly one DELETE of that instance');
    const get = fal.requests.findIndex((r) => r.method === 'GET' && r.path === `/v1/compute/instances/${mine}`);
    assert.ok(get >= 0 && get < fal.requests.indexOf(deletesOf(mine)[0]!), 'a fresh GET of it before the DELETE');
    assert.doesNotMatch(wb.extensionLog().slice(mark), /re-checking the machine/, 'no SSH look: a lease is a time');
    await wb.runCommand('Notifications: Clear All Notifications');
  });

  it("Extend Lease 1 h and Keep Until I Delete, from the row's context menu: the row follows, and nothing is deleted", async function () {
    this.timeout(90_000);
    await toConfirm();
    await wb.quickPick.answerAndAdvance('Delete after 18 s');
    await wb.quickPick.answerAndAdvance('2 h');
    const mark = wb.logMark();
    const id = await create();
    const before = await rowSayingDeletes(id);
    await wb.row(id).click({ button: 'right' });
    await wb.contextMenuItem('Extend Lease 1 h').waitFor();
    await wb.contextMenuItem('Keep Until I Delete').waitFor();
    await wb.screenshot('lease-context-menu');
    await wb.page.keyboard.press('Escape');

    await wb.runFromContextMenu(id, 'Extend Lease 1 h');
    await wb.waitForNotification(new RegExp(`^${id} now deletes at ${CLOCK}, after a countdown\\.$`));
    const extended = await wb.waitForLog(new RegExp(`\\[cost\\] ${id}: lease ends at \\S+`), mark);
    await waitFor(
      'the row to say the later time',
      () => rowOf(id),
      (r) => !!r && /^deletes at /.test(r.description) && r.description !== before!.description,
      10_000,
      100,
    );
    const ends = [
      ...wb
        .extensionLog()
        .slice(mark)
        .matchAll(new RegExp(`\\[cost\\] ${id}: lease ends at (\\S+)`, 'g')),
    ];
    assert.equal(ends.length, 2, `the create's lease and the extended one: ${extended}`);
    assert.equal(Date.parse(ends[1]![1]!) - Date.parse(ends[0]![1]!), 3_600_000, 'one hour later');

    await wb.runFromContextMenu(id, 'Keep Until I Delete');
    await wb.waitForLog(`[cost] ${id}: no lease: kept until deleted`, mark);
    await waitFor(
      'the row without a lease',
      () => rowOf(id),
      (r) => r?.description === '1x H100',
      10_000,
      100,
    );
    assert.deepEqual(deletesOf(id), []);
  });
});
