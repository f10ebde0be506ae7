// `npm run smoke:live`: one end-to-end check against the real fal for a maintainer with an ADMIN
// key — one 1x H100 created with a fresh ed25519 key and an Idempotency-Key, waited for with the
// extension's own scheduler, checked over the extension's own SSH code (nvidia-smi -L and one GPU
// sample), the billing balance read, then deleted and confirmed gone. What it costs at most is said
// and confirmed first; the machine is deleted at the end, on any failure, on SIGINT/SIGTERM/SIGHUP
// and at the ceiling (--max-minutes). The same script runs in `npm test` against the emulator
// (test/unit/smoke/liveSmoke.test.ts).
//
// Why under test/ (built into out/ like the emulator's CLI): it is a maintainer's check, never
// shipped (the extension bundle is dist/), and it may use the global timers and process signals
// that src/ keeps to a few files. It imports only the pure floors of src/ (no vscode).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Agent } from 'undici';
import { FalComputeClient, parseBaseUrl } from '../../src/api';
import { errorMessage } from '../../src/core/apiFailures';
import { DEFAULT_HOURLY_USD, formatUsd } from '../../src/core/costEstimate';
import { DELETE_LAG_LIMIT_MS } from '../../src/core/deletionWatch';
import { machineLabel } from '../../src/core/instanceTypes';
import { INSTANCE_TYPE, parseSmokeArgs, readKey, UsageError, USAGE, type SmokeOptions } from './options';
import { SmokeOutput } from './output';
import { countRequest, newReport, type SmokeReport, type StopReason } from './report';
import { runSmoke, type RunState } from './run';
import { ResponseCapture, type OpenApi } from './unlisted';
import { PAGE_SIZE } from './waitReady';

const ROOT = resolve(__dirname, '../../..');
const SPEC = resolve(ROOT, 'test/fixtures/fal-platform-openapi.json');
const DASHBOARD = 'https://fal.ai/dashboard/compute';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

async function main(out: SmokeOutput): Promise<number> {
  let opts: SmokeOptions | 'help';
  let key: { key: string; source: string };
  try {
    opts = parseSmokeArgs(process.argv.slice(2));
    if (opts === 'help') {
      out.say(USAGE);
      return 0;
    }
    key = await readKey(opts);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    out.warn(`${e.message}\n\n${USAGE}`);
    return 2;
  }
  out.setKey(key.key);
  const version = (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const report = newReport(opts, key.source, INSTANCE_TYPE, DEFAULT_HOURLY_USD[INSTANCE_TYPE]);
  let capture: ResponseCapture;
  let client: FalComputeClient;
  const agent = new Agent();
  try {
    capture = new ResponseCapture(
      JSON.parse(readFileSync(SPEC, 'utf8')) as OpenApi,
      parseBaseUrl(opts.baseUrl).pathname,
    );
    client = new FalComputeClient({
      apiKey: key.key,
      baseUrl: opts.baseUrl,
      pageSize: PAGE_SIZE,
      userAgent: `fal-compute-vscode/${version} (smoke:live)`,
      dispatcher: agent.compose(capture.interceptor),
      onRequest: (entry) => countRequest(report, entry),
    });
  } catch (e) {
    out.warn(errorMessage(e));
    return 2;
  }
  printPlan(out, opts, key.source);
  if (!(await confirmed(opts, out))) return 2;

  const state: RunState = { phase: 'before' };
  const stop = new AbortController();
  const handlers = SIGNALS.map((name) => [name, () => onSignal(name, out, opts, state, stop)] as const);
  for (const [name, handler] of handlers) process.on(name, handler);
  const unexpected = (e: unknown) => {
    out.warn(`Unexpected error: ${e instanceof Error ? e.message : String(e)}`);
    if (!stop.signal.aborted) stop.abort('error' satisfies StopReason);
  };
  process.on('uncaughtException', unexpected);
  process.on('unhandledRejection', unexpected);
  const finish = () => {
    report.unlistedFields = capture.unlisted();
    report.responseHeaders = capture.headerNames();
  };
  const checkpoint = async () => {
    finish();
    await out
      .writeReport(opts.reportPath, report)
      .catch((e: unknown) => out.warn(`The report could not be written: ${String(e)}`));
  };
  try {
    await runSmoke({ client, out, opts, instanceType: INSTANCE_TYPE, report, state, stop, checkpoint });
  } finally {
    Object.assign(report, verdict(report, stop.signal));
    report.finishedAt = new Date().toISOString();
    await checkpoint();
    await agent.close().catch(() => undefined);
  }
  summarize(out, opts, report);
  return report.exitCode!;
}

function printPlan(out: SmokeOutput, opts: SmokeOptions, keySource: string): void {
  const rate = DEFAULT_HOURLY_USD[INSTANCE_TYPE]!;
  out.say(
    [
      'fal Compute live smoke test: this starts ONE real machine, billed by fal while it exists.',
      `  API       ${opts.baseUrl}, with the key from ${keySource} (never printed or written)`,
      `  machine   one ${machineLabel(INSTANCE_TYPE)} (${INSTANCE_TYPE}), with an ed25519 key made for this run (deleted after)`,
      `  steps     create (one Idempotency-Key) → wait for ready → SSH as ${opts.sshUser}@<ip>:${opts.sshPort}:`,
      '            nvidia-smi -L and one GPU sample → read the billing balance → delete → confirm it is gone',
      `  ceiling   at most ${opts.maxMinutes} min from the create: then it is deleted whatever the step, as on Ctrl-C or any failure`,
      `            (confirming it gone takes seconds, at most ${DELETE_LAG_LIMIT_MS / 60_000} min more)`,
      `  cost      at most about ${formatUsd((rate * opts.maxMinutes) / 60)}: an ESTIMATE at ${formatUsd(rate)}/h (fal's public H100 price, the`,
      "            extension's default); your account's rate and fal's billing granularity decide the real figure",
      `  leaves    nothing: the machine is deleted and the temporary key removed; the report goes to ${opts.reportPath}`,
    ].join('\n'),
  );
}

async function confirmed(opts: SmokeOptions, out: SmokeOutput): Promise<boolean> {
  if (opts.yes) {
    out.say('Confirmed by --yes.');
    return true;
  }
  if (!process.stdin.isTTY) {
    out.warn(
      'Refusing to start a billed machine without a confirmation: stdin is not a terminal. Run it in a terminal to answer y/N, or pass --yes.',
    );
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await new Promise<string>((answered) => {
      rl.on('SIGINT', () => answered(''));
      rl.on('close', () => answered(''));
      rl.question('Create the machine? [y/N] ', answered);
    });
    const yes = /^y(es)?$/i.test(answer.trim());
    if (!yes) out.say('Not confirmed: nothing was created.');
    return yes;
  } finally {
    rl.close();
  }
}

function onSignal(
  name: StopReason,
  out: SmokeOutput,
  opts: SmokeOptions,
  state: RunState,
  stop: AbortController,
): void {
  const id = state.instanceId;
  if (!stop.signal.aborted && (state.phase === 'before' || state.phase === 'creating' || state.phase === 'running')) {
    stop.abort(name);
    if (state.phase === 'before') out.say(`Interrupted (${name}): nothing was created; stopping.`);
    else if (id) out.say(`Interrupted (${name}): deleting ${id} before exiting …`);
    else
      out.say(`Interrupted (${name}): the create was sent; waiting for fal's answer, then deleting what it started …`);
    return;
  }
  if (state.phase === 'done' || (state.phase === 'before' && !id)) return;
  out.warn(
    id
      ? [
          `Still deleting ${id}: this script exits once fal confirms it is gone (at most ${DELETE_LAG_LIMIT_MS / 60_000} min).`,
          `If you stop it anyway (kill -9), delete ${id} yourself: ${DASHBOARD}, or`,
          `  curl -X DELETE -H "Authorization: Key "$FAL_KEY ${opts.baseUrl.replace(/\/+$/, '')}/compute/instances/${id}`,
        ].join('\n')
      : `Still waiting for fal's answer to the create (Idempotency-Key ${state.idempotencyKey}) to delete what it started. If you stop it anyway, look for a new ${machineLabel(INSTANCE_TYPE)} at ${DASHBOARD}.`,
  );
}

function verdict(report: SmokeReport, signal: AbortSignal): Pick<SmokeReport, 'outcome' | 'exitCode'> {
  if (report.possiblyCreated?.length || (report.instance && !report.gone?.confirmed))
    return { outcome: 'machine possibly left', exitCode: 3 };
  const reason = signal.aborted ? (signal.reason as StopReason) : undefined;
  if (reason === 'SIGINT' || reason === 'SIGTERM' || reason === 'SIGHUP')
    return { outcome: 'interrupted', exitCode: { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 }[reason] };
  if (reason === 'ceiling') return { outcome: 'ceiling', exitCode: 1 };
  const passed = report.instance !== undefined && report.steps.length > 0 && report.steps.every((s) => s.ok);
  return passed && !reason ? { outcome: 'passed', exitCode: 0 } : { outcome: 'failed', exitCode: 1 };
}

function summarize(out: SmokeOutput, opts: SmokeOptions, report: SmokeReport): void {
  const id = report.instance?.id;
  const lines: Record<NonNullable<SmokeReport['outcome']>, string> = {
    passed: `PASSED: every step passed and ${id} is gone.`,
    failed: `FAILED: ${report.steps
      .filter((s) => !s.ok)
      .map((s) => `${s.name} (${s.error})`)
      .join('; ')}${id ? `; ${id} is gone` : ''}.`,
    interrupted: `INTERRUPTED${id ? `: ${id} is gone` : ': nothing was created'}.`,
    ceiling: `STOPPED AT THE CEILING (${opts.maxMinutes} min): ${id} is gone.`,
    'machine possibly left': `ATTENTION: ${[...(id ? [id] : []), ...(report.possiblyCreated ?? [])].join(', ')} may still exist on fal: delete it at ${DASHBOARD}.`,
  };
  const text = `${lines[report.outcome!]} Report: ${opts.reportPath}`;
  if (report.exitCode === 0) out.say(text);
  else out.warn(text);
}

const output = new SmokeOutput();
main(output).then(
  (code) => process.exit(code),
  (e: unknown) => {
    output.warn(`smoke:live failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
