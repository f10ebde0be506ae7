// Setup on ready (issue 19 item 2) in the real workbench, against the emulator (new instances get
// 127.0.0.1) and a REAL sshd whose sessions have their own $HOME (sshd's SetEnv), so the machine's
// ~/.fal/setup/ is this test's. A workspace holding .fal/setup.sh creates a 1x H100 through the
// wizard; without anyone typing on the machine the script is shown and approved, the workspace goes
// up (fal.setup.uploadWorkspace, on by default), the script runs detached in its copy,
// streams into a terminal, and the row goes "setting up…" → "set up". The machine's own files
// prove where it ran. Every verdict waits on the workbench, the machine's files or the extension's
// log — never on a fixed sleep.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { waitFor } from '../support/polling';
import { openMachineWorkbench, type MachineWorkbench } from './machineWorkbench';
import { screenshotOnFailure, type Workbench } from './workbench';

/** Slow enough to see it run, quick enough for a test: each step waits on a file the test writes. */
const SETUP_SH = `#!/bin/bash
set -e
echo "setup: installing the environment"
pwd > "$HOME/setup-cwd"
for i in 1 2 3; do echo "step $i of 3"; done
echo "waiting for the go file"
while [ ! -e "$HOME/go" ]; do sleep 0.2; done
echo "environment ready ✓"
touch "$HOME/env-ready"
`;

describe('Setup on ready (real sshd, real workbench)', function () {
  let m: MachineWorkbench;
  let wb: Workbench;
  let workspace: string;
  const machineHome = () => m.machineHome;

  const rowSaying = (id: string, re: RegExp, timeout = 30_000) =>
    wb.waitForRow(
      `the row of ${id} to say ${re}`,
      (r) => r.ariaLabel.includes(id),
      (r) => re.test(r.description),
      timeout,
    );
  const terminalText = () => wb.terminalText();

  before(async function () {
    this.timeout(120_000);
    workspace = mkdtempSync(join(tmpdir(), 'fal-setup-ws-'));
    mkdirSync(join(workspace, '.fal'));
    writeFileSync(join(workspace, '.fal', 'setup.sh'), SETUP_SH);
    writeFileSync(join(workspace, 'train.py'), 'print("training")\n');
    m = await openMachineWorkbench({
      workspace,
      keyName: 'id_setup',
      settings: {
        'terminal.integrated.gpuAcceleration': 'off', // the DOM renderer: the log's text is readable
        'workbench.hover.delay': 100,
      },
    });
    wb = m.wb;
  });

  after(async () => {
    await m?.dispose();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  afterEach(screenshotOnFailure(() => wb));

  it('create → ready → the script is shown and approved → it runs detached, streams into a terminal, and the row says setting up…, then set up', async function () {
    this.timeout(150_000);
    const id = await m.createInstance();
    const modal = await wb.waitForModal(60_000);
    assert.match(modal.message, /^Run this workspace's setup on /);
    assert.match(modal.detail, /\.fal\/setup\.sh \(open in the editor\)/);
    assert.match(modal.detail, new RegExp(`runs once on the machine as ${m.s.user}, detached`));
    assert.ok(
      await wb.page.locator('.tab', { hasText: 'setup.sh' }).first().isVisible(),
      'the script is open in the editor while the question is asked',
    );
    assert.equal(existsSync(join(machineHome(), '.fal')), false, 'nothing ran before the yes');
    assert.equal(existsSync(join(machineHome(), basename(workspace))), false, 'nothing was uploaded before the yes');
    await wb.screenshot('setup-approve');
    await wb.clickModalButton('Run Setup');

    await rowSaying(id, /^setting up… .* · 1x H100$/);
    await wb.screenshot('setup-row-setting-up');
    await wb.runFromContextMenu(id, 'Show Setup Log');
    await waitFor(
      'the terminal to show the log',
      terminalText,
      (t) => t.includes('waiting for the go file'),
      30_000,
      200,
    );
    const early = await terminalText();
    assert.match(early, /setup: installing the environment\s+step 1 of 3\s+step 2 of 3\s+step 3 of 3/);
    await wb.screenshot('setup-log-terminal');

    writeFileSync(join(machineHome(), 'go'), '');
    await waitFor('the end line', terminalText, (t) => t.includes('[set up]'), 60_000, 200);
    const all = await terminalText();
    assert.equal(all.split('step 1 of 3').length, 2, 'nothing shown twice');
    assert.match(all, /environment ready ✓/);
    assert.ok(existsSync(join(machineHome(), 'env-ready')), 'the script ran on the machine');
    const copy = join(machineHome(), basename(workspace));
    assert.equal(readFileSync(join(copy, 'train.py'), 'utf8'), 'print("training")\n', 'the workspace went up first');
    assert.equal(readFileSync(join(machineHome(), 'setup-cwd'), 'utf8'), `${copy}\n`, 'and the script ran in its copy');
    assert.match(readFileSync(join(machineHome(), '.fal', 'setup', 'current', 'log'), 'utf8'), /environment ready/);
    await rowSaying(id, /^set up · 1x H100$/);
    await wb.waitForNotification(/is set up \(setup took /, 30_000);
    await wb.screenshot('setup-done');
  });
});
