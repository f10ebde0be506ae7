// Nothing lost on delete (issue 19 item 5) in the real workbench, against the emulator and a REAL
// sshd with its own $HOME (the machine's copy of the workspace is this test's folder). With
// fal.results.paths set: the Delete modal's Download Results, Then Delete brings the results home and
// then sends exactly one DELETE; a lease's end downloads first and then deletes exactly one instance;
// and a download that cannot bring everything home (a link the machine offers is refused) keeps the
// machine running, says why, and sends no DELETE. Verdicts wait on the workbench, the emulator's
// request log, the extension's log or the files — never on a fixed sleep.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { waitFor } from '../support/polling';
import { openMachineWorkbench, type MachineWorkbench } from './machineWorkbench';
import { screenshotOnFailure, type Workbench } from './workbench';

describe('Results first: nothing lost on delete (real sshd, real workbench)', function () {
  let m: MachineWorkbench;
  let wb: Workbench;
  let workspace: string;
  const outputs = () => join(m.machineHome, basename(workspace), 'outputs');
  const deletesOf = (id: string) => m.fal.requests.filter((r) => r.method === 'DELETE' && r.path.endsWith(`/${id}`));
  const readyRow = (id: string) =>
    waitFor(
      `the row of ${id} to be ready`,
      async () => (await wb.treeRows('Instances')).find((r) => r.ariaLabel.includes(id)),
      (r) => !!r && /ready/.test(r.ariaLabel) && !/provisioning|pending/.test(r.description),
      60_000,
      100,
    );
  const gone = (id: string) =>
    wb.waitForTreeRows((rs) => !rs.some((r) => r.ariaLabel.includes(id)), 'Instances', 60_000);

  before(async function () {
    this.timeout(180_000);
    workspace = mkdtempSync(join(tmpdir(), 'fal-results-ws-'));
    writeFileSync(join(workspace, 'train.py'), 'print("training")\n');
    m = await openMachineWorkbench({
      workspace,
      keyName: 'id_results',
      settings: {
        'fal.results.paths': ['outputs/**'],
        // Every create here has a lease of 18 s (the wizard proposes the default); its countdown lasts
        // 3 s (the shortest fal.idle.graceMinutes). Each test's machine is ready and its files
        // written within ~2 s of the create; the Delete modal's test is done in ~3 s.
        'fal.lease.defaultHours': 0.005,
        'fal.idle.graceMinutes': 0.05,
      },
    });
    wb = m.wb;
    mkdirSync(outputs(), { recursive: true });
  });

  after(async () => {
    await m?.dispose();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  afterEach(screenshotOnFailure(() => wb));

  it('Delete: the modal offers Download Results, Then Delete; the results come home, then exactly one DELETE', async function () {
    this.timeout(120_000);
    const id = await m.createInstance();
    await readyRow(id);
    writeFileSync(join(outputs(), 'metrics.json'), '{"loss": 0.12}\n');
    m.fal.clearRequests();
    await wb.runFromContextMenu(id, 'Delete Instance…');
    const modal = await wb.waitForModal();
    assert.ok(modal.buttons.includes('Download Results, Then Delete'), modal.buttons.join(' | '));
    assert.ok(modal.buttons.includes('Delete'), modal.buttons.join(' | '));
    assert.match(modal.detail, /Download Results, Then Delete downloads its results \(fal\.results\.paths\) first/);
    await wb.screenshot('results-first-delete-modal');
    await wb.clickModalButton('Download Results, Then Delete');
    await gone(id);
    assert.equal(readFileSync(join(workspace, 'outputs', 'metrics.json'), 'utf8'), '{"loss": 0.12}\n');
    assert.equal(deletesOf(id).length, 1, 'exactly one DELETE');
    await wb.runCommand('Notifications: Clear All Notifications');
  });

  it("a lease's end: the results come home first, then exactly one DELETE of that instance", async function () {
    this.timeout(150_000);
    const id = await m.createInstance();
    await readyRow(id);
    writeFileSync(join(outputs(), 'lease.txt'), 'from the lease machine\n');
    const mark = wb.logMark();
    await wb.waitForLog(`[cost] ${id}: deleted at the end of its lease`, mark, 90_000);
    assert.equal(readFileSync(join(workspace, 'outputs', 'lease.txt'), 'utf8'), 'from the lease machine\n');
    const log = wb.extensionLog().slice(mark);
    const saved = log.indexOf(`Results of ${id}:`);
    assert.ok(
      saved >= 0 && saved < log.indexOf(`[cost] ${id}: deleted at the end of its lease`),
      'results before delete',
    );
    await gone(id);
    assert.equal(deletesOf(id).length, 1, 'exactly one DELETE of that instance');
    await wb.runCommand('Notifications: Clear All Notifications');
  });

  it('a download that cannot bring everything home keeps the machine running, says why, and sends no DELETE', async function () {
    this.timeout(150_000);
    const id = await m.createInstance();
    await readyRow(id);
    symlinkSync('/etc/passwd', join(outputs(), 'passwd'));
    const mark = wb.logMark();
    const warning = await wb.waitForNotification(/could not be downloaded .*left running/, 90_000);
    assert.match(warning.message, /outputs\/passwd/);
    await m.progressClosed();
    await wb.waitForToastsToSettle();
    await wb.screenshot('results-first-kept-running');
    await wb.waitForLog(new RegExp(`\\[cost\\] ${id}: .*left running`), mark, 30_000);
    assert.equal(deletesOf(id).length, 0, 'no DELETE');
    assert.ok(
      m.fal.instances().some((i) => i.id === id),
      'the machine is still there',
    );
    assert.equal(existsSync(join(workspace, 'outputs', 'passwd')), false, 'the link was never written');
  });
});
