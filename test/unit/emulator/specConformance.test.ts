// Keeps the emulator from drifting away from fal's published OpenAPI document (the compute paths
// and /account/billing): every operation and every response status it declares is produced by the
// emulator and checked against the declared schema.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { DEFAULT_EMULATOR_KEY, FalEmulator, type Route } from '../../emulator';
import { call, create, VALID_CREATE, type Reply } from './helpers';

const spec = JSON.parse(readFileSync('test/fixtures/fal-platform-openapi.json', 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(spec, 'spec');

/** Compiles the schema at spec#/<segments...>; refs inside it resolve against the whole spec. */
function specSchema(...segments: string[]): ValidateFunction {
  const pointer = segments.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
  return ajv.compile({ $ref: `spec#/${pointer}` });
}

function responseSchema(path: string, method: string, status: string): ValidateFunction | undefined {
  const content = spec.paths[path][method].responses[status].content;
  return content
    ? specSchema('paths', path, method, 'responses', status, 'content', 'application/json', 'schema')
    : undefined;
}

const NO_ADMIN = 'no-admin-id:no-admin-secret';
const NO_COMPUTE = 'no-compute-id:no-compute-secret';
const NO_BILLING = 'no-billing-id:no-billing-secret';

interface Emulators {
  /** Keys: the default one plus one without ADMIN scope and one without compute access. */
  main: FalEmulator;
  /** One request per minute and a frozen clock: every request after the first is a 429. */
  limited: FalEmulator;
  /** An instance that exists in `main`. */
  id: string;
}

type Scenario = (e: Emulators) => Promise<Reply>;

function withFault(route: Route, status: number, request: Scenario): Scenario {
  return (e) => {
    e.main.addFault({ route, kind: 'status', status });
    return request(e);
  };
}

function rateLimited(request: Scenario): Scenario {
  return async (e) => {
    await request({ ...e, main: e.limited });
    return request({ ...e, main: e.limited });
  };
}

// limit=2 of 3 instances, so next_cursor is a string here (null is covered below).
const list: Scenario = (e) => call(e.main.baseUrl, 'GET', '/compute/instances?limit=2');
const get: Scenario = (e) => call(e.main.baseUrl, 'GET', `/compute/instances/${e.id}`);
const post: Scenario = (e) =>
  create(e.main, { ...VALID_CREATE, instance_type: 'gpu_8x_h100_sxm5', sector: 'sector_3' });
const del: Scenario = (e) => call(e.main.baseUrl, 'DELETE', `/compute/instances/${e.id}`);
const billing: Scenario = (e) => call(e.main.baseUrl, 'GET', '/account/billing?expand=credits');

/** operationId → declared status → how to make the emulator answer with it. */
const scenarios: Record<string, Record<string, Scenario>> = {
  listComputeInstances: {
    '200': list,
    '401': (e) => call(e.main.baseUrl, 'GET', '/compute/instances', { key: null }),
    '403': (e) => call(e.main.baseUrl, 'GET', '/compute/instances', { key: NO_ADMIN }),
    '429': rateLimited(list),
    '500': withFault('list', 500, list),
  },
  createComputeInstance: {
    '201': post,
    '400': (e) => create(e.main, { instance_type: 'gpu_2x_h100_sxm5', ssh_key: 'ssh-rsa AAA' }),
    '401': (e) => create(e.main, VALID_CREATE, { key: 'unknown-id:unknown-secret' }),
    '403': (e) => create(e.main, VALID_CREATE, { key: NO_COMPUTE }),
    '429': rateLimited(post),
    '500': withFault('create', 500, post),
  },
  getComputeInstance: {
    '200': get,
    '401': (e) => call(e.main.baseUrl, 'GET', `/compute/instances/${e.id}`, { authorization: `Bearer ${NO_ADMIN}` }),
    '403': (e) => call(e.main.baseUrl, 'GET', `/compute/instances/${e.id}`, { key: NO_ADMIN }),
    '404': (e) => call(e.main.baseUrl, 'GET', '/compute/instances/inst_doesnotexist'),
    '429': rateLimited(get),
    '500': withFault('get', 500, get),
  },
  deleteComputeInstance: {
    '204': del,
    '401': (e) => call(e.main.baseUrl, 'DELETE', `/compute/instances/${e.id}`, { key: null }),
    '403': (e) => call(e.main.baseUrl, 'DELETE', `/compute/instances/${e.id}`, { key: NO_COMPUTE }),
    '404': (e) => call(e.main.baseUrl, 'DELETE', '/compute/instances/inst_doesnotexist'),
    '429': rateLimited(del),
    '500': withFault('delete', 500, del),
  },
  getAccountBilling: {
    '200': billing,
    '400': (e) => call(e.main.baseUrl, 'GET', '/account/billing?expand=invoices'),
    '401': (e) => call(e.main.baseUrl, 'GET', '/account/billing?expand=credits', { key: null }),
    '403': (e) => call(e.main.baseUrl, 'GET', '/account/billing?expand=credits', { key: NO_BILLING }),
    '429': rateLimited(billing),
    '500': withFault('billing', 500, billing),
  },
};

const operations = Object.entries(
  spec.paths as Record<string, Record<string, { operationId: string; responses: object }>>,
).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));

describe('emulator: conformance to fal’s OpenAPI document', () => {
  let emulators: Emulators;

  beforeEach(async () => {
    const keys = [
      { key: DEFAULT_EMULATOR_KEY },
      { key: NO_ADMIN, admin: false },
      { key: NO_COMPUTE, compute: false },
      { key: NO_BILLING, billing: false },
    ];
    const main = await FalEmulator.start({
      keys,
      timeline: { provisioningMs: 0 },
      seed: [
        {
          id: 'inst_full',
          instance_type: 'gpu_8x_h100_sxm5',
          region: 'us-east',
          sector: 'sector_1',
          status: 'ready',
          ip: '203.0.113.42',
          creator_user_nickname: 'developer',
        },
        { instance_type: 'gpu_1x_h100_sxm5', status: 'provisioning' },
        { instance_type: 'gpu_1x_h100_sxm5' },
      ],
    });
    const limited = await FalEmulator.start({
      keys,
      rateLimit: { requestsPerMinute: 1 },
      now: () => 0,
      seed: [{ id: 'inst_full', instance_type: 'gpu_1x_h100_sxm5', status: 'ready' }],
    });
    emulators = { main, limited, id: 'inst_full' };
  });
  afterEach(async () => {
    await emulators.main.close();
    await emulators.limited.close();
  });

  it('has a scenario for exactly the operations and statuses the spec declares', () => {
    const declared = Object.fromEntries(operations.map(({ op }) => [op.operationId, Object.keys(op.responses).sort()]));
    const covered = Object.fromEntries(
      Object.entries(scenarios).map(([id, byStatus]) => [id, Object.keys(byStatus).sort()]),
    );
    assert.deepEqual(covered, declared);
  });

  for (const { path, method, op } of operations) {
    for (const status of Object.keys(op.responses)) {
      it(`${op.operationId} (${method.toUpperCase()} ${path}) answers ${status} as declared`, async () => {
        const reply = await scenarios[op.operationId]![status]!(emulators);
        assert.equal(reply.status, Number(status), reply.text);
        const validate = responseSchema(path, method, status);
        if (!validate) {
          assert.equal(reply.text, '', 'a response without declared content must have an empty body');
          return;
        }
        assert.match(reply.headers.get('content-type') ?? '', /^application\/json/);
        const { json } = reply;
        assert.ok(validate(reply.json), `${reply.text}\n${ajv.errorsText(validate.errors)}`);
        // Optional in the spec, but the emulator always sends one so clients can show it.
        if (reply.status >= 400) assert.match(json.error.request_id, /^req_/);
      });
    }
  }

  it('lists instances in every state the emulator produces, all valid', async () => {
    const { main } = emulators;
    main.seed([
      { instance_type: 'gpu_1x_h100_sxm5', status: 'stopped' },
      { instance_type: 'gpu_8x_h100_sxm5', status: 'unknown', sector: 'sector_2' },
    ]);
    await post(emulators);
    const reply = await call(main.baseUrl, 'GET', '/compute/instances');
    assert.equal(reply.json.instances.length, 6);
    assert.ok(responseSchema('/compute/instances', 'get', '200')!(reply.json), reply.text);
  });

  it('accepts exactly the create bodies the spec’s request schema accepts', async () => {
    const requestSchema = specSchema(
      'paths',
      '/compute/instances',
      'post',
      'requestBody',
      'content',
      'application/json',
      'schema',
    );
    // sector with the 1x type is schema-valid; the emulator's strict default is a separate option.
    const lenient = await FalEmulator.start({ sectorWith1x: 'ignore' });
    try {
      const bodies: unknown[] = [
        VALID_CREATE,
        { ...VALID_CREATE, sector: 'sector_2' },
        { ...VALID_CREATE, instance_type: 'gpu_8x_h100_sxm5', sector: 'sector_1', extra: true },
        { ...VALID_CREATE, ssh_key: '' },
        { instance_type: 'gpu_1x_h100_sxm5' },
        { ssh_key: 'ssh-rsa AAA' },
        { ...VALID_CREATE, instance_type: 'GPU_1X_H100_SXM5' },
        { ...VALID_CREATE, sector: 'sector_4' },
        { ...VALID_CREATE, sector: null },
        { ...VALID_CREATE, ssh_key: 42 },
        [VALID_CREATE],
        'gpu_1x_h100_sxm5',
        null,
      ];
      for (const body of bodies) {
        const reply = await create(lenient, body);
        assert.equal(
          reply.status === 201,
          requestSchema(body),
          `${JSON.stringify(body)} → ${reply.status} ${reply.text}`,
        );
      }
    } finally {
      await lenient.close();
    }
  });

  it('a schema-violation fault really produces bodies the spec rejects', async () => {
    const { main } = emulators;
    main.addFault({ route: 'list', kind: 'schema-violation' });
    main.addFault({ route: 'get', kind: 'schema-violation' });
    main.addFault({ route: 'billing', kind: 'schema-violation' });
    const listed = await list(emulators);
    const got = await get(emulators);
    const billed = await billing(emulators);
    assert.equal(responseSchema('/compute/instances', 'get', '200')!(listed.json), false);
    assert.equal(responseSchema('/compute/instances/{id}', 'get', '200')!(got.json), false);
    assert.equal(responseSchema('/account/billing', 'get', '200')!(billed.json), false);
  });

  it('billing: credits only when expanded; a balance that is never negative, in the currency set, all valid', async () => {
    const validate = responseSchema('/account/billing', 'get', '200')!;
    const { main } = emulators;
    const plain = await call(main.baseUrl, 'GET', '/account/billing');
    assert.deepEqual(plain.json, { username: 'my-team' });
    assert.ok(validate(plain.json), plain.text);
    main.setBilling({ balance: 0, currency: 'EUR', username: 'other-team' });
    const drained = await billing(emulators);
    assert.deepEqual(drained.json, { username: 'other-team', credits: { current_balance: 0, currency: 'EUR' } });
    assert.ok(validate(drained.json), drained.text);
    // Only compute needs compute access; billing keeps answering that key (and a no-billing key lists).
    const noCompute = await call(main.baseUrl, 'GET', '/account/billing?expand=credits', { key: NO_COMPUTE });
    assert.equal(noCompute.status, 200, noCompute.text);
    assert.equal((await call(main.baseUrl, 'GET', '/compute/instances', { key: NO_BILLING })).status, 200);
  });
});
