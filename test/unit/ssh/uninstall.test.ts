// The vscode:uninstall hook as VS Code runs it: `node <extension>/dist/uninstall.js
// --type=extensionUninstall`, plain node, no vscode API, killed after 5 s — here against a temp
// HOME holding what Connect writes (also into a remote.SSH.configFile of the time).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { upsertHost } from '../../../src/ssh/managedConfig';
import { sshPaths } from '../../../src/ssh/paths';
import { BACKUP_SUFFIX, ensureInclude } from '../../../src/ssh/sshConfigFile';
import { makeTempDir, removeDir } from './helpers';

const SCRIPT = resolve(__dirname, '../../../../dist/uninstall.js');

function runUninstall(home: string): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((done) => {
    execFile(
      process.execPath,
      [SCRIPT, '--type=extensionUninstall'],
      { cwd: resolve(SCRIPT, '../..'), env: { ...process.env, HOME: home, USERPROFILE: home }, timeout: 5000 },
      (error, stdout, stderr) =>
        done({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          stdout,
          stderr,
          ms: performance.now() - started,
        }),
    );
  });
}

describe('the vscode:uninstall script (dist/uninstall.js)', function () {
  this.timeout(20_000);
  let home: string;
  beforeEach(() => (home = makeTempDir('fal-uninstall-')));
  afterEach(() => removeDir(home));

  it('is built, with the manifest pointing at it', () => {
    assert.ok(existsSync(SCRIPT), `${SCRIPT} (node esbuild.mjs builds it)`);
    const manifest = JSON.parse(readFileSync(resolve(SCRIPT, '../../package.json'), 'utf8'));
    assert.equal(manifest.scripts['vscode:uninstall'], 'node ./dist/uninstall.js');
  });

  it("gives back the user configs byte for byte and removes ~/.ssh/fal and the identical backup, well within VS Code's 5 s", async () => {
    const original = Buffer.from('Host *\n  User me\n');
    const custom = Buffer.from('# custom\r\nHost box\r\n');
    const paths = sshPaths(home);
    const customPaths = sshPaths(home, '~/cfg/ssh config');
    mkdirSync(paths.sshDir, { mode: 0o700 });
    mkdirSync(join(home, 'cfg'));
    writeFileSync(paths.userConfig, original);
    writeFileSync(customPaths.userConfig, custom);
    for (const p of [paths, customPaths]) {
      await ensureInclude(p.userConfig, p.managedConfig, home);
      await upsertHost(p.managedConfig, {
        alias: 'fal-inst_u',
        hostName: '192.0.2.3',
        identityFile: join(home, 'k'),
        knownHostsFile: p.knownHosts,
      });
    }
    writeFileSync(paths.knownHosts, 'fal-inst_u ssh-ed25519 AAAA\n');
    assert.ok(existsSync(paths.userConfig + BACKUP_SUFFIX));

    const r = await runUninstall(home);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readFileSync(paths.userConfig), original);
    assert.deepEqual(readFileSync(customPaths.userConfig), custom);
    assert.deepEqual(readdirSync(paths.sshDir), ['config']);
    assert.deepEqual(readdirSync(join(home, 'cfg')), ['ssh config']);
    assert.match(r.stdout, /fal Compute uninstall: removed the fal-compute lines in .*cfg\/ssh config/);
    assert.ok(r.ms < 5000, `${r.ms.toFixed(0)} ms`);
  });

  it('with nothing of ours there: exits 0 and creates nothing', async () => {
    const r = await runUninstall(home);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(home), []);
  });
});
