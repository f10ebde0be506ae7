// The safety property of leases, over random event sequences: a DELETE is sent only when, at the
// moment it is sent, the instance's lease (as the store holds it now: another window may have
// extended or removed it) has ended, the instance is not protected, was created here, is listed
// and ready, and a lease countdown for it ran out unanswered — and at most once per instance. The
// delete path awaits twice (each step waits for a "settle" command), so user actions, another
// window's writes and list changes land between its steps. The oracle is written from the rules.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { InstanceRecord } from '../../../src/core/instancesModel';
import { CostGuard, LEASES_KEY, passGate } from '../../../src/cost';
import { StoredState } from '../../../src/core/storedState';
import { FakeTimers } from '../core/fakeTimers';
import { answerNewest, timeStep, FakeHost, FakeIdle, HOUR, MIN, MemoryStore, record, settings } from './helpers';

const IDS = ['inst_a', 'inst_b', 'inst_c'] as const;
const CREATED_HERE = new Set(['inst_a', 'inst_b']);

const id = fc.constantFrom(...IDS);
const command = fc.oneof(
  { weight: 8, arbitrary: fc.record({ t: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: HOUR }) }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('settle' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('protect' as const), id, on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('extend' as const), id }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('keep' as const), id }) },
  {
    weight: 1,
    // Another window's write under this one: a new end (minutes from now, maybe past) or none.
    arbitrary: fc.record({
      t: fc.constant('otherWindow' as const),
      id,
      inMin: fc.option(fc.integer({ min: -60, max: 120 })),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('answer' as const), answer: fc.constantFrom('cancel', 'keep', undefined) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('list' as const),
      id,
      change: fc.constantFrom('remove', 'restore', 'provisioning'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('exit' as const), code: fc.constantFrom(0, 0, 1) }) },
);
type Cmd = typeof command extends fc.Arbitrary<infer C> ? C : never;

async function run(leaseMin: readonly number[], beforeDelete: string, commands: readonly Cmd[]): Promise<number> {
  const timers = new FakeTimers();
  const host = new FakeHost();
  const store = new MemoryStore();
  const records = new Map<string, InstanceRecord>(IDS.map((i) => [i, record(i)]));
  const protectedIds = new Set<string>();
  const countdowns = new Map<string, { deadline: number; answered: boolean }>();
  const deletes = new Map<string, number>();
  const pending: (() => void)[] = [];
  const violations: string[] = [];
  const check = (ok: unknown, what: string) => {
    if (!ok) violations.push(`${what} (t=${timers.now() / MIN} min)`);
  };
  const leaseEnds = () => JSON.parse(store.data.get(LEASES_KEY) ?? '{}') as Record<string, number>;
  const later = () => new Promise<void>((resolve) => pending.push(resolve));
  let exit = 0;

  host.showCountdown = (notice) => {
    check(notice.cause === 'lease', 'only lease countdowns (auto-delete is off)');
    countdowns.set(notice.instanceId, { deadline: notice.deadline, answered: false });
    let settle: (a: 'cancel' | 'keep' | undefined) => void = () => undefined;
    const answer = new Promise<'cancel' | 'keep' | undefined>((r) => (settle = r));
    const open = { notice, closed: false, answer: (a: 'cancel' | 'keep' | undefined) => settle(a) };
    host.countdowns.push(open);
    return { answer, close: () => (open.closed = true) };
  };
  host.runBeforeDelete = async () => {
    await later();
    return exit;
  };
  host.deleteInstance = async (instanceId, gate) => {
    await later(); // the client made ready
    passGate(gate.check());
    await later(); // fal's fresh answer
    passGate(gate.check());
    gate.beforeSend();
    // The oracle: every rule, at the moment the request is sent.
    const now = timers.now();
    const end = leaseEnds()[instanceId];
    const rec = records.get(instanceId);
    const c = countdowns.get(instanceId);
    check(end !== undefined && end <= now, 'the lease, as stored now, has ended');
    check(!protectedIds.has(instanceId), 'not protected');
    check(CREATED_HERE.has(instanceId), 'created here');
    check(rec && rec.instance.status === 'ready' && !rec.deleting, 'listed and ready');
    check(c && !c.answered && now >= c.deadline, 'a lease countdown ran out unanswered');
    check(!deletes.has(instanceId), 'at most once per instance');
    deletes.set(instanceId, 1);
  };

  const guard = new CostGuard({
    host,
    idle: new FakeIdle(),
    store: new StoredState(store),
    timers,
    createdHere: (i) => CREATED_HERE.has(i),
    settings: settings({ runningHours: 0, idleMinutes: 0, beforeDelete }),
  });
  const publish = () => guard.setInstances([...records.values()]);
  IDS.forEach((i, n) => guard.leases.set(i, leaseMin[n]! * MIN));
  publish();

  for (const cmd of commands) {
    if (await timeStep(cmd, timers, pending)) continue;
    switch (cmd.t) {
      case 'protect':
        if (cmd.on) protectedIds.add(cmd.id);
        else protectedIds.delete(cmd.id);
        guard.setProtected(cmd.id, cmd.on);
        break;
      case 'extend':
        guard.leases.extend(cmd.id, timers.now());
        break;
      case 'keep':
        guard.leases.remove(cmd.id);
        break;
      case 'otherWindow': {
        const { [cmd.id]: _old, ...rest } = leaseEnds();
        const next = cmd.inMin === null ? rest : { ...rest, [cmd.id]: timers.now() + cmd.inMin * MIN };
        store.data.set(LEASES_KEY, JSON.stringify(next)); // no event here: this window learns it by reading
        break;
      }
      case 'answer':
        await answerNewest(host, cmd.answer, (i) => (countdowns.get(i)!.answered = true));
        break;
      case 'list': {
        const change = { remove: undefined, restore: record(cmd.id), provisioning: record(cmd.id, 0, { status: 'x' }) };
        const next = change[cmd.change];
        if (next) records.set(cmd.id, next);
        else records.delete(cmd.id);
        publish();
        break;
      }
      case 'exit':
        exit = cmd.code;
        break;
    }
  }
  guard.dispose();
  assert.deepEqual(violations, []);
  return deletes.size;
}

describe('cost guard: the lease safety property', () => {
  it('a DELETE only for an ended lease (as stored at that moment), unprotected, created here, ready, after its countdown ran out; at most once', async () => {
    let deleted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 180 }), { minLength: 3, maxLength: 3 }),
        fc.constantFrom('', 'save ${instanceId}'),
        fc.array(command, { maxLength: 60 }),
        async (leaseMin, beforeDelete, commands) => {
          deleted += await run(leaseMin, beforeDelete, commands);
        },
      ),
      { numRuns: 300 },
    );
    assert.ok(deleted > 0, 'the property must not be vacuous: some runs delete');
  });
});
