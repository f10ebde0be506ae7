// The Idempotency-Key cache of create. fal documents a 10-minute replay window; scope,
// body-mismatch behaviour and what is cached are undocumented (fal §5) — see the options.
import type { ComputeInstance } from './types';

interface CachedCreate {
  /** Canonical form of the request body, to detect reuse of a key with another body. */
  fingerprint: string;
  response: ComputeInstance;
  expiresAt: number;
}

export class IdempotencyCache {
  private readonly entries = new Map<string, CachedCreate>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /**
   * Guess: keys are scoped per API key (fal does not say; per-key is the safest reading,
   * one credential can never replay another's response).
   */
  lookup(apiKey: string, idempotencyKey: string): { fingerprint: string; response: ComputeInstance } | undefined {
    const id = cacheId(apiKey, idempotencyKey);
    const entry = this.entries.get(id);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return entry;
  }

  /** Only 201 responses are stored (guess: a failed create may be retried with the same key). */
  store(apiKey: string, idempotencyKey: string, fingerprint: string, response: ComputeInstance): void {
    this.entries.set(cacheId(apiKey, idempotencyKey), { fingerprint, response, expiresAt: this.now() + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }
}

function cacheId(apiKey: string, idempotencyKey: string): string {
  return `${apiKey}\n${idempotencyKey}`;
}
