// fal's four compute operations and the account's billing under /v1: routing, auth, validation and responses.
// Status codes, error types and messages follow fal's OpenAPI (fal §3, §4); everything
// fal leaves open is marked "Guess" and, where it matters to clients, is an option.
import { appendFileSync } from 'node:fs';
import type { BillingMeter } from './billing';
import { errorResponse, type ApiResponse } from './http';
import type { IdempotencyCache } from './idempotency';
import type { RateLimiter } from './rateLimit';
import type { InstanceStore } from './state';
import {
  INSTANCE_TYPES,
  SECTORS,
  type ComputeInstance,
  type EmulatorKey,
  type EmulatorOptions,
  type InstanceType,
  type Sector,
} from './types';

export type ApiRouteName = 'list' | 'get' | 'create' | 'delete' | 'billing';
export interface ApiRoute {
  name: ApiRouteName;
  /** The instance id of get/delete. */
  id?: string;
}

export interface ApiRequest {
  route: ApiRoute;
  authorization: string | undefined;
  contentType: string | undefined;
  idempotencyKey: string | undefined;
  query: URLSearchParams;
  body: { text: string; tooLarge: boolean };
}

export interface ComputeApiSettings {
  keys: EmulatorKey[];
  pageSize: number;
  maxPageSize: number | undefined;
  sectorWith1x: 'ignore' | 'reject';
  idempotencyMismatch: 'replay' | 'reject';
  retryAfterOnRateLimit: boolean;
  extraFields: NonNullable<EmulatorOptions['extraFields']>;
  authorizedKeysFile: string | undefined;
}

const COLLECTION = '/v1/compute/instances';
const BILLING = '/v1/account/billing';

/**
 * The operation a method + path addresses, or undefined (→ 404 not_found). Guess: fal's
 * answer to a wrong method is undocumented; 404 keeps to the documented error types.
 */
export function matchRoute(method: string, pathname: string): ApiRoute | undefined {
  if (pathname === BILLING) return method === 'GET' ? { name: 'billing' } : undefined;
  if (pathname === COLLECTION) {
    if (method === 'GET') return { name: 'list' };
    if (method === 'POST') return { name: 'create' };
    return undefined;
  }
  if (!pathname.startsWith(`${COLLECTION}/`)) return undefined;
  const segment = pathname.slice(COLLECTION.length + 1);
  if (segment === '' || segment.includes('/')) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    return undefined;
  }
  if (method === 'GET') return { name: 'get', id };
  if (method === 'DELETE') return { name: 'delete', id };
  return undefined;
}

/** The key id (part before ':') of a `Key id:secret` header, for logs; never the secret. */
export function keyIdOf(authorization: string | undefined): string | undefined {
  if (!authorization?.startsWith('Key ')) return undefined;
  const key = authorization.slice('Key '.length);
  const colon = key.indexOf(':');
  return colon > 0 ? key.slice(0, colon) : undefined;
}

export class ComputeApi {
  private readonly keys: Map<string, EmulatorKey>;

  constructor(
    private readonly settings: ComputeApiSettings,
    private readonly store: InstanceStore,
    private readonly idempotency: IdempotencyCache,
    private readonly rateLimiter: RateLimiter | undefined,
    private readonly billing: BillingMeter,
  ) {
    this.keys = new Map(settings.keys.map((k) => [k.key, k]));
  }

  handle(req: ApiRequest): ApiResponse {
    const auth = this.authenticate(req.authorization, req.route.name);
    if ('status' in auth) return auth;
    // Guess: limits count per authenticated key, so unauthenticated noise cannot use them up.
    const limit = this.rateLimiter?.take(auth.key);
    if (limit && !limit.allowed) {
      const headers = this.settings.retryAfterOnRateLimit
        ? { 'retry-after': String(limit.retryAfterSeconds) }
        : undefined;
      return errorResponse(429, {}, headers);
    }
    switch (req.route.name) {
      case 'list':
        return this.list(req.query);
      case 'create':
        return this.create(auth, req);
      case 'get': {
        const instance = this.store.get(req.route.id!);
        return instance ? { status: 200, body: this.shown(instance) } : errorResponse(404);
      }
      case 'delete':
        return this.store.delete(req.route.id!) ? { status: 204 } : errorResponse(404);
      case 'billing': {
        const answer = this.billing.respond(req.query);
        const extra = this.settings.extraFields.billing;
        return answer.status === 200 && extra ? { ...answer, body: { ...extra, ...(answer.body as object) } } : answer;
      }
    }
  }

  /** An instance as the API sends it: with the configured extra fields, never over a field of its own. */
  private shown(instance: ComputeInstance): ComputeInstance {
    const extra = this.settings.extraFields.instance;
    return extra ? ({ ...extra, ...instance } as ComputeInstance) : instance;
  }

  /**
   * Messages: fal's documented 401/403 texts (fal §3.4, §4); which one applies when is a guess.
   * Billing needs the key's billing permission, compute the account's compute access; both ADMIN.
   */
  private authenticate(header: string | undefined, route: ApiRouteName): EmulatorKey | ApiResponse {
    if (!header) return errorResponse(401);
    const key = header.startsWith('Key ') ? this.keys.get(header.slice('Key '.length)) : undefined;
    if (!key) return errorResponse(401, { message: 'Invalid API key or malformed Authorization header' });
    const permitted = route === 'billing' ? key.billing !== false : key.compute !== false;
    if (key.admin === false || !permitted) return errorResponse(403);
    return key;
  }

  private list(query: URLSearchParams): ApiResponse {
    let limit = this.settings.pageSize;
    const limitParam = query.get('limit');
    if (limitParam !== null) {
      // Guess: fal declares `minimum: 1` but documents no 400 for list; rejecting is what a
      // schema-validating server does and catches client bugs.
      if (!/^\d+$/.test(limitParam) || !(Number(limitParam) >= 1)) return invalid('limit must be an integer >= 1');
      limit = Number(limitParam);
    }
    if (this.settings.maxPageSize !== undefined) limit = Math.min(limit, this.settings.maxPageSize);
    const cursor = query.get('cursor');
    const page = cursor === null ? 1 : pageOfCursor(cursor);
    if (page === undefined) return invalid('cursor is invalid');

    const all = this.store.list();
    const start = (page - 1) * limit;
    const nextCursor = start + limit < all.length ? cursorOfPage(page + 1) : null;
    return {
      status: 200,
      body: {
        instances: all.slice(start, start + limit).map((i) => this.shown(i)),
        next_cursor: nextCursor,
        has_more: nextCursor !== null,
      },
    };
  }

  private create(key: EmulatorKey, req: ApiRequest): ApiResponse {
    const parsed = this.parseCreateBody(req);
    if ('status' in parsed) return parsed;
    const { instanceType, sshKey, sector } = parsed;
    const fingerprint = JSON.stringify([instanceType, sshKey, sector ?? null]);

    // Empty header = no key (a client that sends `Idempotency-Key:` means nothing by it).
    const idemKey = req.idempotencyKey || undefined;
    if (idemKey !== undefined) {
      const cached = this.idempotency.lookup(key.key, idemKey);
      if (cached) {
        if (cached.fingerprint !== fingerprint && this.settings.idempotencyMismatch === 'reject') {
          return errorResponse(422, {
            type: 'validation_error',
            message: 'Idempotency-Key was already used with a different request body',
          });
        }
        return { status: 201, body: this.shown(cached.response) };
      }
    }
    // Lookup, create and store run in one synchronous step, so concurrent creates with the
    // same key are serialised by the event loop: the second one always finds the first.
    const instance = this.store.create({
      instance_type: instanceType,
      // Guess: region assignment is fal's and undocumented; one fixed region keeps tests simple.
      region: 'us-west',
      ...(sector !== undefined && instanceType === 'gpu_8x_h100_sxm5' ? { sector } : {}),
      creator_user_nickname: key.nickname ?? 'developer',
    });
    if (idemKey !== undefined) this.idempotency.store(key.key, idemKey, fingerprint, instance);
    if (this.settings.authorizedKeysFile) appendFileSync(this.settings.authorizedKeysFile, `${sshKey.trim()}\n`);
    return { status: 201, body: this.shown(instance) };
  }

  private parseCreateBody(
    req: ApiRequest,
  ): { instanceType: InstanceType; sshKey: string; sector?: Sector } | ApiResponse {
    // fal's requestBody is application/json only; insisting on the header catches clients
    // that forget it (a real server would not parse their body either).
    if (!/^application\/json\s*(;|$)/i.test(req.contentType ?? ''))
      return invalid('Content-Type must be application/json');
    if (req.body.tooLarge) return invalid('request body is too large');
    let body: unknown;
    try {
      body = JSON.parse(req.body.text);
    } catch {
      return invalid('request body is not valid JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return invalid('request body must be a JSON object');
    // Unknown fields are ignored: the schema does not forbid additional properties.
    const { instance_type, ssh_key, sector } = body as Record<string, unknown>;
    if (!INSTANCE_TYPES.includes(instance_type as InstanceType))
      return invalid(`instance_type must be one of ${INSTANCE_TYPES.join(', ')}`);
    if (typeof ssh_key !== 'string' || ssh_key.length === 0) return invalid('ssh_key is required');
    if (sector === undefined) return { instanceType: instance_type as InstanceType, sshKey: ssh_key };
    if (!SECTORS.includes(sector as Sector)) return invalid(`sector must be one of ${SECTORS.join(', ')}`);
    // Guess: the spec says sector is "only valid with gpu_8x_h100_sxm5" without saying what
    // happens otherwise; rejecting (default) makes clients that send it anyway visible.
    if (instance_type !== 'gpu_8x_h100_sxm5' && this.settings.sectorWith1x === 'reject') {
      return invalid('sector is only valid with gpu_8x_h100_sxm5');
    }
    return { instanceType: instance_type as InstanceType, sshKey: ssh_key, sector: sector as Sector };
  }
}

function invalid(detail: string): ApiResponse {
  return errorResponse(400, { message: `Invalid request parameters: ${detail}` });
}

/** fal's cursor "encodes the page number": base64 of the decimal page (page 2 → `Mg==`). */
export function cursorOfPage(page: number): string {
  return Buffer.from(String(page), 'utf8').toString('base64');
}

function pageOfCursor(cursor: string): number | undefined {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  // Buffer decodes leniently; re-encoding proves the cursor was exactly what we handed out.
  if (cursorOfPage(Number(decoded)) !== cursor || !/^[1-9]\d{0,8}$/.test(decoded)) return undefined;
  return Number(decoded);
}
