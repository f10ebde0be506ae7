// Every write of the SSH writers, failed one at a time (fsFaults.ts: a half-written file then
// ENOSPC, EIO on fsync/rename, ENOSPC on open/mkdir): nothing of the user's is lost or left
// truncated, no temp file or lock is left, the error says what happened, and the next attempt on
// a working disk completes as if nothing had happened.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SshConfigError } from '../../../src/ssh/errors';
import { renderHostBlock, type HostEntry } from '../../../src/ssh/hostEntry';
import { MANAGED_HEADER, removeHost, upsertHost } from '../../../src/ssh/managedConfig';
import { BACKUP_SUFFIX, ensureInclude, INCLUDE_MARKER, includeLine } from '../../../src/ssh/sshConfigFile';
import { withFaultAt } from './fsFaults';
import { makeTempDir, removeDir } from './helpers';

const USER_CONFIG = Buffer.from('# mine\r\nHost *\r\n  User root\r\n\r\nHost work\r\n  HostName 10.0.0.1\r\n');

interface Home {
  readonly dir: string;
  readonly ssh: string;
  readonly userConfig: string;
  readonly managed: string;
  readonly entry: HostEntry;
}

function makeHome(): Home {
  const dir = makeTempDir('fal-faults-');
  const ssh = join(dir, '.ssh');
  mkdirSync(ssh, { mode: 0o700 });
  const userConfig = join(ssh, 'config');
  writeFileSync(userConfig, USER_CONFIG, { mode: 0o644 });
  const managed = join(ssh, 'fal', 'config');
  return {
    dir,
    ssh,
    userConfig,
    managed,
    entry: {
      alias: 'fal-inst_f',
      hostName: '192.0.2.5',
      identityFile: join(ssh, 'id'),
      knownHostsFile: join(ssh, 'fal', 'known_hosts'),
    },
  };
}

/** Temp files and locks our writers might leave behind, anywhere under ~/.ssh. */
function litter(h: Home): string[] {
  const found: string[] = [];
  for (const d of [h.ssh, join(h.ssh, 'fal')])
    if (existsSync(d)) for (const n of readdirSync(d)) if (n.endsWith('.tmp') || n === '.lock') found.push(join(d, n));
  return found;
}

const read = (path: string) => (existsSync(path) ? readFileSync(path) : undefined);
/** The files a step changes, as text (undefined: missing); home-independent (paths relative). */
const snapshot = (h: Home) =>
  [h.userConfig, h.userConfig + BACKUP_SUFFIX, h.managed].map((p) => read(p)?.toString().replaceAll(h.dir, '<home>'));

/**
 * Runs `step` once without faults to count its writes, then once per write with that write
 * failing, each in a fresh home: `check` judges the state right after the fault, then the step
 * runs again on a working disk and `done` judges the result.
 */
async function everyFault(
  prepare: (h: Home) => Promise<void>,
  step: (h: Home) => Promise<unknown>,
  check: (h: Home) => void,
  done: (h: Home) => void,
): Promise<number> {
  const dry = makeHome();
  let writes: number;
  let expected: ReturnType<typeof snapshot>;
  try {
    await prepare(dry);
    writes = (await withFaultAt(undefined, () => step(dry))).ops.length;
    expected = snapshot(dry);
    done(dry);
  } finally {
    removeDir(dry.dir);
  }
  assert.ok(writes > 0);
  for (let n = 1; n <= writes; n++) {
    const h = makeHome();
    try {
      await prepare(h);
      const run = await withFaultAt(n, () => step(h));
      assert.ok(run.failed, `fault ${n} of ${writes} fired`);
      const e = run.error;
      assert.ok(
        e instanceof SshConfigError && e.code === 'io',
        `fault at "${run.failed}": a typed error, got ${String(e)}`,
      );
      assert.match(e.message, /disk is full|input\/output error/i);
      assert.match(e.message, /Nothing of yours was changed|left as it was/);
      assert.deepEqual(litter(h), [], `fault at "${run.failed}": no temp file or lock left`);
      check(h);
      await step(h);
      assert.deepEqual(snapshot(h), expected, 'the next attempt ends exactly as a run without faults');
      assert.deepEqual(litter(h), []);
    } catch (e) {
      throw new Error(`with write ${n} of ${writes} failing: ${(e as Error).message}`, { cause: e });
    } finally {
      removeDir(h.dir);
    }
  }
  return writes;
}

describe('ssh writers under filesystem faults', function () {
  this.timeout(60_000);

  it('the first ensureInclude (config + one-time backup + managed file): every write failed in turn', async () => {
    const ours = (h: Home) =>
      Buffer.concat([Buffer.from(`${INCLUDE_MARKER}\r\n${includeLine(h.managed, h.dir)}\r\n`), USER_CONFIG]);
    const writes = await everyFault(
      async () => undefined,
      (h) => ensureInclude(h.userConfig, h.managed, h.dir),
      (h) => {
        const config = read(h.userConfig)!;
        assert.ok(config.equals(USER_CONFIG) || config.equals(ours(h)), 'the config is the original or complete');
        const backup = read(h.userConfig + BACKUP_SUFFIX);
        assert.ok(
          backup === undefined || backup.equals(USER_CONFIG),
          `the backup is absent or complete, not ${backup?.length} of ${USER_CONFIG.length} bytes`,
        );
        const managed = read(h.managed);
        assert.ok(
          managed === undefined || managed.toString() === MANAGED_HEADER,
          'the managed file is absent or complete',
        );
      },
      (h) => {
        assert.deepEqual(read(h.userConfig), ours(h));
        assert.deepEqual(read(h.userConfig + BACKUP_SUFFIX), USER_CONFIG, 'the backup holds the original');
        assert.equal(read(h.managed)?.toString(), MANAGED_HEADER);
      },
    );
    assert.ok(writes >= 8, `${writes} writes`);
  });

  it('upsertHost and removeHost: the managed file is always the old or the new one', async () => {
    const other: HostEntry = {
      alias: 'fal-inst_other',
      hostName: '192.0.2.6',
      identityFile: '/k',
      knownHostsFile: '/kh',
    };
    const one = `${MANAGED_HEADER}\n${renderHostBlock(other)}`;
    const both = (h: Home) => `${one}\n${renderHostBlock(h.entry)}`;
    await everyFault(
      async (h) => void (await upsertHost(h.managed, other)),
      (h) => upsertHost(h.managed, h.entry),
      (h) => assert.ok([one, both(h)].includes(read(h.managed)!.toString())),
      (h) => assert.equal(read(h.managed)!.toString(), both(h)),
    );
    await everyFault(
      async (h) => {
        await upsertHost(h.managed, other);
        await upsertHost(h.managed, h.entry);
      },
      (h) => removeHost(h.managed, h.entry.alias),
      (h) => assert.ok([`${one}\n`, both(h)].includes(read(h.managed)!.toString())),
      (h) => assert.equal(read(h.managed)!.toString(), `${one}\n`),
    );
  });
});
