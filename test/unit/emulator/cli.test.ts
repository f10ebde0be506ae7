import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { DEFAULT_EMULATOR_KEY } from '../../emulator';
import { call } from './helpers';

const CLI = resolve(__dirname, '../../emulator/cli.js');

/** Starts the CLI and resolves with the base URL it prints; stdout is collected in `output`. */
async function startCli(args: string[]): Promise<{ child: ChildProcess; baseUrl: string; output: () => string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  const baseUrl = await new Promise<string>((resolveUrl, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk;
      const match = /listening on (http:\/\/\S+\/v1)/.exec(stdout);
      if (match) resolveUrl(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`cli exited ${code} before listening: ${stderr}`)));
  });
  return { child, baseUrl, output: () => stdout };
}

/** Polls until `condition` holds (the CLI's log reaches the pipe a moment after the reply). */
async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the CLI output');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = await exited;
  return code as number | null;
}

describe('emulator: CLI', () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child) await stop(child);
    child = undefined;
  });

  it('serves the demo seed with the default key and exits 0 on SIGTERM', async () => {
    const cli = await startCli(['--port', '0', '--seed', 'demo', '--quiet']);
    child = cli.child;
    assert.match(cli.output(), /emulator-key-id/);
    const listed = await call(cli.baseUrl, 'GET', '/compute/instances', { key: DEFAULT_EMULATOR_KEY });
    assert.equal(listed.status, 200);
    const byType = listed.json.instances.map(
      (i: { instance_type: string; status: string }) => `${i.instance_type}:${i.status}`,
    );
    assert.deepEqual(byType, ['gpu_8x_h100_sxm5:ready', 'gpu_1x_h100_sxm5:ready', 'gpu_1x_h100_sxm5:provisioning']);
    assert.equal(await stop(cli.child), 0);
  });

  it('logs one line per request with its key id at most, never the secret', async () => {
    const cli = await startCli(['--port', '0', '--key', 'cli-id:cli-topsecret', '--provisioning-ms', '0']);
    child = cli.child;
    await call(cli.baseUrl, 'GET', '/compute/instances?limit=3', { key: 'cli-id:cli-topsecret' });
    await call(cli.baseUrl, 'GET', '/compute/instances', { key: null });
    await waitFor(() => / 401 /.test(cli.output()));
    assert.match(cli.output(), /cli-id/);
    assert.match(cli.output(), /^GET \/v1\/compute\/instances\?limit=3 200 \d+ms$/m);
    assert.match(cli.output(), /^GET \/v1\/compute\/instances 401 \d+ms$/m);
    assert.doesNotMatch(cli.output(), /topsecret/);
  });

  it('refuses bad flags with exit code 2 and prints usage with --help', async () => {
    const bad = spawn(process.execPath, [CLI, '--port', 'abc'], { stdio: 'ignore' });
    const help = spawn(process.execPath, [CLI, '--help'], { stdio: 'ignore' });
    const [[badCode], [helpCode]] = await Promise.all([once(bad, 'exit'), once(help, 'exit')]);
    assert.deepEqual([badCode, helpCode], [2, 0]);
  });
});
