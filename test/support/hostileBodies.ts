// Response bodies up to the client's size cap that once cost unbounded time or memory (issue 10
// item 2), and a child-process runner that sends one through the real client and reports what
// happened, how long it took and how much memory it needed. Used by the unit test (in a small heap:
// a body that would exhaust it kills the child, not the test run) and by `npm run bench`.
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FalComputeClient } from '../../src/api/client';
import { FalError } from '../../src/api/errors';
import { Redactor } from '../../src/api/redaction';
import { apiError, type RequestContext } from '../../src/api/responses';
import { parseListPage } from '../../src/api/rows';

export const BODY_CAP_BYTES = 16 * 1024 * 1024;

export const HOSTILE_BODIES = [
  'invalid-rows-200k',
  'empty-rows-1mib',
  'empty-rows-16mib',
  'deep-16mib',
  'one-string-16mib',
  'long-strings-1000-rows-16mib',
  'values-at-limit-16mib',
  'error-envelope-16mib',
  'valid-rows-1000',
] as const;
export type BodyKind = (typeof HOSTILE_BODIES)[number];

const fill = (unit: string, bytes: number) => unit.repeat(Math.max(0, Math.floor(bytes / unit.length)));
const page = (rows: string) => `{"instances":[${rows}],"next_cursor":null,"has_more":false}`;
const row = (i: number, extra = '') =>
  `{"id":"inst_${i}","instance_type":"gpu_1x_h100_sxm5","region":"us-west","status":"ready","ip":"203.0.113.1"${extra}}`;

export function hostileBody(kind: BodyKind, cap = BODY_CAP_BYTES): { status: number; body: string } {
  const room = cap - 200;
  switch (kind) {
    case 'invalid-rows-200k':
      return { status: 200, body: page(`${'1,'.repeat(200_000)}1`) };
    case 'empty-rows-1mib':
      return { status: 200, body: page(`${fill('{},', 1024 * 1024)}{}`) };
    case 'empty-rows-16mib':
      return { status: 200, body: page(`${fill('{},', room)}{}`) };
    case 'deep-16mib':
      return {
        status: 200,
        body: `{"instances":${fill('[', room / 2)}${fill(']', room / 2)},"next_cursor":null,"has_more":false}`,
      };
    case 'one-string-16mib':
      return { status: 200, body: `{"instances":[${row(0)}],"next_cursor":"${fill('c', room)}","has_more":true}` };
    case 'long-strings-1000-rows-16mib': {
      const each = Math.floor(room / 1000) - 200;
      return {
        status: 200,
        body: page(
          Array.from({ length: 1000 }, (_, i) => row(i, `,"creator_user_nickname":"${fill('n', each)}"`)).join(','),
        ),
      };
    }
    case 'values-at-limit-16mib': {
      // 1000 rows of 99 fields (94 unknown ones): just under the 100 000-value limit, as large as the cap allows.
      const fields = Array.from(
        { length: 94 },
        (_, f) => `"f${f}":"${fill('v', Math.floor(room / 1000 / 94) - 12)}"`,
      ).join(',');
      return { status: 200, body: page(Array.from({ length: 1000 }, (_, i) => row(i, `,${fields}`)).join(',')) };
    }
    case 'error-envelope-16mib':
      return { status: 500, body: `{"error":{"type":"server_error","message":"x","extra":[${fill('{},', room)}{}]}}` };
    case 'valid-rows-1000':
      return { status: 200, body: page(Array.from({ length: 1000 }, (_, i) => row(i)).join(',')) };
  }
}

export interface BodyReport {
  kind: BodyKind;
  bodyBytes: number;
  /** The error's class name, 'ok', or `untyped <name>`. */
  outcome: string;
  message: string;
  rows?: number;
  /** listInstances() from request to result: reading the body and parsing it. */
  ms: number;
  /** Parsing alone (the body already read): scan, JSON.parse, rows or error envelope. */
  parseMs: number;
  /** Growth of the peak resident set during that call. */
  peakRssGrowthMiB: number;
}

/** Runs one body in a fresh node process (optionally with a capped heap) and returns its report. */
export function runBodyInChild(
  kind: BodyKind,
  heapMiB?: number,
): BodyReport & { exitStatus: number | null; stderr: string } {
  const args = [...(heapMiB ? [`--max-old-space-size=${heapMiB}`] : []), __filename, kind];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000 });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  let report: BodyReport;
  try {
    report = JSON.parse(line) as BodyReport;
  } catch {
    report = { kind, bodyBytes: 0, outcome: 'died', message: '', ms: 0, parseMs: 0, peakRssGrowthMiB: 0 };
  }
  return { ...report, exitStatus: r.status, stderr: r.stderr.slice(-600) };
}

async function child(kind: BodyKind): Promise<void> {
  const { status, body } = hostileBody(kind);
  const server = http.createServer((req, res) => {
    if (req.url?.includes('warm'))
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(page(row(0)));
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  const options = {
    apiKey: 'bench-id:bench-secret-0123456789',
    maxResponseBytes: BODY_CAP_BYTES,
    retry: { maxAttempts: 1 },
  };
  await new FalComputeClient({ ...options, baseUrl: `${baseUrl}/warm` }).listInstances(); // loads undici, warms the code paths
  const client = new FalComputeClient({ ...options, baseUrl });
  const rssBefore = process.resourceUsage().maxRSS;
  const started = performance.now();
  const report: BodyReport = {
    kind,
    bodyBytes: Buffer.byteLength(body),
    outcome: 'ok',
    message: '',
    ms: 0,
    parseMs: 0,
    peakRssGrowthMiB: 0,
  };
  try {
    const listing = await client.listInstances();
    report.rows = listing.instances.length + listing.invalid.length;
  } catch (err) {
    report.outcome = err instanceof FalError ? err.name : `untyped ${(err as Error)?.name}`;
    report.message = String((err as Error)?.message).slice(0, 300);
  }
  report.ms = Math.round(performance.now() - started);
  report.peakRssGrowthMiB = Math.round((process.resourceUsage().maxRSS - rssBefore) / 1024);
  report.parseMs = parseAlone(status, body);
  server.close();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

/** The same parse the client ran, on the body as read, without the exchange around it. */
function parseAlone(status: number, body: string): number {
  const ctx: RequestContext = {
    endpoint: 'GET /compute/instances',
    host: '127.0.0.1',
    url: new URL('http://127.0.0.1/'),
    redactor: new Redactor('bench-id:bench-secret-0123456789'),
  };
  const response = { kind: 'response' as const, status, headers: {}, body };
  const started = performance.now();
  try {
    if (status === 200) parseListPage(response, ctx);
    else apiError(response, ctx, undefined);
  } catch {
    // A typed refusal is the expected outcome for most of these bodies.
  }
  return Math.round(performance.now() - started);
}

if (require.main === module) void child(process.argv[2] as BodyKind);
