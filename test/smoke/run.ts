// One run of the smoke test, step by step, against whatever `client` points at (fal, or the
// emulator in `npm test`). Everything that could leave a machine behind is in the `finally`: once
// a create was sent, the run ends only after the delete and the proof that the machine is gone.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FalError,
  type BillingRead,
  type ComputeInstance,
  type CreateInstanceInput,
  type FalComputeClient,
  type InstanceType,
} from '../../src/api';
import { errorMessage } from '../../src/core/apiFailures';
import { DELETE_LAG_LIMIT_MS } from '../../src/core/deletionWatch';
import { generateKeyPair } from '../../src/ssh/keyFiles';
import { deleteAndConfirm } from './cleanup';
import type { SmokeOptions } from './options';
import type { SmokeOutput } from './output';
import type { SmokeReport, StepRecord, StopReason } from './report';
import { checkSsh, SshStepError, type SshResult } from './sshCheck';
import { waitUntilReady } from './waitReady';

/** Where the run is, for the signal handler's words. */
export interface RunState {
  phase: 'before' | 'creating' | 'running' | 'cleanup' | 'done';
  instanceId?: string;
  idempotencyKey?: string;
}

export interface RunContext {
  readonly client: FalComputeClient;
  readonly out: SmokeOutput;
  readonly opts: SmokeOptions;
  readonly instanceType: InstanceType;
  readonly report: SmokeReport;
  readonly state: RunState;
  /** Aborted with a StopReason: a signal, the ceiling, an unexpected error. */
  readonly stop: AbortController;
  /** Writes the report as it stands (after the create, so a crash still leaves the id on disk). */
  readonly checkpoint: () => Promise<void>;
}

export async function runSmoke(ctx: RunContext): Promise<void> {
  const { client, out, opts, report, state, stop } = ctx;
  const signal = stop.signal;
  const dir = await mkdtemp(join(tmpdir(), 'fal-smoke-'));
  let ceiling: NodeJS.Timeout | undefined;
  const step = stepRunner(ctx);
  try {
    const before = await step('list', async () => {
      const listing = await client.listInstances({ signal });
      return {
        value: new Set(listing.instances.map((i) => i.id)),
        detail: `${listing.instances.length} instance(s) listed: the key may use Compute`,
      };
    });
    if (!before) return;
    const pair = await generateKeyPair({ sshDir: dir, baseName: 'smoke_ed25519', comment: 'fal-compute-smoke-live' });
    signal.throwIfAborted();

    state.phase = 'creating';
    state.idempotencyKey = report.idempotencyKey = randomUUID();
    out.say(`Creating one ${ctx.instanceType} (Idempotency-Key ${state.idempotencyKey}) …`);
    const createSentAt = Date.now();
    ceiling = setTimeout(() => stop.abort('ceiling' satisfies StopReason), opts.maxMinutes * 60_000);
    const instance = await step('create', async () => {
      const created = await createOnce(ctx, { instanceType: ctx.instanceType, sshKey: pair.parsed.line }, before);
      state.instanceId = created.id;
      // First thing once fal answered: the id, so that nothing that happens next leaves it unknown.
      out.say(
        `INSTANCE ${created.id} created (${created.status}); it is deleted at the end, on Ctrl-C, or after ${opts.maxMinutes} min`,
      );
      report.instance = {
        id: created.id,
        region: created.region,
        ...(created.creator_user_nickname && { creator_user_nickname: created.creator_user_nickname }),
      };
      report.timings.createRequestMs = Date.now() - createSentAt;
      report.statuses.push({ status: created.status, atMs: Date.now() - createSentAt });
      return { value: created, detail: `${created.id}, ${created.status}` };
    });
    await ctx.checkpoint();
    if (!instance) return;
    state.phase = 'running';

    const ready = await step('wait for ready', async () => {
      out.say(`  waiting for ready (status ${instance.status}) …`);
      const wait = await waitUntilReady(client, instance, {
        signal,
        say: (line) => out.say(line),
        onStatus: (status) => {
          if (report.statuses.at(-1)?.status === status) return;
          report.statuses.push({ status, atMs: Date.now() - createSentAt });
          out.say(`  status: ${status}`);
        },
      });
      const { outcome } = wait;
      if (outcome.kind === 'gone') throw new Error('the instance vanished from fal while waiting for ready');
      if (outcome.kind === 'noKey') throw new Error(wait.rejection?.message ?? 'fal refused the key while waiting');
      const ready = outcome.record.instance;
      report.statuses.push({ status: ready.status, atMs: Date.now() - createSentAt });
      if (ready.status !== 'ready' || !ready.ip)
        throw new Error(`the instance settled as "${ready.status}", not ready`);
      report.timings.createToReadyMs = Date.now() - createSentAt;
      report.instance = { ...report.instance!, ip: ready.ip };
      return {
        value: { ...ready, ip: ready.ip },
        detail: `ready at ${ready.ip} after ${seconds(report.timings.createToReadyMs)}`,
      };
    });

    if (ready) {
      const readyAt = Date.now();
      report.ssh = { user: opts.sshUser, port: opts.sshPort };
      await step('ssh: nvidia-smi -L and one GPU sample', async () => {
        out.say(`  SSH to ${opts.sshUser}@${ready.ip}:${opts.sshPort} …`);
        try {
          const ssh = await checkSsh(
            {
              id: ready.id,
              ip: ready.ip,
              port: opts.sshPort,
              user: opts.sshUser,
              instanceType: ready.instance_type,
              identityFile: pair.privateKeyPath,
              dir,
            },
            { deadline: readyAt + opts.sshWaitSeconds * 1000, signal, say: (line) => out.say(line) },
          );
          Object.assign(report.ssh!, sshFacts(ssh));
          report.timings.readyToSshMs = ssh.connectedAt - readyAt;
          for (const line of ssh.nvidiaSmiL) out.say(`  ${line}`);
          const gpus =
            ssh.sample.kind === 'ok'
              ? ssh.sample.gpus.map((g) => `${g.name} ${g.utilizationPercent ?? '?'} %`).join(', ')
              : '';
          return { value: ssh, detail: `${ssh.nvidiaSmiL.length} GPU(s) listed; sample: ${gpus}` };
        } catch (e) {
          if (e instanceof SshStepError) Object.assign(report.ssh!, sshFacts(e.partial));
          throw e;
        }
      });
    } else
      report.steps.push({
        name: 'ssh: nvidia-smi -L and one GPU sample',
        ok: false,
        ms: 0,
        error: 'not run: the instance was not ready',
      });

    await step<BillingRead>('billing balance', async () => {
      const billing = await client.getAccountBilling({ signal });
      report.billing = billing;
      if (!billing.readable)
        return {
          value: billing,
          detail: `not readable with this key (HTTP ${billing.status}${billing.said ? `: ${billing.said}` : ''}): reported, not a failure`,
        };
      const credit = billing.credit;
      return {
        value: billing,
        detail: `${billing.username}: ${credit.known ? `${credit.balance} ${credit.currency}` : `balance not known (${credit.reason})`}`,
      };
    });
  } catch (e) {
    if (!signal.aborted) {
      report.steps.push({ name: 'unexpected', ok: false, ms: 0, error: errorMessage(e) });
      out.warn(`Unexpected: ${errorMessage(e)}`);
    }
  } finally {
    clearTimeout(ceiling);
    state.phase = 'cleanup';
    if (state.instanceId) {
      const id = state.instanceId;
      out.say(`Deleting ${id} …`);
      const gone = await deleteAndConfirm(client, id, { boundMs: DELETE_LAG_LIMIT_MS, say: (line) => out.say(line) });
      report.gone = gone;
      if (gone.goneAt !== undefined) report.timings.deleteToGoneMs = gone.goneAt - gone.deleteSentAt;
      report.steps.push({
        name: 'delete and confirm gone',
        ok: gone.confirmed,
        ms: (gone.goneAt ?? Date.now()) - gone.deleteSentAt,
        ...(gone.confirmed
          ? { detail: `gone (${gone.via})` }
          : { error: `NOT confirmed gone: ${gone.error ?? 'fal still shows it'}` }),
      });
      out.say(
        gone.confirmed
          ? `${id} is gone (${gone.via}, ${seconds(report.timings.deleteToGoneMs!)} after the delete)`
          : `${id} was NOT confirmed gone`,
      );
    }
    await rm(dir, { recursive: true, force: true });
    state.phase = 'done';
  }
}

/** The create, sent once with its Idempotency-Key; a create whose outcome is unknown is replayed with the same key. */
async function createOnce(
  ctx: RunContext,
  input: CreateInstanceInput,
  before: ReadonlySet<string>,
): Promise<ComputeInstance> {
  const { client, out, report, state } = ctx;
  const unknown = (e: unknown) => e instanceof FalError && e.outcomeUnknown;
  // Never aborted once sent: whatever it started must be answered, so that it can be deleted.
  try {
    return await client.createInstance(input, { idempotencyKey: state.idempotencyKey });
  } catch (e) {
    if (!unknown(e)) throw e;
    out.say(
      `  the create's outcome is unknown (${errorMessage(e)}); sending it once more with the same Idempotency-Key (never a second machine)`,
    );
  }
  try {
    return await client.createInstance(input, { idempotencyKey: state.idempotencyKey });
  } catch (e) {
    if (!unknown(e)) throw e;
    const listing = await client.listInstances().catch(() => undefined);
    const fresh = (listing?.instances ?? []).filter((i) => !before.has(i.id) && i.instance_type === input.instanceType);
    report.possiblyCreated = fresh.map((i) => i.id);
    for (const i of fresh)
      out.warn(
        `MAYBE THIS RUN'S: ${i.id} (${i.status}, by ${i.creator_user_nickname ?? 'unknown'}) appeared during the create; not deleted automatically (it may be someone else's). Delete it at https://fal.ai/dashboard/compute if it is yours.`,
      );
    throw e;
  }
}

type Step = <T>(name: string, body: () => Promise<{ value: T; detail: string }>) => Promise<T | undefined>;

/** Runs a step, records it in the report and prints one line; a failure is recorded, not thrown. */
function stepRunner({ out, report, stop }: RunContext): Step {
  return async (name, body) => {
    const started = Date.now();
    if (stop.signal.aborted) {
      report.steps.push({ name, ok: false, ms: 0, error: 'not run', stoppedBy: stop.signal.reason as StopReason });
      return undefined;
    }
    try {
      const { value, detail } = await body();
      const record: StepRecord = { name, ok: true, ms: Date.now() - started, detail };
      report.steps.push(record);
      out.say(`✔ ${name} (${seconds(record.ms)}): ${detail}`);
      return value;
    } catch (e) {
      const stoppedBy = stop.signal.aborted ? (stop.signal.reason as StopReason) : undefined;
      const message = e instanceof Error && !(e instanceof FalError) ? e.message : errorMessage(e);
      // The abort itself says only that it stopped; another failure keeps its own words.
      const error = !stoppedBy
        ? message
        : e === stoppedBy || isAbort(e)
          ? `stopped (${stoppedBy})`
          : `${message} (stopped: ${stoppedBy})`;
      report.steps.push({ name, ok: false, ms: Date.now() - started, error, ...(stoppedBy && { stoppedBy }) });
      out.say(`✘ ${name} (${seconds(Date.now() - started)}): ${error}`);
      return undefined;
    }
  };
}

/** What the report keeps of the SSH step (the time is in `timings`). */
function sshFacts(ssh: Partial<SshResult>): Omit<Partial<SshResult>, 'connectedAt'> {
  const facts = { ...ssh };
  delete facts.connectedAt;
  return facts;
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
