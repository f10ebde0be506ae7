// The workspace up and results back (issue 19 items 3 and 4) in the real workbench, against the
// emulator (new instances get 127.0.0.1) and a REAL sshd whose sessions have their own $HOME
// (sshd's SetEnv), so the machine's ~/<folder> is this test's. Upload Workspace from the row's
// context menu sends what .gitignore keeps and leaves a secret home until the user names it; the
// machine's copy proves it. Download Results (palette) brings fal.results.paths home, refuses a
// link by name, and asks before replacing a local file that is newer. Every verdict waits on the
// workbench or on files — never on a fixed sleep.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { waitFor } from '../support/polling';
import { openMachineWorkbench, type MachineWorkbench } from './machineWorkbench';
import { screenshotOnFailure, type Workbench } from './workbench';

describe('Upload Workspace and Download Results (real sshd, real workbench)', function () {
  let m: MachineWorkbench;
  let wb: Workbench;
  let workspace: string;
  let id: string;
  const copy = () => join(m.machineHome, basename(workspace));
  before(async function () {
    this.timeout(180_000);
    workspace = mkdtempSync(join(tmpdir(), 'fal-xfer-ws-'));
    mkdirSync(join(workspace, 'src'));
    mkdirSync(join(workspace, 'data'));
    writeFileSync(join(workspace, 'src', 'train.py'), 'print("training")\n');
    writeFileSync(join(workspace, 'notes with "quotes" and spaces.md'), '# notes\n');
    writeFileSync(join(workspace, '.gitignore'), 'data/\n');
    writeFileSync(join(workspace, 'data', 'raw.bin'), Buffer.alloc(4096, 7));
    writeFileSync(join(workspace, '.env'), 'WANDB_API_KEY=not-a-real-key\n');
    m = await openMachineWorkbench({
      workspace,
      keyName: 'id_xfer',
      settings: { 'fal.results.paths': ['outputs/**'] },
    });
    wb = m.wb;
    // A machine made through the wizard with this key: the key is remembered for it, as for a user.
    id = await m.createInstance();
    await wb.waitForRow(
      `the row of ${id} to be ready`,
      (r) => r.ariaLabel.includes(id),
      (r) => /^1x H100$/.test(r.description) && /ready/.test(r.ariaLabel),
      60_000,
    );
    await wb.runCommand('Notifications: Clear All Notifications');
  });

  after(async () => {
    await m?.dispose();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  afterEach(screenshotOnFailure(() => wb));

  it('Upload Workspace: what .gitignore keeps goes to ~/<folder>, a secret stays home until named, a second upload sends nothing', async function () {
    this.timeout(120_000);
    await wb.runFromContextMenu(id, 'Upload Workspace');
    const done = await wb.waitForNotification(
      /^Uploaded 3 files \(\d+ B\) to ~\/fal-xfer-ws-\w+ on .*; 0 files already there\./,
      60_000,
    );
    assert.match(done.message, /Left home because they look like secrets: \.env\.$/);
    assert.deepEqual(done.buttons, ['Upload Them Too…']);
    assert.equal(readFileSync(join(copy(), 'src', 'train.py'), 'utf8'), 'print("training")\n');
    assert.ok(existsSync(join(copy(), 'notes with "quotes" and spaces.md')));
    assert.ok(existsSync(join(copy(), '.gitignore')));
    assert.equal(existsSync(join(copy(), 'data')), false, '.gitignore is honoured');
    assert.equal(existsSync(join(copy(), '.env')), false, 'the secret stayed home');
    await m.progressClosed();
    await wb.screenshot('transfer-uploaded');

    await wb.clickNotificationButton('Upload Them Too…');
    const modal = await wb.waitForModal();
    assert.match(modal.message, /^Upload \.env, which looks like a secret, to /);
    assert.match(modal.detail, /• \.env — /);
    await wb.screenshot('transfer-secret-modal');
    await wb.clickModalButton('Upload');
    await wb.waitForNotification(/^Uploaded 1 file more to ~\/fal-xfer-ws-/, 60_000);
    assert.equal(readFileSync(join(copy(), '.env'), 'utf8'), 'WANDB_API_KEY=not-a-real-key\n');

    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.runFromContextMenu(id, 'Upload Workspace');
    await wb.waitForMessage(/is up to date \(4 files\)/, 60_000);
  });

  it('Download Results: outputs/** comes home whole, a link on the machine is refused by name, a newer local file is asked about', async function () {
    this.timeout(120_000);
    mkdirSync(join(copy(), 'outputs', 'ckpt'), { recursive: true });
    writeFileSync(join(copy(), 'outputs', 'metrics.json'), '{"loss": 0.12}\n');
    writeFileSync(join(copy(), 'outputs', 'ckpt', 'step 100.pt'), Buffer.alloc(256 * 1024, 1));
    symlinkSync('/etc/passwd', join(copy(), 'outputs', 'passwd'));
    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.runCommand('fal: Download Results');
    await wb.quickPick.answer(id);
    const done = await wb.waitForNotification(
      /^Downloaded 2 files of results \(262 KB\) from .*; 0 files already here\./,
      60_000,
    );
    assert.match(done.message, /Not brought home: 1 refused by name: "outputs\/passwd"\.$/);
    assert.equal(readFileSync(join(workspace, 'outputs', 'metrics.json'), 'utf8'), '{"loss": 0.12}\n');
    assert.equal(readFileSync(join(workspace, 'outputs', 'ckpt', 'step 100.pt')).length, 256 * 1024);
    assert.equal(existsSync(join(workspace, 'outputs', 'passwd')), false, 'a link is never written');
    await m.progressClosed();
    await wb.screenshot('transfer-downloaded');

    // The machine's file changes, but the local one was edited later: asked, and kept on "Keep Mine".
    writeFileSync(join(copy(), 'outputs', 'metrics.json'), '{"loss": 0.09}\n');
    utimesSync(join(copy(), 'outputs', 'metrics.json'), new Date(2026, 0, 1), new Date(2026, 0, 1));
    writeFileSync(join(workspace, 'outputs', 'metrics.json'), '{"loss": 0.12, "note": "mine"}\n');
    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.runCommand('fal: Download Results');
    await wb.quickPick.answer(id);
    const ask = await wb.waitForModal(60_000);
    assert.match(ask.message, /^outputs\/metrics\.json is newer here than on .*\. Replace it with the machine's\?$/);
    assert.match(ask.detail, /• outputs\/metrics\.json/);
    await wb.screenshot('transfer-newer-here');
    await wb.clickModalButton('Keep Mine');
    await wb.waitForNotification(/Not brought home: 1 newer here than on the machine \(kept\)/, 30_000);
    assert.equal(readFileSync(join(workspace, 'outputs', 'metrics.json'), 'utf8'), '{"loss": 0.12, "note": "mine"}\n');

    await wb.runCommand('fal: Download Results');
    await wb.quickPick.answer(id);
    await wb.waitForModal(60_000);
    await wb.clickModalButton('Replace Them');
    await waitFor(
      "the machine's metrics.json here",
      () => readFileSync(join(workspace, 'outputs', 'metrics.json'), 'utf8'),
      (t) => t === '{"loss": 0.09}\n',
      30_000,
      100,
    );
  });
});
