// Connect (issue 6) in the real workbench with a REAL sshd on 127.0.0.1: the emulator hands out
// 127.0.0.1, `fal.ssh.port` points at the sshd, `fal.ssh.user` is whoever runs the tests (root
// here: this machine has no `ubuntu` user). The extension host's HOME is the workbench's
// isolated home, so ~/.ssh/config, ~/.ssh/fal/config and the test key all live in there.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../emulator';
import { repoRoot } from './codeServer';
import { waitFor } from '../support/polling';
import { findFiles } from '../support/files';
import { KEYGEN, TestSshd } from './sshd';
import { openWorkbench, type Workbench, screenshotOnFailure, extensionLogText } from './workbench';

const READY = 'inst_connready1';
const PROVISIONING = 'inst_connprov2';
const USER = userInfo().username;
const REMOTE_HOME = USER === 'root' ? '/root' : `/home/${USER}`;
const MARKER = '# fal-compute: the next line includes the SSH hosts of the fal Compute VS Code extension';
/** The user's own config: comments, tabs, Key=Value, a `Host *` that would override us if it came first, Match exec, a dangling Include, no final newline. */
const TRICKY_CONFIG =
  '# my config — keep me\n\n' +
  'Host myhost\n\tHostName 192.0.2.1\n\tUser=alice   # trailing comment\n\n' +
  'Match exec "false"\n  User nobody\n\n' +
  'Include ~/.ssh/does-not-exist/*.conf\n\n' +
  'Host *\n  User nobody\n  Port 2\n  ServerAliveInterval 99';

describe('Connect over SSH (real sshd, real workbench)', function () {
  let fal: FalEmulator;
  let wb: Workbench;
  let sshd: TestSshd | undefined;
  let sshdDir: string;
  let sshdPort: number;
  let sshdLog: string;
  let home: string;
  let keyPath: string;
  let keyFingerprint: string;
  const marker = join(tmpdir(), `fal-e2e-ssh-${process.pid}-${Date.now()}`);

  const extensionLog = () => extensionLogText(wb.server.dirs.userData);
  const managedConfig = () => join(home, '.ssh', 'fal', 'config');
  const readManaged = () => (existsSync(managedConfig()) ? readFileSync(managedConfig(), 'utf8') : '');
  const row = (id: string) => wb.row(id);
  const contextMenuItem = (title: string) => wb.contextMenuItem(title);
  const runFromContextMenu = (id: string, title: string) => wb.runFromContextMenu(id, title);

  const startSshd = () => sshd!.restart();
  const stopSshd = () => sshd!.stop();

  before(async function () {
    this.timeout(180_000);
    // --- a real sshd on 127.0.0.1 (vscode-e2e-notes §8)
    sshd = await TestSshd.start();
    ({ dir: sshdDir, port: sshdPort, log: sshdLog } = sshd);

    fal = await FalEmulator.start({
      ip: '127.0.0.1',
      seed: [
        { id: READY, instance_type: 'gpu_1x_h100_sxm5', status: 'ready', ip: '127.0.0.1' },
        { id: PROVISIONING, instance_type: 'gpu_1x_h100_sxm5', status: 'provisioning' },
      ],
    });
    wb = await openWorkbench({
      settings: {
        'fal.apiBaseUrl': fal.baseUrl,
        'fal.ssh.port': sshdPort,
        'fal.ssh.user': USER,
        'fal.refresh.fastIntervalSeconds': 1,
        'fal.refresh.slowIntervalSeconds': 5,
        'terminal.integrated.shell.linux': '/bin/bash',
        'terminal.integrated.defaultProfile.linux': 'bash',
      },
    });
    // --- the user's key and config, in the workbench's isolated HOME
    home = wb.server.dirs.home;
    mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
    keyPath = join(home, '.ssh', 'fal_e2e_ed25519');
    execFileSync(KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', 'fal e2e key', '-f', keyPath]);
    writeFileSync(join(sshdDir, 'authorized_keys'), readFileSync(`${keyPath}.pub`));
    keyFingerprint = execFileSync(KEYGEN, ['-l', '-f', `${keyPath}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
    // A decoy key the picker also lists (it is not authorized).
    execFileSync(KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', 'decoy', '-f', join(home, '.ssh', 'id_ed25519')]);
    writeFileSync(join(home, '.ssh', 'config'), TRICKY_CONFIG, { mode: 0o600 });

    await wb.signIn(DEFAULT_EMULATOR_KEY);
    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.waitForTreeRows(
      (rs) => [READY, PROVISIONING].every((id) => rs.some((r) => r.ariaLabel.includes(id))),
      'Instances',
      30_000,
    );
  });

  after(async () => {
    await wb?.close();
    await fal?.close();
    await sshd?.dispose();
    rmSync(marker, { force: true });
  });

  afterEach(screenshotOnFailure(() => wb));
  afterEach(() => fal?.clearFaults()); // a failed test leaves no fault behind for the next

  it('shows Connect inline and Connect/Open SSH in Terminal/Copy SSH Command/Copy IP in the context menu of a ready row', async () => {
    await row(READY).hover();
    await row(READY).locator('.actions .action-label[aria-label^="Connect"]').waitFor({ timeout: 10_000 });
    await row(READY).click({ button: 'right' });
    for (const title of ['Connect…', 'Open SSH in Terminal', 'Copy SSH Command', 'Copy IP', 'Forget Host Key…']) {
      await contextMenuItem(title).waitFor({ timeout: 10_000 });
    }
    await wb.screenshot('connect-context-menu');
    await wb.page.keyboard.press('Escape');
    // A provisioning row offers "Connect When Ready" instead.
    await row(PROVISIONING).click({ button: 'right' });
    await contextMenuItem('Connect When Ready').waitFor({ timeout: 10_000 });
    assert.equal(await contextMenuItem('Open SSH in Terminal').count(), 0);
    await wb.page.keyboard.press('Escape');
  });

  it('without Remote-SSH: Connect asks for the key once, writes the entry and the Include, then offers Install / Open SSH in Terminal', async () => {
    await runFromContextMenu(READY, 'Connect…');
    await wb.quickPick.waitOpen();
    const items = await wb.quickPick.items();
    assert.ok(
      items.some((i) => i.includes('fal_e2e_ed25519')) &&
        items.some((i) => i.includes('id_ed25519')) &&
        items.some((i) => i.includes('Browse')),
      JSON.stringify(items),
    );
    await wb.quickPick.answer('fal_e2e_ed25519');
    const offer = await wb.waitForNotification('needs the Remote - SSH extension', 30_000);
    assert.deepEqual(offer.buttons, ['Install Remote - SSH', 'Open SSH in Terminal']);
    await wb.waitForToastsToSettle();
    await wb.screenshot('connect-fallback-offer');

    // The user's config: our two lines on top, then every original byte.
    const userConfig = readFileSync(join(home, '.ssh', 'config'), 'utf8');
    assert.equal(userConfig, `${MARKER}\nInclude "${managedConfig()}"\n${TRICKY_CONFIG}`);
    assert.ok(existsSync(join(home, '.ssh', 'config.fal-backup')), 'backed up once before the first change');
    assert.equal(readFileSync(join(home, '.ssh', 'config.fal-backup'), 'utf8'), TRICKY_CONFIG);
    // The managed file: the entry with every setting.
    const managed = readManaged();
    for (const line of [
      `Host fal-${READY}`,
      'HostName 127.0.0.1',
      `User ${USER}`,
      `Port ${sshdPort}`,
      `IdentityFile "${keyPath}"`,
      'IdentitiesOnly yes',
      'StrictHostKeyChecking accept-new',
      `UserKnownHostsFile "${join(home, '.ssh', 'fal', 'known_hosts')}"`,
    ]) {
      assert.ok(managed.includes(line), `managed config lacks "${line}":\n${managed}`);
    }
    assert.equal(statSync(managedConfig()).mode & 0o777, 0o600);
    const log = extensionLog();
    assert.match(log, new RegExp(`Remote-SSH provider none`));
    assert.doesNotMatch(log, /BEGIN OPENSSH PRIVATE KEY/);
    assert.doesNotMatch(log, /vscode-remote:\/\/ssh-remote/, 'nothing opened without Remote-SSH');

    await wb.clickNotificationButton('Install Remote - SSH');
    await wb.page.locator('.part.sidebar .composite.title h2', { hasText: /Extensions/i }).waitFor({ timeout: 15_000 });
    await waitFor('the log of the choice', extensionLog, (l) => l.includes('chose Install Remote - SSH'));
  });

  it('"Open SSH in Terminal" on the ready instance logs in with the instance\'s key (sshd log, $SSH_CONNECTION)', async function () {
    this.timeout(90_000);
    const acceptedBefore = (readFileSync(sshdLog, 'utf8').match(/Accepted publickey for /g) ?? []).length;
    await wb.openActivityView('fal Compute');
    await runFromContextMenu(READY, 'Open SSH in Terminal');
    // No key question this time: remembered.
    const log = await waitFor(
      'the terminal command in the log',
      extensionLog,
      (l) => l.includes(`Open SSH in Terminal ${READY}: ssh -F ${join(home, '.ssh', 'config')} fal-${READY}`),
      30_000,
    );
    assert.match(log, new RegExp(`${READY}: host key check: ok`));
    await wb.page
      .locator('.terminal-tabs-entry, .single-terminal-tab, .terminal-tab', { hasText: `fal: ${READY}` })
      .first()
      .waitFor({ timeout: 15_000 })
      .catch(() => undefined);
    // The host-key check is a key exchange only (no login): the terminal logs in, with the instance's key.
    const sshd = await waitFor(
      'an "Accepted publickey" of the terminal in the sshd log',
      () => readFileSync(sshdLog, 'utf8'),
      (t) =>
        (
          t.match(
            new RegExp(
              `Accepted publickey for ${USER} from 127\\.0\\.0\\.1 port \\d+ ssh2: ED25519 ${keyFingerprint.replace(/[+/]/g, '\\$&')}`,
              'g',
            ),
          ) ?? []
        ).length >=
        acceptedBefore + 1,
      30_000,
    );
    assert.doesNotMatch(sshd, /Failed publickey/);
    // Type into the remote shell: only an SSH session has $SSH_CONNECTION ending in the sshd port.
    const xterm = wb.page.locator('.terminal-wrapper .xterm, .xterm').first();
    await xterm.click();
    await wb.page.locator('.xterm.focus').first().waitFor(); // keys typed now reach the terminal
    await wb.page.keyboard.type(`echo "FAL_OK $SSH_CONNECTION" > ${marker}`);
    await wb.page.keyboard.press('Enter');
    const written = await waitFor(
      'the marker file from the remote shell',
      () => (existsSync(marker) ? readFileSync(marker, 'utf8') : ''),
      (t) => t.includes('FAL_OK'),
      20_000,
    );
    assert.match(written, new RegExp(`^FAL_OK 127\\.0\\.0\\.1 \\d+ 127\\.0\\.0\\.1 ${sshdPort}\\s*$`));
    await wb.screenshot('ssh-terminal');
  });

  it('with Remote-SSH installed: Connect on a provisioning instance waits (progress), then opens vscode-remote://ssh-remote+fal-<id><home>', async function () {
    this.timeout(120_000);
    // A stub extension with the id ms-vscode-remote.remote-ssh, loaded like F5 does.
    const stub = resolve(repoRoot, 'test/fixtures/remote-ssh-stub');
    const activations = (wb.extensionLog().match(/fal Compute \S+ activated/g) ?? []).length;
    await wb.page.goto(wb.server.workbenchUrl({ payload: [['extensionDevelopmentPath', wb.server.remoteUri(stub)]] }));
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await wb.activityBarItem('fal Compute').waitFor({ timeout: 30_000 });
    // Clicking before the reloaded window has restored its side bar would toggle it: wait for the side bar first.
    await wb.page.locator('.part.sidebar .composite.title h2').waitFor({ timeout: 30_000 });
    await wb.openActivityView('fal Compute');
    await waitFor(
      'the extension to activate again',
      () => (wb.extensionLog().match(/fal Compute \S+ activated/g) ?? []).length,
      (n) => n > activations,
      30_000,
    );
    await wb.waitForTreeRows((rs) => rs.some((r) => r.ariaLabel.includes(PROVISIONING)), 'Instances', 30_000);

    await wb.runCommand('fal: Connect…');
    await wb.quickPick.waitOpen();
    const choices = await wb.quickPick.items();
    assert.ok(
      choices.some((c) => c.includes(READY)) && choices.some((c) => c.includes(PROVISIONING)),
      JSON.stringify(choices),
    );
    await wb.quickPick.answer(PROVISIONING);
    await wb.quickPick.waitOpen();
    await wb.quickPick.answer('fal_e2e_ed25519');
    const progress = await wb.waitForNotification(`Connect when ready: ${PROVISIONING}`, 20_000);
    assert.ok(progress.buttons.includes('Cancel'), JSON.stringify(progress));
    await wb.waitForNotification(/provisioning… — will connect when ready/);
    await wb.waitForToastsToSettle();
    await wb.screenshot('connect-when-ready-progress');
    assert.doesNotMatch(
      extensionLog(),
      new RegExp(`ssh-remote\\+fal-${PROVISIONING}`),
      'nothing opened while provisioning',
    );
    assert.doesNotMatch(readManaged(), new RegExp(`Host fal-${PROVISIONING}\\b`), 'no entry before it has an IP');

    fal.updateInstance(PROVISIONING, { status: 'ready', ip: '127.0.0.1' });
    const expected = `vscode-remote://ssh-remote+fal-${PROVISIONING}${REMOTE_HOME}`;
    const log = await waitFor(
      'the opened URI in the log',
      extensionLog,
      (l) => l.includes(`opening ${expected} (new window)`),
      60_000,
    );
    assert.match(log, new RegExp(`Connect ${PROVISIONING}: Remote-SSH provider ms-vscode-remote\\.remote-ssh`));
    assert.match(log, new RegExp(`Connect ${PROVISIONING}: 127\\.0\\.0\\.1:${sshdPort} accepts TCP connections`));
    assert.ok(log.indexOf(`Connect ${PROVISIONING}: waiting until ready`) < log.indexOf(`opening ${expected}`));
    assert.match(readManaged(), new RegExp(`Host fal-${PROVISIONING}\\n  HostName 127\\.0\\.0\\.1\\n`));
  });

  it('removes the host entry (and only it) after the instance is deleted and the list refreshes; the user config keeps every byte', async function () {
    this.timeout(60_000);
    assert.match(readManaged(), new RegExp(`Host fal-${READY}\\n`));
    const res = await fetch(`${fal.baseUrl}/compute/instances/${READY}`, {
      method: 'DELETE',
      headers: { Authorization: `Key ${DEFAULT_EMULATOR_KEY}` },
    });
    assert.equal(res.status, 204);
    await wb.runCommand('fal: Refresh Instances');
    await waitFor('the entry to go', readManaged, (t) => !t.includes(`Host fal-${READY}\n`), 30_000);
    assert.match(readManaged(), new RegExp(`Host fal-${PROVISIONING}\\n`), 'the listed instance keeps its entry');
    // The log file is written a little after the managed file (the log service buffers): wait on it.
    await waitFor(
      'the removal in the log',
      extensionLog,
      (l) => l.includes(`Removed host entry fal-${READY} from `),
      30_000,
    );
    assert.equal(
      readFileSync(join(home, '.ssh', 'config'), 'utf8'),
      `${MARKER}\nInclude "${managedConfig()}"\n${TRICKY_CONFIG}`,
    );
  });

  it('Copy IP and Copy SSH Command copy the address and the `ssh …` line (toast and log)', async () => {
    await wb.openActivityView('fal Compute');
    await runFromContextMenu(PROVISIONING, 'Copy IP');
    await wb.waitForNotification('Copied 127.0.0.1');
    await runFromContextMenu(PROVISIONING, 'Copy SSH Command');
    const toast = await wb.waitForNotification('Copied "ssh ');
    assert.equal(toast.message, `Copied "ssh -F ${join(home, '.ssh', 'config')} fal-${PROVISIONING}".`);
    const log = extensionLog();
    assert.match(log, new RegExp(`Copy IP ${PROVISIONING}: 127\\.0\\.0\\.1`));
  });

  it('a changed host key under the same instance: clear message, "Forget Old Key" forgets it, the next login works', async function () {
    this.timeout(90_000);
    // Same instance, same address and port, a new host key: sshd restarted with another one.
    await stopSshd();
    execFileSync(KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', 'e2e host 2', '-f', join(sshdDir, 'host_key2')]);
    writeFileSync(
      join(sshdDir, 'sshd_config'),
      readFileSync(join(sshdDir, 'sshd_config'), 'utf8').replace(
        /^HostKey .*$/m,
        `HostKey ${join(sshdDir, 'host_key2')}`,
      ),
    );
    await startSshd();
    const knownHosts = join(home, '.ssh', 'fal', 'known_hosts');
    const remembered = new RegExp(`^fal-${PROVISIONING} `, 'm'); // recorded under the instance's HostKeyAlias
    assert.match(readFileSync(knownHosts, 'utf8'), remembered, 'the old key was remembered');

    await runFromContextMenu(PROVISIONING, 'Open SSH in Terminal');
    const toast = await wb.waitForNotification('is not the one remembered', 30_000);
    assert.match(toast.message, /remembered for this instance .*reinstalled/);
    assert.deepEqual(toast.buttons, ['Forget Old Key']);
    await wb.screenshot('host-key-changed');
    assert.match(extensionLog(), new RegExp(`${PROVISIONING}: host key check: changed`));
    await wb.clickNotificationButton('Forget Old Key');
    await waitFor('the forget in the log', extensionLog, (l) =>
      l.includes(`${PROVISIONING}: forgot 1 host key line(s) of fal-${PROVISIONING} / 127.0.0.1:${sshdPort}`),
    );
    assert.doesNotMatch(readFileSync(knownHosts, 'utf8'), remembered);

    await runFromContextMenu(PROVISIONING, 'Open SSH in Terminal');
    await waitFor(
      'the host key check to pass again',
      extensionLog,
      (l) => (l.match(new RegExp(`${PROVISIONING}: host key check: ok`, 'g')) ?? []).length >= 2,
      30_000,
    );
  });

  it('a user SSH config we must not edit (duplicated marker): message with file and lines, Open File / Open SSH in Terminal, not a byte written', async function () {
    this.timeout(60_000);
    const userConfigPath = join(home, '.ssh', 'config');
    const broken = `${readFileSync(userConfigPath, 'utf8')}\n${MARKER}\n`;
    writeFileSync(userConfigPath, broken);
    // A new instance, so an entry would have to be written.
    fal.seed([{ id: 'inst_connthird3', instance_type: 'gpu_1x_h100_sxm5', status: 'ready', ip: '127.0.0.1' }]);
    await wb.runCommand('fal: Refresh Instances');
    await wb.waitForTreeRows((rs) => rs.some((r) => r.ariaLabel.includes('inst_connthird3')), 'Instances', 20_000);
    const managedBefore = readManaged();
    await runFromContextMenu('inst_connthird3', 'Open SSH in Terminal');
    await wb.quickPick.waitOpen();
    await wb.quickPick.answer('fal_e2e_ed25519');
    const toast = await wb.waitForNotification('was left untouched', 20_000);
    assert.ok(toast.message.includes(userConfigPath), toast.message);
    assert.match(toast.message, /lines 1, \d+/);
    assert.deepEqual(toast.buttons, ['Open File', 'Open SSH in Terminal']);
    await wb.screenshot('ssh-config-refused');
    assert.equal(readFileSync(userConfigPath, 'utf8'), broken, 'the user config is unchanged');
    assert.equal(readManaged(), managedBefore, 'nothing written before the user chose');
    await wb.clickNotificationButton('Open SSH in Terminal');
    const log = await waitFor(
      'the -F terminal',
      extensionLog,
      (l) => l.includes(`Open SSH in Terminal inst_connthird3: ssh -F ${managedConfig()} fal-inst_connthird3`),
      20_000,
    );
    assert.match(log, /inst_connthird3: host key check: ok/);
    assert.match(readManaged(), /Host fal-inst_connthird3\n/);
    assert.equal(readFileSync(userConfigPath, 'utf8'), broken, 'still unchanged');
  });

  it('"fal: Remove SSH Config Changes" (after a modal) gives back the user\'s config byte for byte and removes ~/.ssh/fal and the backup', async function () {
    this.timeout(60_000);
    const userConfigPath = join(home, '.ssh', 'config');
    // The user repaired the marker the previous test broke: our two lines on top of their config.
    writeFileSync(userConfigPath, `${MARKER}\nInclude "${managedConfig()}"\n${TRICKY_CONFIG}`);
    assert.ok(existsSync(`${userConfigPath}.fal-backup`) && existsSync(managedConfig()));
    await wb.runCommand('fal: Remove SSH Config Changes');
    const modal = await wb.waitForModal();
    assert.match(modal.message, /Remove the changes fal Compute made to your SSH setup/);
    await wb.screenshot('remove-ssh-config-changes');
    await wb.clickModalButton('Remove');
    await wb.waitForNotification('is as it was before', 20_000);
    assert.equal(readFileSync(userConfigPath, 'utf8'), TRICKY_CONFIG);
    assert.equal(existsSync(join(home, '.ssh', 'fal')), false, '~/.ssh/fal is gone');
    assert.equal(existsSync(`${userConfigPath}.fal-backup`), false, 'the backup, identical again, is gone');
    assert.match(extensionLog(), /Remove SSH Config Changes: removed the fal-compute lines in /);
  });

  it("Connect when ready waits on the scheduler: with fal answering 500 it follows the back-off (5 s, then 10 s), counted in fal's request log", async function () {
    this.timeout(120_000);
    const waiting = 'inst_connwait4';
    fal.seed([{ id: waiting, instance_type: 'gpu_1x_h100_sxm5', status: 'provisioning' }]);
    await wb.runCommand('fal: Refresh Instances');
    await wb.waitForTreeRows((rs) => rs.some((r) => r.ariaLabel.includes(waiting)), 'Instances', 20_000);
    await wb.runCommand('Notifications: Clear All Notifications');
    const mark = wb.logMark();
    fal.addFault({ route: 'any', kind: 'status', status: 500, times: Infinity });
    await runFromContextMenu(waiting, 'Connect When Ready');
    await wb.quickPick.answer('fal_e2e_ed25519');
    await wb.waitForNotification(`Connect when ready: ${waiting}`);
    // Watch fal's request log until a fetch starts 15 s after the first failure (the third, if the back-off holds).
    // The refresh's own requests (the balance, read at most once a minute, has its own pace: billingPace.ts).
    const failed = () => fal.requests.filter((r) => r.fault === 'status:500' && r.path.startsWith('/v1/compute/'));
    await waitFor(
      'a request 15 s after the first failure',
      failed,
      (rs) => rs.length > 0 && rs.at(-1)!.startedAt >= rs[0]!.startedAt + 14_900,
      60_000,
      200,
    );
    await wb.screenshot('connect-when-ready-backing-off');

    // The extension's first attempt of each fetch (retries inside one fetch say "(attempt n)").
    const attempts = requestLines(wb.extensionLog().slice(mark)).filter(
      (l) => / → 500 /.test(l.text) && !/\(attempt \d+\)/.test(l.text) && l.text.includes(' /compute/'),
    );
    assert.ok(attempts.length >= 3, JSON.stringify(attempts));
    const [a, b, c] = attempts.map((l) => l.at);
    assert.ok(b! - a! >= 4_800, `5 s back-off, waited ${b! - a!} ms`);
    assert.ok(c! - b! >= 9_800, `10 s back-off, waited ${c! - b!} ms`);
    // fal saw at most two fetches (each with its own few retries) in the first 15 s.
    const firstWindow = failed().filter((r) => r.startedAt < failed()[0]!.startedAt + 14_900);
    assert.ok(firstWindow.length <= 8, `${firstWindow.length} requests in 15 s`);
    assert.match(wb.extensionLog().slice(mark), /Refresh: backing off after failures; next try/);

    await wb.clickNotificationButton('Cancel');
    await wb.waitForLog('Connect When Ready: cancelled', mark);
  });

  it('a command that throws shows one error naming it, with Show Logs, and logs why', async function () {
    this.timeout(60_000);
    const target = 'inst_connerr5';
    fal.seed([{ id: target, instance_type: 'gpu_1x_h100_sxm5', status: 'ready', ip: '127.0.0.1' }]);
    await wb.runCommand('fal: Refresh Instances');
    await wb.waitForTreeRows((rs) => rs.some((r) => r.ariaLabel.includes(target)), 'Instances', 20_000);
    const knownHosts = join(home, '.ssh', 'fal', 'known_hosts');
    const saved = existsSync(knownHosts) ? readFileSync(knownHosts) : undefined;
    rmSync(knownHosts, { force: true });
    mkdirSync(knownHosts, { recursive: true }); // reading it now fails with EISDIR: nothing in the command expects that
    try {
      await wb.runCommand('Notifications: Clear All Notifications');
      const mark = wb.logMark();
      await runFromContextMenu(target, 'Forget Host Key…');
      const toast = await wb.waitForNotification(/Forget Host Key/);
      assert.match(toast.message, /^Forget Host Key: /);
      assert.deepEqual(toast.buttons, ['Show Logs']);
      assert.match(toast.message, /EISDIR/);
      await wb.waitForToastsToSettle();
      await wb.screenshot('command-error-show-logs');
      assert.equal(
        (await wb.notifications()).filter((n) => n.message.includes('Forget Host Key')).length,
        1,
        'shown once',
      );
      const log = await wb.waitForLog(/Forget Host Key failed: .*EISDIR[\s\S]*at /, mark);
      assert.match(log, /\[error\]/);
      await wb.clickNotificationButton('Show Logs');
      // The Output view shows the channel's last lines: fal's request lines say it is fal Compute's.
      await wb.waitForOutput(/Forget Host Key failed:|\/compute\/instances/);
      const hostLogs = findFiles(wb.server.dirs.userData, (p) => /exthost/i.test(p) && p.endsWith('.log')).map((f) =>
        readFileSync(f, 'utf8'),
      );
      assert.ok(
        !hostLogs.some((t) => /rejected promise not handled|unhandled/i.test(t) && /fal/i.test(t)),
        'no unhandled rejection in the extension host',
      );
    } finally {
      rmSync(knownHosts, { recursive: true, force: true });
      if (saved) writeFileSync(knownHosts, saved);
    }
  });
});

/** The request lines of the extension's log with their time (LogOutputChannel: `YYYY-MM-DD HH:MM:SS.mmm [level] text`). */
function requestLines(log: string): { at: number; text: string }[] {
  return [...log.matchAll(/^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) \[\w+\] ((?:GET|POST|DELETE) \/.*)$/gm)].map(
    (m) => ({ at: new Date(m[1]!.replace(' ', 'T')).getTime(), text: m[2]! }),
  );
}
