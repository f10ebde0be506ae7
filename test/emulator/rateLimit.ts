// Optional per-key token bucket. fal documents 429 rate_limited on every operation but no
// numbers and no Retry-After header (fal §6), so both the rate and the header are options.

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly tokensPerMs: number;

  constructor(
    private readonly requestsPerMinute: number,
    private readonly now: () => number,
  ) {
    this.tokensPerMs = requestsPerMinute / 60_000;
  }

  /** Takes a token for `apiKey`; when none is left returns the seconds until the next one. */
  take(apiKey: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const now = this.now();
    const bucket = this.buckets.get(apiKey) ?? { tokens: this.requestsPerMinute, at: now };
    bucket.tokens = Math.min(this.requestsPerMinute, bucket.tokens + (now - bucket.at) * this.tokensPerMs);
    bucket.at = now;
    this.buckets.set(apiKey, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.tokensPerMs / 1000)) };
  }

  clear(): void {
    this.buckets.clear();
  }
}
