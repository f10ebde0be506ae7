// Names for machines (issue 14 item 6) in the real workbench, with a real sshd for the terminal:
// Rename… from the context menu and the palette, the name as the row's label (and what the tree's
// find filters on), in the delete modal, the SSH terminal's title and the host entry's comment
// (the alias stays fal-<id>), kept per fal account, forgotten when the instance is gone.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../emulator';
import { waitFor } from '../support/polling';
import { KEYGEN, TestSshd } from './sshd';
import { openWorkbench, screenshotOnFailure, type Workbench } from './workbench';

const READY = 'inst_k3v9x0q2m7ab';
const OTHER = 'inst_p8w2n5r1c6de';
const OTHER_KEY = 'otherkeyid:otherkeysecret';
const NAME = 'llama finetune #2';

describe('Names for machines (real workbench, real sshd)', function () {
  let fal: FalEmulator;
  let wb: Workbench;
  let sshd: TestSshd;
  let home: string;

  const labelOf = async (id: string) => (await wb.treeRows('Instances')).find((r) => r.ariaLabel.includes(id))?.label;
  const waitForLabel = (id: string, label: string) =>
    wb.waitForTreeRows((rs) => rs.some((r) => r.ariaLabel.includes(id) && r.label === label), 'Instances', 15_000);

  before(async function () {
    this.timeout(180_000);
    sshd = await TestSshd.start();
    fal = await FalEmulator.start({
      keys: [{ key: DEFAULT_EMULATOR_KEY }, { key: OTHER_KEY }],
      seed: [
        { id: READY, instance_type: 'gpu_8x_h100_sxm5', status: 'ready', ip: '127.0.0.1' },
        { id: OTHER, instance_type: 'gpu_1x_h100_sxm5', status: 'ready', ip: '203.0.113.9' },
      ],
    });
    wb = await openWorkbench({
      settings: {
        'fal.apiBaseUrl': fal.baseUrl,
        'fal.ssh.port': sshd.port,
        'fal.ssh.user': userInfo().username,
        'fal.refresh.fastIntervalSeconds': 1,
        'fal.refresh.slowIntervalSeconds': 5,
        'workbench.list.defaultFindMode': 'filter',
        'terminal.integrated.defaultProfile.linux': 'bash',
      },
    });
    home = wb.server.dirs.home;
    mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
    const key = join(home, '.ssh', 'fal_e2e_ed25519');
    execFileSync(KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', 'names e2e', '-f', key]);
    writeFileSync(join(sshd.dir, 'authorized_keys'), readFileSync(`${key}.pub`));
    await wb.signIn(DEFAULT_EMULATOR_KEY);
    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.waitForTreeRows((rs) => rs.length === 2, 'Instances', 30_000);
  });

  after(async () => {
    await wb?.close();
    await fal?.close();
    await sshd?.dispose();
  });

  afterEach(screenshotOnFailure(() => wb));

  it('Rename… (context menu): the name becomes the label, the type stays in the description', async () => {
    assert.equal(await labelOf(READY), READY, 'without a name the id is the label');
    await wb.runFromContextMenu(READY, 'Rename…');
    await wb.inputBox.waitOpen();
    assert.match(await wb.quickPick.title(), new RegExp(`^Rename 8x H100 ${READY}`));
    await wb.inputBox.type('api\u202eprod');
    await wb.inputBox.waitForMessage(/one line of visible text/);
    await wb.inputBox.type(NAME);
    await wb.inputBox.enter();
    const rows = await waitForLabel(READY, NAME);
    const row = rows.find((r) => r.label === NAME)!;
    assert.equal(row.description, '8x H100');
    assert.match(row.ariaLabel, new RegExp(`^${NAME}, 8x H100 ${READY}, ready`));
    await wb.page.mouse.move(0, 0);
    await wb.screenshot('names-renamed-row');
  });

  it("the view's find filters rows on the name", async () => {
    await wb.row(OTHER).click();
    await wb.page.keyboard.press('Control+Alt+KeyF'); // list.find: the view's find widget (filter mode in these settings)
    await wb.page
      .locator('.part.sidebar .monaco-findInput input, .part.sidebar .monaco-tree-type-filter input')
      .first()
      .waitFor({ timeout: 10_000 });
    await wb.page.keyboard.type('llama');
    const rows = await wb.waitForTreeRows((rs) => rs.length === 1, 'Instances', 10_000);
    assert.equal(rows[0]!.label, NAME);
    await wb.screenshot('names-find-filter');
    await wb.page.keyboard.press('Escape');
    await wb.waitForTreeRows((rs) => rs.length === 2, 'Instances', 10_000);
  });

  it("the palette's Rename… picks the instance by name or id; an empty name removes it", async () => {
    await wb.runCommand('fal: Rename…');
    await wb.quickPick.answer(OTHER);
    await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: `Rename 1x H100 ${OTHER}` }).waitFor();
    await wb.inputBox.type('scratch');
    await wb.inputBox.enter();
    await waitForLabel(OTHER, 'scratch');
    await wb.runCommand('fal: Rename…');
    await wb.quickPick.answer('scratch');
    await wb.inputBox.type('');
    await wb.inputBox.enter();
    await waitForLabel(OTHER, OTHER);
  });

  it("the name is the SSH terminal's title and a comment in ~/.ssh/fal/config; the alias stays fal-<id>", async function () {
    this.timeout(60_000);
    await wb.runFromContextMenu(READY, 'Open SSH in Terminal');
    await wb.quickPick.answer('fal_e2e_ed25519'); // which private key opens it: asked once
    await wb.page
      .locator('.terminal-tabs-entry, .single-terminal-tab, .terminal-tab, .tabs-container .tab', {
        hasText: `fal: ${NAME}`,
      })
      .first()
      .waitFor({ timeout: 30_000 });
    const managed = readFileSync(join(home, '.ssh', 'fal', 'config'), 'utf8');
    assert.match(
      managed,
      new RegExp(`^Host fal-${READY}\\n {2}# fal-compute name: ${NAME}\\n {2}HostName 127\\.0\\.0\\.1\\n`, 'm'),
    );
    await wb.screenshot('names-ssh-terminal');
  });

  it('the delete modal names the machine by its name, type, id and address', async () => {
    await wb.openActivityView('fal Compute');
    await wb.runFromContextMenu(READY, 'Delete Instance…', { select: true });
    const modal = await wb.waitForModal();
    assert.equal(modal.message, `Delete ${NAME} (8x H100 ${READY}, 127.0.0.1)?`);
    await wb.screenshot('names-delete-modal');
    await wb.clickModalButton('Cancel');
  });

  it('names are kept per fal account: another key shows ids; back to the first key, the name is back', async function () {
    this.timeout(60_000);
    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.signIn(OTHER_KEY);
    await waitForLabel(READY, READY);
    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.signIn(DEFAULT_EMULATOR_KEY);
    await waitForLabel(READY, NAME);
  });

  it('the name of a deleted instance is forgotten: an instance listed again under the same id has none', async function () {
    this.timeout(60_000);
    await fetch(`${fal.baseUrl}/compute/instances/${READY}`, {
      method: 'DELETE',
      headers: { Authorization: `Key ${DEFAULT_EMULATOR_KEY}` },
    });
    await wb.waitForTreeRows((rs) => !rs.some((r) => r.ariaLabel.includes(READY)), 'Instances', 15_000);
    await waitFor(
      'the log of the pruning',
      () => wb.extensionLog(),
      (l) => l.includes(`Forgot the names of ${READY}`),
      10_000,
    );
    fal.seed([{ id: READY, instance_type: 'gpu_8x_h100_sxm5', status: 'ready', ip: '127.0.0.1' }]);
    await waitForLabel(READY, READY);
  });
});
