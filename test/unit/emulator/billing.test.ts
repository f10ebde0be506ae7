// The emulator's GET /account/billing: a balance that drains while instances exist, at the
// configured hourly rates, in fake time; scripted 403/404; the control plane's billing routes.
import assert from 'node:assert/strict';
import { DEFAULT_EMULATOR_KEY } from '../../emulator';
import { call, manualClock, useEmulator } from './helpers';

const HOUR = 3_600_000;
const credits = async (baseUrl: string, key?: string) =>
  (await call(baseUrl, 'GET', '/account/billing?expand=credits', key ? { key } : {})).json.credits;

describe('emulator: account billing', () => {
  const clock = manualClock();
  const fal = useEmulator(() => ({
    now: clock.now,
    keys: [{ key: DEFAULT_EMULATOR_KEY }, { key: 'no-billing-id:secret', billing: false }],
    billing: { balance: 412, hourlyRates: { gpu_1x_h100_sxm5: 2, gpu_8x_h100_sxm5: 16 } },
  }));

  it('drains at the configured rate of every instance that exists, and stops with its delete', async () => {
    const { baseUrl } = fal();
    assert.deepEqual(await credits(baseUrl), { current_balance: 412, currency: 'USD' });
    const [big] = fal().seed([{ instance_type: 'gpu_8x_h100_sxm5' }, { instance_type: 'gpu_1x_h100_sxm5' }]);
    clock.advance(HOUR);
    assert.equal((await credits(baseUrl)).current_balance, 394, '16 + 2 per hour');
    assert.equal((await call(baseUrl, 'DELETE', `/compute/instances/${big!.id}`)).status, 204);
    clock.advance(HOUR / 2);
    assert.equal((await credits(baseUrl)).current_balance, 393, 'the 1x alone: 2 per hour');
  });

  it('an instance frozen as stopped drains nothing; the balance never goes below 0', async () => {
    const { baseUrl } = fal();
    fal().seed([{ instance_type: 'gpu_8x_h100_sxm5', status: 'stopped' }]);
    clock.advance(10 * HOUR);
    assert.equal((await credits(baseUrl)).current_balance, 412);
    fal().seed([{ instance_type: 'gpu_8x_h100_sxm5', status: 'ready' }]);
    clock.advance(100 * HOUR);
    assert.equal((await credits(baseUrl)).current_balance, 0);
  });

  it('setBilling changes the account from now on (what drained stays drained); reset() restores the options', async () => {
    const { baseUrl } = fal();
    fal().seed([{ instance_type: 'gpu_8x_h100_sxm5' }]);
    clock.advance(HOUR);
    fal().setBilling({ hourlyRates: { gpu_8x_h100_sxm5: 160 } });
    clock.advance(HOUR / 4);
    assert.equal((await credits(baseUrl)).current_balance, 356, '412 − 16 − 160/4');
    fal().setBilling({ balance: 1_000, currency: 'EUR' });
    assert.deepEqual(await credits(baseUrl), { current_balance: 1_000, currency: 'EUR' });
    fal().reset();
    assert.deepEqual(await credits(baseUrl), { current_balance: 412, currency: 'USD' });
  });

  it("scripts 403 and 404 (a key without billing permission, faults), and the control plane's billing routes", async () => {
    const { baseUrl } = fal();
    const denied = await call(baseUrl, 'GET', '/account/billing?expand=credits', { key: 'no-billing-id:secret' });
    assert.equal(denied.status, 403);
    assert.equal(denied.json.error.type, 'authorization_error');
    assert.equal((await call(baseUrl, 'GET', '/compute/instances', { key: 'no-billing-id:secret' })).status, 200);
    fal().addFault({ route: 'billing', kind: 'status', status: 404 });
    assert.equal((await call(baseUrl, 'GET', '/account/billing?expand=credits')).status, 404);
    assert.equal((await call(baseUrl, 'GET', '/account/billing?expand=credits')).status, 200, 'once');
    fal().addFault({ route: 'billing', kind: 'raw-body', json: '{"username":"x","credits":{"current_balance":NaN}}' });
    assert.match((await call(baseUrl, 'GET', '/account/billing?expand=credits').catch((e) => e)).message, /JSON/);

    const control = baseUrl.replace(/\/v1$/, '/_emulator/billing');
    const patched = await fetch(control, { method: 'PATCH', body: JSON.stringify({ balance: 12.5, username: 'lab' }) });
    assert.equal(patched.status, 200);
    assert.deepEqual(await credits(baseUrl), { current_balance: 12.5, currency: 'USD' });
    const state = (await (await fetch(control)).json()) as { username: string; hourlyRates: Record<string, number> };
    assert.equal(state.username, 'lab');
    assert.equal(state.hourlyRates.gpu_8x_h100_sxm5, 16);
    const refused = await fetch(control, { method: 'PATCH', body: JSON.stringify({ balance: '12' }) });
    assert.equal(refused.status, 400);
  });
});
