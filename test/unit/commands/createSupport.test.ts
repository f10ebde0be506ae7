// Failure messages, delete wording/targets, and pending-create reconciliation against the emulator.
import assert from 'node:assert/strict';
import { FalApiError, FalComputeClient, FalNetworkError, FalResponseError } from '../../../src/api';
import {
  PendingCreates,
  reconcilePendingCreates,
  REPLAY_WINDOW_MS,
  type PendingCreate,
} from '../../../src/instances/pendingCreates';
import { createFailureMessage, provisioningText, rateLimitWaitText } from '../../../src/commands/createMessages';
import { deleteConfirmation } from '../../../src/commands/deleteText';
import { deleteTargets } from '../../../src/commands/instanceArgs';
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../../emulator';
import { MapState } from '../../support/memento';
import { StoredState } from '../../../src/core/storedState';

const PUB = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDzXvkl1Yq0sQpW1m3FZ4a3VbQO1kB4M2cqv7rP6o3Lh pasted@test';
const CREDIT =
  'In order to start a compute instance, you have to have at least $500 in your fal credit balance per instance, as well as an automated top up with a trigger at $500.';

function apiError(status: number, apiMessage: string): FalApiError {
  return new FalApiError({
    status,
    type: 'x',
    message: `POST /compute/instances → ${status}`,
    apiMessage,
    endpoint: 'POST /compute/instances',
  });
}

describe('create failure messages', () => {
  it("400 shows fal's message", () =>
    assert.match(createFailureMessage(apiError(400, 'ssh_key is invalid')), /rejected.*ssh_key is invalid/));
  it('403 explains Compute access and an ADMIN key', () =>
    assert.match(createFailureMessage(apiError(403, 'Access denied')), /Compute access.*fal\.ai\/dashboard/));
  it('the $500 credit message is shown verbatim (403 or 400)', () => {
    assert.ok(createFailureMessage(apiError(403, CREDIT)).includes(CREDIT));
    assert.ok(createFailureMessage(apiError(400, CREDIT)).includes(CREDIT));
  });
  it('429, 5xx and network have their own words', () => {
    assert.match(createFailureMessage(apiError(429, 'Rate limit exceeded')), /rate-limiting.*no instance was created/);
    assert.match(createFailureMessage(apiError(503, 'x')), /server error \(503\).*check the Instances list/);
    const net = new FalNetworkError({
      kind: 'network',
      message: 'connection reset',
      endpoint: 'POST /compute/instances',
      host: 'h',
    });
    assert.match(createFailureMessage(net), /Could not reach fal.*check the Instances list/);
  });
  it('an unreadable answer to a create says the instance may exist (item 6)', () => {
    const err = new FalResponseError(
      'POST /compute/instances returned a response that is not JSON (HTTP 201).',
      'POST /compute/instances',
      201,
    );
    err.outcomeUnknown = true;
    const text = createFailureMessage(err);
    assert.match(text, /may have been created/);
    assert.match(text, /check the Instances list/);
    assert.doesNotMatch(text, /no instance was created/i);
  });
  it("a Retry-After past the idempotency window keeps the client's explanation (item 7)", () => {
    const err = new FalApiError({
      status: 429,
      type: 'rate_limited',
      message: "fal is rate limiting and asks to wait 11 min 40 s, past fal's 10-minute idempotency window…",
      apiMessage: 'Rate limit exceeded',
      endpoint: 'POST /compute/instances',
      retryAfterMs: 700_000,
      pastIdempotencyWindow: true,
    });
    assert.match(createFailureMessage(err), /11 min 40 s.*10-minute idempotency window/);
  });
  it('rate-limit progress text: "fal is rate limiting: retrying in 2 min" (item 7)', () => {
    assert.equal(rateLimitWaitText(120_000), 'fal is rate limiting: retrying in 2 min');
    assert.equal(rateLimitWaitText(119_400), 'fal is rate limiting: retrying in 2 min');
    assert.equal(rateLimitWaitText(45_000), 'fal is rate limiting: retrying in 45 s');
    assert.equal(rateLimitWaitText(90_000), 'fal is rate limiting: retrying in 1 min 30 s');
  });
  it('progress text: "Provisioning 8x H100… 1m 40s"', () => {
    assert.equal(provisioningText('8x H100', 100_000), 'Provisioning 8x H100… 1m 40s');
    assert.equal(provisioningText('1x H100', 7_400, 'pending'), 'Provisioning 1x H100… 7s (pending)');
  });
});

describe('delete wording and targets', () => {
  it('names the instance and says data is destroyed and billing stops', () => {
    const t = deleteConfirmation([{ id: 'inst_a', label: '8x H100', ip: '203.0.113.10' }]);
    assert.equal(t.message, 'Delete 8x H100 inst_a (203.0.113.10)?');
    assert.match(t.detail, /machine and all its data are destroyed/);
    assert.match(t.detail, /Billing stops/);
    const many = deleteConfirmation([
      { id: 'inst_a', label: '8x H100' },
      { id: 'inst_b', label: '1x H100' },
    ]);
    assert.equal(many.message, 'Delete 2 instances?');
    assert.match(many.detail, /inst_a[\s\S]*inst_b/);
  });
  it('targets: the selection when the clicked row is in it, else the clicked row; none from the palette', () => {
    const a = { kind: 'instance', id: 'a' };
    const b = { kind: 'instance', id: 'b' };
    const c = { kind: 'instance', id: 'c' };
    assert.deepEqual(deleteTargets(a, [a, b]), ['a', 'b']);
    assert.deepEqual(deleteTargets(c, [a, b]), ['c']);
    assert.deepEqual(deleteTargets(a, undefined), ['a']);
    assert.deepEqual(deleteTargets(undefined, undefined), []);
    assert.deepEqual(deleteTargets('x'), ['x']);
    assert.deepEqual(deleteTargets({ kind: 'group', id: 'g' }), []);
  });
});

describe('pending creates against the emulator', () => {
  let fal: FalEmulator;
  let client: FalComputeClient;
  beforeEach(async () => {
    fal = await FalEmulator.start({ timeline: { provisioningMs: 50 } });
    client = new FalComputeClient({
      apiKey: DEFAULT_EMULATOR_KEY,
      baseUrl: fal.baseUrl,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
  });
  afterEach(() => fal.close());

  const pendingOf = (startedAt: number, privateKeyPath?: string): PendingCreate => ({
    idempotencyKey: `idem-${startedAt}`,
    input: { instanceType: 'gpu_8x_h100_sxm5', sshKey: PUB, sector: 'sector_1' },
    ...(privateKeyPath && { privateKeyPath }),
    startedAt,
  });

  it('a create interrupted after fal committed it is replayed with the same key: exactly one instance, key recorded', async () => {
    const state = new MapState();
    const store = new PendingCreates(new StoredState(state));
    const p = pendingOf(Date.now() - 60_000, '/home/u/.ssh/fal_ed25519');
    await store.save(p);
    // The first send reached fal (committed), then the window reloaded: simulate with a direct send.
    fal.addFault({ route: 'create', kind: 'drop-after-commit' });
    await assert.rejects(
      new FalComputeClient({
        apiKey: DEFAULT_EMULATOR_KEY,
        baseUrl: fal.baseUrl,
        retry: { maxAttempts: 1 },
      }).createInstance(p.input, { idempotencyKey: p.idempotencyKey }),
    );
    assert.equal(fal.instances().length, 1);
    fal.addFault({ route: 'create', kind: 'status', status: 500 });
    const remembered: [string, string][] = [];
    const outcomes = await reconcilePendingCreates({
      pending: store,
      client,
      rememberKey: async (id, path) => void remembered.push([id, path]),
    });
    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0]!.kind, 'created');
    assert.equal(fal.instances().length, 1, 'exactly one instance');
    const creates = fal.requests.filter((r) => r.method === 'POST');
    assert.ok(creates.length >= 3);
    assert.ok(
      creates.every((r) => r.idempotencyKey === p.idempotencyKey),
      'every create used the saved key',
    );
    assert.ok(
      creates.every(
        (r) =>
          JSON.stringify(r.body) ===
          JSON.stringify({ instance_type: 'gpu_8x_h100_sxm5', ssh_key: PUB, sector: 'sector_1' }),
      ),
    );
    assert.deepEqual(remembered, [[fal.instances()[0]!.id, '/home/u/.ssh/fal_ed25519']]);
    assert.deepEqual(store.list(), [], 'cleared once confirmed');
  });

  it('an unreadable answer on every attempt leaves the create pending; the next resume uses the same key: exactly one instance (item 6)', async () => {
    const store = new PendingCreates(new StoredState(new MapState()));
    const p = pendingOf(Date.now() - 60_000);
    await store.save(p);
    fal.addFault({ route: 'create', kind: 'unreadable-success', times: 4 });
    const first = await reconcilePendingCreates({ pending: store, client, rememberKey: async () => undefined });
    assert.deepEqual(
      first.map((o) => o.kind),
      ['unresolved'],
    );
    assert.deepEqual(
      store.list().map((x) => x.idempotencyKey),
      [p.idempotencyKey],
      'still pending: fal may have created it',
    );
    assert.equal(fal.instances().length, 1, 'fal did create it (its answer was unreadable)');
    const second = await reconcilePendingCreates({ pending: store, client, rememberKey: async () => undefined });
    assert.deepEqual(
      second.map((o) => o.kind),
      ['created'],
    );
    assert.equal(fal.instances().length, 1, 'exactly one instance');
    assert.ok(
      fal.requests.filter((r) => r.method === 'POST').every((r) => r.idempotencyKey === p.idempotencyKey),
      'never a new key',
    );
    assert.deepEqual(store.list(), []);
  });

  it('a pending create older than 9 minutes is dropped without any request', async () => {
    const store = new PendingCreates(new StoredState(new MapState()));
    await store.save(pendingOf(Date.now() - REPLAY_WINDOW_MS - 1));
    const outcomes = await reconcilePendingCreates({ pending: store, client, rememberKey: async () => undefined });
    assert.deepEqual(
      outcomes.map((o) => o.kind),
      ['expired'],
    );
    assert.equal(fal.requests.length, 0);
    assert.deepEqual(store.list(), []);
  });

  it('a definite refusal is reported and cleared (no endless replays)', async () => {
    const store = new PendingCreates(new StoredState(new MapState()));
    await store.save(pendingOf(Date.now()));
    fal.addFault({ route: 'create', kind: 'status', status: 403, message: CREDIT });
    const outcomes = await reconcilePendingCreates({ pending: store, client, rememberKey: async () => undefined });
    assert.equal(outcomes[0]!.kind, 'failed');
    assert.ok(createFailureMessage((outcomes[0] as { error: unknown }).error).includes(CREDIT));
    assert.equal(fal.instances().length, 0);
    assert.deepEqual(store.list(), []);
  });
});
