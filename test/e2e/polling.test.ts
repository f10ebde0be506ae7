// The one poller and the one auth policy in the real workbench (issue 11): watching one starting
// machine among 1,000 asks fal for that machine by id, not for ten pages; a 401 stops all polling,
// shows the rejected-key welcome and status bar, and every command that needs fal says the same.
import assert from 'node:assert/strict';
import { DEFAULT_EMULATOR_KEY, FalEmulator, type SeedInstance } from '../emulator';
import { waitFor } from '../support/polling';
import { openWorkbench, screenshotOnFailure, type Workbench } from './workbench';

const STARTING = 'inst_0000';
const SEED: SeedInstance[] = Array.from({ length: 1000 }, (_, i) => ({
  id: `inst_${String(i).padStart(4, '0')}`,
  instance_type: 'gpu_1x_h100_sxm5' as const,
  ...(i === 0 ? { status: 'provisioning' } : { status: 'ready', ip: `203.0.${100 + Math.floor(i / 250)}.${i % 250}` }),
}));

describe('Polling and the key policy (1,000 instances, against the emulator)', function () {
  let fal: FalEmulator;
  let wb: Workbench;

  before(async function () {
    this.timeout(120_000);
    fal = await FalEmulator.start({ seed: SEED });
    wb = await openWorkbench({ settings: { 'fal.apiBaseUrl': fal.baseUrl, 'fal.refresh.fastIntervalSeconds': 1 } });
    await wb.signIn(DEFAULT_EMULATOR_KEY);
    await wb.statusBarItem('1000 · ~$').waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await wb?.close();
    await fal?.close();
  });

  afterEach(screenshotOnFailure(() => wb));

  it('asks for the one starting instance by id on every fast tick, not for the ten pages of the list', async function () {
    this.timeout(60_000);
    fal.clearRequests();
    await waitFor(
      'five fast ticks',
      () => fal.requests.filter((r) => r.path.startsWith('/v1/compute/')).length,
      (n) => n >= 5,
      30_000,
      100,
    );
    // The balance, read at most once a minute (billingPace.ts), is not what a fast tick asks.
    const asked = fal.requests
      .filter((r) => r.path.startsWith('/v1/compute/'))
      .slice(0, 5)
      .map((r) => `${r.method} ${r.path}${r.query.cursor ? '?cursor' : ''}`);
    assert.deepEqual(
      asked,
      Array(5).fill(`GET /v1/compute/instances/${STARTING}`),
      'the starting instance alone, by id',
    );
    assert.match(
      wb.extensionLog(),
      /Refresh: fast \(an instance is starting, or an operation waits\); next: the starting instances in [\d.]+ s\./,
    );

    // It turns ready: the tick that sees it says so, and the fast ticks end.
    fal.updateInstance(STARTING, { status: 'ready', ip: '203.0.99.1' });
    await wb.waitForTreeRows(
      (rows) => rows.some((r) => r.icon === 'vm-running' && r.ariaLabel.includes('ready, IP 203.0.99.1')),
      'Instances',
      10_000,
    );
    await wb.waitForLog(/Refresh: slow \(every instance is stable\)/);
  });

  it('a 401 moves to "key rejected": the welcome and the status bar say which, polling stops, commands say the same, and a new key resumes', async function () {
    this.timeout(90_000);
    fal.seed([{ id: 'inst_starting2', instance_type: 'gpu_1x_h100_sxm5', status: 'provisioning' }]);
    await wb.runCommand('fal: Refresh Instances'); // the list with the new instance: fast ticks again
    await wb.statusBarItem('1001 · ~$').waitFor({ timeout: 20_000 });
    const mark = wb.logMark();
    fal.addFault({ route: 'any', kind: 'status', status: 401, message: 'Authentication required', times: Infinity });

    const welcome = await waitFor(
      'the rejected-key welcome',
      () => wb.welcomeText('Instances'),
      (t) => t.includes('rejected the stored API key (401)'),
      20_000,
      100,
    );
    assert.match(welcome, /Set API Key/);
    assert.match(welcome, /keep running, and billing/);
    const status = wb.statusBarItem('key rejected');
    await status.waitFor();
    await wb.screenshot('key-rejected-401');
    await wb.waitForLog('Refresh stopped: no usable API key. Nothing is sent to fal until a key is set.', mark);
    const rejectedAt = fal.requests.length;
    assert.equal(fal.requests.filter((r) => r.status === 401).length, 1, 'one 401, and no retry of it');

    // Create needs fal: it says what the view says, with Set API Key, and sends nothing.
    await wb.runCommand('fal: Create H100 Instance');
    const toast = await wb.waitForNotification('Create H100 Instance: fal rejected the API key (401)');
    assert.deepEqual(toast.buttons, ['Set API Key']);
    assert.equal(await wb.quickPick.isOpen(), false, 'no wizard for a key fal refused');
    // The status bar item leads to the key box.
    await status.click();
    await wb.inputBox.waitOpen();
    assert.equal(fal.requests.length, rejectedAt, 'nothing was sent since the 401');

    // A working key: checked, saved, and the list comes back.
    fal.clearFaults();
    await wb.inputBox.type(DEFAULT_EMULATOR_KEY);
    await wb.inputBox.enter();
    await wb.waitForNotification('API key saved');
    await wb.statusBarItem('1001 · ~$').waitFor({ timeout: 30_000 });
    await wb.screenshot('key-accepted-again');
    const sinceRejected = fal.requests.slice(rejectedAt);
    assert.equal(
      `${sinceRejected[0]?.path}?limit=${sinceRejected[0]?.query.limit}`,
      '/v1/compute/instances?limit=1',
      'the first request after the 401 is the new key being checked',
    );
    assert.equal(await status.count(), 0, 'the status bar no longer says the key is rejected');
  });
});
