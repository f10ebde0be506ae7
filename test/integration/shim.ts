// A stand-in for the VS Code executable, for @vscode/test-electron's runTests() (started through
// test/integration/code-shim.sh). It takes the arguments runTests passes
//   --extensionDevelopmentPath=… --extensionTestsPath=… --user-data-dir=… --extensions-dir=… [folder]
// starts code-server with those dirs, opens the workbench in headless Chromium with a `payload`
// that names the extension and the test module (notes §5), prints the extension host's console
// (mocha's output) on stdout and exits with the code the workbench reports through
// window.codeAutomationExit. Its environment (FAL_TEST_SUMMARY, ...) is set on code-server, so it
// reaches the extension host. FAL_SHIM_TIMEOUT_MS bounds the whole run (default 5 min);
// FAL_E2E_DEBUG=1 also prints the workbench's own console.
import { resolve } from 'node:path';
import type { ConsoleMessage } from 'playwright-core';
import { startCodeServer, type CodeServer } from '../e2e/codeServer';

interface ShimArgs {
  extensionDevelopmentPaths: string[];
  extensionTestsPath?: string;
  userDataDir?: string;
  extensionsDir?: string;
  folder?: string;
}

export function parseArgs(argv: string[]): ShimArgs {
  const out: ShimArgs = { extensionDevelopmentPaths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    if (!m) {
      out.folder = resolve(arg);
      continue;
    }
    const name = m[1]!;
    const takesValue = ['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir'].includes(
      name,
    );
    const value = m[2] ?? (takesValue ? argv[++i] : undefined);
    if (value === undefined) continue; // flags of the desktop app (--no-sandbox, --skip-welcome, ...): not used here
    if (name === 'extensionDevelopmentPath') out.extensionDevelopmentPaths.push(resolve(value));
    else if (name === 'extensionTestsPath') out.extensionTestsPath = resolve(value);
    else if (name === 'user-data-dir') out.userDataDir = resolve(value);
    else if (name === 'extensions-dir') out.extensionsDir = resolve(value);
  }
  return out;
}

/** Marks the lines mocha prints in the extension host (see index.ts). */
const CONSOLE_MARK = '[[fal-test]]';

/**
 * The remote extension host's console reaches the page as the workbench's own log calls, e.g.
 * `console.log('%c INFO', 'color: #33f', '%s%s', '', 'title')`: mocha's lines carry CONSOLE_MARK.
 */
function mochaLine(msg: ConsoleMessage): string | undefined {
  const text = msg.text();
  const at = text.indexOf(CONSOLE_MARK);
  return at === -1 ? undefined : text.slice(at + CONSOLE_MARK.length);
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args.extensionTestsPath || args.extensionDevelopmentPaths.length === 0) {
    console.error(
      `shim: expected --extensionDevelopmentPath and --extensionTestsPath, got: ${process.argv.slice(2).join(' ')}`,
    );
    return 2;
  }
  const timeoutMs = Number(process.env.FAL_SHIM_TIMEOUT_MS ?? 300_000);
  const debug = process.env.FAL_E2E_DEBUG === '1';
  const t0 = Date.now();
  let server: CodeServer | undefined;
  const workbenchLog: string[] = [];
  let mochaLines = 0;
  let code = 1;
  try {
    code = await runInWorkbench();
  } catch (e) {
    console.error(`shim: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    code = 1;
  }
  if (code !== 0 && !debug && mochaLines === 0) {
    // The tests did not even start: why is usually in the workbench's console or code-server's log.
    console.error(`shim: last workbench console lines:\n  ${workbenchLog.slice(-25).join('\n  ') || '(none)'}`);
    if (server) console.error(`shim: last code-server log lines:\n${server.logTail(25)}`);
  }
  await server?.stop();
  return code;

  async function runInWorkbench(): Promise<number> {
    server = await startCodeServer({
      userDataDir: args.userDataDir,
      extensionsDir: args.extensionsDir,
      workspace: args.folder,
      env: { FAL_TEST_CONSOLE_MARK: CONSOLE_MARK },
    });
    const s = server;
    const browser = await s.launchBrowser();
    const page = browser.pages()[0] ?? (await browser.newPage());
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((r) => (reportExit = r));
    // Must exist before the workbench loads: it calls this when the test module's run() settles.
    await page.exposeFunction('codeAutomationExit', (c: unknown) => reportExit(Number(c) || 0));
    page.on('console', (msg) => {
      const line = mochaLine(msg);
      if (line !== undefined) {
        mochaLines += 1;
        process.stdout.write(`${line}\n`);
      } else {
        workbenchLog.push(`[${msg.type()}] ${msg.text()}`);
        if (debug) process.stderr.write(`[workbench ${msg.type()}] ${msg.text()}\n`);
      }
    });
    page.on('pageerror', (err) => workbenchLog.push(`[pageerror] ${err.stack ?? err.message}`));
    const payload: Array<[string, string]> = [
      ...args.extensionDevelopmentPaths.map((p): [string, string] => ['extensionDevelopmentPath', s.remoteUri(p)]),
      ['extensionTestsPath', s.remoteUri(args.extensionTestsPath!)],
    ];
    console.log(
      `shim: code-server ready on ${s.origin} after ${Date.now() - t0} ms; running ${args.extensionTestsPath}`,
    );
    await page.goto(s.workbenchUrl({ folder: args.folder ?? s.dirs.workspace, payload }));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    const result = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (result === 'timeout') {
      console.error(`shim: the workbench did not report an exit code within ${timeoutMs} ms`);
      mochaLines = 0; // show the diagnostics
      return 1;
    }
    console.log(`shim: workbench reported exit code ${result} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return result;
  }
}

void main().then((code) => process.exit(code));
