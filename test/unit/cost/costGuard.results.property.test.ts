// Results first (issue 19 item 5) as properties. (1) The one delete path alone, over every mix of
// steps and blocker answers: a DELETE only after a save that said "saved" (when results paths are
// set), never after a failed or thrown save, at most one, and the blocker asked right after the
// save. (2) The guard in fake time, idle auto-delete and leases together, every await of the path
// (the save included) waiting for a "settle" so a Protect, a list change, a countdown answer or a
// flip of the results setting lands between any two steps; the oracle is written from the rules.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { InstanceRecord } from '../../../src/core/instancesModel';
import { StoredState } from '../../../src/core/storedState';
import {
  CostGuard,
  passGate,
  runAutoDelete,
  type AutoDeleteHost,
  type ResultsSaveOutcome,
  type ResultsSaver,
} from '../../../src/cost';
import { FakeTimers } from '../core/fakeTimers';
import { answerNewest, CLEAN, FakeIdle, FakeHost, HOUR, MIN, MemoryStore, record, settings, timeStep } from './helpers';

type SaveKind = 'saved' | 'failed' | 'throw';
const saveKind = fc.constantFrom<SaveKind>('saved', 'failed', 'throw');

function answer(kind: SaveKind): Promise<ResultsSaveOutcome> {
  if (kind === 'throw') return Promise.reject(new Error('ssh: connection reset'));
  return Promise.resolve(
    kind === 'saved' ? { kind, fetched: 1, upToDate: 0 } : { kind, reason: 'outputs/a.pt is newer here' },
  );
}

describe('results first: properties', () => {
  it('the delete path: DELETE only after "saved" (when configured), never after a failed or thrown save, at most once, the blocker asked after the save', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          configured: fc.option(fc.boolean()), // null: no saver at all
          kind: saveKind,
          recheckMachine: fc.boolean(),
          beforeDelete: fc.constantFrom('', 'save ${instanceId}'),
          exit: fc.constantFrom(0, 0, 1),
          blocks: fc.array(fc.boolean(), { maxLength: 12 }), // the blocker's answers, in turn (then: go)
        }),
        async (c) => {
          const events: string[] = [];
          const blocks = [...c.blocks];
          const saver: ResultsSaver = {
            configured: () => c.configured === true,
            save: () => (events.push('save'), answer(c.kind)),
          };
          let note: unknown;
          const host: AutoDeleteHost = {
            ...(c.configured !== null ? { results: saver } : {}),
            inspect: () => (events.push('inspect'), Promise.resolve(CLEAN)),
            runBeforeDelete: () => (events.push('beforeDelete'), Promise.resolve(c.exit)),
            deleteInstance: (_id, gate, n) => {
              gate.beforeSend();
              events.push('DELETE');
              note = n;
              return Promise.resolve();
            },
          };
          const outcome = await runAutoDelete(
            {
              instanceId: 'inst_a',
              host: '203.0.113.7',
              gpuPercent: 5,
              recheckMachine: c.recheckMachine,
              beforeDelete: c.beforeDelete,
              blocker: () => (events.push('blocker'), blocks.shift() ? 'protected' : undefined),
              willDelete: () => undefined,
              log: () => undefined,
            },
            host,
          );
          const deletes = events.filter((e) => e === 'DELETE').length;
          assert.ok(deletes <= 1, 'at most one DELETE');
          assert.equal(outcome.kind === 'deleted', deletes === 1);
          const saveAt = events.indexOf('save');
          if (c.configured) {
            if (deletes) assert.ok(saveAt >= 0 && c.kind === 'saved', 'a DELETE only after a save that said saved');
            if (deletes) assert.deepEqual(note, { resultsSaved: true });
            if (saveAt >= 0 && c.kind !== 'saved') {
              assert.equal(deletes, 0, 'never after a failed or thrown save');
              assert.ok(!events.includes('beforeDelete'), 'nor its beforeDelete');
              assert.equal(outcome.kind, 'refused');
              if (outcome.kind === 'refused')
                assert.match(
                  outcome.reason,
                  /^its results could not be downloaded \(.+\), so the machine is left running$/,
                );
            }
            if (saveAt >= 0 && saveAt < events.length - 1)
              assert.equal(events[saveAt + 1], 'blocker', 'the blocker is the next thing asked after the save');
            if (saveAt >= 0 && events.includes('beforeDelete'))
              assert.ok(events.indexOf('beforeDelete') > saveAt, 'results before beforeDelete');
          } else {
            assert.equal(saveAt, -1, 'no save when not configured');
            if (deletes) assert.deepEqual(note, { resultsSaved: false });
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the guard in fake time, idle and leases: a DELETE only for a listed, unprotected instance whose results were saved in this attempt (when configured), at most once', async () => {
    let deleted = 0;
    let savedDeletes = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.constantFrom('', 'save ${instanceId}'),
        fc.array(fc.option(fc.integer({ min: 0, max: 120 })), { minLength: 2, maxLength: 2 }),
        fc.array(command, { maxLength: 60 }),
        async (configured, beforeDelete, leaseMin, commands) => {
          const r = await guardRun(configured, beforeDelete, leaseMin, commands);
          deleted += r.deletes;
          savedDeletes += r.saved;
        },
      ),
      { numRuns: 300 },
    );
    assert.ok(deleted > 0 && savedDeletes > 0, 'not vacuous: some runs delete, some after a save');
  });
});

const IDS = ['inst_a', 'inst_b'] as const;
const id = fc.constantFrom(...IDS);
const command = fc.oneof(
  { weight: 8, arbitrary: fc.record({ t: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: HOUR }) }) },
  { weight: 8, arbitrary: fc.record({ t: fc.constant('settle' as const) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('saveNext' as const), kind: saveKind }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('configured' as const), on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('protect' as const), id, on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('idle' as const), id, on: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('answer' as const), answer: fc.constantFrom('cancel', 'keep', undefined) }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('list' as const), id, on: fc.boolean() }) },
);
type Cmd = typeof command extends fc.Arbitrary<infer C> ? C : never;

async function guardRun(
  configured: boolean,
  beforeDelete: string,
  leaseMin: readonly (number | null)[],
  commands: readonly Cmd[],
): Promise<{ deletes: number; saved: number }> {
  const timers = new FakeTimers();
  const host = new FakeHost();
  const idle = new FakeIdle();
  const records = new Map<string, InstanceRecord>(IDS.map((i) => [i, record(i)]));
  const protectedIds = new Set<string>();
  const pending: (() => void)[] = [];
  const later = () => new Promise<void>((resolve) => pending.push(resolve));
  /** Per instance: its countdown was answered; a save said "saved" since its last countdown began. */
  const attempt = new Map<string, { answered: boolean; saved: boolean }>();
  const deletes = new Map<string, number>();
  let saved = 0;
  let next: SaveKind = 'saved';
  let on = configured;
  const violations: string[] = [];
  const check = (ok: unknown, what: string) => {
    if (!ok) violations.push(`${what} (t=${timers.now() / MIN} min)`);
  };
  const free = (instanceId: string, step: string) => {
    check(!protectedIds.has(instanceId), `${step}: not protected`);
    check(records.has(instanceId), `${step}: listed`);
    check(!attempt.get(instanceId)?.answered, `${step}: its countdown ran out unanswered`);
  };

  host.showCountdown = (notice) => {
    attempt.set(notice.instanceId, { answered: false, saved: false });
    let settle: (a: 'cancel' | 'keep' | undefined) => void = () => undefined;
    const answered = new Promise<'cancel' | 'keep' | undefined>((r) => (settle = r));
    const open = { notice, closed: false, answer: (a: 'cancel' | 'keep' | undefined) => settle(a) };
    host.countdowns.push(open);
    return { answer: answered, close: () => (open.closed = true) };
  };
  host.results = {
    configured: () => on,
    save: async (instanceId) => {
      free(instanceId, 'save');
      await later(); // a save takes minutes
      const kind = next;
      if (kind === 'saved') attempt.get(instanceId)!.saved = true;
      return answer(kind);
    },
  };
  host.inspect = async (instanceId) => {
    free(instanceId, 'inspect');
    await later();
    return CLEAN;
  };
  host.runBeforeDelete = async (_cmd, instanceId) => {
    free(instanceId, 'beforeDelete');
    if (on) check(attempt.get(instanceId)?.saved, 'beforeDelete only after the results were saved');
    await later();
    return 0;
  };
  host.deleteInstance = async (instanceId, gate, note) => {
    free(instanceId, 'delete path');
    await later(); // the client, fal's fresh answer
    passGate(gate.check());
    gate.beforeSend();
    free(instanceId, 'DELETE');
    if (on)
      check(attempt.get(instanceId)?.saved, 'configured: a DELETE only after a save said "saved" in this attempt');
    if (note?.resultsSaved) check(attempt.get(instanceId)?.saved, 'marked "results saved" only when they were');
    check(!deletes.has(instanceId), 'at most one DELETE per instance');
    deletes.set(instanceId, 1);
    if (note?.resultsSaved) saved++;
  };

  const guard = new CostGuard({
    host,
    idle,
    store: new StoredState(new MemoryStore()),
    timers,
    createdHere: () => true,
    settings: settings({ autoDelete: true, runningHours: 0, beforeDelete }),
  });
  const publish = () => guard.setInstances([...records.values()]);
  IDS.forEach((i, n) => {
    const min = leaseMin[n];
    if (min !== null && min !== undefined) guard.leases.set(i, min * MIN);
    idle.set(i, 0);
  });
  publish();

  for (const cmd of commands) {
    if (await timeStep(cmd, timers, pending)) continue;
    switch (cmd.t) {
      case 'saveNext':
        next = cmd.kind;
        break;
      case 'configured':
        on = cmd.on;
        break;
      case 'protect':
        if (cmd.on) protectedIds.add(cmd.id);
        else protectedIds.delete(cmd.id);
        guard.setProtected(cmd.id, cmd.on);
        break;
      case 'idle':
        idle.set(cmd.id, cmd.on ? timers.now() : undefined);
        break;
      case 'answer':
        await answerNewest(host, cmd.answer, (i) => (attempt.get(i)!.answered = true));
        break;
      case 'list':
        if (cmd.on) records.set(cmd.id, record(cmd.id));
        else records.delete(cmd.id);
        publish();
        break;
    }
  }
  guard.dispose();
  assert.deepEqual(violations, []);
  return { deletes: deletes.size, saved };
}
