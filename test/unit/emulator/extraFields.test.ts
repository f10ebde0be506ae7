// Two emulator options for tests that stand a real sshd in for the machine and ask what fal sends
// beyond its schema (npm run smoke:live): fields the schema does not list, and the create's ssh_key
// installed in an authorized_keys file.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FalEmulator } from '../../emulator';
import { call, create, VALID_CREATE } from './helpers';

describe('emulator: extra fields and authorized keys', () => {
  let emulator: FalEmulator | undefined;
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fal-emulator-keys-'))));
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds extraFields to every instance (create, replay, get, list) and to billing, never over a field of its own', async () => {
    emulator = await FalEmulator.start({
      timeline: { provisioningMs: 0 },
      extraFields: { instance: { hostname: 'gpu-7', status: 'overridden?' }, billing: { plan: 'enterprise' } },
    });
    const created = await create(emulator, VALID_CREATE, { idempotencyKey: 'k-1' });
    const replayed = await create(emulator, VALID_CREATE, { idempotencyKey: 'k-1' });
    const got = await call(emulator.baseUrl, 'GET', `/compute/instances/${created.json.id}`);
    const listed = await call(emulator.baseUrl, 'GET', '/compute/instances');
    const billing = await call(emulator.baseUrl, 'GET', '/account/billing?expand=credits');
    for (const instance of [created.json, replayed.json, got.json, listed.json.instances[0]])
      assert.equal(instance.hostname, 'gpu-7', JSON.stringify(instance));
    assert.ok([created.json, got.json].every((i) => i.status !== 'overridden?'));
    assert.equal(billing.json.plan, 'enterprise');
    assert.equal(billing.json.username, 'my-team');
    assert.deepEqual(
      Object.keys(emulator.instances()[0]!).includes('hostname'),
      false,
      'the store stays as fal lists it',
    );
  });

  it('appends a created instance ssh_key to authorizedKeysFile, once per instance (a replay adds nothing)', async () => {
    const file = join(dir, 'authorized_keys');
    writeFileSync(file, '', { mode: 0o600 });
    emulator = await FalEmulator.start({ authorizedKeysFile: file });
    await create(emulator, VALID_CREATE, { idempotencyKey: 'k-2' });
    await create(emulator, VALID_CREATE, { idempotencyKey: 'k-2' });
    await create(emulator, { ...VALID_CREATE, ssh_key: 'ssh-ed25519 AAAAC3Nz second@host' });
    assert.equal(readFileSync(file, 'utf8'), `${VALID_CREATE.ssh_key}\nssh-ed25519 AAAAC3Nz second@host\n`);
  });
});
