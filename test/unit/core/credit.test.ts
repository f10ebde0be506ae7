// BillingSync: what one balance read does to the credit model and the log.
import assert from 'node:assert/strict';
import { FalApiError, FalNetworkError, type BillingRead } from '../../../src/api';
import { BillingSync, CreditModel, type CreditState } from '../../../src/core/credit';

function setup(answers: (BillingRead | Error)[]) {
  const model = new CreditModel();
  const states: CreditState[] = [];
  model.onDidChange((s) => states.push(s));
  const warnings: string[] = [];
  const sync = new BillingSync({
    model,
    now: () => 1_000,
    log: { warn: (line) => warnings.push(line) },
    client: async () => ({
      getAccountBilling: async () => {
        const next = answers.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
    }),
  });
  return { model, states, warnings, sync };
}

const known = (balance: number, currency = 'USD'): BillingRead => ({
  readable: true,
  username: 'my-team',
  credit: { known: true, balance, currency },
});

describe('BillingSync', () => {
  it('a balance read: known, in the currency given', async () => {
    const t = setup([known(412, 'EUR')]);
    assert.deepEqual(await t.sync.fetch(), { kind: 'read' });
    assert.deepEqual(t.model.state, { kind: 'known', balance: 412, currency: 'EUR', at: 1_000 });
    assert.deepEqual(t.warnings, []);
  });

  it('403/404: not readable, said in one log line that names the status and that nothing else changes', async () => {
    const t = setup([{ readable: false, status: 403, said: 'Access denied' }]);
    assert.deepEqual(await t.sync.fetch(), { kind: 'notReadable' });
    assert.deepEqual(t.model.state, { kind: 'notReadable', status: 403 });
    assert.equal(t.warnings.length, 1);
    assert.match(
      t.warnings[0]!,
      /not readable with this key: GET \/account\/billing answered 403 \(fal said: "Access denied"\)/,
    );
    assert.match(t.warnings[0]!, /not asked for again until the key changes/);
  });

  it('a balance that is not credible: not known, with the reason (logged once while fal keeps sending it); never a number', async () => {
    const negative: BillingRead = {
      readable: true,
      username: 'x',
      credit: { known: false, reason: 'fal sent a negative balance (-5).' },
    };
    const t = setup([negative, negative, known(3), negative]);
    await t.sync.fetch();
    assert.deepEqual(t.model.state, { kind: 'notKnown', reason: 'fal sent a negative balance (-5).', at: 1_000 });
    await t.sync.fetch();
    assert.equal(t.warnings.length, 1, 'said once');
    await t.sync.fetch();
    await t.sync.fetch();
    assert.equal(t.warnings.length, 2, 'and again after a good read');
  });

  it('a failed read keeps the last balance (with its time) and asks the pace to back off (Retry-After)', async () => {
    const rateLimited = new FalApiError({
      status: 429,
      type: 'rate_limited',
      message: 'fal is rate limiting requests.',
      apiMessage: '',
      endpoint: 'GET /account/billing',
      retryAfterMs: 30_000,
    });
    const t = setup([known(412), rateLimited]);
    await t.sync.fetch();
    assert.deepEqual(await t.sync.fetch(), { kind: 'failed', retryAfterMs: 30_000 });
    assert.deepEqual(t.model.state, { kind: 'known', balance: 412, currency: 'USD', at: 1_000 });
    assert.match(t.warnings[0]!, /Reading the balance failed/);
  });

  it('a failed first read: not known, with the reason', async () => {
    const offline = new FalNetworkError({
      kind: 'network',
      message: 'Could not reach fal.',
      endpoint: 'GET /account/billing',
      host: 'api.fal.ai',
    });
    const t = setup([offline]);
    assert.equal((await t.sync.fetch()).kind, 'failed');
    assert.deepEqual(t.model.state, { kind: 'notKnown', reason: 'Could not reach fal.', at: 1_000 });
  });

  it("reset() forgets the last key's balance (once)", async () => {
    const t = setup([known(412)]);
    await t.sync.fetch();
    t.model.reset();
    t.model.reset();
    assert.deepEqual(t.model.state, { kind: 'unread' });
    assert.equal(t.states.length, 2);
  });
});
