// The safety property of auto-delete, over random event sequences: a DELETE request is sent only
// when every precondition holds at the moment it is sent, and at most once per instance. The way
// to it is the extension's own (cost/freshDelete.ts: the client made ready, a fresh GET, the delete
// path asking the gate right before the request, then marking the row "deleting…"),
// and every `await` on it waits for a "settle" command, so user actions and machine changes land
// between any two steps. The oracle is written from the rules, independently of the guard's code.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { InstanceRecord } from '../../../src/core/instancesModel';
import { FalApiError } from '../../../src/api';
import { CostGuard, deleteAfterFreshLook, type CostGuardSettings, type InspectResult } from '../../../src/cost';
import { FakeTimers, flush } from '../core/fakeTimers';
import { CLEAN, timeStep, FakeHost, FakeIdle, MIN, MemoryStore, record, settings } from './helpers';
import { StoredState } from '../../../src/core/storedState';

const IDS = ['inst_a', 'inst_b', 'inst_c'] as const;
const CREATED_HERE = new Set(['inst_a', 'inst_b']);
const IDLE_MS = 30 * MIN;
const TEMPLATE = 'rsync -a ubuntu@${host}:out/ ./${instanceId}/';
const HOSTILE_IP = '203.0.113.7;reboot';
type InspectMode = 'clean' | 'busy' | 'process' | 'session' | 'unchecked' | 'throw';

const id = fc.constantFrom(...IDS);
const command = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({ t: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 30 * MIN }) }),
  },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('settle' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('idle' as const), id, on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('focus' as const), on: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('settings' as const),
      autoDelete: fc.boolean(),
      autoDeleteOthers: fc.boolean(),
      beforeDelete: fc.constantFrom('', TEMPLATE),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('protect' as const), id, on: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('answer' as const), answer: fc.constantFrom('cancel', 'keep', undefined) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('remind' as const),
      action: fc.constantFrom('delete', 'keep1h', 'dontRemind', undefined),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('inspect' as const),
      mode: fc.constantFrom<InspectMode>('clean', 'busy', 'process', 'session', 'unchecked', 'throw'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('exit' as const),
      code: fc.constantFrom<number | 'throw'>(0, 0, 1, 'throw'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('deleteFails' as const), on: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('list' as const),
      id,
      change: fc.constantFrom('remove', 'restore', 'deleting', 'provisioning', 'hostileIp', 'safeIp'),
    }),
  },
);

function inspectResult(mode: InspectMode): InspectResult | Error {
  if (mode === 'throw') return new Error('ssh: connection reset');
  if (mode === 'unchecked') return { ok: false, error: 'nvidia-smi not found' };
  if (!CLEAN.ok) throw new Error('unreachable');
  if (mode === 'busy') return { ok: true, state: { ...CLEAN.state, gpus: [{ index: 0, utilizationPercent: 60 }] } };
  if (mode === 'process') return { ok: true, state: { ...CLEAN.state, gpuProcesses: [{ pid: 7, name: 'python' }] } };
  if (mode === 'session')
    return {
      ok: true,
      state: { ...CLEAN.state, sessions: { ok: true, others: [{ source: 'sshd', description: 'x' }] } },
    };
  return CLEAN;
}

type Step = { kind: 'inspect'; clean: boolean } | { kind: 'before'; code: number | 'throw' };

interface Counts {
  deletes: number;
  /** Commands that ran while a delete path was between two of its steps. */
  midPath: number;
  /** Delete paths the gate stopped after the guard's own re-check had passed. */
  stoppedOnTheWay: number;
}

async function run(start: Start, commands: readonly Cmd[]): Promise<Counts> {
  const timers = new FakeTimers();
  const host = new FakeHost();
  const idle = new FakeIdle();
  const records = new Map<string, InstanceRecord>(
    IDS.map((i) => [i, i === start.hostileIp ? record(i, 0, { ip: HOSTILE_IP }) : record(i)]),
  );
  let current: CostGuardSettings = settings({ autoDelete: true, beforeDelete: start.beforeDelete });
  const protectedIds = new Set<string>();
  const countdowns = new Map<string, { deadline: number; answered: boolean; steps: Step[] }>();
  const deletes = new Map<string, number>();
  const pending: (() => void)[] = [];
  let mode: InspectMode = 'clean';
  let exit: number | 'throw' = 0;
  let deleteFails = false;
  const marked = new Set<string>(); // rows the delete path marked "deleting…"
  const inFlight = new Set<string>();
  const counts: Counts = { deletes: 0, midPath: 0, stoppedOnTheWay: 0 };

  // The guard catches whatever the deleter throws (as a failed request), so the oracle writes its
  // findings down instead of throwing, and the run asserts there are none.
  const violations: string[] = [];
  const check = (ok: unknown, what: string) => {
    if (!ok) violations.push(`${what} (t=${timers.now() / MIN} min)`);
  };
  host.showCountdown = (notice) => {
    const entry = { deadline: notice.deadline, answered: false, steps: [] as Step[] };
    countdowns.set(notice.instanceId, entry);
    let settle: (a: 'cancel' | 'keep' | undefined) => void = () => undefined;
    const answer = new Promise<'cancel' | 'keep' | undefined>((r) => (settle = r));
    const open = { notice, closed: false, answer: (a: 'cancel' | 'keep' | undefined) => settle(a) };
    host.countdowns.push(open);
    return { answer, close: () => (open.closed = true) };
  };
  host.inspect = (instanceId) =>
    new Promise<InspectResult>((resolve, reject) => {
      pending.push(() => {
        const result = inspectResult(mode);
        const clean = !(result instanceof Error) && result.ok && result === CLEAN;
        countdowns.get(instanceId)?.steps.push({ kind: 'inspect', clean });
        if (result instanceof Error) reject(result);
        else resolve(result);
      });
    });
  host.runBeforeDelete = (cmd, instanceId) => {
    check(
      cmd === TEMPLATE.replace('${host}', '203.0.113.7').replace('${instanceId}', instanceId),
      `only inert values are substituted: ${cmd}`,
    );
    return new Promise<number>((resolve, reject) => {
      pending.push(() => {
        countdowns.get(instanceId)?.steps.push({ kind: 'before', code: exit });
        if (exit === 'throw') reject(new Error('task failed to start'));
        else resolve(exit);
      });
    });
  };
  // The oracle: every precondition, checked at the moment a DELETE is sent.
  const sent = (instanceId: string) => {
    const now = timers.now();
    const rec = records.get(instanceId);
    const since = idle.idleSince(instanceId);
    const c = countdowns.get(instanceId);
    check(current.autoDelete, 'the setting is on');
    check(!protectedIds.has(instanceId), 'not protected');
    check(CREATED_HERE.has(instanceId) || current.autoDeleteOthers, 'created here, or others allowed');
    check(rec && rec.instance.status === 'ready' && !rec.deleting, 'listed, ready, not being deleted');
    check(since !== undefined && now - since >= IDLE_MS, 'idle for the whole idle period');
    check(c && !c.answered && now >= c.deadline, 'a countdown ran out, not cancelled or kept');
    const last = c?.steps.at(-1);
    check(last?.kind === 'inspect' && last.clean, 'the last look at the machine was a passing re-check');
    if (current.beforeDelete) {
      const steps = c?.steps ?? [];
      const ran = steps.findIndex((s) => s.kind === 'before' && s.code === 0);
      check(
        ran >= 0 && steps.slice(ran + 1).some((s) => s.kind === 'inspect' && s.clean),
        'beforeDelete exited 0, then a passing check',
      );
    }
    check((deletes.get(instanceId) ?? 0) === 0, 'at most once per instance');
    deletes.set(instanceId, (deletes.get(instanceId) ?? 0) + 1);
  };
  // One step of the delete path: it goes on at the next "settle".
  const later = <T>(value: () => T) =>
    new Promise<T>((resolve, reject) =>
      pending.push(() => {
        try {
          resolve(value());
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }),
    );
  const client = {
    // fal's answer is what the list says at that moment.
    getInstance: (instanceId: string) =>
      later(() => {
        const rec = records.get(instanceId);
        if (!rec)
          throw new FalApiError({
            status: 404,
            type: 'not_found',
            message: 'not found',
            apiMessage: 'not found',
            endpoint: `GET /compute/instances/${instanceId}`,
          });
        return rec.instance;
      }),
  };
  host.deleteInstance = async (instanceId, gate) => {
    inFlight.add(instanceId);
    try {
      await deleteAfterFreshLook(
        {
          listed: (i) => records.get(i)?.instance,
          requireClient: () => later(() => client),
          // As InstanceDeleter: the request starts (the gate asked right before it is sent), then the row is marked.
          send: async (_c, i, g) => {
            g.beforeSend();
            sent(i);
            marked.add(i);
            publish();
            await later(() => undefined); // fal's answer
            if (deleteFails) {
              marked.delete(i);
              publish();
              throw new Error('fal answered 503');
            }
          },
        },
        instanceId,
        gate,
      );
    } catch (error) {
      if (error instanceof Error && error.name === 'DeleteRefused') counts.stoppedOnTheWay++;
      throw error;
    } finally {
      inFlight.delete(instanceId);
    }
  };

  const guard = new CostGuard({
    host,
    idle,
    store: new StoredState(new MemoryStore()),
    timers,
    createdHere: (i) => CREATED_HERE.has(i),
    settings: current,
  });
  const publish = () =>
    guard.setInstances([...records.values()].map((r) => (marked.has(r.instance.id) ? { ...r, deleting: true } : r)));
  publish();
  for (const i of IDS) idle.set(i, 0);
  if (start.warm) await timers.advance(IDLE_MS + 10 * MIN);

  for (const cmd of commands) {
    if (inFlight.size && cmd.t !== 'advance' && cmd.t !== 'settle') counts.midPath++;
    if (await timeStep(cmd, timers, pending)) continue;
    switch (cmd.t) {
      case 'idle':
        if (!cmd.on) idle.set(cmd.id, undefined);
        else if (idle.idleSince(cmd.id) === undefined) idle.set(cmd.id, timers.now());
        break;
      case 'focus':
        guard.setFocused(cmd.on);
        break;
      case 'settings':
        current = settings({
          autoDelete: cmd.autoDelete,
          autoDeleteOthers: cmd.autoDeleteOthers,
          beforeDelete: cmd.beforeDelete,
        });
        guard.setSettings(current);
        break;
      case 'protect':
        if (cmd.on) protectedIds.add(cmd.id);
        else protectedIds.delete(cmd.id);
        guard.setProtected(cmd.id, cmd.on);
        break;
      case 'answer': {
        const open = host.countdowns.filter((c) => !c.closed).at(-1);
        if (!open) break;
        const c = countdowns.get(open.notice.instanceId)!;
        c.answered = true;
        if (cmd.answer === 'keep') protectedIds.add(open.notice.instanceId);
        open.answer(cmd.answer);
        await flush();
        break;
      }
      case 'remind':
        host.openReminders().at(-1)?.answer(cmd.action);
        await flush();
        break;
      case 'inspect':
        mode = cmd.mode;
        break;
      case 'exit':
        exit = cmd.code;
        break;
      case 'deleteFails':
        deleteFails = cmd.on;
        break;
      case 'list': {
        const base = record(cmd.id);
        const change = {
          remove: undefined,
          restore: base,
          deleting: record(cmd.id, 0, {}, true),
          provisioning: record(cmd.id, 0, { status: 'provisioning' }),
          hostileIp: record(cmd.id, 0, { ip: HOSTILE_IP }),
          safeIp: base,
        }[cmd.change];
        if (change) records.set(cmd.id, change);
        else records.delete(cmd.id);
        publish();
        break;
      }
    }
  }
  guard.dispose();
  assert.deepEqual(violations, []);
  counts.deletes = deletes.size;
  return counts;
}

type Cmd = typeof command extends fc.Arbitrary<infer C> ? C : never;
// `warm`: half the runs start where the countdowns have just run out, so that many reach the delete path.
const startArb = fc.record({
  beforeDelete: fc.constantFrom('', TEMPLATE),
  hostileIp: fc.option(id, { nil: undefined }),
  warm: fc.boolean(),
});
type Start = typeof startArb extends fc.Arbitrary<infer S> ? S : never;

describe('cost guard: auto-delete safety property', () => {
  it('over random event sequences a DELETE is sent only when every precondition holds at that moment, at most once per instance', async function () {
    this.timeout(60_000);
    const total = { runsWithDeletes: 0, midPath: 0, stoppedOnTheWay: 0 };
    await fc.assert(
      fc.asyncProperty(startArb, fc.array(command, { minLength: 1, maxLength: 60 }), async (initial, commands) => {
        const counts = await run(initial, commands);
        if (counts.deletes > 0) total.runsWithDeletes++;
        total.midPath += counts.midPath;
        total.stoppedOnTheWay += counts.stoppedOnTheWay;
      }),
      { numRuns: 1000 },
    );
    // The property must not be vacuous: deletes happen, and changes land while a delete is on its way.
    assert.ok(total.runsWithDeletes > 10, `only ${total.runsWithDeletes} runs deleted anything`);
    assert.ok(total.midPath > 100, `only ${total.midPath} changes landed while a delete was on its way`);
    // Usually 20–40 (9 seen once); freshDelete.test.ts's property stops a thousand on every step.
    assert.ok(total.stoppedOnTheWay > 3, `only ${total.stoppedOnTheWay} deletes were stopped on their way`);
  });
});
