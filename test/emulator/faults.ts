// Injected failures. Faults are kept in the order they were added and consumed by the
// next matching request(s), so a test can script e.g. "500, then 429, then success".
import type { ApiResponse } from './http';

export type Route = 'list' | 'get' | 'create' | 'delete' | 'billing' | 'any';

export type Fault = { route: Route; times?: number } & (
  | {
      kind: 'status';
      status: number;
      errorType?: string;
      message?: string;
      retryAfter?: number | string;
      requestId?: string;
    }
  /** Destroy the socket before doing anything (nothing is committed). */
  | { kind: 'drop' }
  /** Apply the change (create/delete, idempotency entry), then destroy the socket without a response. */
  | { kind: 'drop-after-commit' }
  | { kind: 'delay'; ms: number }
  /** 200 with a truncated, non-JSON body. */
  | { kind: 'malformed-json' }
  /** 200 JSON that breaks the schema (instance without id, status as a number). */
  | { kind: 'schema-violation' }
  /**
   * Hostile, not fal's behaviour: apply the change (a create is committed and cached under its
   * Idempotency-Key), then answer a gateway's HTML page with this 2xx status (default: the real one)
   * instead of fal's JSON. The client cannot tell whether the machine was started.
   */
  | { kind: 'unreadable-success'; status?: number }
  /**
   * Hostile, not fal's behaviour (list only): the real page plus the rows of INVALID_ROWS — a null
   * status, no id, and the id `..` — which a client must show without acting on them.
   */
  | { kind: 'invalid-rows' }
  /**
   * Hostile, not fal's behaviour: answer with `json` as the body, sent as is (it need not be JSON:
   * `{"current_balance": NaN}`), with this status (default 200). For a client's distrust of values
   * the schema rules out: a negative or huge balance, a string, a missing field.
   */
  | { kind: 'raw-body'; json: string; status?: number }
);

const ROUTES: readonly Route[] = ['list', 'get', 'create', 'delete', 'billing', 'any'];
const KINDS: readonly Fault['kind'][] = [
  'status',
  'drop',
  'drop-after-commit',
  'delay',
  'malformed-json',
  'schema-violation',
  'unreadable-success',
  'invalid-rows',
  'raw-body',
];

/** How a fault is named in the request log. */
export function describeFault(fault: Fault): string {
  if (fault.kind === 'status') return `status:${fault.status}`;
  if (fault.kind === 'delay') return `delay:${fault.ms}ms`;
  return fault.kind;
}

export class FaultQueue {
  private pending: { fault: Fault; left: number }[] = [];

  add(fault: Fault): void {
    this.pending.push({ fault, left: fault.times ?? 1 });
  }

  clear(): void {
    this.pending = [];
  }

  /** Consumes one use of the first fault for `route` (or 'any'); undefined when none. */
  take(route: Route | undefined): Fault | undefined {
    const index = this.pending.findIndex((p) => p.fault.route === 'any' || p.fault.route === route);
    const entry = this.pending[index];
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) this.pending.splice(index, 1);
    return entry.fault;
  }
}

/** Validates a fault received as JSON (control plane); `times: null` means Infinity. */
export function parseFault(json: unknown): Fault {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('a fault must be an object');
  const f = json as Record<string, unknown>;
  if (!ROUTES.includes(f.route as Route)) throw new Error(`fault.route must be one of ${ROUTES.join(', ')}`);
  if (!KINDS.includes(f.kind as Fault['kind'])) throw new Error(`fault.kind must be one of ${KINDS.join(', ')}`);
  if (f.times === null) f.times = Infinity;
  else if (f.times !== undefined && !(Number.isInteger(f.times) && (f.times as number) >= 1)) {
    throw new Error('fault.times must be an integer >= 1 or null (= until cleared)');
  }
  if (
    f.kind === 'status' &&
    !(Number.isInteger(f.status) && (f.status as number) >= 100 && (f.status as number) <= 599)
  ) {
    throw new Error('fault.status must be an HTTP status code');
  }
  if (f.kind === 'delay' && !(typeof f.ms === 'number' && f.ms >= 0)) throw new Error('fault.ms must be a number >= 0');
  if (
    f.kind === 'unreadable-success' &&
    f.status !== undefined &&
    !(Number.isInteger(f.status) && (f.status as number) >= 200 && (f.status as number) <= 299)
  ) {
    throw new Error('fault.status of unreadable-success must be a 2xx status');
  }
  if (f.kind === 'invalid-rows' && f.route !== 'list') throw new Error('fault invalid-rows applies to route list only');
  if (f.kind === 'raw-body' && typeof f.json !== 'string') throw new Error('fault.json of raw-body must be a string');
  if (
    f.kind === 'raw-body' &&
    f.status !== undefined &&
    !(Number.isInteger(f.status) && (f.status as number) >= 100 && (f.status as number) <= 599)
  )
    throw new Error('fault.status must be an HTTP status code');
  return f as Fault;
}

/** 200 whose body is cut off mid-JSON, as from a connection that died while streaming. */
export const MALFORMED_JSON_RESPONSE: ApiResponse = { status: 200, rawJson: '{"instances":[{"id":"inst_' };

/**
 * 200 JSON a strict client must reject: an instance without `id` and with a numeric `status`; for
 * billing, no `username` and a balance that is a string.
 */
export function schemaViolationResponse(route: Route | undefined): ApiResponse {
  if (route === 'billing') return { status: 200, body: { credits: { current_balance: '412.00', currency: 'USD' } } };
  const broken = { instance_type: 'gpu_1x_h100_sxm5', region: 'us-west', status: 3 };
  return { status: 200, body: route === 'list' ? { instances: [broken], next_cursor: null, has_more: false } : broken };
}

/** A gateway's page where fal's JSON should be (the change behind it was made). */
export function unreadableSuccessResponse(
  fault: Extract<Fault, { kind: 'unreadable-success' }>,
  real: ApiResponse,
): ApiResponse {
  if (real.status < 200 || real.status > 299) return real;
  return {
    status: fault.status ?? real.status,
    html: '<html><head><title>Created</title></head><body>Request accepted.</body></html>',
  };
}

/** Rows a strict client must not use: a null status, no id at all, and the id `..`. */
export const INVALID_ROWS: readonly unknown[] = [
  { id: 'inst_broken_status', instance_type: 'gpu_1x_h100_sxm5', region: 'us-west', status: null },
  { instance_type: 'gpu_8x_h100_sxm5', region: 'us-west', status: 'ready' },
  { id: '..', instance_type: 'gpu_1x_h100_sxm5', region: 'us-west', status: 'ready', ip: '203.0.113.99' },
];

/** The real list page with INVALID_ROWS appended to its instances. */
export function withInvalidRows(real: ApiResponse): ApiResponse {
  const page = real.body as { instances?: unknown[] } | undefined;
  if (real.status !== 200 || !Array.isArray(page?.instances)) return real;
  return { ...real, body: { ...page, instances: [...page.instances, ...INVALID_ROWS] } };
}
