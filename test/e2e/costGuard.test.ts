// The cost guard (issue 13) in the real workbench, against the emulator (instances at 127.0.0.1)
// and a REAL sshd whose sessions run the stub nvidia-smi (test/unit/gpu/gpuSshd.ts). The instance
// under guard is created through the wizard (so "created here", with its key), sampled every
// second, idle after 3 s; the auto-delete countdown lasts 15 s while a test acts on it, 3 s (the
// shortest) where a test only waits it out. Every verdict is read from what the
// workbench shows, the emulator's request log, sshd's log, the marker file beforeDelete writes, or
// the extension's log — never from a fixed sleep.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../emulator';
import { waitFor } from '../support/polling';
import { quickGpuSettings, startGpuSshd, type GpuSshd } from '../unit/gpu/gpuSshd';
import { openWorkbench, screenshotOnFailure, type TreeRow, type Workbench } from './workbench';

const OTHER = 'inst_teammate8x';
/** The name the user gives the instance created here (Rename…): every cost notification says it beside the id. */
const NAME = 'nightly-train';
const ACCEPTED = /Accepted publickey for /;
const COMMAND = /Starting session: command for /;

describe('Cost guard (real workbench, emulator, real sshd + stub nvidia-smi)', function () {
  let fal: FalEmulator;
  let wb: Workbench;
  let s: GpuSshd;
  let mine = '';
  let settings: Record<string, unknown>;
  let markerDir: string;
  let interactive: ChildProcess | undefined;

  const rowOf = (rows: TreeRow[], id: string) => rows.find((r) => r.ariaLabel.includes(id));
  const row = async (id: string) => rowOf(await wb.treeRows('Instances'), id);
  const deletes = () => fal.requests.filter((r) => r.method === 'DELETE');
  const posts = () => fal.requests.filter((r) => r.method === 'POST');
  const commands = () => s.logLines(COMMAND).length;
  const toast = (text: string | RegExp) =>
    wb.page
      .locator('.notifications-toasts .notification-toast')
      .filter({ has: wb.page.locator('.notification-list-item-message', { hasText: text }) });
  /**
   * Changes user settings as a user would (code-server does not notice the file changing under it):
   * the settings JSON in an editor, replaced and saved; then waits until the extension applied them.
   */
  const configure = async (patch: Record<string, unknown>, applied: string | RegExp | (() => Promise<unknown>)) => {
    const mark = wb.logMark();
    settings = { ...settings, ...patch };
    await wb.runCommand('Preferences: Open User Settings (JSON)');
    const editor = wb.page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines', { hasText: 'fal.apiBaseUrl' }).waitFor();
    await editor.locator('.view-lines').click();
    await wb.page.keyboard.press('ControlOrMeta+A');
    // One line, with auto-closing, suggestions and formatting off (settings below): the text lands as it is.
    await wb.page.keyboard.insertText(JSON.stringify(settings));
    await wb.page.keyboard.press('ControlOrMeta+S');
    await waitFor(
      'the settings file to be saved',
      () => readFileSync(settingsFile(), 'utf8'),
      (text) => text === JSON.stringify(settings),
      10_000,
      100,
    );
    await (typeof applied === 'function' ? applied() : wb.waitForLog(applied, mark));
    await wb.runCommand('View: Close All Editors');
  };
  const settingsFile = () => join(wb.server.dirs.userData, 'User', 'settings.json');
  const clearToasts = () => wb.runCommand('Notifications: Clear All Notifications');
  const learnHostKey = async (id: string) => {
    const knownHosts = join(wb.server.dirs.home, '.ssh', 'fal', 'known_hosts');
    const shells = s.logLines(/Starting session: shell/).length;
    await waitFor(
      `${id} to say its host key is unknown`,
      async () => (await row(id))?.description ?? '',
      (d) => d.startsWith('GPU: host key unknown'),
      30_000,
      100,
    );
    const twistie = wb.row(id).locator('.monaco-tl-twistie');
    await twistie.click();
    await wb.view('Instances').locator('.monaco-list-row[aria-label^="Host key not known yet"]').first().click();
    await waitFor(
      `the host key of ${id}`,
      () => (existsSync(knownHosts) ? readFileSync(knownHosts, 'utf8') : ''),
      (t) => t.includes(`fal-${id} ssh-ed25519 `),
      30_000,
      100,
    );
    await waitFor(
      "the terminal's ssh to log in",
      () => s.logLines(/Starting session: shell/).length,
      (n) => n > shells,
      30_000,
      100,
    );
    // Its login shell is an interactive session the auto-delete check must not find later: close it.
    await wb.runCommand('Terminal: Kill All Terminals');
    await wb.page.locator('.part.panel .xterm').first().waitFor({ state: 'detached' });
    await twistie.click();
    await clearToasts();
  };
  /** Idle, with the idle marker in the status bar: the instance has been idle for fal.idle.minutes. */
  const becomeIdle = async () => {
    s.stub.set('h100x1-idle');
    await wb.statusBarItem(/1 idle/).waitFor({ timeout: 30_000 });
  };
  const becomeBusy = async () => {
    s.stub.set('h100x1-busy');
    await wb.statusBarItem(/1 idle/).waitFor({ state: 'detached', timeout: 30_000 });
  };

  before(async function () {
    this.timeout(180_000);
    s = await startGpuSshd();
    s.stub.set('h100x1-busy');
    isolateProcessList(s);
    fal = await FalEmulator.start({
      ip: '127.0.0.1',
      timeline: { pendingMs: 500, provisioningMs: 1_000 },
      // A teammate's 8x: not created here, no key known (never sampled, never auto-deleted).
      seed: [
        {
          id: OTHER,
          instance_type: 'gpu_8x_h100_sxm5',
          status: 'ready',
          ip: '127.0.0.1',
          creator_user_nickname: 'teammate',
        },
      ],
    });
    settings = {
      'fal.apiBaseUrl': fal.baseUrl,
      'fal.refresh.fastIntervalSeconds': 1,
      ...quickGpuSettings(s),
      'fal.idle.graceMinutes': 0.25,
      'fal.budget.monthlyUsd': 1,
      // The budget's test drives spend with $3,600/h, which would also run the emulator's credit out
      // within minutes: the credit warning has its own file (credit.test.ts) and stays out of this one.
      'fal.credits.warnHours': 0,
      'workbench.hover.delay': 100,
      'terminal.integrated.defaultProfile.linux': 'bash',
      // configure() types the settings JSON: nothing may add to what it types.
      'editor.autoClosingBrackets': 'never',
      'editor.autoClosingQuotes': 'never',
      'editor.autoSurround': 'never',
      'editor.formatOnType': false,
      'editor.formatOnSave': false,
      'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
      'editor.suggestOnTriggerCharacters': false,
    };
    wb = await openWorkbench({ settings });
    settings = JSON.parse(readFileSync(settingsFile(), 'utf8')) as Record<string, unknown>; // with the harness's own
    const home = wb.server.dirs.home;
    mkdirSync(join(home, '.ssh', 'fal'), { recursive: true, mode: 0o700 });
    copyFileSync(s.plainKey, join(home, '.ssh', 'fal_cost_ed25519'));
    copyFileSync(`${s.plainKey}.pub`, join(home, '.ssh', 'fal_cost_ed25519.pub'));
    markerDir = join(wb.server.dirs.tmp, 'markers');
    mkdirSync(markerDir, { recursive: true });
    await wb.signIn(DEFAULT_EMULATOR_KEY);
    await clearToasts();
    await wb.waitForTreeRows((rs) => !!rowOf(rs, OTHER), 'Instances', 30_000);
  });

  after(async () => {
    interactive?.kill();
    await wb?.close();
    await fal?.close();
    await s?.dispose();
  });

  afterEach(screenshotOnFailure(() => wb));

  it('budget: the confirm step shows the projected month total; a create past the budget needs "Create anyway" in a modal (Cancel sends nothing; Create anyway creates exactly one)', async function () {
    this.timeout(120_000);
    const create = async () => {
      await wb.runCommand('fal: Create H100 Instance');
      await wb.quickPick.waitForStep('Create H100 Instance', '1/');
      await wb.quickPick.answerAndAdvance('1x H100');
      await wb.quickPick.answerAndAdvance('fal_cost_ed25519.pub');
      await wb.quickPick.waitForStep('Create H100 Instance', '3/3');
    };
    fal.clearRequests();
    await create();
    const confirm = (await wb.page.locator('.quick-input-widget .monaco-list-row').allInnerTexts())
      .join('\n')
      .replace(/\u00a0/g, ' ');
    assert.match(confirm, /Over budget: ~\$[\d,.]+ this month if all keeps running \(\$1\.00 budget, estimate\)/);
    await wb.screenshot('cost-budget-confirm-step');
    await wb.quickPick.answerAndAdvance('Create 1x H100');
    const modal = await wb.waitForModal();
    assert.equal(modal.message, 'Creating this 1x H100 would pass your monthly budget of $1.00.');
    assert.match(
      modal.detail,
      /^Projected this month if all keeps running: ~\$[\d,.]+ — about \$[\d,.]+ so far, .* for this 1x H100 until the month ends\. Estimates from fal\.pricing\.hourlyUsd\./,
    );
    assert.ok(modal.buttons.includes('Create anyway'), JSON.stringify(modal));
    await wb.screenshot('cost-budget-modal');
    const mark = wb.logMark();
    await wb.clickModalButton('Cancel');
    await wb.waitForLog('not confirmed, nothing was sent', mark);
    assert.deepEqual(posts(), [], 'Cancel: no create');

    await create();
    await wb.quickPick.answerAndAdvance('Create 1x H100');
    await wb.waitForModal();
    await wb.clickModalButton('Create anyway');
    await wb.waitForNotification(/is ready at/, 30_000);
    assert.equal(posts().length, 1, 'exactly one create request');
    mine = fal.instances().find((i) => i.id !== OTHER)!.id;
    assert.equal(fal.instances().length, 2);
    await clearToasts();
    // Created here with its key; its host key is learned as a user learns it (the row's "Host key not
    // known yet" line: Open SSH in Terminal, whose ssh accepts a new key); then the sampler reaches it.
    await learnHostKey(mine);
    await waitFor(
      `GPU figures on ${mine}`,
      async () => (await row(mine))?.description ?? '',
      (d) => d.startsWith('100 % · '),
      30_000,
      100,
    );
  });

  it('Mine (view title toggle): only the instance created here; the button swaps to "Show All Instances", which brings the teammate\'s back', async function () {
    this.timeout(60_000);
    const titleButton = (label: string) =>
      wb.page
        .locator(`.part.sidebar .actions-container a.action-label[aria-label="${label}"]`)
        .filter({ visible: true });
    await titleButton('Show Only My Instances').click();
    await wb.waitForTreeRows((rs) => rs.length === 1 && !!rowOf(rs, mine), 'Instances', 10_000);
    await titleButton('Show All Instances').waitFor();
    assert.equal(await titleButton('Show Only My Instances').count(), 0, 'one of the two commands at a time');
    await wb.view('Instances').getByText('Only yours are shown: 1 other instance is hidden by the filter.').waitFor();
    await titleButton('Show All Instances').click();
    await wb.waitForTreeRows((rs) => rs.length === 2, 'Instances', 10_000);
    await titleButton('Show Only My Instances').waitFor();
    await wb.view('Instances').getByText('Only yours are shown').waitFor({ state: 'detached' });
  });

  it('reminder: idle for fal.idle.minutes → "[Delete…] [Keep 1 h] [Don\'t remind for this instance]"; Keep 1 h silences it through a new idle period', async function () {
    this.timeout(90_000);
    await wb.runFromContextMenu(mine, 'Rename…');
    await wb.inputBox.waitOpen();
    await wb.inputBox.type(NAME);
    await wb.inputBox.enter();
    await waitFor(
      `the row of ${mine} to be labelled ${NAME}`,
      async () => (await row(mine))?.label ?? '',
      (l) => l === NAME,
      10_000,
      100,
    );
    const mark = wb.logMark();
    await becomeIdle();
    const reminder = await wb.waitForNotification(
      new RegExp(`^${NAME} \\(${mine}, 1x H100\\) has been idle for`),
      30_000,
    );
    assert.match(reminder.message, /has been idle for \d+ s — about \$0\.\d\d spent idle\./);
    assert.deepEqual(reminder.buttons, ['Delete…', 'Keep 1 h', "Don't remind for this instance"]);
    await wb.waitForToastsToSettle();
    await wb.page.mouse.move(0, 0);
    await wb.screenshot('cost-reminder');
    await wb.clickNotificationButton('Keep 1 h');
    await wb.waitForLog(`[cost] ${mine}: reminder answered: kept for 1 h`, mark);
    await toast(/has been idle for/).waitFor({ state: 'detached' });
    // A new idle period (busy, then idle again for 3 s): still no reminder within the hour.
    await becomeBusy();
    const after = wb.logMark();
    await becomeIdle();
    const c = commands();
    await waitFor('five more samples while idle', commands, (n) => n >= c + 5, 20_000, 100);
    assert.doesNotMatch(wb.extensionLog().slice(after), /reminder shown/);
    assert.equal(await toast(/has been idle for/).count(), 0, 'no reminder toast');
    await becomeBusy();
  });

  it('Protect from Auto-Delete (context menu) shows a lock in the row and prevents an auto-delete of the idle instance', async function () {
    this.timeout(90_000);
    await wb.runFromContextMenu(mine, 'Protect from Auto-Delete');
    await waitFor(
      'the lock on the row',
      async () => (await row(mine))?.icon,
      (icon) => icon === 'lock',
      10_000,
      100,
    );
    assert.match((await row(mine))!.ariaLabel, /protected from auto-delete/);
    await clearToasts();
    await configure({ 'fal.idle.autoDelete': true }, 'auto-delete ON after a 15 s countdown');
    const mark = wb.logMark();
    await becomeIdle();
    await wb.waitForLog(`[cost] ${mine}: idle`, mark);
    await wb.waitForLog(`not auto-deleted: it is protected from auto-delete`, mark);
    await wb.page.mouse.move(0, 0);
    await wb.screenshot('cost-protected-row');
    const c = commands();
    await waitFor("a countdown's worth of samples", commands, (n) => n >= c + 8, 30_000, 100);
    assert.doesNotMatch(wb.extensionLog().slice(mark), /countdown started/);
    assert.deepEqual(deletes(), [], 'no DELETE for a protected instance');
    await becomeBusy();
  });

  it('the countdown: an absolute deadline counting down live, with Cancel (stops it) and Keep (protects)', async function () {
    this.timeout(90_000);
    await wb.runFromContextMenu(mine, 'Unprotect from Auto-Delete');
    await waitFor(
      'the lock to go',
      async () => (await row(mine))?.icon,
      (icon) => icon === 'vm-running',
      10_000,
      100,
    );
    await clearToasts();
    let mark = wb.logMark();
    await becomeIdle();
    const countdown = toast(/Auto-delete at \d\d?:\d\d:\d\d( [AP]M)? \(in \d+ s\)/).first();
    await countdown.waitFor({ timeout: 30_000 });
    const text = (await countdown.locator('.notification-list-item-message').textContent()) ?? '';
    assert.match(
      text,
      new RegExp(
        `^${NAME} \\(${mine}, 1x H100\\) has been idle for \\d+ s\\. Auto-delete at .* after a fresh check that it is still idle with nobody logged in\\. Deleting destroys its disk\\. Keep protects it; Cancel stops the countdown\\.`,
      ),
    );
    await wb.waitForToastsToSettle();
    await wb.page.mouse.move(0, 0);
    await wb.screenshot('cost-countdown');
    await countdown.locator('a.monaco-button', { hasText: /^\s*Cancel\s*$/ }).click();
    await wb.waitForLog(`[cost] ${mine}: auto-delete countdown cancelled by the user`, mark);
    await countdown.waitFor({ state: 'detached' });

    // After another full idle period, a new countdown: Keep protects the instance (the lock again).
    mark = wb.logMark();
    const next = toast(/Auto-delete at/).first();
    await next.waitFor({ timeout: 30_000 });
    await next.locator('.notification-list-item-message a', { hasText: 'Keep' }).click();
    await wb.waitForLog(`[cost] ${mine}: auto-delete countdown: Keep chosen`, mark);
    await waitFor(
      'the lock on the row',
      async () => (await row(mine))?.icon,
      (icon) => icon === 'lock',
      10_000,
      100,
    );
    assert.deepEqual(deletes(), []);
    await becomeBusy();
    await wb.runFromContextMenu(mine, 'Unprotect from Auto-Delete');
    await waitFor(
      'the lock to go',
      async () => (await row(mine))?.icon,
      (icon) => icon === 'vm-running',
      10_000,
      100,
    );
    await clearToasts();
  });

  it('an interactive SSH session open on the machine (a real ssh -tt) makes the fresh check refuse the delete', async function () {
    this.timeout(90_000);
    // From here on nothing acts on a countdown: the shortest one, only waited out.
    await configure({ 'fal.idle.graceMinutes': 0.05 }, 'auto-delete ON after a 3 s countdown');
    const sessions = s.logLines(ACCEPTED).length;
    interactive = spawn(
      'ssh',
      [
        '-tt',
        '-i',
        s.plainKey,
        '-p',
        String(s.sshd.port),
        '-o',
        'BatchMode=yes',
        '-o',
        'StrictHostKeyChecking=no',
        '-o',
        'UserKnownHostsFile=/dev/null',
        `${s.user}@127.0.0.1`,
        'sleep 600',
      ],
      { stdio: 'pipe' },
    );
    await waitFor(
      'the interactive session (sshd log)',
      () => s.logLines(ACCEPTED).length,
      (n) => n > sessions,
      20_000,
      100,
    );
    const mark = wb.logMark();
    await becomeIdle();
    await wb.waitForLog(`[cost] ${mine}: re-checking the machine before deleting`, mark, 40_000);
    const refused = await wb.waitForLog(
      new RegExp(`\\[cost\\] ${mine}: not auto-deleted: another session is open: `),
      mark,
      30_000,
    );
    assert.match(refused, /another session is open: .*pts\/\d+/, 'the ssh -tt session (a terminal), not some other');
    const warning = await wb.waitForNotification(
      new RegExp(`^${NAME} \\(${mine}, 1x H100\\) was not auto-deleted: another session is open`),
    );
    assert.match(warning.message, /another session is open/);
    assert.deepEqual(deletes(), [], 'no DELETE while someone is logged in');
    // Busy again before the session ends: a next countdown would otherwise find nobody on it.
    await becomeBusy();
    interactive.kill();
    interactive = undefined;
    await clearToasts();
  });

  it('auto-delete: after the countdown, the fresh check and a beforeDelete that writes a marker file, exactly that instance is deleted', async function () {
    this.timeout(120_000);
    const marker = join(markerDir, 'saved-${instanceId}.txt');
    await configure(
      { 'fal.idle.beforeDelete': `echo "outputs of \${instanceId} from \${host}" > '${marker}'` },
      'auto-delete ON after a 3 s countdown (beforeDelete set)',
    );
    fal.clearRequests();
    const mark = wb.logMark();
    await becomeIdle();
    await toast(/Auto-delete at/)
      .first()
      .waitFor({ timeout: 30_000 });
    await wb.waitForLog(`[cost] ${mine}: running beforeDelete: echo "outputs of ${mine} from 127.0.0.1"`, mark, 40_000);
    await wb.waitForLog(`[cost] ${mine}: auto-deleted`, mark, 40_000);
    const done = await wb.waitForNotification(new RegExp(`^Auto-deleted ${NAME} \\(${mine}, 1x H100\\)`));
    assert.match(done.message, /it was idle, and a fresh check found nobody on it/);
    assert.equal(
      readFileSync(marker.replace('${instanceId}', mine), 'utf8').trim(),
      `outputs of ${mine} from 127.0.0.1`,
    );
    assert.deepEqual(
      deletes().map((r) => r.path),
      [`/v1/compute/instances/${mine}`],
      'exactly one DELETE, of that instance',
    );
    const get = fal.requests.findIndex((r) => r.method === 'GET' && r.path === `/v1/compute/instances/${mine}`);
    assert.ok(get >= 0 && get < fal.requests.indexOf(deletes()[0]!), 'a fresh GET of the instance before the DELETE');
    assert.ok(existsSync(marker.replace('${instanceId}', mine)));
    await wb.waitForTreeRows((rs) => !rowOf(rs, mine) && !!rowOf(rs, OTHER), 'Instances', 20_000);
    assert.deepEqual(
      fal.instances().map((i) => i.id),
      [OTHER],
      "the teammate's instance is untouched",
    );
    await clearToasts();
  });

  it('spend: the status bar turns to the warning colour from 80 % of the budget; its tooltip and "fal: Show Spend" give today, this month, per instance and per creator', async function () {
    this.timeout(60_000);
    const spend = wb.statusBarItem(/· ~\$/);
    await spend.waitFor();
    assert.doesNotMatch((await spend.getAttribute('class')) ?? '', /warning-kind/, 'under 80 %: no warning colour');
    assert.doesNotMatch(
      (await spend.textContent()) ?? '',
      /%/,
      'under 80 %: the budget stays out of the line (the tooltip has it)',
    );
    // The teammate's 8x at $3,600/h: minutes of it pass the $1.00 budget.
    await configure({ 'fal.pricing.hourlyUsd': { gpu_8x_h100_sxm5: 3600, gpu_1x_h100_sxm5: 1.89 } }, () =>
      waitFor(
        'the warning colour',
        () => spend.getAttribute('class'),
        (c) => /warning-kind/.test(c ?? ''),
        20_000,
        100,
      ),
    );
    assert.match(
      (await spend.textContent()) ?? '',
      /· ~\$[\d,.]+\/h · \d{3,} % of the \$1\.00 budget/,
      'one line: the count and $/h, then the budget once it matters',
    );
    await spend.hover();
    const tip = wb.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Estimated spend' }).first();
    await tip.waitFor();
    const tipText = (await tip.textContent()) ?? '';
    assert.match(tipText, /Today.*This month.*Monthly budget\s*\$1\.00, \d+ % used — over/s);
    assert.match(
      tipText,
      new RegExp(`Per instance this month: ${OTHER} ~\\$[\\d.]+¹ · ${mine} ~\\$[\\d.]+ \\(deleted\\)`),
    );
    assert.match(tipText, /Per creator this month: developer \(you\) ~\$[\d.]+ · teammate ~\$[\d.]+¹/);
    assert.match(tipText, /since this VS Code first saw it/);
    await wb.screenshot('cost-status-bar-budget-warning');
    await wb.page.mouse.move(0, 0);

    await wb.runCommand('fal: Show Spend');
    const editor = wb.page.locator('.editor-instance .monaco-editor .view-lines');
    await editor.filter({ hasText: 'fal Compute — estimated spend' }).waitFor();
    const report = ((await editor.textContent()) ?? '').replace(/\u00a0/g, ' ');
    assert.match(report, /Estimates: hourly rates from `fal\.pricing\.hourlyUsd`/);
    assert.match(report, /Monthly budget \| \$1\.00/);
    assert.ok(report.includes(OTHER) && report.includes(mine), report);
    await wb.runCommand('View: Close All Editors');
  });
});

/**
 * The test sshd stands for ONE fal machine, but it runs on a machine shared with other test runs,
 * whose sshd sessions a real instance would not have. So the sessions' `ps` (first on their PATH,
 * beside the stub nvidia-smi) lists only this sshd's listener and what runs under it — still the
 * real /bin/ps, called as `ps`, so the session check parses real output; the sessions it must find
 * (the sampler's own, an `ssh -tt`) all run under this listener.
 */
function isolateProcessList(s: GpuSshd): void {
  const wrapper = join(s.stub.binDir, 'ps');
  const script = [
    '#!/bin/bash',
    `root=$(cat '${s.sshd.pidFile}')`,
    '(exec -a ps /bin/ps "$@") | awk -v root="$root" \'',
    '  { pid[NR] = $1; line[NR] = $0; parent[$1] = $2 }',
    '  END { for (i = 1; i <= NR; i++) { p = pid[i]; for (h = 0; h < 64 && p != ""; h++) { if (p == root) { print line[i]; break } p = parent[p] } } }\'',
    '',
  ].join('\n');
  writeFileSync(wrapper, script);
  chmodSync(wrapper, 0o755);
}
