// Runs one hostile body through the real client in a process of its own, with a small heap
// (the parent passes --max-old-space-size), and prints what happened as one JSON line. A body that
// exhausts the heap kills this process instead of the test run, and the parent sees it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FalComputeClient } from '../../../src/api/client';
import { FalError } from '../../../src/api/errors';
import { API_KEY } from './testServer';

export type BodyKind = 'invalid-rows-200k' | 'empty-rows-1mib' | 'empty-rows-16mib' | 'deep-16mib' | 'valid-rows-1000' | 'error-envelope-16mib';

export function hostileBody(kind: BodyKind, capBytes: number): { status: number; body: string } {
  const fill = (unit: string, bytes: number) => unit.repeat(Math.floor(bytes / unit.length));
  const page = (rows: string) => `{"instances":[${rows}0],"next_cursor":null,"has_more":false}`;
  switch (kind) {
    case 'invalid-rows-200k':
      return { status: 200, body: page('1,'.repeat(200_000)) };
    case 'empty-rows-1mib':
      return { status: 200, body: page(fill('{},', 1024 * 1024)) };
    case 'empty-rows-16mib':
      return { status: 200, body: page(fill('{},', capBytes - 100)) };
    case 'deep-16mib':
      return { status: 200, body: `{"instances":${fill('[', (capBytes - 100) / 2)}${fill(']', (capBytes - 100) / 2)},"next_cursor":null,"has_more":false}` };
    case 'valid-rows-1000': {
      const row = (i: number) => ({ id: `inst_${i}`, instance_type: 'gpu_1x_h100_sxm5', region: 'us-west', status: 'ready', ip: '203.0.113.1' });
      return { status: 200, body: JSON.stringify({ instances: Array.from({ length: 1000 }, (_, i) => row(i)), next_cursor: null, has_more: false }) };
    }
    case 'error-envelope-16mib':
      return { status: 500, body: `{"error":{"type":"server_error","message":"x","extra":[${fill('{},', capBytes - 100)}0]}}` };
  }
}

export interface ChildReport {
  outcome: string;
  message: string;
  rows?: number;
  heapUsedMiB: number;
}

async function main(): Promise<void> {
  const kind = process.argv[2] as BodyKind;
  const cap = 16 * 1024 * 1024;
  const { status, body } = hostileBody(kind, cap);
  const server = http.createServer((_req, res) => res.writeHead(status, { 'content-type': 'application/json' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new FalComputeClient({
    apiKey: API_KEY,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    maxResponseBytes: cap,
    retry: { maxAttempts: 1 },
  });
  let report: ChildReport;
  try {
    const listing = await client.listInstances();
    report = { outcome: 'ok', message: '', rows: listing.instances.length + listing.invalid.length, heapUsedMiB: 0 };
  } catch (err) {
    report = { outcome: err instanceof FalError ? err.name : `untyped ${(err as Error)?.name}`, message: String((err as Error)?.message).slice(0, 300), heapUsedMiB: 0 };
  }
  report.heapUsedMiB = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
  server.close();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

if (require.main === module) void main();
