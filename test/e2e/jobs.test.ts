// Jobs (Run on H100, the `fal` task) in the real workbench, against the emulator (new instances get
// 127.0.0.1) and a REAL sshd whose sessions have their own $HOME, so the machine's ~/.fal/jobs and
// ~/<folder> are this test's. train.py runs from the editor's title button, detached; its log
// streams into the job's terminal; the terminal is closed and the window reloaded while the job
// waits; reopened from its row, the log goes on from where it stopped (nothing shown twice, every
// line exactly once, byte for byte the machine's log). Stop ends a job from its row. A `fal` task
// with deleteWhenDone runs from Run Task, its results come home, and exactly one DELETE follows.
// Verdicts wait on the workbench, the emulator's request log or files — never on a fixed sleep.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../support/polling';
import { DEFAULT_EMULATOR_KEY } from '../emulator';
import { openMachineWorkbench, type MachineWorkbench } from './machineWorkbench';
import { screenshotOnFailure, type Workbench } from './workbench';

// Waits for a file the test writes on the "machine" before its second half: the window is reloaded meanwhile.
const TRAIN_PY = `import os, time
for epoch in range(1, 4):
    print(f"epoch {epoch}: loss {1 / epoch:.3f}")
print("waiting for the go file")
while not os.path.exists(os.path.expanduser("~/go")):
    time.sleep(0.2)
for epoch in range(4, 7):
    print(f"epoch {epoch}: loss {1 / epoch:.3f}")
os.makedirs("outputs", exist_ok=True)
open("outputs/model.txt", "w").write("weights\\n")
print("done ✓")
`;

const TASK_PY = `import os
os.makedirs("outputs", exist_ok=True)
open("outputs/task-result.txt", "w").write("from the task\\n")
print("task finished")
`;

describe('Jobs: Run on H100 and the fal task (real sshd, real workbench)', function () {
  let m: MachineWorkbench;
  let wb: Workbench;
  let workspace: string;
  let id: string;

  const terminalText = () => wb.terminalText();
  const jobRow = (name: string, re: RegExp, timeout = 30_000) =>
    wb.waitForRow(
      `the job row ${name} to say ${re}`,
      (r) => r.label === name,
      (r) => re.test(r.description),
      timeout,
    );
  /** Expands the instance's row (its jobs are its children): once it has children (after a reload, when its jobs are read), and again if a repaint folded it. */
  const expand = async () => {
    const row = wb.row(id);
    await row.waitFor({ timeout: 30_000 });
    await waitFor(
      'the row to expand',
      async () => {
        const expanded = await row.getAttribute('aria-expanded');
        if (expanded === 'false') {
          await row.click();
          await wb.page.keyboard.press('ArrowRight');
        }
        return expanded;
      },
      (e) => e === 'true',
      30_000,
      200,
    );
  };
  const jobDirs = () => readdirSync(join(m.machineHome, '.fal', 'jobs')).filter((d) => !d.startsWith('.'));

  before(async function () {
    this.timeout(180_000);
    workspace = mkdtempSync(join(tmpdir(), 'fal-jobs-ws-'));
    writeFileSync(join(workspace, 'train.py'), TRAIN_PY);
    writeFileSync(join(workspace, 'task.py'), TASK_PY);
    mkdirSync(join(workspace, '.vscode'));
    writeFileSync(
      join(workspace, '.vscode', 'tasks.json'),
      JSON.stringify({
        version: '2.0.0',
        tasks: [
          {
            label: 'train on H100',
            type: 'fal',
            command: 'python3 task.py',
            results: ['outputs/**'],
            deleteWhenDone: true,
            problemMatcher: [],
          },
        ],
      }),
    );
    m = await openMachineWorkbench({
      workspace,
      keyName: 'id_jobs',
      settings: {
        'terminal.integrated.gpuAcceleration': 'off', // the DOM renderer: the log's text is readable
        'fal.jobs.stopGraceSeconds': 2,
        'fal.results.paths': ['outputs/**'],
      },
    });
    wb = m.wb;
    id = await m.createInstance();
    await waitFor(
      `the row of ${id} to be ready`,
      async () => (await wb.treeRows('Instances')).find((r) => r.ariaLabel.includes(id)),
      (r) => !!r && /ready/.test(r.ariaLabel),
      60_000,
      100,
    );
    await wb.runCommand('Notifications: Clear All Notifications');
  });

  after(async () => {
    await m?.dispose();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  afterEach(screenshotOnFailure(() => wb));
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(wb.extensionLog().slice(-6000));
  });

  it('train.py from the editor: detached, followed, the terminal closed and the window reloaded, reopened with every line once', async function () {
    this.timeout(240_000);
    await wb.openActivityView('Explorer');
    await wb.page.locator('.part.sidebar .monaco-list-row[aria-label^="train.py"]').first().click();
    await wb.openActivityView('fal Compute');
    const run = wb.page.locator('.editor-actions .action-label[aria-label^="Run on H100"]');
    await run.waitFor({ timeout: 30_000 });
    await run.click();
    await wb.quickPick.waitOpen();
    assert.equal(await wb.page.locator('.quick-input-box input').inputValue(), 'python3 train.py');
    await wb.quickPick.enter();
    await wb.quickPick.answer(id);
    await waitFor('the log in the terminal', terminalText, (t) => t.includes('waiting for the go file'), 60_000, 200);
    assert.match(await terminalText(), /epoch 1: loss 1\.000\s+epoch 2: loss 0\.500\s+epoch 3: loss 0\.333/);
    await expand();
    await jobRow('train.py', /^running \d+ s$/);
    await wb.statusBarItem(/1 job running/).waitFor({ timeout: 30_000 });
    await wb.screenshot('jobs-running');
    const [jobId] = jobDirs();
    assert.ok(jobId, 'the job lives under ~/.fal/jobs/<id>/ on the machine');

    // Closing the terminal and reloading the window leave the job running on the machine.
    await wb.runCommand('Terminal: Kill the Active Terminal Instance');
    await wb.runCommand('Developer: Reload Window');
    await wb.page.locator('.part.sidebar').waitFor({ timeout: 60_000 });
    await expand();
    await jobRow('train.py', /^running /, 60_000);
    writeFileSync(join(m.machineHome, 'go'), '');
    await wb.row('train.py').click(); // Show Output
    await waitFor('the rest of the log', terminalText, (t) => t.includes('[succeeded]'), 60_000, 200);
    const after = await terminalText();
    assert.match(after, /continuing the log where this terminal stopped/);
    assert.doesNotMatch(after, /epoch [123]:/, 'nothing shown twice');
    assert.match(after, /epoch 4: loss 0\.250\s+epoch 5: loss 0\.200\s+epoch 6: loss 0\.167\s+done ✓/);
    const log = readFileSync(join(m.machineHome, '.fal', 'jobs', jobId!, 'log'), 'utf8');
    assert.equal(log.split('epoch 4').length, 2);
    await jobRow('train.py', /^succeeded · \d+ (s|min)/);
    await wb.waitForNotification(/^Job train\.py on .* succeeded in /, 60_000);
    await waitFor(
      'the results at home',
      () => existsSync(join(workspace, 'outputs', 'model.txt')),
      (e) => e,
      60_000,
      200,
    );
    assert.equal(readFileSync(join(workspace, 'outputs', 'model.txt'), 'utf8'), 'weights\n');
    await wb.screenshot('jobs-succeeded');
    assert.equal(
      readFileSync(join(m.machineHome, workspace.split('/').pop()!, 'outputs', 'model.txt'), 'utf8'),
      'weights\n',
      "the job ran in the machine's copy of the workspace",
    );
  });

  it('Stop from the row ends a running job (its whole process group); the row says stopped', async function () {
    this.timeout(120_000);
    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.runCommand('fal: Run on H100…');
    await wb.quickPick.waitOpen();
    await wb.page.locator('.quick-input-box input').fill('sleep 600 & sleep 600; echo never');
    await wb.quickPick.enter();
    await wb.quickPick.answer(id);
    await expand();
    await jobRow('sleep 600 &', /^running /, 60_000);
    await wb.runFromContextMenu('sleep 600 &', 'Stop');
    await jobRow('sleep 600 &', /^stopped · /, 60_000);
    await wb.screenshot('jobs-stopped');
  });

  it('the fal task with deleteWhenDone: Run Task → it runs, its results come home, then exactly one DELETE', async function () {
    this.timeout(180_000);
    await wb.runCommand('Notifications: Clear All Notifications');
    // Quick open's `task ` prefix lists the workspace's tasks, as Run Task does.
    await wb.page.keyboard.press('F1');
    await wb.quickPick.type('task train on H100');
    await wb.page
      .locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'train on H100' })
      .waitFor({ timeout: 30_000 });
    await wb.quickPick.enter();
    await wb.quickPick.answer(id);
    await waitFor(
      'the task result at home',
      () => existsSync(join(workspace, 'outputs', 'task-result.txt')),
      (e) => e,
      90_000,
      200,
    );
    assert.equal(readFileSync(join(workspace, 'outputs', 'task-result.txt'), 'utf8'), 'from the task\n');
    await wb.waitForNotification(/was deleted: its job task\.py is done \(deleteWhenDone\)/, 60_000);
    const deletes = m.fal.requests.filter((r) => r.method === 'DELETE' && r.path.endsWith(`/${id}`));
    assert.equal(deletes.length, 1, 'exactly one DELETE');
    await wb.screenshot('jobs-task-deleted');
  });

  it('Run on H100 → Create a new H100…: the wizard makes the machine, the job runs on it; deleted from fal meanwhile, the job is reported lost', async function () {
    this.timeout(180_000);
    await wb.runCommand('Notifications: Clear All Notifications');
    const known = m.fal.instances().map((i) => i.id);
    await wb.runCommand('fal: Run on H100…');
    await wb.quickPick.waitOpen();
    await wb.page.locator('.quick-input-box input').fill('sleep 120');
    await wb.quickPick.enter();
    await wb.quickPick.answer('Create a new H100');
    await wb.quickPick.waitForStep('Create H100 Instance', '1/');
    await wb.quickPick.answerAndAdvance('1x H100');
    await wb.quickPick.answerAndAdvance('id_jobs.pub');
    await wb.quickPick.waitForStep('Create H100 Instance', '3/3');
    await wb.quickPick.answerAndAdvance('Create 1x H100');
    const created = await waitFor(
      'the new instance',
      () => m.fal.instances().find((i) => !known.includes(i.id)),
      (i) => i !== undefined,
      30_000,
      100,
    );
    id = created!.id;
    await expand();
    await jobRow('sleep 120', /^running /, 90_000);
    // Deleted from fal's dashboard (another client of the API), not by the extension.
    const deleted = await fetch(`${m.fal.baseUrl}/compute/instances/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Key ${DEFAULT_EMULATOR_KEY}` },
    });
    assert.ok(deleted.ok, `DELETE answered ${deleted.status}`);
    await wb.runCommand('fal: Refresh Instances'); // rather than wait for the next full list (60 s)
    await wb.waitForNotification(/^Job sleep 120 on .* was lost\. Its machine was deleted while it ran\.$/, 60_000);
    await wb.screenshot('jobs-lost');
  });
});
