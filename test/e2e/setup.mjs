#!/usr/bin/env node
// Prepares the machine for the tests that run in a real VS Code (test/integration, test/e2e):
//   1. system packages: Debian's chromium (the browser that drives the workbench), libkrb5-dev
//      (gssapi.h, needed to build code-server's kerberos module) and openssh-server (SSH tests);
//   2. code-server 4.100.3 (VS Code 1.100.3 as a server), installed once into a cache folder
//      outside the checkout: ${XDG_CACHE_HOME:-~/.cache}/fal-compute-vscode/code-server-4.100.3/
//
// Idempotent: a second run only checks a marker file (well under a second).
//   node test/e2e/setup.mjs               set up, then print the path of code-server's entry.js
//   node test/e2e/setup.mjs --print-entry set up quietly (progress on stderr), print only the path
// Progress goes to stderr, the entry.js path to stdout. Other scripts can import
// { ensureCodeServer, codeServerDir, codeServerEntry, CODE_SERVER_VERSION } from this file.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statfsSync,
  symlinkSync,
  writeFileSync,
  chmodSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const RIPGREP_PACKAGE = '@vscode/ripgrep-linux-x64@1.18.0';
/** Debian packages the real-VS-Code tests need, each with a file that shows it is installed. */
const SYSTEM_PACKAGES = [
  { pkg: 'chromium', files: ['/usr/bin/chromium'] },
  { pkg: 'libkrb5-dev', files: ['/usr/include/gssapi.h', '/usr/include/gssapi/gssapi.h'] },
  { pkg: 'openssh-server', files: ['/usr/sbin/sshd'] },
  { pkg: 'rsync', files: ['/usr/bin/rsync'] }, // the sync bench's yardstick (test/bench/sync.ts)
];
const MARKER = '.fal-install-complete';
const MIN_FREE_BYTES = 1.5 * 1024 ** 3; // the install takes ~310 MB plus npm's cache and build files

const cacheRoot = () => join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'fal-compute-vscode');
/** Where code-server of this version lives once installed. */
export const codeServerDir = () => join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
/** code-server's node entry point: run it with `node <entry.js> [args]`. */
export const codeServerEntry = (dir = codeServerDir()) => join(dir, 'node_modules/code-server/out/node/entry.js');

const say = (msg) => process.stderr.write(`setup: ${msg}\n`);
const seconds = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

class SetupError extends Error {}

/** Environment for the npm/node children: no npm_* variables leaking in from an outer `npm test`. */
function childEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  const extra = {
    npm_config_yes: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  // Native modules are built against this node's own headers (there is no download of them here).
  const nodeDir = dirname(dirname(process.execPath));
  if (!env.npm_config_nodedir && existsSync(join(nodeDir, 'include/node/node_api.h')))
    extra.npm_config_nodedir = nodeDir;
  return { ...env, ...extra };
}

/** Runs one install step; its output is shown only when it fails (or always with FAL_SETUP_VERBOSE=1). */
function step(label, cmd, args, cwd, env = childEnv()) {
  const t0 = Date.now();
  const verbose = process.env.FAL_SETUP_VERBOSE === '1';
  const r = spawnSync(cmd, args, {
    cwd,
    env,
    encoding: 'utf8',
    stdio: ['ignore', verbose ? 'inherit' : 'pipe', verbose ? 'inherit' : 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error || r.status !== 0) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    const why = r.error ? r.error.message : `exit code ${r.status}${r.signal ? ` (signal ${r.signal})` : ''}`;
    throw new SetupError(`step "${label}" failed: \`${cmd} ${args.join(' ')}\` in ${cwd}: ${why}\n${out}`);
  }
  say(`  ${label} (${seconds(t0)})`);
  return r.stdout ?? '';
}

function hasAny(files) {
  return files.some((f) => existsSync(f));
}

/** (a) chromium, libkrb5-dev, openssh-server: installed with apt-get when missing (root only). */
export function ensureSystemPackages() {
  const missing = SYSTEM_PACKAGES.filter((p) => !hasAny(p.files));
  if (missing.length === 0) return;
  const names = SYSTEM_PACKAGES.map((p) => p.pkg); // install all of them together, as one apt call
  if (process.platform !== 'linux' || typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new SetupError(
      `missing system packages: ${missing.map((p) => p.pkg).join(', ')} (looked for ${missing.map((p) => p.files[0]).join(', ')}).\n` +
        `Install them as root, then run the tests again:\n  apt-get update && apt-get install -y --no-install-recommends ${names.join(' ')}`,
    );
  }
  const t0 = Date.now();
  say(`installing system packages ${names.join(' ')} with apt-get (missing: ${missing.map((p) => p.pkg).join(', ')})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  step('apt-get update', 'apt-get', ['update'], '/', env);
  step(
    `apt-get install ${names.join(' ')}`,
    'apt-get',
    ['install', '-y', '--no-install-recommends', ...names],
    '/',
    env,
  );
  const still = SYSTEM_PACKAGES.filter((p) => !hasAny(p.files));
  if (still.length)
    throw new SetupError(`apt-get ran, but these are still missing: ${still.map((p) => p.files[0]).join(', ')}`);
  say(`system packages installed (${seconds(t0)})`);
}

function isComplete(dir) {
  const marker = join(dir, MARKER);
  return (
    existsSync(marker) &&
    existsSync(codeServerEntry(dir)) &&
    readFileSync(marker, 'utf8').startsWith(CODE_SERVER_VERSION)
  );
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Leftovers of interrupted installs (`code-server-<v>.tmp-<pid>` whose pid is gone) are removed. */
function removeStaleTempDirs(root) {
  if (!existsSync(root)) return;
  for (const name of readdirSync(root)) {
    const m = /^code-server-.+\.(?:tmp|old)-(\d+)$/.exec(name);
    if (m && !pidAlive(Number(m[1]))) {
      say(`removing the leftover of an interrupted install: ${join(root, name)}`);
      rmSync(join(root, name), { recursive: true, force: true });
    }
  }
}

/** (b) code-server, installed into a temp sibling and renamed into place only when complete. */
export function ensureCodeServer() {
  const dir = codeServerDir();
  if (isComplete(dir)) return codeServerEntry(dir);

  const root = cacheRoot();
  mkdirSync(root, { recursive: true });
  removeStaleTempDirs(root);
  const free = statfsSync(root);
  const freeBytes = free.bavail * free.bsize;
  if (freeBytes < MIN_FREE_BYTES) {
    throw new SetupError(
      `not enough disk space in ${root}: ${(freeBytes / 1024 ** 3).toFixed(2)} GiB free, code-server needs about ${(MIN_FREE_BYTES / 1024 ** 3).toFixed(1)} GiB to install`,
    );
  }

  const t0 = Date.now();
  const tmp = `${dir}.tmp-${process.pid}`;
  say(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (one time, ~1 min)`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const cleanupTmp = () => rmSync(tmp, { recursive: true, force: true });
  const onSignal = (sig) => {
    cleanupTmp();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    writeFileSync(
      join(tmp, 'package.json'),
      JSON.stringify({ name: 'fal-compute-code-server-cache', private: true }, null, 2),
    );
    const npm = 'npm';
    step(
      `1/7 npm install code-server@${CODE_SERVER_VERSION} ${RIPGREP_PACKAGE}`,
      npm,
      ['install', '--ignore-scripts', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`, RIPGREP_PACKAGE],
      tmp,
    );
    step('2/7 npm rebuild argon2', npm, ['rebuild', 'argon2'], tmp);
    const vscodeDir = join(tmp, 'node_modules/code-server/lib/vscode');
    step(
      '3/7 npm install --omit=dev (lib/vscode)',
      npm,
      ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'],
      vscodeDir,
    );
    const rgFrom = join(tmp, 'node_modules/@vscode/ripgrep-linux-x64/bin/rg');
    const rgTo = join(vscodeDir, 'node_modules/@vscode/ripgrep/bin/rg');
    if (!existsSync(rgFrom)) throw new SetupError(`step "4/7 copy rg" failed: ${rgFrom} is missing`);
    mkdirSync(dirname(rgTo), { recursive: true });
    copyFileSync(rgFrom, rgTo);
    chmodSync(rgTo, 0o755);
    say('  4/7 copied ripgrep');
    step('5/7 npm rebuild (native modules of lib/vscode)', npm, ['rebuild'], vscodeDir);
    const link = (target, path) => {
      rmSync(path, { force: true, recursive: false });
      symlinkSync(target, path);
    };
    link('node_modules', join(vscodeDir, 'node_modules.asar'));
    link('code-linux.sh', join(vscodeDir, 'bin/remote-cli/code-server'));
    link('browser-linux.sh', join(vscodeDir, 'bin/helpers/browser.sh'));
    say('  6/7 symlinks');
    step(
      '7/7 npm install --omit=dev (lib/vscode/extensions)',
      npm,
      ['install', '--omit=dev', '--no-audit', '--no-fund'],
      join(vscodeDir, 'extensions'),
    );
    // code-server writes a default config file on every start: keep it out of $HOME.
    const scratch = join(tmp, '.version-check');
    const checkEnv = {
      ...childEnv(),
      HOME: scratch,
      XDG_CONFIG_HOME: join(scratch, 'config'),
      XDG_DATA_HOME: join(scratch, 'data'),
      XDG_CACHE_HOME: join(scratch, 'cache'),
      TMPDIR: scratch,
    };
    mkdirSync(scratch, { recursive: true });
    const out = step('check: entry.js --version', process.execPath, [codeServerEntry(tmp), '--version'], tmp, checkEnv);
    rmSync(scratch, { recursive: true, force: true });
    const version = out
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.startsWith(`${CODE_SERVER_VERSION} `));
    if (!version) {
      throw new SetupError(
        `step "check: entry.js --version" failed: expected a line starting with ${CODE_SERVER_VERSION}, got:\n${out}`,
      );
    }
    writeFileSync(join(tmp, MARKER), `${version}\n`);
    // Rename into place (a broken half install, without the marker, is moved aside first).
    if (isComplete(dir)) {
      // another run finished the same install meanwhile: keep that one, it may be in use
      cleanupTmp();
      say(`code-server ${CODE_SERVER_VERSION} was installed by another run meanwhile (${seconds(t0)})`);
      return codeServerEntry(dir);
    }
    if (existsSync(dir)) {
      const old = `${dir}.old-${process.pid}`;
      renameSync(dir, old);
      rmSync(old, { recursive: true, force: true });
    }
    renameSync(tmp, dir);
  } catch (e) {
    cleanupTmp();
    if (e?.code === 'ENOSPC') throw new SetupError(`no disk space left while installing code-server into ${tmp}`);
    if (e instanceof SetupError && /ENOSPC|no space left/i.test(e.message)) {
      throw new SetupError(`no disk space left while installing code-server:\n${e.message}`);
    }
    throw e;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  say(`code-server ${CODE_SERVER_VERSION} installed in ${seconds(t0)}`);
  return codeServerEntry(dir);
}

/** Everything the real-VS-Code tests need; returns the path of code-server's entry.js. */
export function setup() {
  ensureSystemPackages();
  return ensureCodeServer();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const quiet = process.argv.includes('--print-entry');
  const t0 = Date.now();
  try {
    const entry = setup();
    if (!quiet) say(`ready in ${seconds(t0)}: code-server ${CODE_SERVER_VERSION}; its entry.js (on stdout):`);
    process.stdout.write(`${entry}\n`);
  } catch (e) {
    say(`FAILED: ${e instanceof SetupError ? e.message : (e?.stack ?? e)}`);
    process.exit(1);
  }
}
