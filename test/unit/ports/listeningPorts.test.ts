// What listens on the machine, from every real `ss` output of test/fixtures/ss (sources in its
// README.md), the shells' words when ss is missing, the well-known names, and hostile output.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { isPort, knownPortName, listeningOf, parseListening, parsePort } from '../../../src/ports';

const FIXTURES = resolve(__dirname, '../../../../test/fixtures/ss');
const fixture = (name: string) => readFileSync(resolve(FIXTURES, name), 'utf8');
const ports = (text: string) => parseListening(text).map((p) => p.port);
const ok = (stdout: string) => ({ stdout, stderr: '', exitCode: 0, truncated: false });

describe('ss -ltn output (real ones) → listening ports', () => {
  it('the old layout (Ubuntu 18.04): * and [::] are the loopback too; one row per port', () => {
    const parsed = parseListening(fixture('vnc-ubuntu1804.txt'));
    assert.deepEqual(
      parsed.map((p) => [p.port, p.addresses, p.onLoopback]),
      [
        [22, ['0.0.0.0', '[::]'], true],
        [5901, ['*'], true],
        [6001, ['0.0.0.0'], true],
      ],
    );
  });

  it('ss -tuln with a Netid column: the UDP rows are not listening TCP ports; %lo and 127.0.0.54 are loopback', () => {
    const parsed = parseListening(fixture('tuln-netid.txt'));
    assert.deepEqual(
      parsed.map((p) => [p.port, p.addresses]),
      [
        [22, ['0.0.0.0', '[::]']],
        [53, ['127.0.0.54', '127.0.0.53%lo']],
        [36917, ['127.0.0.1']],
      ],
    );
    assert.ok(parsed.every((p) => p.onLoopback));
  });

  it('the process column (-p), the glued "PortProcess" header, no header at all, dual stack', () => {
    assert.deepEqual(ports(fixture('ltnp-process.txt')), [22, 53]);
    assert.deepEqual(ports(fixture('tulpn-any-address.txt')), [22, 53, 80]);
    assert.deepEqual(parseListening(fixture('ltnp-dual-stack.txt')), [
      { port: 18789, addresses: ['127.0.0.1', '[::1]'], onLoopback: true },
    ]);
    assert.deepEqual(ports(fixture('debian12-here.txt')), [2024]);
  });

  it('a port bound to another address only is listed, but not as on the loopback', () => {
    const [p] = parseListening('LISTEN 0      4096       10.1.2.3:8000      0.0.0.0:*\n');
    assert.deepEqual(p, { port: 8000, addresses: ['10.1.2.3'], onLoopback: false });
  });

  it('ss missing: bash and dash say so (exit 127) → noSs, with a sentence, never a parse of their words', () => {
    for (const file of ['command-not-found.bash.txt', 'command-not-found.dash.txt']) {
      const result = listeningOf({ stdout: '', stderr: fixture(file), exitCode: 127, truncated: false });
      assert.equal(result.kind, 'noSs', file);
      assert.match((result as { message: string }).message, /ss is not installed/);
      // Even when the shell's exit status did not arrive, its words say it.
      assert.equal(
        listeningOf({ stdout: '', stderr: fixture(file), exitCode: undefined, truncated: false }).kind,
        'noSs',
      );
    }
  });

  it('ss failing otherwise: its first line; a clean run: the ports', () => {
    assert.deepEqual(listeningOf({ stdout: '', stderr: 'ss: netlink error\nmore\n', exitCode: 1, truncated: false }), {
      kind: 'failed',
      message: 'ss: netlink error',
    });
    assert.deepEqual(listeningOf(ok(fixture('debian12-here.txt'))), {
      kind: 'ports',
      ports: [{ port: 2024, addresses: ['0.0.0.0'], onLoopback: true }],
    });
  });

  it('hostile output: whatever the lines, every port is 1–65535, unique, sorted, and only from LISTEN rows', () => {
    const field = fc.oneof(
      fc.constantFrom('LISTEN', 'UNCONN', 'tcp', '0', '128', '*:*', '0.0.0.0:*', '[::]:*', ':', '::'),
      fc.string({ maxLength: 12 }),
      fc.integer({ min: -5, max: 70_000 }).map((n) => `0.0.0.0:${n}`),
      fc.integer({ min: -5, max: 70_000 }).map((n) => `[::1]:${n}`),
    );
    const line = fc
      .tuple(fc.array(field, { maxLength: 8 }), fc.constantFrom(' ', '   ', '\t'))
      .map(([fields, gap]) => fields.join(gap));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const text = lines.join('\n');
        const parsed = parseListening(text);
        const seen = parsed.map((p) => p.port);
        assert.ok(seen.every(isPort));
        assert.deepEqual(
          seen,
          [...new Set(seen)].sort((a, b) => a - b),
        );
        if (!text.includes('LISTEN')) assert.deepEqual(parsed, []);
      }),
      { numRuns: 500 },
    );
  });

  it('the same rows anywhere in any garbage are still found (a noisy login shell cannot hide them)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ maxLength: 40 }).filter((s) => !s.includes('LISTEN')),
          { maxLength: 6 },
        ),
        (noise) => {
          const text = [...noise, 'LISTEN 0 4096 0.0.0.0:6006 0.0.0.0:*', ...noise].join('\n');
          assert.ok(ports(text).includes(6006));
        },
      ),
    );
  });
});

describe('well-known ports and typed ports', () => {
  it('names only the well-known defaults', () => {
    assert.equal(knownPortName(6006), 'TensorBoard');
    assert.equal(knownPortName(8888), 'Jupyter');
    assert.equal(knownPortName(8000), 'vLLM');
    assert.equal(knownPortName(30000), 'SGLang');
    assert.equal(knownPortName(7860), 'Gradio');
    assert.equal(knownPortName(8265), 'Ray dashboard');
    assert.equal(knownPortName(22), undefined);
    assert.equal(knownPortName(3000), undefined);
  });

  it('a typed port is 1–65535, digits only (spaces around allowed)', () => {
    assert.equal(parsePort(' 6006 '), 6006);
    assert.equal(parsePort('65535'), 65_535);
    for (const bad of ['0', '65536', '', '-1', '80.5', '1e3', '0x50', '8080a', '99999'])
      assert.equal(parsePort(bad), undefined, bad);
    fc.assert(
      fc.property(fc.string(), (s) => {
        const p = parsePort(s);
        assert.ok(p === undefined || isPort(p));
      }),
    );
  });
});
