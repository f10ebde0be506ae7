// Issue 10 item 2: any body up to the size cap gives a typed result or a typed FalResponseError, in
// bounded memory. Each hostile body runs in a child process with a 256 MiB heap: a body that would
// exhaust the heap kills the child (and fails here) instead of the test run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { FalResponseError } from '../../../src/api/errors';
import type { BodyKind, ChildReport } from './boundedParse.child';
import { clientFor, instance, rejectionOf, sendJson, startServer } from './testServer';

const CHILD = resolve(__dirname, 'boundedParse.child.js');
const HEAP_MIB = 256;

function runInSmallHeap(kind: BodyKind): ChildReport {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MIB}`, CHILD, kind], { encoding: 'utf8', timeout: 60_000 });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  assert.equal(r.status, 0, `${kind}: the process died (status ${r.status}, signal ${r.signal}): ${r.stderr.slice(-600)}`);
  return JSON.parse(line) as ChildReport;
}

describe('api: bounded, always-typed parsing (item 2)', function () {
  this.timeout(120_000);

  const typedRejections: Array<[BodyKind, RegExp]> = [
    ['invalid-rows-200k', /GET \/compute\/instances returned/],
    ['empty-rows-1mib', /GET \/compute\/instances returned/],
    ['empty-rows-16mib', /GET \/compute\/instances returned/],
    ['deep-16mib', /GET \/compute\/instances returned/],
  ];
  for (const [kind, message] of typedRejections) {
    it(`${kind}: a typed FalResponseError in a ${HEAP_MIB} MiB heap (no RangeError, no heap exhaustion)`, () => {
      const report = runInSmallHeap(kind);
      assert.equal(report.outcome, 'FalResponseError', JSON.stringify(report));
      assert.match(report.message, message);
    });
  }

  it(`error-envelope-16mib: an error body of 16 MiB of {} gives a typed FalApiError in a ${HEAP_MIB} MiB heap`, () => {
    const report = runInSmallHeap('error-envelope-16mib');
    assert.equal(report.outcome, 'FalApiError', JSON.stringify(report));
  });

  it('valid-rows-1000: a full page at the row cap still parses, every row', () => {
    const report = runInSmallHeap('valid-rows-1000');
    assert.equal(report.outcome, 'ok', JSON.stringify(report));
    assert.equal(report.rows, 1000);
  });

  it('a page with more rows than a page may hold (1001) is refused as a whole, typed', async () => {
    const rows = Array.from({ length: 1001 }, (_, i) => instance(`i${i}`));
    const s = await startServer((_req, res) => sendJson(res, 200, { instances: rows, next_cursor: null, has_more: false }));
    const err = await rejectionOf(clientFor(s).listInstances());
    await s.close();
    assert.ok(err instanceof FalResponseError, String(err));
    assert.match(err.message, /1001 rows, more than the 1000 rows a page may hold/);
  });

  it('get and create bodies are bounded the same way (a deep or huge single instance is typed)', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const wide = `{"id":"a","x":[${'1,'.repeat(300_000)}1]}`;
    for (const body of [deep, wide]) {
      const s = await startServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
      const err = await rejectionOf(clientFor(s).getInstance('a'));
      await s.close();
      assert.ok(err instanceof FalResponseError, String(err));
    }
  });
});
