// The auto-delete's way from its last re-check to the DELETE request (cost/freshDelete.ts), with the
// guard's real gate: whatever happens while the client is made ready or while the fresh GET is in
// flight stops the request, and nothing else does.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FalApiError, type ComputeInstance } from '../../../src/api';
import type { InstanceRecord } from '../../../src/core/instancesModel';
import { CostGuard, deleteAfterFreshLook, type DeleteGate } from '../../../src/cost';
import { FakeTimers, flush } from '../core/fakeTimers';
import { FakeHost, FakeIdle, MIN, MemoryStore, instance, record, settings } from './helpers';
import { StoredState } from '../../../src/core/storedState';

interface Held<T> {
  readonly what: string;
  release(value: T | Error): void;
}

/** A guard whose host takes the extension's delete path, each `await` of it held until the test releases it. */
function world(opts: { onSend?: () => void } = {}) {
  const timers = new FakeTimers();
  const host = new FakeHost();
  const idle = new FakeIdle();
  const held: Held<unknown>[] = [];
  const sent: string[] = [];
  let records: InstanceRecord[] = [record('inst_a')];
  let marked = false;
  const hold = <T>(what: string) =>
    new Promise<T>((resolve, reject) =>
      held.push({ what, release: (v) => (v instanceof Error ? reject(v) : resolve(v as T)) }),
    );
  const guard = new CostGuard({
    host,
    idle,
    store: new StoredState(new MemoryStore()),
    timers,
    createdHere: () => true,
    settings: settings({ autoDelete: true }),
  });
  // The model: what the list says, with the row marked "deleting…" by the delete path (published at once, as the model does).
  const publish = () => guard.setInstances(records.map((r) => ({ ...r, deleting: r.deleting || marked })));
  const client = { getInstance: (id: string) => hold<ComputeInstance>(`GET ${id}`) };
  host.deleteInstance = (id, gate) =>
    deleteAfterFreshLook(
      {
        listed: (i) => records.find((r) => r.instance.id === i)?.instance,
        requireClient: () => hold<void>('client').then(() => client),
        // As InstanceDeleter: the request starts (asking the gate right before it is sent), then the row is marked.
        send: async (_c, i, g: DeleteGate) => {
          g.beforeSend();
          opts.onSend?.();
          sent.push(`DELETE ${i}`);
          marked = true;
          publish();
          await hold<void>('DELETE answered');
        },
      },
      id,
      gate,
    );
  publish();
  idle.set('inst_a', 0);
  const next = async (what: string, value: unknown) => {
    await flush();
    const h = held.shift();
    assert.equal(h?.what, what, `waiting on ${what}`);
    h!.release(value);
    await flush();
  };
  return {
    timers,
    host,
    idle,
    guard,
    sent,
    next,
    held,
    setRecords: (r: InstanceRecord[]) => ((records = r), publish()),
    /** Idle 30 min, countdown 10 min, the re-check passes: the delete path starts. */
    toDeletePath: async () => {
      await timers.advance(40 * MIN);
      await flush();
      assert.match(host.logsFor('inst_a'), /all checks passed: deleting/);
    },
  };
}

const READY = instance('inst_a');

describe('cost guard: nothing slips between the last check and the DELETE', () => {
  it('Protect pressed while the fresh GET is in flight: no DELETE is sent (the sequence that slipped through before)', async () => {
    const w = world();
    await w.toDeletePath();
    await w.next('client', undefined);
    w.guard.setProtected('inst_a', true); // the user clicks Protect; the GET has not answered yet
    await w.next('GET inst_a', READY);
    assert.deepEqual(w.sent, []);
    assert.match(w.host.informs[0]!, /was not auto-deleted: it is protected from auto-delete/);
  });

  it('each change while the client is made ready or the GET is in flight stops it', async () => {
    const changes: [string, (w: ReturnType<typeof world>) => void, RegExp][] = [
      ['a GPU process starts (no longer idle)', (w) => w.idle.set('inst_a', undefined), /no longer idle/],
      ['the idle period restarts', (w) => w.idle.set('inst_a', w.timers.now()), /has not been idle for 30 min/],
      ['auto-delete is turned off', (w) => w.guard.setSettings(settings({ autoDelete: false })), /auto-delete is off/],
      [
        'beforeDelete is set',
        (w) => w.guard.setSettings(settings({ autoDelete: true, beforeDelete: 'true' })),
        /beforeDelete changed/,
      ],
      ['the list no longer has it', (w) => w.setRecords([]), /no longer listed/],
      [
        'someone else deletes it',
        (w) => w.setRecords([record('inst_a', 0, {}, true)]),
        /a delete is already under way/,
      ],
      ['the extension shuts down', (w) => w.guard.dispose(), /shutting down/],
    ];
    for (const during of ['client', 'GET inst_a'] as const) {
      for (const [name, change, why] of changes) {
        const w = world();
        await w.toDeletePath();
        if (during === 'GET inst_a') await w.next('client', undefined);
        change(w);
        await w.next(during, during === 'client' ? undefined : READY);
        if (during === 'client') await w.next('GET inst_a', READY).catch(() => undefined);
        assert.deepEqual(w.sent, [], `${name} during ${during}`);
        assert.match(
          w.host.logsFor('inst_a'),
          new RegExp(`not auto-deleted: .*${why.source}`),
          `${name} during ${during}`,
        );
      }
    }
  });

  it('with nothing changed, the DELETE is sent once', async () => {
    const w = world();
    await w.toDeletePath();
    await w.next('client', undefined);
    await w.next('GET inst_a', READY);
    assert.deepEqual(w.sent, ['DELETE inst_a']);
    await w.next('DELETE answered', undefined);
    assert.match(w.host.informs[0]!, /^Auto-deleted inst_a/);
  });

  it('what fal says now refuses it, sending nothing: gone, not ready, another address or type, or not answering', async () => {
    const cases: [unknown, RegExp][] = [
      [
        new FalApiError({
          status: 404,
          type: 'not_found',
          message: 'not found',
          apiMessage: 'x',
          endpoint: 'GET /compute/instances/…',
        }),
        /already gone \(404\)/,
      ],
      [instance('inst_a', { status: 'terminating' }), /fal now says it is terminating, not ready/],
      [instance('inst_a', { ip: '198.51.100.9' }), /another address or type/],
      [instance('inst_a', { instance_type: 'gpu_1x_h100_sxm5' }), /another address or type/],
      [
        new FalApiError({
          status: 500,
          type: 'http_error',
          message: 'fal answered 500',
          apiMessage: 'x',
          endpoint: 'GET /compute/instances/…',
        }),
        /fal could not be asked about it first/,
      ],
    ];
    for (const [answer, why] of cases) {
      const w = world();
      await w.toDeletePath();
      await w.next('client', undefined);
      await w.next('GET inst_a', answer);
      assert.deepEqual(w.sent, [], why.source);
      assert.match(w.host.informs[0]!, new RegExp(`was not auto-deleted: .*${why.source}`));
      assert.doesNotMatch(
        w.host.informs[0]!,
        /the delete request failed/,
        'nothing was sent: a refusal, not a failed request',
      );
    }
  });

  it('property: random user actions and machine changes at every await of the delete path; a DELETE goes out only when every condition holds at that moment', async function () {
    this.timeout(60_000);
    type Action =
      | 'protect'
      | 'unprotect'
      | 'busy'
      | 'idleAgain'
      | 'idleRestart'
      | 'off'
      | 'on'
      | 'beforeDelete'
      | 'noBeforeDelete'
      | 'unlisted'
      | 'relisted'
      | 'deletingElsewhere'
      | 'provisioning';
    const action = fc.constantFrom<Action>(
      'protect',
      'unprotect',
      'busy',
      'idleAgain',
      'idleRestart',
      'off',
      'on',
      'beforeDelete',
      'noBeforeDelete',
      'unlisted',
      'relisted',
      'deletingElsewhere',
      'provisioning',
    );
    // Actions before each held step: the client, the fresh GET, fal's answer to the DELETE.
    const plan = fc.record({ steps: fc.array(fc.array(action, { maxLength: 2 }), { minLength: 3, maxLength: 3 }) });
    let sentRuns = 0;
    let stoppedRuns = 0;
    await fc.assert(
      fc.asyncProperty(plan, async ({ steps }) => {
        // The truth, kept by the test from the actions alone.
        const truth = {
          protected: false,
          idleSince: 0 as number | undefined,
          autoDelete: true,
          beforeDelete: false,
          listed: true,
          elsewhere: false,
          ready: true,
        };
        const violations: string[] = [];
        const w = world({
          onSend: () => {
            const now = w.timers.now();
            const ok =
              !truth.protected &&
              truth.autoDelete &&
              !truth.beforeDelete &&
              truth.listed &&
              truth.ready &&
              !truth.elsewhere &&
              truth.idleSince !== undefined &&
              now - truth.idleSince >= 30 * MIN;
            if (!ok) violations.push(`sent while ${JSON.stringify(truth)}`);
          },
        });
        const listed = () =>
          truth.listed ? [record('inst_a', 0, truth.ready ? {} : { status: 'provisioning' }, truth.elsewhere)] : [];
        const apply = (a: Action) => {
          if (a === 'protect' || a === 'unprotect') w.guard.setProtected('inst_a', (truth.protected = a === 'protect'));
          else if (a === 'busy') w.idle.set('inst_a', (truth.idleSince = undefined));
          else if (a === 'idleAgain')
            w.idle.set('inst_a', (truth.idleSince = 0)); // a flicker: the record is back as it was
          else if (a === 'idleRestart') w.idle.set('inst_a', (truth.idleSince = w.timers.now()));
          else if (a === 'off' || a === 'on') {
            truth.autoDelete = a === 'on';
            w.guard.setSettings(
              settings({ autoDelete: truth.autoDelete, beforeDelete: truth.beforeDelete ? 'true' : '' }),
            );
          } else if (a === 'beforeDelete' || a === 'noBeforeDelete') {
            truth.beforeDelete = a === 'beforeDelete';
            w.guard.setSettings(
              settings({ autoDelete: truth.autoDelete, beforeDelete: truth.beforeDelete ? 'true' : '' }),
            );
          } else {
            if (a === 'unlisted') truth.listed = false;
            if (a === 'relisted') truth.listed = true;
            if (a === 'deletingElsewhere') truth.elsewhere = true;
            if (a === 'provisioning') truth.ready = false;
            w.setRecords(listed());
          }
        };
        await w.toDeletePath();
        for (const [k, actions] of steps.entries()) {
          await flush();
          const h = w.held.shift();
          if (!h) break;
          for (const a of actions) apply(a);
          h.release(
            h.what.startsWith('GET')
              ? truth.listed
                ? instance('inst_a', truth.ready ? {} : { status: 'provisioning' })
                : new FalApiError({
                    status: 404,
                    type: 'not_found',
                    message: 'gone',
                    apiMessage: 'gone',
                    endpoint: 'GET',
                  })
              : undefined,
          );
          await flush();
          if (k === steps.length - 1) await flush();
        }
        assert.deepEqual(violations, []);
        if (w.sent.length) sentRuns++;
        else stoppedRuns++;
        // Liveness: with no action at all, the DELETE does go out, once.
        if (steps.every((a) => a.length === 0)) assert.equal(w.sent.length, 1, 'nothing changed: the DELETE is sent');
        assert.ok(w.sent.length <= 1, 'never more than one DELETE');
      }),
      { numRuns: 1500 },
    );
    assert.ok(sentRuns > 50 && stoppedRuns > 50, `both outcomes must occur: ${sentRuns} sent, ${stoppedRuns} stopped`);
  });
});
