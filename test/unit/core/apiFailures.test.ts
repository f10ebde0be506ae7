// The one place that decides what a failure means: 401 → wrong key, 403 → no access (unless it is
// fal's credit gate), everything else is not the key's fault. Hostile statuses and messages generated.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FalApiError, FalConfigError, FalNetworkError, FalResponseError } from '../../../src/api';
import { errorMessage, failureKind, keyRejectionOf } from '../../../src/core/apiFailures';

const CREDIT =
  'In order to start a compute instance, you have to have at least $500 in your fal credit balance per instance, as well as an automated top up with a trigger at $500.';
const apiError = (status: number, apiMessage = '') =>
  new FalApiError({
    status,
    type: 'x',
    message: `fal answered ${status}`,
    apiMessage,
    endpoint: 'GET /compute/instances',
  });

describe('apiFailures: what a failure means', () => {
  it('401 is a wrong key and 403 is missing access, whatever fal said besides', () => {
    fc.assert(
      fc.property(fc.string(), (said) => {
        assert.equal(keyRejectionOf(apiError(401, said))?.kind, 'wrongKey');
        const forbidden = keyRejectionOf(apiError(403, said));
        if (/credit|balance|top.?up|\$\s?\d+/i.test(said)) assert.equal(forbidden, undefined);
        else assert.equal(forbidden?.kind, 'noAccess');
      }),
    );
  });

  it("fal's credit gate on a 403 is a billing message, not a rejected key", () => {
    assert.equal(keyRejectionOf(apiError(403, CREDIT)), undefined);
    assert.match(keyRejectionOf(apiError(403, 'Access denied'))?.message ?? '', /^fal denied access \(403\)/);
  });

  it('no other status, and nothing that is not an HTTP answer, blames the key', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 599 }).filter((s) => s !== 401 && s !== 403),
        (status) => {
          assert.equal(keyRejectionOf(apiError(status)), undefined);
        },
      ),
    );
    for (const e of [
      new Error('401'),
      'forbidden',
      undefined,
      new FalNetworkError({ kind: 'network', message: 'reset', endpoint: 'GET /x', host: 'h' }),
    ]) {
      assert.equal(keyRejectionOf(e), undefined);
    }
  });

  it('every command says the same words for a rejected key', () => {
    const wrongKey = keyRejectionOf(apiError(401))!.message;
    const noAccess = keyRejectionOf(apiError(403))!.message;
    assert.equal(errorMessage(apiError(401, 'Authentication required')), wrongKey);
    assert.equal(errorMessage(apiError(403, 'Access denied')), noAccess);
    assert.match(wrongKey, /401.*fal\.ai\/dashboard\/keys/);
    assert.match(noAccess, /403.*ADMIN-scope API key, and the fal account needs Compute access/);
  });

  it('sorts outages for the view: offline, server, rate limit, settings, unreadable answer, other', () => {
    assert.equal(
      failureKind(new FalNetworkError({ kind: 'timeout', message: 't', endpoint: 'GET /x', host: 'h' })),
      'offline',
    );
    assert.equal(failureKind(apiError(502)), 'server');
    assert.equal(failureKind(apiError(429)), 'rateLimited');
    assert.equal(failureKind(new FalConfigError('bad url')), 'settings');
    assert.equal(failureKind(new FalResponseError('not JSON', 'GET /x', 200)), 'response');
    assert.equal(failureKind(apiError(404)), 'other');
    assert.equal(failureKind(new Error('boom')), 'other');
  });
});
