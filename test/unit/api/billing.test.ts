// GET /account/billing?expand=credits: the client against the emulator over loopback HTTP (a
// balance, hostile bodies, 403, 404, 401), and the pure judgement of a balance with fast-check.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FalApiError, FalComputeClient, FalResponseError, MAX_CREDIBLE_BALANCE, type Credit } from '../../../src/api';
import { readCredit } from '../../../src/api/billing';
import { Redactor } from '../../../src/api/redaction';
import { keyRejectionOf } from '../../../src/core/apiFailures';
import { DEFAULT_EMULATOR_KEY, FalEmulator } from '../../emulator';

const NO_BILLING = 'no-billing-id:no-billing-secret';
const FAST_RETRY = { baseDelayMs: 10, maxDelayMs: 50 };

describe('client: account billing (loopback HTTP, emulator)', () => {
  let fal: FalEmulator;
  const client = (apiKey = DEFAULT_EMULATOR_KEY) =>
    new FalComputeClient({ apiKey, baseUrl: fal.baseUrl, retry: FAST_RETRY });
  const billingRequests = () => fal.requests.filter((r) => r.path === '/v1/account/billing');
  beforeEach(async () => {
    fal = await FalEmulator.start({
      keys: [{ key: DEFAULT_EMULATOR_KEY }, { key: NO_BILLING, billing: false }],
      billing: { balance: 412, username: 'my-team' },
    });
  });
  afterEach(() => fal.close());

  it('reads the username and the balance with ?expand=credits, in the currency given', async () => {
    assert.deepEqual(await client().getAccountBilling(), {
      readable: true,
      username: 'my-team',
      credit: { known: true, balance: 412, currency: 'USD' },
    });
    assert.deepEqual(billingRequests()[0]?.query, { expand: 'credits' });
    fal.setBilling({ balance: 99.5, currency: 'EUR' });
    const read = await client().getAccountBilling();
    assert.deepEqual(read.readable && read.credit, { known: true, balance: 99.5, currency: 'EUR' });
  });

  const hostile: [string, string, RegExp][] = [
    ['a negative balance', '{"username":"t","credits":{"current_balance":-5,"currency":"USD"}}', /negative/],
    [
      'a balance that is a string',
      '{"username":"t","credits":{"current_balance":"412.00","currency":"USD"}}',
      /not a number/,
    ],
    ['a huge balance', '{"username":"t","credits":{"current_balance":1e13,"currency":"USD"}}', /too large/],
    ['a balance past a double', '{"username":"t","credits":{"current_balance":1e400,"currency":"USD"}}', /too large/],
    ['no credits although asked', '{"username":"t"}', /no balance/],
    ['credits null', '{"username":"t","credits":null}', /no balance/],
    ['credits that are a number', '{"username":"t","credits":412}', /cannot read/],
    ['no currency', '{"username":"t","credits":{"current_balance":5}}', /not a currency code/],
    [
      'a currency that is markup',
      '{"username":"t","credits":{"current_balance":5,"currency":"[x](command:y)"}}',
      /not a currency code/,
    ],
  ];
  for (const [what, json, reason] of hostile) {
    it(`${what}: the balance is not known, with the reason, never a number`, async () => {
      fal.addFault({ route: 'billing', kind: 'raw-body', json });
      const read = await client().getAccountBilling();
      assert.ok(read.readable);
      assert.equal(read.credit.known, false);
      assert.match(!read.credit.known ? read.credit.reason : '', reason);
    });
  }

  it('a body that is no billing answer at all (NaN is not JSON; no username) is a FalResponseError naming the endpoint', async () => {
    fal.addFault({ route: 'billing', kind: 'raw-body', json: '{"username":"t","credits":{"current_balance":NaN}}' });
    await assert.rejects(client().getAccountBilling(), (e: unknown) => {
      assert.ok(e instanceof FalResponseError, String(e));
      assert.match(e.message, /GET \/account\/billing/);
      return true;
    });
    fal.addFault({ route: 'billing', kind: 'schema-violation' });
    await assert.rejects(client().getAccountBilling(), /username/);
  });

  it('403 (a key without billing permission): "not readable", returned once — never thrown, never retried, never a key rejection', async () => {
    const read = await client(NO_BILLING).getAccountBilling();
    assert.deepEqual(read, { readable: false, status: 403, said: 'Access denied' });
    assert.equal(billingRequests().length, 1, 'one request: a 403 is an answer, not a failure to retry');
    assert.equal(keyRejectionOf(read), undefined, 'the outcome is no error the key policy could take for a rejection');
    // The same key still lists instances: billing's 403 says nothing about Compute.
    assert.deepEqual((await client(NO_BILLING).listInstances()).instances, []);
  });

  it('404 (scripted): "not readable", once', async () => {
    fal.addFault({ route: 'billing', kind: 'status', status: 404, times: Infinity });
    assert.deepEqual(await client().getAccountBilling(), {
      readable: false,
      status: 404,
      said: 'Resource not found',
    });
    assert.equal(billingRequests().length, 1);
  });

  it("401 and 5xx stay errors like any call's: a wrong key is a wrong key for every endpoint", async () => {
    await assert.rejects(client('wrong-id:wrong-secret').getAccountBilling(), (e: unknown) => {
      assert.ok(e instanceof FalApiError && e.status === 401);
      assert.equal(keyRejectionOf(e)?.kind, 'wrongKey');
      return true;
    });
    fal.addFault({ route: 'billing', kind: 'status', status: 503, times: Infinity });
    await assert.rejects(client().getAccountBilling(), (e: unknown) => e instanceof FalApiError && e.status === 503);
    assert.equal(billingRequests().filter((r) => r.status === 503).length, 1, 'sent once: the pace is the retry');
  });

  it('a compute 403 is still "key rejected" (noAccess): the one policy is unchanged for Compute', async () => {
    await fal.close();
    fal = await FalEmulator.start({ keys: [{ key: DEFAULT_EMULATOR_KEY, compute: false }] });
    const error = await client()
      .listInstances()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.equal(keyRejectionOf(error)?.kind, 'noAccess');
    const read = await client().getAccountBilling();
    assert.equal(read.readable && read.credit.known, true, 'billing answers a key without compute access');
  });
});

describe('readCredit: only a credible balance becomes a number', () => {
  const ctx = { redactor: new Redactor('key-id:key-secret-value') };

  it('whatever fal sends as credits: a finite balance in [0, 1e12] with a 3-letter code, or not known with a reason', () => {
    const balance = fc.oneof(
      fc.double(),
      fc.double({ min: 0, max: MAX_CREDIBLE_BALANCE, noNaN: true }),
      fc.integer(),
      fc.string(),
      fc.constantFrom(null, undefined, true, [], {}),
    );
    const currency = fc.oneof(fc.constantFrom('USD', 'EUR', 'usd', 'US$', '', 'DOLLARS'), fc.string(), fc.integer());
    const credits = fc.oneof(
      fc.record({ current_balance: balance, currency }),
      fc.record({ current_balance: balance }),
      fc.anything(),
    );
    fc.assert(
      fc.property(credits, (value) => {
        const credit: Credit = readCredit(value, ctx);
        if (credit.known) {
          assert.ok(Number.isFinite(credit.balance) && credit.balance >= 0 && credit.balance <= MAX_CREDIBLE_BALANCE);
          assert.match(credit.currency, /^[A-Za-z]{3}$/);
          assert.equal(credit.balance, (value as { current_balance: number }).current_balance);
        } else assert.ok(credit.reason.length > 0);
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps every credible balance and the currency as given (never converted)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: MAX_CREDIBLE_BALANCE, noNaN: true }),
        fc.constantFrom('USD', 'EUR', 'chf'),
        (balance, currency) =>
          assert.deepEqual(readCredit({ current_balance: balance, currency }, ctx), {
            known: true,
            balance,
            currency,
          }),
      ),
    );
  });
});
