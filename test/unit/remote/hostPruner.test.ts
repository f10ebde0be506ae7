// HostPruner with the real InstancesModel, InstanceKeyStore and managed file (temp HOME): after
// each successful list, entries and remembered keys of vanished instances go; nothing else does.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ComputeInstance } from '../../../src/api';
import { InstancesModel } from '../../../src/core/instancesModel';
import { InstanceKeyStore } from '../../../src/instances/instanceKeyStore';
import { writeHostWithInclude } from '../../../src/remote/hostSync';
import { HostPruner } from '../../../src/remote/hostPruner';
import { sshPaths } from '../../../src/ssh';
import { waitFor } from '../../support/polling';
import { makeTempDir, removeDir } from '../ssh/helpers';

class MemoryMemento {
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    return (this.values.has(key) ? this.values.get(key) : fallback) as T | undefined;
  }
  update(key: string, value: unknown): Thenable<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
}

const inst = (id: string): ComputeInstance => ({
  id,
  instance_type: 'gpu_1x_h100_sxm5',
  region: 'us-west',
  status: 'ready',
  ip: '203.0.113.10',
  sector: undefined,
  creator_user_nickname: undefined,
});

describe('remote/HostPruner', () => {
  let home: string;
  beforeEach(() => {
    home = makeTempDir('fal-prune-');
  });
  afterEach(() => removeDir(home));

  it("removes entries and keys of instances gone from the list, never the user's hosts", async () => {
    const paths = sshPaths(home);
    const userOwn = 'Host fal-mine\n  HostName 192.0.2.9\nHost work\n  User me\n';
    writeFileSync(join(home, 'user_config'), userOwn);
    const p = { ...paths, userConfig: join(home, 'user_config') };
    for (const id of ['inst_a', 'inst_b', 'inst_old']) {
      await writeHostWithInclude(
        p,
        { instanceId: id, ip: '203.0.113.10', user: 'ubuntu', port: 22, identityFile: join(home, `k_${id}`) },
        home,
      );
    }
    const model = new InstancesModel({ get: () => ({}), set: () => undefined });
    const keys = new InstanceKeyStore(new MemoryMemento() as never);
    for (const id of ['inst_a', 'inst_b', 'inst_old', 'inst_Upper']) await keys.set(id, join(home, `k_${id}`));
    const lines: string[] = [];
    const pruner = new HostPruner(
      model,
      keys,
      { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(`WARN ${m}`) } as never,
      () => p,
    );
    const aliases = () => [...readFileSync(p.managedConfig, 'utf8').matchAll(/^Host (\S+)$/gm)].map((m) => m[1]);

    // First list of the session: inst_old (left from an earlier session) goes.
    model.apply([inst('inst_a'), inst('inst_b'), inst('inst_Upper')], 1);
    await waitFor(
      'the first prune',
      () => keys.ids().sort().join(),
      (ids) => ids === 'inst_Upper,inst_a,inst_b',
    );
    assert.deepEqual(aliases(), ['fal-inst_a', 'fal-inst_b']);

    // inst_b deleted.
    model.apply([inst('inst_a'), inst('inst_Upper')], 2);
    await waitFor(
      'the prune of inst_b',
      () => keys.ids().sort().join(),
      (ids) => ids === 'inst_Upper,inst_a',
    );
    assert.deepEqual(aliases(), ['fal-inst_a']);
    assert.ok(
      lines.includes(`Removed host entry fal-inst_b from ${p.managedConfig}: its instance no longer exists`),
      lines.join('\n'),
    );

    // A key recorded for an instance not listed yet (created while a list was in flight) stays.
    // Prunes run in order: once the next one (inst_Upper gone) is done, this one is too.
    await keys.set('inst_new', join(home, 'k_new'));
    model.apply([inst('inst_a'), inst('inst_Upper')], 3);
    model.apply([inst('inst_a')], 4);
    await waitFor(
      'the prune of inst_Upper',
      () => keys.ids(),
      (ids) => !ids.includes('inst_Upper'),
    );
    assert.ok(keys.ids().includes('inst_new'));

    // A failed list prunes nothing (decided at once: nothing is queued).
    model.fail('HTTP 500', 'server', 5);
    assert.deepEqual(aliases(), ['fal-inst_a']);
    assert.equal(
      readFileSync(join(home, 'user_config'), 'utf8').endsWith(userOwn),
      true,
      "the user's own hosts are untouched",
    );

    // The last instance deleted: no trace is left — the user's config is its original bytes again.
    model.apply([inst('inst_Upper')], 5);
    const traces = () => [
      existsSync(p.falDir),
      readFileSync(join(home, 'user_config'), 'utf8') !== userOwn,
      readdirSync(home).filter((n) => n.startsWith('user_config')).length > 1,
    ];
    await waitFor('no trace left', traces, (left) => !left.some(Boolean));
    assert.equal(readFileSync(join(home, 'user_config'), 'utf8'), userOwn);
    assert.equal(existsSync(p.falDir), false, '~/.ssh/fal is gone');
    assert.deepEqual(
      readdirSync(home).filter((n) => n.startsWith('user_config')),
      ['user_config'],
      'the identical backup is gone too',
    );
    assert.ok(
      lines.some((l) => l.startsWith(`Removed the fal-compute lines in ${p.userConfig}: no fal host entry is left`)),
      lines.join('\n'),
    );
    pruner.dispose();
  });

  it('on the first list of a session, tidies what an earlier session left (a header-only managed file and the Include)', async () => {
    const paths = sshPaths(home);
    mkdirSync(join(home, '.ssh'), { recursive: true });
    writeFileSync(paths.userConfig, 'Host work\n');
    await writeHostWithInclude(
      paths,
      { instanceId: 'inst_gone', ip: '203.0.113.10', user: 'ubuntu', port: 22, identityFile: join(home, 'k') },
      home,
    );
    const model = new InstancesModel({ get: () => ({}), set: () => undefined });
    const pruner = new HostPruner(
      model,
      new InstanceKeyStore(new MemoryMemento() as never),
      { info: () => undefined, warn: () => undefined } as never,
      () => paths,
    );
    model.apply([], 1);
    await waitFor(
      'the tidy of ~/.ssh',
      () => readdirSync(join(home, '.ssh')),
      (names) => names.join() === 'config',
    );
    assert.equal(readFileSync(paths.userConfig, 'utf8'), 'Host work\n');
    pruner.dispose();
  });
});
