// The Instances view shows one state at a time (issue 14 item 1), checked frame by frame: a
// recorder in the page samples the view on every animation frame from the first paint after a
// window reload while fal answers 500 — no signed-out flash although a key is stored, and once the
// outage is shown, Retry and Show Logs stay on screen until the rows come.
import assert from 'node:assert/strict';
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../emulator';
import { waitFor } from '../support/polling';
import { openWorkbench, screenshotOnFailure, type Workbench } from './workbench';

interface ViewFrame {
  /** ms since the page started. */
  at: number;
  /** No Instances pane on screen yet. */
  pane: boolean;
  welcome: string;
  buttons: string[];
  message: string;
  rows: number;
}

/** Runs in the page (every document, from its start): records each change of the Instances view. */
function recordViewFrames(): void {
  const w = globalThis as unknown as {
    top: unknown;
    __falFrames?: ViewFrame[];
    requestAnimationFrame(f: () => void): void;
    document: any;
  };
  if (w.top !== w) return; // webviews and other frames
  const frames: ViewFrame[] = (w.__falFrames = []);
  let last = '';
  const text = (el: any) =>
    String(el?.textContent ?? '')
      .replace(/\u00a0/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  const sample = () => {
    const pane = Array.from(w.document.querySelectorAll('.part.sidebar .pane') as ArrayLike<any>).find((p) =>
      /^instances$/i.test(text(p.querySelector('.pane-header h3.title'))),
    );
    const welcome = pane?.querySelector('.welcome-view-content');
    const message = pane?.querySelector('.message');
    const frame: ViewFrame = {
      at: Math.round(performance.now()),
      pane: Boolean(pane),
      welcome: welcome && welcome.offsetParent !== null ? text(welcome) : '',
      buttons:
        welcome && welcome.offsetParent !== null
          ? Array.from(welcome.querySelectorAll('.monaco-button') as ArrayLike<any>).map(text)
          : [],
      message: message && !message.classList.contains('hide') && message.offsetParent !== null ? text(message) : '',
      rows: pane ? pane.querySelectorAll('.monaco-list-row').length : 0,
    };
    const key = JSON.stringify({ ...frame, at: 0 });
    if (key !== last) frames.push(frame);
    last = key;
    w.requestAnimationFrame(sample);
  };
  w.requestAnimationFrame(sample);
}

const SIGNED_OUT = /Create, watch and connect/;
const OUTAGE = /Couldn't load your instances/;
const describeFrame = (f: ViewFrame) =>
  !f.pane
    ? '(no view)'
    : [
        f.welcome && `welcome "${f.welcome.slice(0, 60)}…" [${f.buttons.join(', ')}]`,
        f.message && `message "${f.message.slice(0, 60)}"`,
        f.rows && `${f.rows} rows`,
      ]
        .filter(Boolean)
        .join(' + ') || '(blank)';

describe('Instances view states, frame by frame', function () {
  let fal: FalEmulator;
  let wb: Workbench;

  before(async function () {
    this.timeout(120_000);
    fal = await FalEmulator.start({
      seed: [{ id: 'inst_state_a', instance_type: 'gpu_1x_h100_sxm5', status: 'ready', ip: '203.0.113.61' }],
    });
    wb = await openWorkbench({
      settings: {
        'fal.apiBaseUrl': fal.baseUrl,
        'fal.refresh.fastIntervalSeconds': 1,
        'fal.refresh.slowIntervalSeconds': 5,
      },
    });
    await wb.signIn(DEFAULT_EMULATOR_KEY);
    await wb.waitForTreeRows((rows) => rows.length === 1, 'Instances', 20_000);
  });

  after(async () => {
    await wb?.close();
    await fal?.close();
  });

  afterEach(screenshotOnFailure(() => wb));

  it('after a reload while fal answers 500: no signed-out flash, one state per frame, Retry and Show Logs until the rows come', async function () {
    this.timeout(120_000);
    fal.addFault({ route: 'list', kind: 'status', status: 500, times: Infinity });
    await wb.page.addInitScript(recordViewFrames);
    await wb.runCommand('Developer: Reload Window');
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // While the old page unloads there is nothing to read yet.
    const frames = () =>
      wb.page
        .evaluate(() => (globalThis as unknown as { __falFrames?: ViewFrame[] }).__falFrames ?? [])
        .catch((): ViewFrame[] => []);

    await waitFor('the outage welcome', frames, (fs) => fs.some((f) => OUTAGE.test(f.welcome)), 60_000, 200);
    await wb.screenshot('view-outage-after-reload');
    // It stays through the scheduler's next attempt (fal still failing): wait for that attempt in fal's log.
    const failedSoFar = fal.requests.filter((r) => r.fault === 'status:500').length;
    await waitFor(
      'another failed attempt',
      () => fal.requests.filter((r) => r.fault === 'status:500').length,
      (n) => n > failedSoFar,
      30_000,
      200,
    );
    // One attempt is several requests (the client retries a 5xx within its budget): wait until the
    // scheduler gives that attempt up and backs off. Otherwise the attempt's own next retry can bring
    // the rows once fal recovers below, before Retry is pressed, and the button is gone.
    const attemptStarted = wb.logMark();
    await wb.waitForLog(/Refresh: backing off after failures; next try/, attemptStarted, 30_000);
    await waitFor('the view after that attempt', frames, (fs) => OUTAGE.test(fs.at(-1)!.welcome), 10_000, 200);

    // fal recovers; Retry brings the rows at once.
    fal.clearFaults();
    await wb.view('Instances').locator('.welcome-view-content a.monaco-button', { hasText: 'Retry' }).click();
    await wb.waitForTreeRows((rows) => rows.length === 1, 'Instances', 20_000);
    await wb.screenshot('view-outage-recovered');

    const seen = await frames();
    const story = seen.map((f) => `${String(f.at).padStart(6)} ms  ${describeFrame(f)}`).join('\n');
    console.log(`      frames of the Instances view after the reload:\n${story.replace(/^/gm, '      ')}`);
    assert.ok(
      !seen.some((f) => SIGNED_OUT.test(f.welcome)),
      `a signed-out welcome was shown although a key is stored:\n${story}`,
    );
    for (const f of seen) {
      const shown = [f.welcome !== '', f.message !== '', f.rows > 0].filter(Boolean).length;
      assert.ok(
        shown <= 1 || (f.message !== '' && f.rows > 0 && f.welcome === ''),
        `two states at once at ${f.at} ms: ${describeFrame(f)}\n${story}`,
      );
    }
    const firstOutage = seen.findIndex((f) => OUTAGE.test(f.welcome));
    const firstRows = seen.findIndex((f) => f.rows > 0);
    assert.ok(firstOutage >= 0 && firstRows > firstOutage, story);
    assert.match(
      seen[firstOutage]!.welcome,
      /fal's servers answered HTTP 500 \(Internal Server Error\)/,
      'the status fal sent, not "5xx"',
    );
    // Until the very frame the rows come (the view-state key is left alone as they arrive, so VS Code
    // swaps the welcome for the rows in one frame: no blank frame between them).
    for (const f of seen.slice(firstOutage, firstRows)) {
      assert.deepEqual(
        f.buttons,
        ['Retry', 'Show Logs'],
        `Retry and Show Logs were not on screen at ${f.at} ms: ${describeFrame(f)}\n${story}`,
      );
    }
  });
});
