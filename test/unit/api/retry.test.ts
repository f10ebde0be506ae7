import assert from 'node:assert/strict';
import {
  backoffDelayMs,
  decideRetry,
  DEFAULT_RETRY_POLICY,
  isRetryableFailure,
  parseRetryAfterMs,
  type AttemptFailure,
  type RetryQuestion,
} from '../../../src/api/retry';

const policy = { ...DEFAULT_RETRY_POLICY };
const status = (s: number, retryAfterMs?: number): AttemptFailure => ({ kind: 'status', status: s, retryAfterMs });
const ask = (q: Partial<RetryQuestion>) =>
  decideRetry({
    requestClass: 'idempotent',
    failure: status(503),
    attempt: 1,
    elapsedMs: 0,
    policy,
    random: () => 0.5,
    ...q,
  });

describe('api/retry', () => {
  it('defaults to 4 attempts, 500 ms base, 8 s cap, 30 s budget and a 9-minute create window', () => {
    assert.deepEqual(DEFAULT_RETRY_POLICY, {
      maxAttempts: 4,
      baseDelayMs: 500,
      maxDelayMs: 8000,
      budgetMs: 30000,
      createWindowMs: 540000,
    });
  });

  it('backs off exponentially with full jitter, capped', () => {
    assert.equal(
      backoffDelayMs(1, policy, () => 0),
      0,
    );
    assert.equal(
      backoffDelayMs(1, policy, () => 0.5),
      250,
    );
    assert.equal(
      backoffDelayMs(3, policy, () => 0.5),
      1000,
    );
    assert.equal(
      backoffDelayMs(10, policy, () => 0.999999),
      7999,
    );
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfterMs('1', now), 1000);
    assert.equal(parseRetryAfterMs(' 2.5 ', now), 2500);
    assert.equal(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:07 GMT', now), 7000);
    assert.equal(parseRetryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', now), 0);
    assert.equal(parseRetryAfterMs('soon', now), undefined);
    assert.equal(parseRetryAfterMs('-3', now), undefined);
    assert.equal(parseRetryAfterMs(undefined, now), undefined);
  });

  it('retries GET/DELETE on 408, 429, 5xx gateway errors and transport failures only', () => {
    for (const s of [408, 429, 500, 502, 503, 504]) assert.ok(isRetryableFailure('idempotent', status(s)), String(s));
    for (const s of [400, 401, 403, 404, 409, 422, 501])
      assert.ok(!isRetryableFailure('idempotent', status(s)), String(s));
    assert.ok(isRetryableFailure('idempotent', { kind: 'network' }));
    assert.ok(isRetryableFailure('idempotent', { kind: 'timeout' }));
  });

  it('retries create also on 409, but never on 400, 401, 403 or 404', () => {
    for (const s of [408, 409, 429, 500, 502, 503, 504]) assert.ok(isRetryableFailure('create', status(s)), String(s));
    for (const s of [400, 401, 403, 404]) assert.ok(!isRetryableFailure('create', status(s)), String(s));
    assert.ok(isRetryableFailure('create', { kind: 'network' }));
  });

  it('uses the jittered backoff as the delay and stops after maxAttempts', () => {
    assert.deepEqual(ask({ attempt: 2 }), { retry: true, delayMs: 500 });
    assert.deepEqual(ask({ attempt: 4 }), { retry: false, reason: 'attempts' });
    assert.deepEqual(ask({ failure: status(401) }), { retry: false, reason: 'final' });
  });

  it('honours Retry-After, but gives up instead of sleeping past the budget', () => {
    assert.deepEqual(ask({ failure: status(429, 3000) }), { retry: true, delayMs: 3000 });
    assert.deepEqual(ask({ failure: status(429, 3000), elapsedMs: 28000 }), {
      retry: false,
      reason: 'deadline',
      delayMs: 3000,
    });
    assert.deepEqual(ask({ failure: status(429, 60000) }), { retry: false, reason: 'deadline', delayMs: 60000 });
  });

  it('lets create retry only inside the idempotency window', () => {
    const create = (elapsedMs: number, retryAfterMs?: number) =>
      ask({ requestClass: 'create', failure: status(503, retryAfterMs), elapsedMs });
    assert.deepEqual(create(120_000), { retry: true, delayMs: 250 });
    assert.deepEqual(create(539_000, 2000), { retry: false, reason: 'deadline', delayMs: 2000 });
    assert.deepEqual(create(540_001), { retry: false, reason: 'deadline', delayMs: 250 });
  });

  it('retries an unreadable success only for create, where fal may have acted on it (issue 10 item 6)', () => {
    assert.ok(isRetryableFailure('create', { kind: 'unreadable' }));
    assert.ok(!isRetryableFailure('idempotent', { kind: 'unreadable' }));
  });
});
