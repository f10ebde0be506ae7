// Starts a throwaway code-server (VS Code 1.100.3 as a web server) plus a headless Chromium that
// shows its workbench. Used by the extension-host layer (test/integration/shim.ts) and by the UI
// layer (test/e2e/workbench.ts). See /work/shared/vscode-e2e-notes.md for the measured recipe.
//
// Every run gets its own temp folder (`$TMPDIR/fal-vscode-XXXXXX/`) holding the user-data-dir,
// the extensions-dir, the workspace, Chromium's profile and, by default, the HOME, TMPDIR and
// XDG_* folders of code-server (so of the extension host: whatever the extension writes to
// `~/.ssh/...` lands in `<run>/home/.ssh/...`, never in the real $HOME). `stop()` kills the whole
// process group and deletes the folder; so does process exit, SIGINT, SIGTERM or SIGHUP, and a
// watchdog process takes code-server down even when this process is SIGKILLed.
// FAL_E2E_KEEP=1 keeps the run folders (logs, settings) and prints where they are.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { freePort } from '../support/freePort';
import { sleep } from '../support/polling';

/** The repository root (this file runs from out/test/e2e/). */
export const repoRoot = resolve(__dirname, '../../..');
export const chromiumPath = process.env.FAL_CHROMIUM ?? '/usr/bin/chromium';
/** Flags measured to work for Debian's chromium under playwright-core (notes §6). */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Settings every test workbench starts with (tests add their own on top). */
export const baseSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
};

export interface CodeServerOptions {
  /** Folder the workbench opens. Default: an empty `<run>/workspace`. */
  workspace?: string;
  /**
   * A .vsix to have installed before serving: installed once per test process with
   * `--install-extension` into a template, then copied into this run's own extensions-dir.
   */
  vsix?: string;
  /** Start Chromium (launchBrowser()) while code-server starts, instead of after it answers. */
  launchBrowserEarly?: boolean;
  /** Extra environment for code-server, hence for the extension host (the URL payload can't carry env). */
  env?: Record<string, string | undefined>;
  /** User settings merged over `baseSettings`, written to `<user-data-dir>/User/settings.json`. */
  settings?: Record<string, unknown>;
  /** Use these instead of fresh `<run>/user-data` and `<run>/extensions` (the runTests shim does). */
  userDataDir?: string;
  extensionsDir?: string;
  /** HOME for code-server: a fresh `<run>/home` (default) or, with false, the real one. */
  isolateHome?: boolean;
  /** How long to wait for /healthz (ms). */
  startTimeoutMs?: number;
}

export interface RunDirs {
  root: string;
  userData: string;
  extensions: string;
  workspace: string;
  home: string;
  tmp: string;
  chromiumProfile: string;
  log: string;
}

export interface CodeServer {
  readonly port: number;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly dirs: RunDirs;
  /** The environment code-server runs with (and passes on to the extension host). */
  readonly env: NodeJS.ProcessEnv;
  /** `vscode-remote://127.0.0.1:PORT/ABS/PATH`: how the browser workbench names a server path. */
  remoteUri(absPath: string): string;
  /** The workbench URL for `folder`, with an optional payload (extensionDevelopmentPath, extensionTestsPath). */
  workbenchUrl(options?: { folder?: string; payload?: Array<[string, string]> }): string;
  /** The last lines code-server printed. */
  logTail(lines?: number): string;
  /** Headless Chromium on a fresh profile in the run folder, closed by stop(). */
  launchBrowser(): Promise<BrowserContext>;
  /** Closes the browser, kills the process group, removes the run folder. Safe to call twice. */
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Cleanup of everything still running, whatever way this process ends.

interface Live {
  /** Synchronous last resort (process 'exit'): SIGKILL the group, delete the folder. */
  killSync(): void;
  stop(): Promise<void>;
}
const live = new Set<Live>();
let handlersInstalled = false;
/** Set by SIGINT/SIGTERM/SIGHUP: no new instance starts while the others are being stopped. */
let shuttingDown = false;

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const l of live) l.killSync();
    for (const dir of templateDirs) rmSync(dir, { recursive: true, force: true });
  });
  const onSignal = async (signal: NodeJS.Signals, code: number) => {
    shuttingDown = true;
    process.stderr.write(`\ncodeServer: ${signal}: stopping ${live.size} code-server instance(s)\n`);
    setTimeout(() => process.exit(code), 10_000).unref(); // the 'exit' handler then SIGKILLs what is left
    // Instances that were starting when the signal came are in `live` too; stop until none is left.
    while (live.size) await Promise.allSettled([...live].map((l) => l.stop()));
    process.exit(code);
  };
  process.once('SIGINT', () => void onSignal('SIGINT', 130));
  process.once('SIGTERM', () => void onSignal('SIGTERM', 143));
  process.once('SIGHUP', () => void onSignal('SIGHUP', 129));
}

/**
 * SIGKILLs the Chromium that runs on `profileDir` (and its process group), synchronously: for the
 * paths where browser.close() cannot be awaited or did not finish. Playwright starts Chromium as
 * the leader of its own process group, with `--user-data-dir=<profileDir>` on its command line.
 */
function killChromiumSync(profileDir: string): void {
  if (process.platform !== 'linux') return;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(`--user-data-dir=${profileDir}`)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      process.kill(pgid === Number(pid) ? -pgid : Number(pid), 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

// ---------------------------------------------------------------------------------------------

let cachedEntry: string | undefined;
/** code-server's entry.js, installing it first if needed (test/e2e/setup.mjs is the one place that knows how). */
export function codeServerEntry(): string {
  if (cachedEntry) return cachedEntry;
  if (process.env.FAL_CODE_SERVER_ENTRY) return (cachedEntry = process.env.FAL_CODE_SERVER_ENTRY);
  const setup = join(repoRoot, 'test/e2e/setup.mjs');
  const out = execFileSync(process.execPath, [setup, '--print-entry'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const entry = out.trim().split('\n').pop() ?? '';
  if (!existsSync(entry)) throw new Error(`test/e2e/setup.mjs printed "${entry}", which does not exist`);
  return (cachedEntry = entry);
}

export { freePort };

/** Environment of code-server: ours, less what would confuse it, with HOME/TMPDIR/XDG_* in the run folder. */
function serverEnv(
  dirs: RunDirs,
  isolateHome: boolean,
  extra: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // VSCODE_* (e.g. VSCODE_IPC_HOOK_CLI from a VS Code terminal) would make code-server act as a CLI client.
    if (/^(npm_|VSCODE_|ELECTRON_)/i.test(k)) continue;
    env[k] = v;
  }
  Object.assign(env, {
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: join(dirs.root, 'xdg-config'),
    XDG_DATA_HOME: join(dirs.root, 'xdg-data'),
    XDG_CACHE_HOME: join(dirs.root, 'xdg-cache'),
    XDG_RUNTIME_DIR: join(dirs.root, 'xdg-runtime'),
  });
  if (isolateHome) env.HOME = dirs.home;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/**
 * Runs as a tiny node process that leads code-server's process group: it starts code-server, and
 * when its stdin closes (stop(), or this test process dying in any way, SIGKILL included) it
 * SIGTERMs the group, SIGKILLs what is left after 3 s, kills the Chromium of the run (found by
 * its --user-data-dir) and deletes the run folder, then exits.
 */
const WATCHDOG = `
const { spawn } = require('child_process');
const { readdirSync, readFileSync, rmSync } = require('fs');
const me = process.pid;
const runDir = process.env.FAL_WATCHDOG_RUN_DIR;
const profileArg = '--user-data-dir=' + process.env.FAL_WATCHDOG_CHROMIUM_PROFILE;
delete process.env.FAL_WATCHDOG_RUN_DIR;
delete process.env.FAL_WATCHDOG_CHROMIUM_PROFILE;
const child = spawn(process.execPath, process.argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit'] });
const procs = () => readdirSync('/proc').filter((d) => /^[0-9]+$/.test(d) && +d !== me).map((d) => {
  try { const s = readFileSync('/proc/' + d + '/stat', 'utf8'); const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
        return { pid: +d, state: f[0], pgid: +f[2], cmd: readFileSync('/proc/' + d + '/cmdline', 'utf8').split('\\0') }; }
  catch { return undefined; }
}).filter((p) => p && p.state !== 'Z');
const members = () => procs().filter((p) => p.pgid === me);
const chromium = () => procs().filter((p) => p.cmd.includes(profileArg));
const kill = (pid, sig) => { try { process.kill(pid, sig); } catch {} };
let stopping = false;
function stop() {
  if (stopping) return; stopping = true;
  kill(-me, 'SIGTERM');
  const t0 = Date.now();
  const poll = setInterval(() => {
    for (const p of chromium()) kill(p.pid, 'SIGKILL');
    const left = [...members(), ...chromium()];
    if (left.length === 0) {
      if (runDir) { try { rmSync(runDir, { recursive: true, force: true, maxRetries: 3 }); } catch {} }
      process.exit(0);
    }
    if (Date.now() - t0 > 3000) for (const p of left) kill(p.pid, 'SIGKILL');
  }, 50);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('SIGHUP', stop);
process.stdin.on('data', () => {});
process.stdin.on('end', stop);
process.stdin.on('error', stop);
child.on('exit', (code, signal) => { if (!stopping) { console.error('code-server exited: ' + (code ?? signal)); stop(); } });
`;

const OWNER_FILE = '.owner-pid';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes the run folders (`$TMPDIR/fal-vscode-*`) left by test processes that were killed
 * before they could clean up (SIGKILL during start-up). Only folders whose owner pid is dead.
 */
export function sweepStaleRunDirs(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir()).filter((n) => n.startsWith('fal-vscode-'));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(tmpdir(), name);
    try {
      const owner = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
      if (owner > 0 && !pidAlive(owner)) rmSync(dir, { recursive: true, force: true });
    } catch {
      // no owner file (kept with FAL_E2E_KEEP=1, or not ours): leave it
    }
  }
}

/** A fresh `$TMPDIR/fal-vscode-<label>XXXXXX/` owned by this process (see sweepStaleRunDirs). */
export function makeRunDir(label = ''): string {
  sweepStaleRunDirs();
  const root = mkdtempSync(join(tmpdir(), `fal-vscode-${label}`));
  if (process.env.FAL_E2E_KEEP !== '1') writeFileSync(join(root, OWNER_FILE), String(process.pid));
  return root;
}

/** The folders of the run in `root` (as startCodeServer lays them out; a UI test can find those of a code-server another process started). */
export function runDirsOf(
  root: string,
  options: Pick<CodeServerOptions, 'userDataDir' | 'extensionsDir' | 'workspace'> = {},
): RunDirs {
  return {
    root,
    userData: options.userDataDir ?? join(root, 'user-data'),
    extensions: options.extensionsDir ?? join(root, 'extensions'),
    workspace: options.workspace ?? join(root, 'workspace'),
    home: join(root, 'home'),
    tmp: join(root, 'tmp'),
    chromiumProfile: join(root, 'chromium-profile'),
    log: join(root, 'code-server.log'),
  };
}

function makeDirs(options: CodeServerOptions): RunDirs {
  const dirs = runDirsOf(makeRunDir(), options);
  const { root } = dirs;
  for (const d of [
    dirs.userData,
    dirs.extensions,
    dirs.workspace,
    dirs.home,
    dirs.tmp,
    dirs.chromiumProfile,
    join(root, 'xdg-config'),
    join(root, 'xdg-data'),
    join(root, 'xdg-cache'),
    join(root, 'xdg-runtime'),
  ]) {
    mkdirSync(d, { recursive: true, mode: 0o700 });
  }
  return dirs;
}

function writeSettings(userDataDir: string, settings: Record<string, unknown>): void {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

async function waitHealthy(origin: string, proc: ChildProcess, timeoutMs: number, tail: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`code-server exited (${proc.exitCode ?? proc.signalCode}) before it was ready:\n${tail()}`);
    }
    try {
      const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`code-server did not answer ${origin}/healthz within ${timeoutMs} ms:\n${tail()}`);
}

/** The installed template of each .vsix (by path, size and mtime): installed once per test process. */
const templates = new Map<string, string>();
/** Their folders, removed when this process exits. */
const templateDirs = new Set<string>();

/**
 * The extensions-dir in which `vsix` is installed, shared read-only by the runs of this process: a
 * run copies it into its own extensions-dir (a copy takes milliseconds; `--install-extension` starts
 * a whole code-server CLI, ~1.5 s per run on this 2-core machine). The template's folder is owned by
 * this process like a run folder, so it goes at exit or, after a SIGKILL, with the next sweep.
 */
function installedTemplate(entry: string, vsix: string): string {
  const stat = statSync(vsix);
  const key = `${resolve(vsix)}|${stat.size}|${stat.mtimeMs}`;
  const known = templates.get(key);
  if (known && existsSync(known)) return known;
  const root = makeRunDir('ext-');
  const extensions = join(root, 'extensions');
  const scratch = join(root, 'scratch');
  mkdirSync(extensions, { recursive: true });
  mkdirSync(scratch, { recursive: true });
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|VSCODE_|ELECTRON_)/i.test(k)) env[k] = v;
  Object.assign(env, {
    HOME: scratch,
    TMPDIR: scratch,
    XDG_CONFIG_HOME: join(scratch, 'xdg-config'),
    XDG_DATA_HOME: join(scratch, 'xdg-data'),
    XDG_CACHE_HOME: join(scratch, 'xdg-cache'),
  });
  const r = spawnSync(
    process.execPath,
    [entry, '--user-data-dir', join(scratch, 'user-data'), '--extensions-dir', extensions, '--install-extension', vsix],
    { env, encoding: 'utf8', timeout: 60_000 },
  );
  if (r.status !== 0) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(
      `code-server --install-extension ${vsix} failed (${r.status ?? r.error?.message}):\n${r.stdout}${r.stderr}`,
    );
  }
  rmSync(scratch, { recursive: true, force: true });
  if (process.env.FAL_E2E_KEEP !== '1') templateDirs.add(root);
  templates.set(key, extensions);
  return extensions;
}
/** Copies the installed template into a run's own extensions-dir, its manifest pointing at the copy. */
function copyInstalled(template: string, extensionsDir: string): void {
  cpSync(template, extensionsDir, { recursive: true });
  const manifest = join(extensionsDir, 'extensions.json');
  if (existsSync(manifest)) writeFileSync(manifest, readFileSync(manifest, 'utf8').split(template).join(extensionsDir));
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  installExitHandlers();
  if (shuttingDown) throw new Error('not starting code-server: this process is being interrupted');
  const entry = codeServerEntry();
  const dirs = makeDirs(options);
  const keep = process.env.FAL_E2E_KEEP === '1';
  const env = serverEnv(dirs, options.isolateHome ?? true, options.env);
  writeSettings(dirs.userData, { ...baseSettings, ...options.settings });

  let proc: ChildProcess | undefined;
  let browser: BrowserContext | undefined;
  let launching: Promise<BrowserContext> | undefined;
  let stopped = false;
  const removeDirs = () => {
    if (keep) process.stderr.write(`codeServer: kept ${dirs.root} (FAL_E2E_KEEP=1)\n`);
    else rmSync(dirs.root, { recursive: true, force: true, maxRetries: 3 });
  };
  const killGroup = (signal: NodeJS.Signals) => {
    if (!proc?.pid) return;
    try {
      process.kill(-proc.pid, signal);
    } catch {
      // already gone
    }
  };
  const handle: Live = {
    killSync() {
      killGroup('SIGKILL');
      killChromiumSync(dirs.chromiumProfile);
      if (!stopped || existsSync(dirs.root)) removeDirs();
      stopped = true;
    },
    // Every caller gets the one stop in progress: returning early while it runs would let the
    // signal handler's `while (live.size)` loop spin on resolved promises and starve the event loop.
    stop() {
      stopping ??= stopOnce();
      return stopping;
    },
  };
  let stopping: Promise<void> | undefined;
  const stopOnce = async (): Promise<void> => {
    stopped = true;
    if (launching) {
      // A launch under way is let finish (it closes itself, seeing `stopped`), for 30 s at most: the kill below ends the rest.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([launching.catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, 30_000)))]);
      clearTimeout(timer);
    }
    if (browser) await browser.close().catch(() => undefined);
    if (proc?.pid && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((r) => proc!.once('exit', () => r()));
      proc.stdin?.end(); // the watchdog stops the group
      killGroup('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
    }
    killGroup('SIGKILL'); // whatever is left of the group
    killChromiumSync(dirs.chromiumProfile); // in case browser.close() failed or the launch was under way
    removeDirs();
    live.delete(handle);
  };
  live.add(handle);

  const tail = (lines = 60) => {
    try {
      return readFileSync(dirs.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no code-server log)';
    }
  };

  /** Headless Chromium on the run's own profile: one per run, started at most once. */
  const launch = (): Promise<BrowserContext> => {
    if (stopped) return Promise.reject(new Error('code-server was stopped'));
    launching ??= (async () => {
      const context = await chromium.launchPersistentContext(dirs.chromiumProfile, {
        executablePath: chromiumPath,
        headless: true,
        args: chromiumArgs,
        viewport: { width: 1440, height: 900 },
        artifactsDir: join(dirs.root, 'playwright-artifacts'), // not $TMPDIR/playwright-artifacts-*: goes with the run folder
        // Chromium writes ~/.pki, ~/.cache/chromium, ... : keep them in the run folder too.
        env: { ...env, HOME: dirs.home },
      });
      browser = context;
      if (stopped) {
        // stop() ran while Chromium was starting
        await context.close().catch(() => undefined);
        killChromiumSync(dirs.chromiumProfile);
        throw new Error('code-server was stopped');
      }
      return context;
    })();
    return launching;
  };

  try {
    if (options.vsix) {
      if (!existsSync(options.vsix)) throw new Error(`no such .vsix: ${options.vsix} (run \`npm run package\`)`);
      copyInstalled(installedTemplate(entry, options.vsix), dirs.extensions);
    }
    if (options.launchBrowserEarly) void launch().catch(() => undefined);

    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const args = [
      entry,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--user-data-dir',
      dirs.userData,
      '--extensions-dir',
      dirs.extensions,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--ignore-last-opened',
      dirs.workspace,
    ];
    const logFd = openSync(dirs.log, 'a');
    try {
      const watchdogEnv = {
        ...env,
        FAL_WATCHDOG_CHROMIUM_PROFILE: dirs.chromiumProfile,
        FAL_WATCHDOG_RUN_DIR: keep ? '' : dirs.root,
      };
      proc = spawn(process.execPath, ['-e', WATCHDOG, ...args], {
        env: watchdogEnv,
        cwd: dirs.workspace,
        detached: true,
        stdio: ['pipe', logFd, logFd],
      });
    } finally {
      closeSync(logFd);
    }
    proc.on('error', () => undefined);
    proc.stdin?.on('error', () => undefined);
    proc.unref(); // never keeps this process alive on its own
    (proc.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    await waitHealthy(origin, proc, options.startTimeoutMs ?? 30_000, tail);

    return {
      port,
      origin,
      dirs,
      env,
      remoteUri: (absPath) => `vscode-remote://127.0.0.1:${port}${resolve(absPath)}`,
      workbenchUrl: ({ folder = dirs.workspace, payload } = {}) => {
        const q = new URLSearchParams({ folder });
        if (payload) q.set('payload', JSON.stringify(payload));
        return `${origin}/?${q.toString()}`;
      },
      logTail: tail,
      launchBrowser: launch,
      stop: () => handle.stop(),
    };
  } catch (e) {
    await handle.stop();
    throw e;
  }
}
