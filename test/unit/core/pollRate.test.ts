// Poll what changes (issue 11): watching one starting machine among 1,000 costs one GET by id per
// fast tick plus the slow full list — not ten pages every 3 s. The same simulation `npm run bench` reports.
import assert from 'node:assert/strict';
import { pollRate } from '../../bench/pollRate';

describe('request rate while an instance starts (real scheduler, sync, client and emulator; fake time)', function () {
  this.timeout(60_000);

  it('1 provisioning among 1,000: the instance by id every 3 s, the 10-page list once a minute (≤ 30/min)', async () => {
    const r = await pollRate(1000, 1, 3);
    assert.ok(r.perMinute <= 30, `${r.perMinute}/min`);
    assert.equal(r.listPages, 10 * 3, 'the whole list at 0, 60 and 120 s');
    assert.equal(r.gets, 3 * 20 - 3, 'the provisioning instance on every other fast tick');
    assert.equal(r.perMinute, 29);
  });

  it('someone waiting on it (Connect When Ready) adds its GET by id every second — at most 60/min, only during the wait, none after', async () => {
    const base = await pollRate(1000, 1, 4);
    const r = await pollRate(1000, 1, 4, { fromMs: 60_000, toMs: 180_000 });
    // Every second of the 2 minutes: by id, but at 60 s and 120 s, where the whole list tells it.
    assert.equal(r.waitedGets, 118, 'asked by id every second of the wait');
    assert.ok(r.perMinuteWaiting! - base.perMinute <= 60, `${r.perMinuteWaiting}/min while waiting`);
    assert.equal(r.perMinuteWaiting, 69, '40 GETs a minute between the 20 fast ticks (29/min without a waiter)');
    assert.equal(r.waitedGetsAfter, 19, 'after the wait: the fast tick alone (every 3 s; the list at 180 s)');
    assert.equal(r.perMinuteAfterWait, base.perMinute, 'back to the rate without a waiter');
    assert.equal(r.perMinute * 4 - base.perMinute * 4, 2 * 40, 'nothing but the wait’s 80 GETs added in 4 minutes');
  });

  it('1 provisioning among 5: the one-page list every 3 s (20/min) — already the cheapest question', async () => {
    const r = await pollRate(5, 1, 3);
    assert.equal(r.gets, 0);
    assert.equal(r.perMinute, 20);
  });
});
