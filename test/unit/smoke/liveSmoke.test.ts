// `npm run smoke:live` (test/smoke/live.ts) proven against the emulator and a real loopback sshd:
// the emulator gives the created instance the sshd's address (its `ip` option) and installs the
// create's public key in the sshd's authorized_keys (`authorizedKeysFile`); the sshd answers
// nvidia-smi with the stub that replays real outputs. The script runs as a child process with
// --yes, exactly as a maintainer runs it; the tests wait on its output lines, never on sleeps.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PAGE_SIZE as EXTENSION_PAGE_SIZE } from '../../../src/auth/falClient';
import { FalEmulator, type EmulatorOptions, type RequestRecord } from '../../emulator';
import { PAGE_SIZE } from '../../smoke/waitReady';
import { fixture } from '../gpu/fixtures';
import { gpuSshdOrSkip, type GpuSshd } from '../gpu/gpuSshd';

const LIVE = resolve(__dirname, '../../smoke/live.js');
// Every 4-character run of the secret holds a character that no id, UUID, base64 key or number
// printed by a run can hold, so a match in the output can only be a leak, never a coincidence.
const SECRET = 'k3~Q9!x_Z7%p^L2*w8&';
const KEY = `smoke-key-id:${SECRET}`;

interface Run {
  readonly child: ChildProcess;
  /** stdout and stderr so far, interleaved as received. */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the output once it matches `re`; rejects if the script exits first. */
  line(re: RegExp, timeoutMs?: number): Promise<string>;
  /** The exit code (a signal's death fails). */
  exit(timeoutMs?: number): Promise<number>;
}

/**
 * The script's own temp folder (its TMPDIR): the test's, so "its temporary files are gone" is read
 * where only this run writes, whatever else runs on the machine (another test run shares /tmp).
 */
let scriptTmp: string | undefined;

function startSmoke(args: string[], env: Record<string, string | undefined> = { FAL_KEY: KEY }): Run {
  const child = spawn(process.execPath, ['--enable-source-maps', LIVE, ...args], {
    env: { ...process.env, FAL_KEY: undefined, TMPDIR: scriptTmp, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let all = '';
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const onData = (into: 'out' | 'err') => (chunk: Buffer) => {
    all += chunk.toString('utf8');
    if (into === 'out') out += chunk.toString('utf8');
    else err += chunk.toString('utf8');
    for (const w of [...waiters]) w();
  };
  child.stdout!.on('data', onData('out'));
  child.stderr!.on('data', onData('err'));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return {
    child,
    output: () => all,
    stdout: () => out,
    stderr: () => err,
    line: (re, timeoutMs = 30_000) =>
      new Promise<string>((found, failed) => {
        const timer = setTimeout(
          () => stopWith(new Error(`no line matching ${re} within ${timeoutMs} ms:\n${all}`)),
          timeoutMs,
        );
        const check = () => {
          const m = re.exec(all);
          if (m) stopWith(undefined, m[0]);
        };
        const stopWith = (error: Error | undefined, value = '') => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) failed(error);
          else found(value);
        };
        waiters.add(check);
        void exited.then(() =>
          stopWith(
            re.test(all) ? undefined : new Error(`exited before a line matching ${re}:\n${all}`),
            re.exec(all)?.[0],
          ),
        );
        check();
      }),
    exit: async (timeoutMs = 60_000) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, failed) => {
        timer = setTimeout(() => failed(new Error(`still running after ${timeoutMs} ms:\n${all}`)), timeoutMs);
      });
      try {
        const { code, signal } = await Promise.race([exited, late]);
        assert.equal(signal, null, `the script was killed by ${signal}:\n${all}`);
        return code!;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

describe('npm run smoke:live against the emulator and a real sshd', function () {
  this.timeout(90_000);
  let s: GpuSshd;
  let emulator: FalEmulator | undefined;
  let run: Run | undefined;
  let dir: string;
  const report = () => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  const smokeDirs = () => readdirSync(scriptTmp!).filter((name) => name.startsWith('fal-smoke-'));
  const sent = (method: string, route: RegExp): RequestRecord[] =>
    emulator!.requests.filter((r) => r.method === method && route.test(r.path));

  before(async function () {
    s = await gpuSshdOrSkip(this);
  });
  after(async () => s?.dispose());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fal-smoke-test-'));
    scriptTmp = join(dir, 'tmp');
    mkdirSync(scriptTmp);
    s.stub.set('h100x1-idle');
  });
  afterEach(async () => {
    if (run && run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    run = undefined;
    await emulator?.close();
    emulator = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function emulate(options: EmulatorOptions = {}): Promise<FalEmulator> {
    emulator = await FalEmulator.start({
      keys: [{ key: KEY }],
      ip: '127.0.0.1',
      authorizedKeysFile: s.sshd.authorizedKeys,
      timeline: { provisioningMs: 1_500 },
      ...options,
    });
    return emulator;
  }

  const args = (...more: string[]) => [
    '--yes',
    '--base-url',
    emulator!.baseUrl,
    '--ssh-port',
    String(s.sshd.port),
    '--ssh-user',
    s.user,
    '--report',
    join(dir, 'report.json'),
    ...more,
  ];

  it('happy path: one create with an Idempotency-Key, ready, nvidia-smi -L and a sample over SSH, the balance, one delete, gone; the report says it all', async () => {
    await emulate({
      deleteLagMs: 500,
      extraFields: { instance: { hostname: 'h100-node-7' }, billing: { plan: 'team' } },
    });
    const tempBefore = smokeDirs();
    run = startSmoke(args());
    await run.line(/Creating one /, 60_000);
    assert.equal(smokeDirs().length, 1, 'the script keeps its key pair in a temp folder of its own (TMPDIR)');
    assert.equal(await run.exit(), 0, run.output());

    const creates = sent('POST', /^\/v1\/compute\/instances$/);
    const deletes = sent('DELETE', /^\/v1\/compute\/instances\//);
    assert.equal(creates.length, 1, 'exactly one create');
    assert.equal(deletes.length, 1, 'exactly one delete');
    const r = report();
    assert.match(creates[0]!.idempotencyKey ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(creates[0]!.idempotencyKey, r.idempotencyKey);
    const body = creates[0]!.body as { instance_type: string; ssh_key: string };
    assert.equal(body.instance_type, 'gpu_1x_h100_sxm5');
    assert.match(body.ssh_key, /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5\S+ fal-compute-smoke-live$/, 'a fresh ed25519 key');
    assert.equal(deletes[0]!.path, `/v1/compute/instances/${r.instance.id}`);
    assert.deepEqual(emulator!.instances(), [], 'nothing left');

    // The id is printed as soon as the create answers, before anything else happens to it.
    const out = run.stdout();
    assert.ok(out.indexOf(`INSTANCE ${r.instance.id}`) < out.indexOf('waiting for ready'), out);
    assert.equal(r.outcome, 'passed');
    assert.equal(r.exitCode, 0);
    assert.deepEqual(
      r.steps.map((st: { name: string; ok: boolean }) => [st.name, st.ok]),
      [
        ['list', true],
        ['create', true],
        ['wait for ready', true],
        ['ssh: nvidia-smi -L and one GPU sample', true],
        ['billing balance', true],
        ['delete and confirm gone', true],
      ],
    );
    for (const timing of ['createRequestMs', 'createToReadyMs', 'readyToSshMs', 'deleteToGoneMs'])
      assert.equal(typeof r.timings[timing], 'number', timing);
    assert.ok(r.timings.createToReadyMs >= 1_400, 'ready no sooner than the emulator said');
    assert.deepEqual(
      r.statuses.map((st: { status: string }) => st.status),
      ['provisioning', 'ready'],
    );
    assert.equal(r.instance.ip, '127.0.0.1');
    assert.deepEqual(r.ssh.nvidiaSmiL, fixture('list.h100x1.txt').trim().split('\n'));
    assert.equal(r.ssh.sample.kind, 'ok');
    assert.deepEqual(
      r.ssh.sample.gpus.map((g: { name: string }) => g.name),
      ['NVIDIA H100 80GB HBM3'],
    );
    assert.equal(r.ssh.user, s.user);
    assert.equal(r.ssh.hostKey.publicKey, s.hostKey, 'the host key accepted is the sshd one, recorded');
    assert.match(r.ssh.hostKey.fingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
    assert.deepEqual(r.billing, {
      readable: true,
      username: 'my-team',
      credit: { known: true, balance: r.billing.credit.balance, currency: 'USD' },
    });
    assert.equal(r.gone.confirmed, true);
    assert.equal(r.gone.via, 'GET 404');
    assert.deepEqual(r.gone.seenAfterDelete, ['GET 200 stopped'], 'the lingering status is kept');
    const unlisted = r.unlistedFields.map((f: { endpoint: string; path: string }) => `${f.endpoint} ${f.path}`);
    for (const expected of [
      'POST /compute/instances 201 hostname',
      'GET /compute/instances 200 instances[].hostname',
      'GET /compute/instances/{id} 200 hostname',
      'GET /account/billing 200 plan',
    ])
      assert.ok(unlisted.includes(expected), `${expected} in ${JSON.stringify(unlisted)}`);
    assert.ok(r.responseHeaders['POST /compute/instances 201'].includes('content-type'));
    assert.ok(s.stub.calls().includes('-L'), 'nvidia-smi -L ran on the machine');
    assert.deepEqual(smokeDirs(), tempBefore, 'the temporary key pair and known_hosts are gone');
    assert.equal(PAGE_SIZE, EXTENSION_PAGE_SIZE, "the wait lists with the extension's page size");
  });

  it('SIGINT while waiting for ready: the id was printed, the instance is deleted, a second signal says it is still deleting; exit 130', async () => {
    await emulate({ timeline: { provisioningMs: 120_000 } });
    // The delete takes a moment, so that a second Ctrl-C arrives while it is under way.
    emulator!.addFault({ route: 'delete', kind: 'delay', ms: 1_500 });
    run = startSmoke(args());
    const printed = await run.line(/INSTANCE (inst_\w+) created/);
    const id = /inst_\w+/.exec(printed)![0];
    await run.line(/status: provisioning|waiting for ready/);
    run.child.kill('SIGINT');
    await run.line(new RegExp(`Interrupted \\(SIGINT\\): deleting ${id}`));
    await run.line(new RegExp(`Deleting ${id}`));
    run.child.kill('SIGINT');
    await run.line(/Still deleting/);
    assert.equal(await run.exit(), 130, run.output());

    assert.match(run.stderr(), new RegExp(`Still deleting ${id}`));
    assert.match(
      run.stderr(),
      new RegExp(`curl -X DELETE -H "Authorization: Key "\\$FAL_KEY \\S+/compute/instances/${id}`),
    );
    assert.match(run.stderr(), /https:\/\/fal\.ai\/dashboard\/compute/);
    assert.deepEqual(emulator!.instances(), [], 'deleted');
    assert.equal(sent('DELETE', new RegExp(`/${id}$`)).length, 1);
    const r = report();
    assert.equal(r.outcome, 'interrupted');
    assert.equal(r.gone.confirmed, true);
    const wait = r.steps.find((st: { name: string }) => st.name === 'wait for ready');
    assert.equal(wait.stoppedBy, 'SIGINT');
  });

  it('SIGTERM while waiting for ready deletes the instance too; exit 143', async () => {
    await emulate({ timeline: { provisioningMs: 120_000 } });
    run = startSmoke(args());
    const id = /inst_\w+/.exec(await run.line(/INSTANCE inst_\w+ created/))![0];
    await run.line(/waiting for ready/);
    run.child.kill('SIGTERM');
    assert.equal(await run.exit(), 143, run.output());
    assert.match(run.stdout(), new RegExp(`Interrupted \\(SIGTERM\\): deleting ${id}`));
    assert.deepEqual(emulator!.instances(), []);
    assert.equal(report().outcome, 'interrupted');
  });

  it('the ceiling (--max-minutes) ends the wait and deletes the machine; exit 1', async () => {
    await emulate({ timeline: { provisioningMs: 120_000 } });
    run = startSmoke(args('--max-minutes', '0.02'));
    assert.equal(await run.exit(), 1, run.output());
    assert.deepEqual(emulator!.instances(), []);
    assert.equal(sent('DELETE', /./).length, 1);
    const r = report();
    assert.equal(r.outcome, 'ceiling');
    assert.equal(r.steps.find((st: { name: string }) => st.name === 'wait for ready').stoppedBy, 'ceiling');
  });

  it('a failed SSH step (the key never installed: auth refused) still ends with the delete; a balance the key may not read is reported, not failed; exit 1', async () => {
    await emulate({ authorizedKeysFile: undefined, keys: [{ key: KEY, billing: false }] });
    run = startSmoke(args('--ssh-wait-seconds', '2'));
    assert.equal(await run.exit(), 1, run.output());
    const r = report();
    const ssh = r.steps.find((st: { name: string }) => st.name.startsWith('ssh'));
    assert.equal(ssh.ok, false);
    assert.match(ssh.error, /refused the key/);
    assert.equal(r.ssh.hostKey.publicKey, s.hostKey, 'the host key was read and recorded all the same');
    const billing = r.steps.find((st: { name: string }) => st.name === 'billing balance');
    assert.equal(billing.ok, true);
    assert.match(billing.detail, /not readable with this key \(HTTP 403/);
    assert.deepEqual([r.billing.readable, r.billing.status], [false, 403]);
    assert.equal(r.outcome, 'failed');
    assert.equal(r.gone.confirmed, true);
    assert.deepEqual(emulator!.instances(), []);
    assert.equal(sent('DELETE', /./).length, 1);
  });

  it('the key never appears in stdout, stderr or the report, even when fal echoes it in fields and errors', async () => {
    await emulate({
      extraFields: {
        instance: { echoed_authorization: `Key ${KEY}`, [`debug_${SECRET}`]: SECRET },
        billing: { echoed_key: KEY },
      },
    });
    run = startSmoke(args());
    await run.line(/INSTANCE inst_\w+ created/);
    // The next list (during the wait) answers with the key in fal's error message.
    emulator!.addFault({ route: 'list', kind: 'status', status: 400, message: `bad key ${KEY} (secret ${SECRET})` });
    assert.equal(await run.exit(), 0, run.output());
    assert.equal(
      emulator!.requests.filter((r) => r.fault === 'status:400').length,
      1,
      'the echoing error was answered',
    );
    const text = readFileSync(join(dir, 'report.json'), 'utf8');
    for (const [where, seen] of [
      ['stdout', run.stdout()],
      ['stderr', run.stderr()],
      ['report', text],
    ] as const) {
      assert.ok(!seen.includes(SECRET), `the secret in ${where}`);
      for (let i = 0; i + 4 <= SECRET.length; i++)
        assert.ok(!seen.includes(SECRET.slice(i, i + 4)), `"${SECRET.slice(i, i + 4)}" of the secret in ${where}`);
    }
    assert.match(run.output(), /bad key \[REDACTED\]/, 'the echo reached the output, redacted');
    const unlisted = report().unlistedFields.map((f: { path: string; example: string }) => `${f.path}=${f.example}`);
    assert.ok(unlisted.includes('echoed_authorization="Key [REDACTED]"'), JSON.stringify(unlisted));
    assert.ok(unlisted.includes('debug_[REDACTED]="[REDACTED]"'), JSON.stringify(unlisted));
  });

  it('refuses to start without --yes when stdin is not a terminal, and without a key: exit 2, nothing sent', async () => {
    await emulate();
    const noYes = startSmoke(args().filter((a) => a !== '--yes'));
    assert.equal(await noYes.exit(), 2);
    assert.match(noYes.stderr(), /stdin is not a terminal.*--yes/);
    assert.match(
      noYes.stdout(),
      /at most about \$0\.47: an ESTIMATE at \$1\.89\/h/,
      'the plan and its ceiling were shown',
    );
    const noKey = startSmoke(args(), {});
    assert.equal(await noKey.exit(), 2);
    assert.match(noKey.stderr(), /No key: set FAL_KEY/);
    assert.deepEqual(emulator!.requests, []);
  });
});
