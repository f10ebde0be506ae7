// When to try a request again, as pure functions (clock and randomness are parameters).
//
// Two classes of request:
// - `idempotent` (GET, DELETE): repeating them is harmless, so transient failures are retried
//   within a short wall-clock budget.
// - `create` (POST with an Idempotency-Key): fal keeps the outcome of a key for 10 minutes, so a
//   replay with the same key never starts a second billable machine — but only inside that
//   window. Attempts therefore never start later than `createWindowMs` after the first one.

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Idempotent requests: no attempt starts later than this after the first attempt started. */
  budgetMs: number;
  /** Create: no attempt starts later than this after the first attempt started (fal caches keys 10 min). */
  createWindowMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  budgetMs: 30_000,
  createWindowMs: 540_000,
};

export type RequestClass = 'idempotent' | 'create';

/** What went wrong with one attempt, as far as retrying is concerned. */
export type AttemptFailure =
  | { kind: 'status'; status: number; retryAfterMs?: number }
  | { kind: 'network' }
  | { kind: 'timeout' }
  /** A 2xx whose body cannot be used. For a create, fal may have acted on it: like a dropped answer. */
  | { kind: 'unreadable' };

const RETRYABLE_STATUSES: Record<RequestClass, ReadonlySet<number>> = {
  idempotent: new Set([408, 429, 500, 502, 503, 504]),
  // 409: fal may report a replay that is still in flight; the same key settles it.
  create: new Set([408, 409, 429, 500, 502, 503, 504]),
};

export function isRetryableFailure(requestClass: RequestClass, failure: AttemptFailure): boolean {
  // Reading a GET's answer again gives the same unreadable answer; a create's replay may not.
  if (failure.kind === 'unreadable') return requestClass === 'create';
  if (failure.kind !== 'status') return true;
  return RETRYABLE_STATUSES[requestClass].has(failure.status);
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base·2^(attempt-1))). */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** `Retry-After` as delay-seconds or an HTTP date; undefined when absent or unparseable. */
export function parseRetryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date always names its month; this keeps Date.parse from reading "-3" as a year.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export interface RetryQuestion {
  requestClass: RequestClass;
  failure: AttemptFailure;
  /** The attempt that just failed, starting at 1. */
  attempt: number;
  /** Time since the first attempt started. */
  elapsedMs: number;
  policy: RetryPolicy;
  random: () => number;
}

/** Why no retry: the failure is final, the attempts are used up, or the wait would pass the deadline. */
export type NoRetryReason = 'final' | 'attempts' | 'deadline';
export type RetryDecision =
  { retry: true; delayMs: number } | { retry: false; reason: NoRetryReason; delayMs?: number };

export function decideRetry(q: RetryQuestion): RetryDecision {
  if (!isRetryableFailure(q.requestClass, q.failure)) return { retry: false, reason: 'final' };
  if (q.attempt >= q.policy.maxAttempts) return { retry: false, reason: 'attempts' };
  const retryAfterMs = q.failure.kind === 'status' ? q.failure.retryAfterMs : undefined;
  const delayMs = retryAfterMs ?? backoffDelayMs(q.attempt, q.policy, q.random);
  const deadlineMs = q.requestClass === 'create' ? q.policy.createWindowMs : q.policy.budgetMs;
  // Sleeping past the deadline only to give up afterwards would waste the user's time.
  if (q.elapsedMs + delayMs > deadlineMs) return { retry: false, reason: 'deadline', delayMs };
  return { retry: true, delayMs };
}
