// Public data types of the fal API emulator. Field names and enum values are fal's
// (OpenAPI `ComputeInstance`, see /work/shared/fal-compute-api.md §3); the string
// unions are open (`| (string & {})`) so tests can seed values fal may add later.

export const INSTANCE_TYPES = ['gpu_8x_h100_sxm5', 'gpu_1x_h100_sxm5'] as const;
export const SECTORS = ['sector_1', 'sector_2', 'sector_3'] as const;
export type InstanceType = (typeof INSTANCE_TYPES)[number];
export type Sector = (typeof SECTORS)[number];
export type Region = 'us-west' | 'us-central' | 'us-east' | 'eu-north' | 'eu-west' | 'other';
export type InstanceStatus = 'ready' | 'init' | 'pending' | 'provisioning' | 'stopped' | 'unknown';

/** An instance exactly as the API returns it (list item, get, create). */
export interface ComputeInstance {
  id: string;
  instance_type: InstanceType | (string & {});
  region: Region | (string & {});
  status: InstanceStatus | (string & {});
  sector?: Sector | (string & {});
  ip?: string;
  creator_user_nickname?: string;
}

/**
 * An instance put into the emulator directly. Without `id` one is generated; without
 * `region` it is 'us-west'. With `status` (any string) the instance stays in that state
 * and shows `ip` exactly as given; without `status` it follows the create timeline from
 * the moment it is seeded, like an instance created through the API.
 */
export interface SeedInstance extends Omit<ComputeInstance, 'id' | 'region' | 'status'> {
  id?: string;
  region?: ComputeInstance['region'];
  status?: ComputeInstance['status'];
}

/**
 * A change to an existing instance. Setting `status` freezes the instance in that state
 * (it stops following the timeline); `null` removes an optional field.
 */
export interface InstancePatch {
  instance_type?: ComputeInstance['instance_type'];
  region?: ComputeInstance['region'];
  status?: ComputeInstance['status'];
  sector?: ComputeInstance['sector'] | null;
  ip?: string | null;
  creator_user_nickname?: string | null;
}

export const DEFAULT_EMULATOR_KEY = 'emulator-key-id:emulator-key-secret';

export interface EmulatorKey {
  /** The whole `key_id:key_secret` string a client sends as `Authorization: Key <key>`. */
  key: string;
  /** ADMIN scope; compute needs it (403 otherwise). Default true. */
  admin?: boolean;
  /** The account flag `extra_permissions.compute` (403 otherwise). Default true. */
  compute?: boolean;
  /** Reported as `creator_user_nickname` of instances this key creates. Default 'developer'. */
  nickname?: string;
  /**
   * May read `GET /account/billing` (fal documents a `billing:usage:read` permission that some key
   * presets lack: 403 otherwise). Default true. Independent of `compute`.
   */
  billing?: boolean;
}

/** The account's credit, as `GET /account/billing?expand=credits` reports it (one account per emulator). */
export interface BillingOptions {
  /** The balance at start (or at reset()). Default 1000. */
  balance?: number;
  /** Default 'USD'. Any string: a client must show it as given. */
  currency?: string;
  /** `username` of the billing response. Default 'my-team'. */
  username?: string;
  /**
   * What each instance drains from the balance per hour while it exists (from create or seed to
   * delete; an instance frozen as 'stopped' drains nothing). Default: fal's public rates, $1.89 per
   * H100-hour. A test makes the balance drain fast with rates far above fal's.
   */
  hourlyRates?: Record<string, number>;
}

export interface EmulatorOptions {
  host?: string;
  port?: number;
  keys?: EmulatorKey[];
  /** Page size when `?limit` is absent. */
  pageSize?: number;
  /** A larger `?limit` is clamped to this. */
  maxPageSize?: number;
  timeline?: { pendingMs?: number; provisioningMs?: number };
  /** The IP every timeline instance shows once ready; default allocates 203.0.113.10, .11, … */
  ip?: string;
  /** Initial instances; `reset()` returns to exactly these. */
  seed?: SeedInstance[];
  idempotencyTtlMs?: number;
  /** Same Idempotency-Key with a different body: replay the first 201, or 422 validation_error. */
  idempotencyMismatch?: 'replay' | 'reject';
  /** `sector` sent with gpu_1x_h100_sxm5: drop it silently, or 400 validation_error. */
  sectorWith1x?: 'ignore' | 'reject';
  /** 0: a deleted instance is gone at once; >0: it shows 'stopped' for this long first. */
  deleteLagMs?: number;
  /** Per-key token bucket → 429 rate_limited; `Retry-After` only with `retryAfter: true`. */
  rateLimit?: { requestsPerMinute: number; retryAfter?: boolean };
  /** Added before every /v1 response. */
  latencyMs?: number;
  billing?: BillingOptions;
  /**
   * Fields fal's schema does not list, added to every instance the API returns (get, list, create) and
   * to billing's 200 answer. Guess: fal may send more than its OpenAPI lists (a hostname, a creation
   * time); `npm run smoke:live` reports what the real API sends. A field the schema lists is never
   * overridden. Default: none.
   */
  extraFields?: { instance?: Record<string, unknown>; billing?: Record<string, unknown> };
  /**
   * With a real sshd standing in for the machines (tests): each created instance's `ssh_key` is
   * appended to this authorized_keys file, as fal installs it for `ubuntu` (docs: quickstart). A
   * replayed create (same Idempotency-Key) appends nothing. Default: none.
   */
  authorizedKeysFile?: string;
  /** Clock for timeline, idempotency TTL, rate limit, delete lag and request timestamps. */
  now?: () => number;
  /** Called once per /v1 request when it has been answered or dropped (the CLI logs with it). */
  onRequest?: (record: RequestRecord) => void;
}

/** One /v1 request as the emulator saw it. Holds the key id only, never the secret. */
export interface RequestRecord {
  seq: number;
  method: string;
  path: string;
  query: Record<string, string>;
  keyId?: string;
  idempotencyKey?: string;
  /** Parsed JSON, or the raw text when it is not JSON. */
  body?: unknown;
  /** Undefined when the connection was dropped without a response. */
  status?: number;
  /** The fault applied, e.g. 'status:429', 'drop', 'delay:50ms'. */
  fault?: string;
  startedAt: number;
  endedAt?: number;
}
