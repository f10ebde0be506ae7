// The JSON report of one run (default test-results/smoke-live.json): what was done, how long each
// part took, what the machine said, and what fal sent that its OpenAPI does not list.
import type { BillingRead, RequestLogEntry } from '../../src/api';
import type { GoneResult } from './cleanup';
import type { SmokeOptions } from './options';
import type { HostKey } from './sshCheck';
import type { Finding } from './unlisted';
import type { GpuState } from '../../src/gpu/types';

export type StopReason = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'ceiling' | 'error';

export interface StepRecord {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly detail?: string;
  readonly error?: string;
  /** The step was cut short by a signal or the ceiling. */
  readonly stoppedBy?: StopReason;
}

export interface SmokeReport {
  tool: 'npm run smoke:live';
  startedAt: string;
  finishedAt?: string;
  outcome?: 'passed' | 'failed' | 'interrupted' | 'ceiling' | 'machine possibly left';
  exitCode?: number;
  baseUrl: string;
  keySource: string;
  instanceType: string;
  maxMinutes: number;
  /** An estimate (the extension's default rate), not fal's figure. */
  estimatedHourlyUsd: number | undefined;
  idempotencyKey?: string;
  instance?: { id: string; region?: string; ip?: string; creator_user_nickname?: string };
  /** Statuses fal showed, each change once, with the time since the create was sent. */
  statuses: { status: string; atMs: number }[];
  steps: StepRecord[];
  timings: {
    /** Sending the create → its answer. */
    createRequestMs?: number;
    /** Sending the create → the first answer with status ready and an IP. */
    createToReadyMs?: number;
    /** Ready → the first command over SSH answered. */
    readyToSshMs?: number;
    /** The first DELETE sent → GET 404 or not listed. */
    deleteToGoneMs?: number;
  };
  ssh?: {
    user: string;
    port: number;
    /** Accepted on first use for this one throwaway machine (a temporary known_hosts, deleted after). */
    hostKey?: HostKey;
    earlierHostKeys?: readonly HostKey[];
    attempts?: number;
    nvidiaSmiL?: readonly string[];
    sample?: GpuState;
  };
  billing?: BillingRead | { error: string };
  gone?: GoneResult;
  /** Ids that appeared in the list after a create whose outcome stayed unknown: maybe this run's. */
  possiblyCreated?: string[];
  /** What fal sent beyond fal-platform-openapi.json (fields, enum values, types, statuses). */
  unlistedFields: Finding[];
  responseHeaders: Record<string, string[]>;
  requests: { total: number; byEndpoint: Record<string, Record<string, number>>; notOk: RequestLogEntry[] };
}

export function newReport(
  opts: SmokeOptions,
  keySource: string,
  instanceType: string,
  rate: number | undefined,
): SmokeReport {
  return {
    tool: 'npm run smoke:live',
    startedAt: new Date().toISOString(),
    baseUrl: opts.baseUrl,
    keySource,
    instanceType,
    maxMinutes: opts.maxMinutes,
    estimatedHourlyUsd: rate,
    statuses: [],
    steps: [],
    timings: {},
    unlistedFields: [],
    responseHeaders: {},
    requests: { total: 0, byEndpoint: {}, notOk: [] },
  };
}

/** Adds one request of the client's log to the report's summary (ids already redacted by the client). */
export function countRequest(report: SmokeReport, entry: RequestLogEntry): void {
  const requests = report.requests;
  requests.total++;
  const endpoint = `${entry.method} ${entry.path.split('?')[0]!.replace(/^(\/compute\/instances\/).+$/, '$1{id}')}`;
  const byStatus = (requests.byEndpoint[endpoint] ??= {});
  const status = String(entry.status ?? entry.outcome);
  byStatus[status] = (byStatus[status] ?? 0) + 1;
  if (entry.outcome !== 'ok' && requests.notOk.length < 50) requests.notOk.push(entry);
}
