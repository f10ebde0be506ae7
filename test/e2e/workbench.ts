// A small driver for the real VS Code workbench (code-server 4.100.3 in headless Chromium), for
// the UI tests in test/e2e/*.test.ts. Selectors are the ones measured in
// /work/shared/vscode-e2e-notes.md §6.
//
//   const wb = await openWorkbench({ settings: { 'fal.apiBaseUrl': emulator.baseUrl } });
//   await wb.openActivityView('fal Compute');
//   await wb.runCommand('fal: Show Logs');
//   await wb.screenshot('logs');
//   await wb.close();
//
// Each openWorkbench() is a fresh code-server (own user-data-dir, extensions-dir, HOME, workspace)
// with the packaged extension (`fal-compute.vsix`, built by `npm run package`) installed — a copy
// of the one install this test process made — and Chromium started while code-server starts.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { findFiles } from '../support/files';
import { waitFor } from '../support/polling';
import { repoRoot, startCodeServer, type CodeServer } from './codeServer';

/** The .vsix that `npm run package` builds. */
export const defaultVsix = join(repoRoot, 'fal-compute.vsix');
export const screenshotDir = join(repoRoot, 'test-results/screenshots');

export interface OpenWorkbenchOptions {
  /** Installed before the workbench opens. Default: the packaged fal-compute.vsix; null: none. */
  vsix?: string | null;
  /** Environment of code-server, so of the extension host (e.g. FAL_KEY). */
  env?: Record<string, string | undefined>;
  /** User settings (e.g. `{ 'fal.apiBaseUrl': emulator.baseUrl }`), written before start. */
  settings?: Record<string, unknown>;
  /** Folder to open. Default: an empty folder in the run's temp dir. */
  workspace?: string;
  /** Load the extension from this folder instead of (or as well as) a vsix, like F5 does. */
  extensionDevelopmentPath?: string;
}

export interface TreeRow {
  label: string;
  description: string;
  /** The codicon id of the row's icon (`vm-running` for `codicon-vm-running`), '' when none. */
  icon: string;
  /** The icon has `codicon-modifier-spin` (a `$(loading~spin)`-style icon). */
  spinning: boolean;
  /** The row's tooltip/accessibility label. */
  ariaLabel: string;
}

export interface Notification {
  message: string;
  source: string;
  buttons: string[];
}

export interface Modal {
  message: string;
  detail: string;
  buttons: string[];
}

const DEFAULT_TIMEOUT = 20_000;

/** Text as the workbench shows it (non-breaking spaces of the editor made plain). */
function plain(s: string | null | undefined): string {
  return (s ?? '').replace(/\u00a0/g, ' ').trim();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class QuickInput {
  constructor(private readonly page: Page) {}

  get widget(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  get input(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  async waitOpen(timeout = DEFAULT_TIMEOUT): Promise<void> {
    await this.input.waitFor({ state: 'visible', timeout });
  }

  async isOpen(): Promise<boolean> {
    return this.input.isVisible();
  }

  async waitClosed(timeout = DEFAULT_TIMEOUT): Promise<void> {
    await this.widget.waitFor({ state: 'hidden', timeout });
  }

  /** The labels of the rows shown (quick pick). */
  async items(): Promise<string[]> {
    await this.waitOpen();
    const rows = this.page.locator('.quick-input-widget .monaco-list-row .label-name');
    return (await rows.allTextContents()).map(plain);
  }

  /** The title of the quick input, '' when it has none. */
  async title(): Promise<string> {
    return plain(
      await this.page
        .locator('.quick-input-widget .quick-input-title')
        .textContent()
        .catch(() => ''),
    );
  }

  /** The validation/help message under the input (`.quick-input-message`). */
  async message(): Promise<string> {
    return plain(await this.page.locator('.quick-input-widget .quick-input-message').textContent());
  }

  /** Waits until the message under the input matches. */
  async waitForMessage(expected: string | RegExp, timeout = DEFAULT_TIMEOUT): Promise<string> {
    const re = typeof expected === 'string' ? new RegExp(escapeRegExp(expected)) : expected;
    await this.page.locator('.quick-input-widget .quick-input-message', { hasText: re }).waitFor({ timeout });
    return this.message();
  }

  /**
   * Quick pick: filter by `text`, wait until the step has settled — a row with the text listed,
   * the text really in the box and the focused row holding it — then accept it. A step that is
   * still arriving from the extension host can reset the box after it was filled (seen on a
   * loaded 2-core machine: Enter then took the first row), so the box is filled again until it holds.
   */
  async answer(text: string, timeout = DEFAULT_TIMEOUT): Promise<void> {
    this.typed = undefined;
    await this.waitOpen(timeout);
    const deadline = Date.now() + timeout;
    await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first().waitFor({ timeout });
    const settled = `((t) => {
      const w = document.querySelector('.quick-input-widget');
      const input = w && w.querySelector('.quick-input-box input');
      const focused = w && w.querySelector('.monaco-list-row.focused');
      return !!input && input.value === t && !!focused && (focused.textContent || '').includes(t);
    })(${JSON.stringify(text)})`;
    for (;;) {
      await this.input.fill(text);
      const left = deadline - Date.now();
      try {
        await this.page.waitForFunction(settled, undefined, { timeout: Math.max(1, Math.min(3_000, left)) });
        break;
      } catch (error) {
        if (Date.now() >= deadline) throw error;
      }
    }
    await this.page.keyboard.press('Enter');
  }

  /** What type() last put in the box and enter() has not accepted yet. */
  private typed: string | undefined;

  /**
   * Fills the box with `text` until it holds it: a step still arriving from the extension host can
   * reset the box after it was filled (as with answer()), so the value is checked, and filled again.
   */
  private async fillUntilHeld(text: string, timeout: number, onlyIfLost = false): Promise<void> {
    const deadline = Date.now() + timeout;
    const held = `((t) => {
      const input = document.querySelector('.quick-input-widget .quick-input-box input');
      return !!input && input.offsetParent !== null && input.value === t;
    })(${JSON.stringify(text)})`;
    if (onlyIfLost && (await this.page.evaluate<boolean>(held))) return;
    for (;;) {
      await this.input.fill(text, { timeout: Math.max(1, deadline - Date.now()) });
      try {
        await this.page.waitForFunction(held, undefined, {
          timeout: Math.max(1, Math.min(1_000, deadline - Date.now())),
          polling: 50,
        });
        return;
      } catch (error) {
        if (Date.now() >= deadline) throw error;
      }
    }
  }

  /** Input box: replace the value with `text`, and wait until the box holds it (does not accept it). */
  async type(text: string, timeout = DEFAULT_TIMEOUT): Promise<void> {
    await this.waitOpen(timeout);
    await this.fillUntilHeld(text, timeout);
    this.typed = text;
  }

  /** Accepts the current value (Enter) — after type(), only once the box still holds what was typed. */
  async enter(timeout = DEFAULT_TIMEOUT): Promise<void> {
    const typed = this.typed;
    this.typed = undefined;
    if (typed !== undefined) await this.fillUntilHeld(typed, timeout, true);
    await this.page.keyboard.press('Enter');
  }

  /** Closes the quick input (Escape). */
  async cancel(): Promise<void> {
    this.typed = undefined;
    await this.page.keyboard.press('Escape');
  }

  /** Escape, then wait until it is gone. */
  async dismiss(timeout = DEFAULT_TIMEOUT): Promise<void> {
    await this.cancel();
    await this.waitClosed(timeout);
  }

  // --- multi-step wizards ("Create H100 Instance (2/4)")

  /** Waits until the title shows `title (step…`, e.g. waitForStep('Create H100 Instance', '2/4'). */
  async waitForStep(title: string, step: string, timeout = DEFAULT_TIMEOUT): Promise<void> {
    const re = new RegExp(`${escapeRegExp(title)} \\(${escapeRegExp(step)}`);
    await this.page.locator('.quick-input-widget .quick-input-title', { hasText: re }).waitFor({ timeout });
  }

  /** The label of each row (a row's detail line is a second .label-name, left out). */
  async rowLabels(): Promise<string[]> {
    await this.waitOpen();
    return this.page
      .locator('.quick-input-widget .monaco-list-row')
      .evaluateAll((rows) =>
        rows.map((r) => (r.querySelector('.label-name')?.textContent ?? '').replace(/\u00a0/g, ' ').trim()),
      );
  }

  async placeholder(): Promise<string> {
    return (await this.input.getAttribute('placeholder')) ?? '';
  }

  /** The Back button of a wizard step. */
  async back(): Promise<void> {
    await this.page.locator('.quick-input-widget .codicon-quick-input-back').click();
  }

  /** Answers the pick on screen, then waits until the next step (or nothing) replaced it. */
  async answerAndAdvance(text: string, timeout = DEFAULT_TIMEOUT): Promise<void> {
    // Read in the page in one go: locator reads would wait while the widget is hidden.
    const shown = `(() => {
      const w = document.querySelector('.quick-input-widget');
      const visible = !!w && w.offsetParent !== null;
      const title = w?.querySelector('.quick-input-title')?.textContent ?? '';
      const ph = w?.querySelector('.quick-input-box input')?.getAttribute('placeholder') ?? '';
      return visible + '|' + title + '|' + ph;
    })()`;
    const before = await this.page.evaluate<string>(shown);
    await this.answer(text, timeout);
    await this.page.waitForFunction(`${shown} !== ${JSON.stringify(before)}`, undefined, { timeout });
  }
}

/**
 * What the driver needs of the code-server behind the page: its folders (the extension's log) and
 * how to stop it. A test driving a code-server another process started (npm run demo) gives only these.
 */
export type WorkbenchServer = Pick<CodeServer, 'dirs' | 'stop'>;

export class Workbench<S extends WorkbenchServer = CodeServer> {
  /** Quick picks (`answer`, `items`) and input boxes (`type`, `enter`, `message`) share one widget. */
  readonly quickPick: QuickInput;
  readonly inputBox: QuickInput;

  constructor(
    readonly page: Page,
    readonly browser: BrowserContext,
    readonly server: S,
  ) {
    this.quickPick = new QuickInput(page);
    this.inputBox = this.quickPick;
    // A window VS Code opens (vscode.openFolder with forceNewWindow) would leave the workbench a
    // background tab, where the browser throttles it (a context menu then took 6 s instead of 0.2 s):
    // close it and give the workbench the front again.
    browser.on('page', (opened) => {
      if (opened === page) return;
      void opened.close().catch(() => undefined);
      void page.bringToFront().catch(() => undefined);
    });
  }

  /** Runs a command from the palette by its full title, e.g. `fal: Show Logs`. */
  async runCommand(title: string, timeout = DEFAULT_TIMEOUT): Promise<void> {
    const qi = this.quickPick;
    // Wait for the focused row to be this command: pressing Enter earlier could run a recently used one.
    const row = this.page.locator('.quick-input-widget .monaco-list-row.focused', {
      has: this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) }),
    });
    // A terminal, editor or walkthrough step that takes focus just after F1 closes the palette — even
    // between its opening and the typing (seen once in three UI runs): open it again.
    const deadline = Date.now() + timeout;
    for (let attempt = 1; ; attempt++) {
      if (await qi.isOpen()) await qi.cancel();
      await this.page.keyboard.press('F1');
      const left = () => Math.max(1, deadline - Date.now());
      const step = () => (attempt < 3 ? Math.min(5_000, left()) : left());
      try {
        await qi.waitOpen(step());
        await qi.input.fill(`>${title}`, { timeout: step() });
        await row.waitFor({ timeout: step() });
        break;
      } catch (e) {
        if (attempt >= 3 || Date.now() >= deadline) throw e;
      }
    }
    await this.page.keyboard.press('Enter');
  }

  /** The activity-bar entry of a view container, by its title. */
  activityBarItem(title: string): Locator {
    return this.page.locator(`.activitybar a.action-label[aria-label^="${title}"]`);
  }

  /** Opens a view container from the activity bar (leaves it open when it already is). */
  async openActivityView(title: string, timeout = DEFAULT_TIMEOUT): Promise<void> {
    const item = this.activityBarItem(title);
    await item.waitFor({ timeout });
    const tab = this.page.locator('.activitybar li.action-item', {
      has: this.page.locator(`a.action-label[aria-label^="${title}"]`),
    });
    if (
      (await tab.getAttribute('aria-selected')) !== 'true' ||
      !(await this.page.locator('.part.sidebar').isVisible())
    ) {
      await item.click();
      await this.page.mouse.move(0, 0); // no hover tooltip over the view in screenshots
    }
    await this.page.locator('.part.sidebar .composite.title h2', { hasText: title }).waitFor({ timeout });
  }

  /** A view (pane) of the side bar by its name, e.g. `Instances`. */
  view(name: string): Locator {
    // A container with one view merges the header into the container title; its pane is the only one.
    return this.page.locator('.part.sidebar .pane').filter({
      has: this.page.locator('.pane-header h3.title', {
        hasText: new RegExp(`^\\s*${escapeRegExp(name)}\\s*$`, 'i'),
      }),
    });
  }

  /** The welcome text of a view (viewsWelcome), '' when the view shows none. */
  async welcomeText(viewName: string): Promise<string> {
    const content = this.view(viewName).locator('.welcome-view-content');
    if (!(await content.isVisible())) return '';
    return plain(await content.innerText());
  }

  /** The visible rows of a tree view (all views of the side bar when no name is given). */
  async treeRows(viewName?: string): Promise<TreeRow[]> {
    const scope = viewName ? this.view(viewName) : this.page.locator('.part.sidebar');
    return scope.locator('.monaco-list-row').evaluateAll((rows) =>
      rows.map((row) => {
        const text = (sel: string) => (row.querySelector(sel)?.textContent ?? '').replace(/\u00a0/g, ' ').trim();
        const icon = row.querySelector('.custom-view-tree-node-item-icon');
        const classes: string[] = String(icon?.getAttribute('class') ?? '').split(/\s+/);
        const id = classes.find((c) => c.startsWith('codicon-') && c !== 'codicon-modifier-spin');
        return {
          label: text('.label-name'),
          description: text('.label-description'),
          icon: id ? id.slice('codicon-'.length) : '',
          spinning: classes.includes('codicon-modifier-spin'),
          ariaLabel: row.getAttribute('aria-label') ?? '',
        };
      }),
    );
  }

  /** Waits until the tree rows satisfy `predicate`, and returns them. */
  async waitForTreeRows(
    predicate: (rows: TreeRow[]) => boolean,
    viewName?: string,
    timeout = DEFAULT_TIMEOUT,
  ): Promise<TreeRow[]> {
    return waitFor(
      `tree rows${viewName ? ` of ${viewName}` : ''}`,
      () => this.treeRows(viewName),
      predicate,
      timeout,
      100,
    );
  }

  /** Waits until the row `pick` finds in the Instances view passes `says`, and returns it. */
  async waitForRow(
    what: string,
    pick: (row: TreeRow) => boolean,
    says: (row: TreeRow) => boolean,
    timeout = 30_000,
  ): Promise<TreeRow> {
    const row = await waitFor(
      what,
      async () => (await this.treeRows('Instances')).find(pick),
      (r) => r !== undefined && says(r),
      timeout,
      100,
    );
    return row!;
  }

  /** The text of the first terminal on screen ('' when none is). */
  terminalText(): Promise<string> {
    return this.page
      .locator('.terminal-wrapper .xterm-rows, .xterm .xterm-rows')
      .first()
      .innerText()
      .catch(() => '');
  }

  /** A row of a tree view, by a text its accessibility label holds (an instance id, an IP). */
  row(text: string, viewName = 'Instances'): Locator {
    return this.view(viewName).locator(`.monaco-list-row[aria-label*="${text}"]`);
  }

  /** Chooses the private key of instance `id` with "fal: Choose Private Key…" (the connect flow's key picker). */
  async choosePrivateKey(id: string, key: string): Promise<void> {
    await this.runCommand('fal: Choose Private Key…');
    await this.quickPick.answer(id);
    await this.page
      .locator('.quick-input-widget .quick-input-title', { hasText: `Which private key opens ${id}?` })
      .waitFor();
    await this.quickPick.answer(key);
    await this.quickPick.waitClosed();
  }

  /** Waits until the decoration badge of the row (its label's `::after`, e.g. the idle "zz") holds `badge`, and returns it. */
  async waitForRowBadge(
    text: string,
    badge: string,
    timeout = DEFAULT_TIMEOUT,
    viewName = 'Instances',
  ): Promise<string> {
    return waitFor(
      `the badge ${badge} on the row of ${text}`,
      () =>
        this.row(text, viewName)
          .locator('.monaco-icon-label')
          .evaluate((el) => {
            const view = (
              el as unknown as {
                ownerDocument: { defaultView: { getComputedStyle(e: unknown, p: string): { content: string } } };
              }
            ).ownerDocument.defaultView;
            return view.getComputedStyle(el, '::after').content;
          }),
      (content) => content.includes(badge),
      timeout,
      100,
    );
  }

  /**
   * Hovers `target` until a hover showing `text` opens (tooltips are built on hover, and a repaint
   * can close one), and returns that hover.
   */
  async hoverShowing(target: Locator, text: string | RegExp, timeout = 30_000): Promise<Locator> {
    const hover = this.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: text }).first();
    await waitFor(
      `a hover showing ${String(text)}`,
      async () => {
        await this.page.mouse.move(0, 0);
        await target.hover();
        return hover.waitFor({ timeout: 3_000 }).then(
          () => true,
          () => false,
        );
      },
      Boolean,
      timeout,
      200,
    );
    return hover;
  }

  /** An entry of the open context menu, by its exact title. */
  contextMenuItem(title: string): Locator {
    return this.page.locator('.context-view .monaco-menu .action-item a.action-menu-item', {
      has: this.menuLabel(title),
    });
  }

  private menuLabel(title: string): Locator {
    return this.page.locator('.action-label', { hasText: new RegExp(`^${escapeRegExp(title)}$`) });
  }

  /**
   * Right-clicks the row and runs a context menu entry. Monaco menus act on the item under the
   * mouse, so it is hovered until the menu marks it focused; a click the settling menu drops is
   * followed by Enter on the focused item.
   */
  async runFromContextMenu(rowText: string, title: string, options: { select?: boolean } = {}): Promise<void> {
    const row = this.row(rowText);
    if (options.select) await row.click();
    // A right-click can land while the tree re-renders the row (a refresh, its GPU part) and open
    // no menu, only the row's hover (seen once in CI), or a menu of the row as it was. Then the
    // menu is asked for again, until it holds the entry.
    const item = this.contextMenuItem(title);
    for (let attempt = 1; ; attempt++) {
      await row.click({ button: 'right' });
      if (
        await item.waitFor({ timeout: 3_000 }).then(
          () => true,
          () => false,
        )
      )
        break;
      if (attempt === 3)
        throw new Error(`no context menu with "${title}" on the row "${rowText}" after 3 right-clicks`);
      await this.page.keyboard.press('Escape');
    }
    await item.hover({ timeout: 10_000 });
    await this.page
      .locator('.context-view .monaco-menu .action-item.focused', { has: this.menuLabel(title) })
      .waitFor({ timeout: 10_000 });
    await item.click();
    const menu = this.page.locator('.context-view .monaco-menu');
    if (
      !(await menu.waitFor({ state: 'detached', timeout: 2_000 }).then(
        () => true,
        () => false,
      ))
    ) {
      if (await item.isVisible()) await this.page.keyboard.press('Enter');
      await menu.waitFor({ state: 'detached', timeout: 10_000 });
    }
  }

  /** A status bar entry by its text. */
  statusBarItem(text: string | RegExp): Locator {
    return this.page.locator('.statusbar-item', { hasText: text });
  }

  /**
   * Makes the window say it lost (or regained) focus. Headless Chromium always reports focus, so
   * the page is told what a real window would report: document.hasFocus() plus the blur/focus
   * event VS Code's host service listens to.
   */
  async setWindowFocus(focused: boolean): Promise<void> {
    await this.page.evaluate((f) => {
      const page = globalThis as unknown as {
        document: { hasFocus(): boolean };
        dispatchEvent(e: unknown): boolean;
        FocusEvent: new (type: string) => unknown;
      };
      page.document.hasFocus = () => f;
      page.dispatchEvent(new page.FocusEvent(f ? 'focus' : 'blur'));
    }, focused);
  }

  private toasts(): Locator {
    return this.page.locator('.notifications-toasts .notification-toast');
  }

  /** The notification toasts on screen. */
  async notifications(): Promise<Notification[]> {
    return this.toasts().evaluateAll((toasts) =>
      toasts.map((t) => ({
        message: (t.querySelector('.notification-list-item-message')?.textContent ?? '').trim(),
        source: (t.querySelector('.notification-list-item-source')?.textContent ?? '').trim(),
        buttons: Array.from(t.querySelectorAll('a.monaco-button'), (b: { textContent: string | null }) =>
          (b.textContent ?? '').trim(),
        ),
      })),
    );
  }

  /**
   * Waits for a toast whose message contains (or matches) `text`, and returns it as it was then:
   * found and read in one step in the page, so a toast that hides itself soon after is still caught.
   */
  async waitForNotification(text: string | RegExp, timeout = DEFAULT_TIMEOUT): Promise<Notification> {
    const pattern =
      typeof text === 'string' ? { source: escapeRegExp(text), flags: '' } : { source: text.source, flags: text.flags };
    const found = await this.page.waitForFunction(
      ({ source, flags }) => {
        const re = new RegExp(source, flags);
        const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<any> } }).document;
        const read = (t: any) => ({
          message: String(t.querySelector('.notification-list-item-message')?.textContent ?? '').trim(),
          source: String(t.querySelector('.notification-list-item-source')?.textContent ?? '').trim(),
          buttons: Array.from(t.querySelectorAll('a.monaco-button') as ArrayLike<any>).map((b) =>
            String(b.textContent ?? '').trim(),
          ),
        });
        return (
          Array.from(doc.querySelectorAll('.notifications-toasts .notification-toast'))
            .map(read)
            .find((n) => re.test(n.message)) ?? false
        );
      },
      pattern,
      { timeout, polling: 100 },
    );
    return (await found.jsonValue()) as Notification;
  }

  /**
   * Waits for a notification whose message matches `text`, as a toast or in the notification
   * center: a plain notification can reach only the center (seen on this 2-core machine right after
   * another notification's progress toast closed, before and after the jobs work), and it is still
   * what the user is told. The center is opened to read it, and closed again.
   */
  async waitForMessage(text: RegExp, timeout = DEFAULT_TIMEOUT): Promise<string> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const toast = (await this.notifications()).find((n) => text.test(n.message));
      if (toast) return toast.message;
      await this.runCommand('Notifications: Show Notifications');
      const items = this.page.locator('.notifications-center .notification-list-item-message');
      const inCenter = (await items.allTextContents().catch(() => [] as string[])).find((m) => text.test(m.trim()));
      await this.page.keyboard.press('Escape');
      if (inCenter) return inCenter.trim();
      if (Date.now() >= deadline) throw new Error(`no notification matching ${text} in ${timeout} ms`);
    }
  }

  /** Clicks the button labelled `text` of a toast (the first toast that has one). */
  async clickNotificationButton(text: string, timeout = DEFAULT_TIMEOUT): Promise<void> {
    const exact = new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);
    await this.toasts().locator('a.monaco-button', { hasText: exact }).first().click({ timeout });
  }

  private dialog(): Locator {
    return this.page.locator('.monaco-dialog-box');
  }

  /** The modal dialog on screen, or undefined. */
  async modal(): Promise<Modal | undefined> {
    if (!(await this.dialog().isVisible())) return undefined;
    const box = this.dialog();
    return {
      message: plain(
        await box
          .locator('.dialog-message-text')
          .textContent()
          .catch(() => ''),
      ),
      detail: plain(
        await box
          .locator('.dialog-message-detail')
          .textContent()
          .catch(() => ''),
      ),
      buttons: (await box.locator('.dialog-buttons a.monaco-button').allTextContents()).map(plain),
    };
  }

  /** Waits for a modal dialog, and returns it. */
  async waitForModal(timeout = DEFAULT_TIMEOUT): Promise<Modal> {
    await this.dialog().waitFor({ timeout });
    const m = await this.modal();
    if (!m) throw new Error('the modal dialog disappeared');
    return m;
  }

  async clickModalButton(text: string, timeout = DEFAULT_TIMEOUT): Promise<void> {
    const exact = new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);
    await this.dialog().locator('.dialog-buttons a.monaco-button', { hasText: exact }).click({ timeout });
  }

  /** Shows an output channel in the Output view ("Output: Show Output Channels...") and returns its visible text. */
  async readOutputChannel(name: string, timeout = DEFAULT_TIMEOUT): Promise<string> {
    await this.runCommand('Output: Show Output Channels...', timeout);
    await this.quickPick.answer(name, timeout);
    await this.quickPick.waitClosed(timeout);
    return this.outputText(timeout);
  }

  /** The text of the Output view as shown now (the lines on screen, top to bottom). */
  async outputText(timeout = DEFAULT_TIMEOUT): Promise<string> {
    const lines = this.page.locator('.part.panel .monaco-editor .view-lines');
    await lines.waitFor({ timeout });
    const texts = await lines.locator('.view-line').evaluateAll((els) =>
      els
        .map((el) => ({
          top: parseFloat(/top:\s*([\d.]+)px/.exec(el.getAttribute('style') ?? '')?.[1] ?? '0') || 0,
          text: el.textContent ?? '',
        }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text),
    );
    return texts.map((t) => t.replace(/\u00a0/g, ' ')).join('\n');
  }

  /** Waits until the Output view (already showing a channel) shows text matching `expected`. */
  async waitForOutput(expected: string | RegExp, timeout = DEFAULT_TIMEOUT): Promise<string> {
    const matches = (text: string) => (typeof expected === 'string' ? text.includes(expected) : expected.test(text));
    return waitFor(`the Output view to show ${String(expected)}`, () => this.outputText(timeout), matches, timeout);
  }

  /** The extension's "fal Compute" log as written to disk so far. */
  extensionLog(): string {
    return extensionLogText(this.server.dirs.userData);
  }

  /** A mark in the extension's log: `waitForLog(…, mark)` looks only at what comes after it. */
  logMark(): number {
    return this.extensionLog().length;
  }

  /** Waits until the extension's log (after `mark`) matches, and returns that part of it. */
  async waitForLog(expected: string | RegExp, mark = 0, timeout = DEFAULT_TIMEOUT): Promise<string> {
    const matches = (text: string) => (typeof expected === 'string' ? text.includes(expected) : expected.test(text));
    return waitFor(
      `the extension log to show ${String(expected)}`,
      () => this.extensionLog().slice(mark),
      matches,
      timeout,
    );
  }

  /** Waits until every toast has finished sliding in (the workbench marks it `notification-fade-in-done`), e.g. before a screenshot. */
  async waitForToastsToSettle(timeout = DEFAULT_TIMEOUT): Promise<void> {
    await this.page.waitForFunction(
      () => {
        const doc = (
          globalThis as unknown as {
            document: { querySelectorAll(s: string): ArrayLike<{ classList: { contains(c: string): boolean } }> };
          }
        ).document;
        return Array.from(doc.querySelectorAll('.notifications-toasts .notification-toast')).every((t) =>
          t.classList.contains('notification-fade-in-done'),
        );
      },
      undefined,
      { timeout },
    );
  }

  /** Opens the fal Compute view and saves `key` through "fal: Set API Key" (checked against the API). */
  async signIn(key: string, timeout = DEFAULT_TIMEOUT): Promise<void> {
    await this.openActivityView('fal Compute', timeout);
    await this.runCommand('fal: Set API Key', timeout);
    await this.inputBox.type(key, timeout);
    await this.inputBox.enter();
    await this.waitForNotification('API key saved', timeout);
  }

  /** Saves a screenshot to test-results/screenshots/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(screenshotDir, { recursive: true });
    const path = join(screenshotDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** Closes the browser and code-server, and deletes the run's folders. */
  async close(): Promise<void> {
    await this.server.stop();
  }
}

/** A fresh code-server with the extension installed, shown in headless Chromium; ready when the workbench is. */
export async function openWorkbench(options: OpenWorkbenchOptions = {}): Promise<Workbench> {
  const vsix = options.vsix === undefined ? defaultVsix : (options.vsix ?? undefined);
  const server = await startCodeServer({
    vsix,
    env: options.env,
    settings: options.settings,
    workspace: options.workspace,
    launchBrowserEarly: true,
  });
  try {
    const browser = await server.launchBrowser();
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(DEFAULT_TIMEOUT);
    const payload: Array<[string, string]> | undefined = options.extensionDevelopmentPath
      ? [['extensionDevelopmentPath', server.remoteUri(options.extensionDevelopmentPath)]]
      : undefined;
    await page.goto(server.workbenchUrl({ payload }));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    return new Workbench(page, browser, server);
  } catch (e) {
    await server.stop();
    throw e;
  }
}

/** A mocha `afterEach` hook: a screenshot of the workbench when the test failed, as evidence. */
export function screenshotOnFailure(
  workbench: () => Workbench<WorkbenchServer> | undefined,
): (this: Mocha.Context) => Promise<void> {
  return async function (this: Mocha.Context) {
    const wb = workbench();
    if (this.currentTest?.state === 'failed' && wb)
      await wb.screenshot(`FAILED ${this.currentTest.fullTitle()}`).catch(() => undefined);
  };
}

/** The text of the extension's "fal Compute" LogOutputChannel file(s) under a code-server user-data dir. */
export function extensionLogText(userDataDir: string): string {
  return findFiles(join(userDataDir, 'logs'), (p) => p.endsWith('/fal Compute.log'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
}
