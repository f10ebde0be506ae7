// Issue 10 item 2: any body up to the size cap gives a typed result or a typed FalResponseError, in
// bounded memory. Each hostile body runs in a child process with a 256 MiB heap: a body that would
// exhaust the heap kills the child (and fails here) instead of the test run.
import assert from 'node:assert/strict';
import { FalResponseError } from '../../../src/api/errors';
import { runBodyInChild, type BodyKind, type BodyReport } from '../../support/hostileBodies';
import { clientFor, instance, rejectionOf, sendJson, startServer } from './testServer';

const HEAP_MIB = 256;

function runInSmallHeap(kind: BodyKind): BodyReport {
  const report = runBodyInChild(kind, HEAP_MIB);
  assert.equal(report.exitStatus, 0, `${kind}: the process died (status ${report.exitStatus}): ${report.stderr}`);
  return report;
}

describe('api: bounded, always-typed parsing (item 2)', function () {
  this.timeout(120_000);

  const typedRejections: Array<[BodyKind, RegExp]> = [
    ['invalid-rows-200k', /GET \/compute\/instances returned/],
    ['empty-rows-1mib', /GET \/compute\/instances returned/],
    ['empty-rows-16mib', /GET \/compute\/instances returned/],
    ['deep-16mib', /GET \/compute\/instances returned/],
    ['one-string-16mib', /next_cursor longer than 1024/],
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

  for (const kind of ['valid-rows-1000', 'long-strings-1000-rows-16mib', 'values-at-limit-16mib'] as const) {
    it(`${kind}: a full page at the row cap (up to the 16 MiB body cap) still parses, every row, in a ${HEAP_MIB} MiB heap`, () => {
      const report = runInSmallHeap(kind);
      assert.equal(report.outcome, 'ok', JSON.stringify(report));
      assert.equal(report.rows, 1000);
    });
  }

  it('a page with more rows than a page may hold (1001) is refused as a whole, typed', async () => {
    const rows = Array.from({ length: 1001 }, (_, i) => instance(`i${i}`));
    const s = await startServer((_req, res) =>
      sendJson(res, 200, { instances: rows, next_cursor: null, has_more: false }),
    );
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
