import assert from 'node:assert/strict';
import { CostGuard, type CostGuardSettings, type InspectResult } from '../../../src/cost';
import { FakeTimers, flush } from '../core/fakeTimers';
import { CLEAN, FakeHost, FakeIdle, MIN, MemoryStore, record, settings } from './helpers';
import { StoredState } from '../../../src/core/storedState';

const ON: Partial<CostGuardSettings> = { autoDelete: true };

function setup(
  opts: {
    settings?: Partial<CostGuardSettings>;
    createdHere?: string[];
    store?: MemoryStore;
    nameOf?: (id: string) => string | undefined;
  } = {},
) {
  const timers = new FakeTimers();
  const host = new FakeHost();
  const idle = new FakeIdle();
  const created = new Set(opts.createdHere ?? ['inst_a']);
  const guard = new CostGuard({
    host,
    idle,
    store: new StoredState(opts.store ?? new MemoryStore()),
    timers,
    createdHere: (id) => created.has(id),
    nameOf: opts.nameOf,
    settings: settings({ ...ON, ...opts.settings }),
  });
  guard.setInstances([record('inst_a')]);
  idle.set('inst_a', 0);
  return { timers, host, idle, guard };
}

/** Idle 30 min → countdown 10 min → the re-check and the delete. */
async function runToDeadline(t: ReturnType<typeof setup>) {
  await t.timers.advance(30 * MIN);
  assert.equal(t.host.countdowns.length, 1, 'a countdown after the idle period');
  await t.timers.advance(10 * MIN);
  await flush();
}

function withState(patch: Partial<Extract<InspectResult, { ok: true }>['state']>): InspectResult {
  if (!CLEAN.ok) throw new Error('unreachable');
  return { ok: true, state: { ...CLEAN.state, ...patch } };
}

describe('cost guard: auto-delete', () => {
  it('the auto-deleted message names the machine as the user named it, though its name goes with the delete', async () => {
    const names = new Map([['inst_a', 'train-run']]);
    const t = setup({ nameOf: (id) => names.get(id) });
    const deleteInstance = t.host.deleteInstance.bind(t.host);
    t.host.deleteInstance = async (id, gate) => {
      await deleteInstance(id, gate);
      names.delete(id); // as the extension forgets a deleted instance's name
    };
    await runToDeadline(t);
    assert.deepEqual(t.host.deleted, ['inst_a']);
    assert.match(t.host.informs[0]!, /^Auto-deleted train-run \(inst_a, 8x H100\): it was idle/);
    assert.deepEqual(t.host.warnings, [], 'a done auto-delete is news, not a warning');
  });

  it('off by default: an idle instance gets a reminder, never a countdown or a delete', async () => {
    const t = setup({ settings: { autoDelete: false } });
    await t.timers.advance(3 * 60 * MIN);
    assert.equal(t.host.countdowns.length, 0);
    assert.equal(t.host.reminders.length, 1);
    assert.deepEqual(t.host.deleted, []);
  });

  it('idle → countdown → fresh check passes → deleted once, every step logged', async () => {
    const t = setup();
    await t.timers.advance(30 * MIN);
    const c = t.host.countdowns[0]!;
    assert.equal(c.notice.deadline, 40 * MIN);
    assert.deepEqual(
      c.notice.actions.map((a) => a.title),
      ['Cancel', 'Keep'],
    );
    assert.match(c.notice.message, /inst_a \(8x H100\) has been idle for 30 min\. Auto-delete in 10 min/);
    assert.equal(t.host.reminders.length, 0, 'the countdown replaces the idle reminder');
    await t.timers.advance(10 * MIN);
    await flush();
    assert.deepEqual(t.host.inspected, ['inst_a']);
    assert.deepEqual(t.host.deleted, ['inst_a']);
    assert.equal(c.closed, true);
    assert.match(
      t.host.logsFor('inst_a'),
      /countdown started[\s\S]*re-checking the machine before deleting[\s\S]*re-check passed: 2 GPUs at most 2 %[\s\S]*all checks passed: deleting[\s\S]*auto-deleted/,
    );
    assert.match(t.host.informs[0]!, /Auto-deleted inst_a/);
    await t.timers.advance(2 * 60 * MIN);
    assert.deepEqual(t.host.deleted, ['inst_a'], 'never a second time');
  });

  it('Cancel stops the countdown: no delete, and no new countdown before another full idle period', async () => {
    const t = setup();
    await t.timers.advance(35 * MIN);
    t.host.countdowns[0]!.answer('cancel');
    await flush();
    assert.equal(t.host.countdowns[0]!.closed, true);
    await t.timers.advance(29 * MIN);
    assert.deepEqual(t.host.deleted, []);
    assert.equal(t.host.countdowns.length, 1);
    await t.timers.advance(MIN);
    assert.equal(t.host.countdowns.length, 2, 'asked again after another 30 idle minutes');
    assert.match(t.host.logsFor('inst_a'), /countdown cancelled by the user/);
  });

  it('a listener of protection changes that throws is logged, and the listeners after it (the tree) still hear', () => {
    const t = setup();
    t.guard.onDidChangeProtection(() => {
      throw new Error('broken listener');
    });
    let changed = '';
    t.guard.onDidChangeProtection((id) => (changed = id));
    t.guard.setProtected('inst_a', true);
    assert.equal(changed, 'inst_a');
    assert.ok(
      t.host.logs.some((l) => l.includes('a listener of protection changes failed: broken listener')),
      t.host.logs.join('\n'),
    );
  });

  it('Keep protects the instance: never auto-deleted, reminders instead, and the protection persists', async () => {
    const store = new MemoryStore();
    const t = setup({ store });
    let changed = '';
    t.guard.onDidChangeProtection((id) => (changed = id));
    await t.timers.advance(31 * MIN);
    t.host.countdowns[0]!.answer('keep');
    await flush();
    assert.equal(t.guard.isProtected('inst_a'), true);
    assert.equal(changed, 'inst_a');
    await t.timers.advance(5 * 60 * MIN);
    assert.deepEqual(t.host.deleted, []);
    assert.equal(t.host.countdowns.length, 1);
    assert.ok(t.host.reminders.length >= 1, 'a protected idle instance still gets reminders');
    assert.match(
      t.host.logsFor('inst_a'),
      /Keep chosen[\s\S]*protected from auto-delete[\s\S]*not auto-deleted: it is protected/,
    );
    const reloaded = new CostGuard({
      host: new FakeHost(),
      idle: new FakeIdle(),
      store: new StoredState(store),
      createdHere: () => true,
      settings: settings(ON),
    });
    assert.equal(reloaded.isProtected('inst_a'), true);
  });

  it('the re-check finds a GPU process → no delete, the reason logged and shown', async () => {
    const t = setup();
    t.host.inspectResult = withState({ gpuProcesses: [{ pid: 4242, name: 'python' }] });
    await runToDeadline(t);
    assert.deepEqual(t.host.deleted, []);
    assert.match(t.host.logsFor('inst_a'), /not auto-deleted: a GPU process is running: python \(pid 4242\)/);
    assert.match(t.host.informs[0]!, /was not auto-deleted: a GPU process is running/);
    assert.deepEqual(t.host.warnings, t.host.informs, 'a refused auto-delete is a warning');
  });

  it('the re-check finds a GPU busy or unreadable → no delete', async () => {
    for (const gpus of [[{ index: 0, utilizationPercent: 97 }], [{ index: 0, utilizationPercent: undefined }], []]) {
      const t = setup();
      t.host.inspectResult = withState({ gpus });
      await runToDeadline(t);
      assert.deepEqual(t.host.deleted, [], JSON.stringify(gpus));
    }
  });

  it('another session is open on the machine → no delete', async () => {
    const t = setup();
    t.host.inspectResult = withState({
      sessions: { ok: true, others: [{ source: 'who', description: 'ubuntu on pts/0 from 198.51.100.4' }] },
    });
    await runToDeadline(t);
    assert.deepEqual(t.host.deleted, []);
    assert.match(t.host.logsFor('inst_a'), /another session is open: ubuntu on pts\/0 from 198\.51\.100\.4/);
  });

  it('the state could not be checked (inspect fails, throws, or sessions unreadable) → no delete', async () => {
    const failures: (InspectResult | Error)[] = [
      { ok: false, error: 'SSH failed: connection refused' },
      new Error('channel closed'),
      withState({ sessions: { ok: false, reason: '`who` did not run on the machine' } }),
    ];
    for (const failure of failures) {
      const t = setup();
      t.host.inspectResult = failure;
      await runToDeadline(t);
      assert.deepEqual(t.host.deleted, []);
      assert.match(
        t.host.logsFor('inst_a'),
        /not auto-deleted: (the machine could not be checked|sessions could not be checked)/,
      );
    }
  });

  it('beforeDelete: substituted, run, and the delete happens only after exit 0 and a second check', async () => {
    const t = setup({ settings: { beforeDelete: 'rsync -a ubuntu@${host}:outputs/ ./out-${instanceId}/' } });
    await runToDeadline(t);
    assert.deepEqual(t.host.commands, ['rsync -a ubuntu@203.0.113.7:outputs/ ./out-inst_a/']);
    assert.deepEqual(t.host.inspected, ['inst_a', 'inst_a'], 'checked before and after the command');
    assert.deepEqual(t.host.deleted, ['inst_a']);
    assert.match(
      t.host.logsFor('inst_a'),
      /running beforeDelete[\s\S]*exited with 0[\s\S]*re-checking the machine after beforeDelete/,
    );
  });

  it('beforeDelete exits 1 (or cannot run) → no delete', async () => {
    for (const exit of [1, 255, new Error('terminal closed')]) {
      const t = setup({ settings: { beforeDelete: 'false' } });
      t.host.beforeDeleteExit = exit;
      await runToDeadline(t);
      assert.deepEqual(t.host.deleted, []);
      assert.match(t.host.logsFor('inst_a'), /not auto-deleted: beforeDelete (exited with|could not be run)/);
    }
  });

  it('a hostile address is never put into the beforeDelete command', async () => {
    const t = setup({ settings: { beforeDelete: 'rsync ubuntu@${host}:x .' } });
    t.guard.setInstances([record('inst_a', 0, { ip: '1.2.3.4; rm -rf ~' })]);
    await runToDeadline(t);
    assert.deepEqual(t.host.commands, []);
    assert.deepEqual(t.host.deleted, []);
    assert.match(t.host.logsFor('inst_a'), /beforeDelete was not run: the host "1\.2\.3\.4; rm -rf ~" is not safe/);
  });

  it('protected → never: no countdown at all, logged once', async () => {
    const t = setup();
    t.guard.setProtected('inst_a', true);
    await t.timers.advance(10 * 60 * MIN);
    assert.equal(t.host.countdowns.length, 0);
    assert.deepEqual(t.host.deleted, []);
    assert.equal(t.host.logs.filter((l) => /not auto-deleted: it is protected/.test(l)).length, 1);
  });

  it('not created from this VS Code → never, unless fal.idle.autoDeleteOthers', async () => {
    const t = setup({ createdHere: [] });
    await t.timers.advance(3 * 60 * MIN);
    assert.equal(t.host.countdowns.length, 0);
    assert.match(t.host.logsFor('inst_a'), /not created from this VS Code/);
    const others = setup({ createdHere: [], settings: { autoDeleteOthers: true } });
    await runToDeadline(others);
    assert.deepEqual(others.host.deleted, ['inst_a']);
  });

  it('the countdown stops when the instance wakes up, is protected, vanishes, or the setting is turned off', async () => {
    const stops: [string, (t: ReturnType<typeof setup>) => void, RegExp][] = [
      ['busy', (t) => t.idle.set('inst_a', undefined), /no longer idle/],
      ['protect', (t) => t.guard.setProtected('inst_a', true), /protected/],
      ['vanish', (t) => t.guard.setInstances([]), /no longer listed/],
      ['off', (t) => t.guard.setSettings(settings({ autoDelete: false })), /auto-delete is off/],
      ['manual delete', (t) => t.guard.setInstances([record('inst_a', 0, {}, true)]), /a delete is already under way/],
    ];
    for (const [name, stop, reason] of stops) {
      const t = setup();
      await t.timers.advance(35 * MIN);
      stop(t);
      assert.equal(t.host.countdowns[0]!.closed, true, name);
      await t.timers.advance(10 * MIN);
      assert.deepEqual(t.host.deleted, [], name);
      assert.match(t.host.logsFor('inst_a'), reason, name);
    }
  });

  it('a change during the re-check (setting off) stops the delete at the last moment', async () => {
    const t = setup();
    let release: () => void = () => undefined;
    t.host.inspect = async (id: string) => {
      t.host.inspected.push(id);
      await new Promise<void>((r) => (release = r));
      return CLEAN;
    };
    await t.timers.advance(40 * MIN);
    assert.deepEqual(t.host.inspected, ['inst_a']);
    t.guard.setSettings(settings({ autoDelete: false }));
    release();
    await flush();
    assert.deepEqual(t.host.deleted, []);
    assert.match(t.host.logsFor('inst_a'), /not auto-deleted: auto-delete is off/);
  });

  it('the extension shutting down during the re-check stops the delete, quietly', async () => {
    const t = setup();
    let release: () => void = () => undefined;
    t.host.inspect = (id: string) => {
      t.host.inspected.push(id);
      return new Promise((r) => (release = () => r(CLEAN)));
    };
    await t.timers.advance(40 * MIN);
    t.guard.dispose();
    release();
    await flush();
    assert.deepEqual(t.host.deleted, []);
    assert.deepEqual(t.host.informs, []);
    assert.match(t.host.logsFor('inst_a'), /not auto-deleted: the extension is shutting down/);
  });

  it('a failed delete request is reported and not retried', async () => {
    const t = setup();
    t.host.deleteError = new Error('fal answered 500');
    await runToDeadline(t);
    assert.deepEqual(t.host.deleted, ['inst_a']);
    assert.match(t.host.informs[0]!, /not auto-deleted: the delete request failed: fal answered 500/);
    await t.timers.advance(5 * 60 * MIN);
    assert.deepEqual(t.host.deleted, ['inst_a']);
  });

  it('countdowns run while the window is unfocused (the user is away — that is the point)', async () => {
    const t = setup();
    t.guard.setFocused(false);
    await runToDeadline(t);
    assert.deepEqual(t.host.deleted, ['inst_a']);
  });
});
