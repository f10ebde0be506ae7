// The emulator server: one node:http server answering fal's API under /v1 and the test
// control plane under /_emulator/. Each /v1 request is logged, may meet an injected fault,
// and is otherwise answered by ComputeApi.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ComputeApi, keyIdOf, matchRoute } from './api';
import { BillingMeter, type BillingState } from './billing';
import { handleControlPlane } from './controlPlane';
import {
  describeFault,
  FaultQueue,
  MALFORMED_JSON_RESPONSE,
  schemaViolationResponse,
  unreadableSuccessResponse,
  withInvalidRows,
  type Fault,
} from './faults';
import { errorResponse, parseLoosely, readBody, writeResponse, type ApiResponse } from './http';
import { IdempotencyCache } from './idempotency';
import { RateLimiter } from './rateLimit';
import { InstanceStore, newInstanceId } from './state';
import {
  DEFAULT_EMULATOR_KEY,
  type BillingOptions,
  type ComputeInstance,
  type EmulatorOptions,
  type InstancePatch,
  type RequestRecord,
  type SeedInstance,
} from './types';

/** The value of every option that is not given. "Guess" marks what fal does not document. */
export const EMULATOR_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  // Guess: borrowed from fal's sibling v1 list endpoints; the compute list declares no default.
  pageSize: 50,
  // Guess: fal documents only 'provisioning' right after create, so no extra phase by default.
  pendingMs: 0,
  // Guess for speed: real provisioning takes 2–3 minutes (fal docs); 20 s keeps demos watchable.
  provisioningMs: 20_000,
  // Documented: "Responses cached for 10 minutes per unique key".
  idempotencyTtlMs: 600_000,
  // Guess: replaying is what a plain response cache does; 'reject' exercises stricter servers.
  idempotencyMismatch: 'replay',
  // Guess: the spec calls sector "only valid with gpu_8x_h100_sxm5"; rejecting exposes clients that send it anyway.
  sectorWith1x: 'reject',
  // Guess: the docs say deletion terminates "immediately"; a lag exercises clients that poll until gone.
  deleteLagMs: 0,
  latencyMs: 0,
} as const;

/** fal's request bodies are tiny; anything larger is a client bug. */
const MAX_BODY_BYTES = 1024 * 1024;

export class FalEmulator {
  private readonly server: Server;
  private readonly now: () => number;
  private readonly store: InstanceStore;
  private readonly idempotency: IdempotencyCache;
  private readonly rateLimiter: RateLimiter | undefined;
  private readonly api: ComputeApi;
  private readonly billing: BillingMeter;
  private readonly faults = new FaultQueue();
  /** options.seed with ids fixed once, so reset() restores the very same instances. */
  private readonly startupSeed: SeedInstance[];
  private readonly timers = new Set<NodeJS.Timeout>();
  private records: RequestRecord[] = [];
  private seq = 0;
  private inFlight = 0;
  private highestInFlight = 0;
  private closed = false;

  static async start(opts: EmulatorOptions = {}): Promise<FalEmulator> {
    const emulator = new FalEmulator(opts);
    await new Promise<void>((resolve, reject) => {
      emulator.server.once('error', reject);
      emulator.server.listen(opts.port ?? EMULATOR_DEFAULTS.port, opts.host ?? EMULATOR_DEFAULTS.host, () => {
        emulator.server.off('error', reject);
        resolve();
      });
    });
    return emulator;
  }

  private constructor(private readonly opts: EmulatorOptions) {
    this.now = opts.now ?? Date.now;
    const pageSize = opts.pageSize ?? EMULATOR_DEFAULTS.pageSize;
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error('pageSize must be an integer >= 1');
    this.store = new InstanceStore(
      {
        pendingMs: opts.timeline?.pendingMs ?? EMULATOR_DEFAULTS.pendingMs,
        provisioningMs: opts.timeline?.provisioningMs ?? EMULATOR_DEFAULTS.provisioningMs,
        deleteLagMs: opts.deleteLagMs ?? EMULATOR_DEFAULTS.deleteLagMs,
        ip: opts.ip,
      },
      this.now,
    );
    this.idempotency = new IdempotencyCache(opts.idempotencyTtlMs ?? EMULATOR_DEFAULTS.idempotencyTtlMs, this.now);
    this.rateLimiter = opts.rateLimit ? new RateLimiter(opts.rateLimit.requestsPerMinute, this.now) : undefined;
    this.billing = new BillingMeter(opts.billing ?? {}, this.store, this.now);
    this.api = new ComputeApi(
      {
        keys: opts.keys ?? [{ key: DEFAULT_EMULATOR_KEY }],
        pageSize,
        maxPageSize: opts.maxPageSize,
        sectorWith1x: opts.sectorWith1x ?? EMULATOR_DEFAULTS.sectorWith1x,
        idempotencyMismatch: opts.idempotencyMismatch ?? EMULATOR_DEFAULTS.idempotencyMismatch,
        retryAfterOnRateLimit: opts.rateLimit?.retryAfter ?? false,
        extraFields: opts.extraFields ?? {},
        authorizedKeysFile: opts.authorizedKeysFile,
      },
      this.store,
      this.idempotency,
      this.rateLimiter,
      this.billing,
    );
    this.startupSeed = (opts.seed ?? []).map((s) => ({ ...s, id: s.id ?? newInstanceId() }));
    this.store.seed(this.startupSeed);
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        writeResponse(
          res,
          errorResponse(500, { message: `Emulator failure: ${err instanceof Error ? err.message : String(err)}` }),
        );
      });
    });
  }

  /** e.g. 'http://127.0.0.1:4010/v1' */
  get baseUrl(): string {
    const host = this.opts.host ?? EMULATOR_DEFAULTS.host;
    const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    return `http://${reachable}:${this.port}/v1`;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** /v1 requests in arrival order (control-plane requests are never recorded). */
  get requests(): readonly RequestRecord[] {
    return this.records;
  }

  /** The most /v1 requests in flight at once since start or the last clearRequests()/reset(). */
  get maxConcurrent(): number {
    return this.highestInFlight;
  }

  /** Current state, in list order, exactly as the API would return it. */
  instances(): ComputeInstance[] {
    return this.store.list();
  }

  seed(instances: SeedInstance[]): ComputeInstance[] {
    return this.store.seed(instances);
  }

  /** Throws when there is no such instance. */
  updateInstance(id: string, patch: InstancePatch): ComputeInstance {
    return this.store.update(id, patch);
  }

  /** The account's credit now (GET /account/billing's balance, currency and username; the rates it drains at). */
  billingState(): BillingState {
    return this.billing.state();
  }

  /** Changes the account's credit from now on (a top-up, a charge, faster draining, another currency). */
  setBilling(change: BillingOptions): BillingState {
    return this.billing.set(change);
  }

  addFault(fault: Fault): void {
    this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  clearRequests(): void {
    this.records = [];
    this.seq = 0;
    this.highestInFlight = this.inFlight;
  }

  /** Back to options.seed and options.billing; faults, requests, idempotency cache and rate-limit buckets cleared. */
  reset(): void {
    this.store.clear();
    this.store.seed(this.startupSeed);
    this.billing.reset();
    this.clearFaults();
    this.clearRequests();
    this.idempotency.clear();
    this.rateLimiter?.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (url.pathname.startsWith('/_emulator/')) return handleControlPlane(this, req, res, url);
    if (url.pathname === '/v1' || url.pathname.startsWith('/v1/')) return this.handleApi(req, res, url);
    writeResponse(res, errorResponse(404));
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const record: RequestRecord = {
      seq: ++this.seq,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      startedAt: this.now(),
    };
    const authorization = req.headers.authorization;
    const keyId = keyIdOf(authorization);
    if (keyId !== undefined) record.keyId = keyId;
    const idempotencyKey = header(req, 'idempotency-key');
    if (idempotencyKey !== undefined) record.idempotencyKey = idempotencyKey;
    this.records.push(record);
    this.inFlight += 1;
    this.highestInFlight = Math.max(this.highestInFlight, this.inFlight);
    res.once('close', () => {
      this.inFlight -= 1;
      record.endedAt = this.now();
      this.opts.onRequest?.(record);
    });

    const route = matchRoute(record.method, url.pathname);
    const fault = this.faults.take(route?.name);
    if (fault) record.fault = describeFault(fault);
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    const body = await readBody(req, MAX_BODY_BYTES);
    const parsedBody = parseLoosely(body.text);
    if (parsedBody !== undefined) record.body = parsedBody;
    await this.sleep((this.opts.latencyMs ?? EMULATOR_DEFAULTS.latencyMs) + (fault?.kind === 'delay' ? fault.ms : 0));
    if (this.closed) return;

    let response: ApiResponse;
    if (fault?.kind === 'status') {
      const retryAfter = fault.retryAfter === undefined ? undefined : { 'retry-after': String(fault.retryAfter) };
      response = errorResponse(
        fault.status,
        { type: fault.errorType, message: fault.message, requestId: fault.requestId },
        retryAfter,
      );
    } else if (fault?.kind === 'malformed-json') {
      response = MALFORMED_JSON_RESPONSE;
    } else if (fault?.kind === 'raw-body') {
      response = { status: fault.status ?? 200, rawJson: fault.json };
    } else if (fault?.kind === 'schema-violation') {
      response = schemaViolationResponse(route?.name);
    } else if (!route) {
      response = errorResponse(404);
    } else {
      response = this.api.handle({
        route,
        authorization,
        contentType: req.headers['content-type'],
        idempotencyKey,
        query: url.searchParams,
        body,
      });
    }
    if (fault?.kind === 'drop-after-commit') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'unreadable-success') response = unreadableSuccessResponse(fault, response);
    if (fault?.kind === 'invalid-rows') response = withInvalidRows(response);
    record.status = response.status;
    writeResponse(res, response);
  }

  /** A wait that close() cancels and that never keeps the process alive. */
  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      timer.unref();
      this.timers.add(timer);
    });
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
