// Issue 10, "Done when": generated hostile responses across the four endpoints, through the real
// client over loopback — first as well-framed HTTP with hostile status, headers and bodies, then as
// malformed HTTP from a raw TCP server. Whatever comes back: no crash, only typed errors (FalError),
// and no run of 4+ characters of the secret anywhere an error or the request log can show — even
// when the server echoes the key (whole, in another case, cut, with invisible characters inside).
import assert from 'node:assert/strict';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import fc from 'fast-check';
import { FalComputeClient, type RequestLogEntry } from '../../../src/api/client';
import { FalError } from '../../../src/api/errors';
import type { ComputeInstance, InvalidInstanceRow } from '../../../src/api/schemas';
import { keyFragmentsIn, leaksIn, LEAK_KEY, LEAK_SECRET } from './leaks';
import { ED25519_PUBLIC_KEY } from './testServer';

const HTTP_RUNS = 600;
const TCP_RUNS = 120;
const ENDPOINTS = ['list', 'get', 'create', 'delete'] as const;
type Endpoint = (typeof ENDPOINTS)[number];

/** Retries stay on, but no generated Retry-After can make a run wait: budget and window are tiny. */
const FUZZ_RETRY = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, budgetMs: 30, createWindowMs: 30 };

// ---- what a hostile server sends ---------------------------------------------------------------

/** The key as servers echo it: whole, id:secret, the header value, in another case, cut, broken up. */
const echoAscii = fc.oneof(
  fc.constant(LEAK_SECRET),
  fc.constant(LEAK_KEY),
  fc.constant(`Key ${LEAK_KEY}`),
  fc.constant(`Authorization: Key ${LEAK_KEY}`),
  fc.constant(LEAK_SECRET.toUpperCase()),
  fc.constant(encodeURIComponent(LEAK_KEY)),
  fc.integer({ min: 4, max: LEAK_SECRET.length }).map((n) => LEAK_SECRET.slice(0, n)),
  fc.integer({ min: 4, max: LEAK_SECRET.length }).map((n) => LEAK_SECRET.slice(-n)),
);
const echo = fc.oneof(
  echoAscii,
  fc.nat({ max: LEAK_SECRET.length - 1 }).map((i) => `${LEAK_SECRET.slice(0, i)}\u200d${LEAK_SECRET.slice(i)}`),
  fc.nat({ max: LEAK_SECRET.length - 1 }).map((i) => `${LEAK_SECRET.slice(0, i)}\n${LEAK_SECRET.slice(i)}`),
);
const around = (inner: fc.Arbitrary<string>) =>
  fc.tuple(fc.string({ maxLength: 12 }), inner, fc.string({ maxLength: 12 })).map((p) => p.join(''));

const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 4, arbitrary: around(echo) },
  { weight: 1, arbitrary: fc.nat({ max: 300_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.nat({ max: 1000 }).map((n) => `${'y'.repeat(n)}${LEAK_SECRET}`) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      '.',
      '..',
      'ready',
      'ready\n[error] forged log line',
      'a\u202Eb',
      '__proto__',
      'constructor',
      'inst_1',
    ),
  },
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(null, 0, -1, 1e308, true, false, [], {}) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 3 }) },
);
const fieldValue = (valid: unknown[]) =>
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...valid) }, { weight: 2, arbitrary: hostileValue });
const row = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      {
        id: fieldValue(['inst_1', 'inst_2', 'inst_abc123xyz']),
        instance_type: fieldValue(['gpu_1x_h100_sxm5', 'gpu_8x_h100_sxm5']),
        region: fieldValue(['us-west', 'eu-north']),
        status: fieldValue(['ready', 'provisioning', 'stopped']),
        sector: fieldValue(['sector_1', null]),
        ip: fieldValue(['203.0.113.42', null]),
        creator_user_nickname: fieldValue(['developer']),
      },
      { requiredKeys: ['id', 'instance_type', 'region', 'status'] },
    ),
  },
  { weight: 1, arbitrary: hostileValue },
);
const listBody = fc.record(
  {
    instances: fc.oneof(
      { weight: 4, arbitrary: fc.array(row, { maxLength: 12 }) },
      { weight: 1, arbitrary: hostileValue },
    ),
    next_cursor: fc.oneof(fc.constant(null), hostileValue),
    has_more: fc.oneof({ weight: 3, arbitrary: fc.boolean() }, { weight: 1, arbitrary: hostileValue }),
  },
  { requiredKeys: [] },
);
const errorEnvelope = fc.record({
  error: fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record(
        { type: hostileValue, message: hostileValue, docs_url: hostileValue, request_id: hostileValue },
        { requiredKeys: [] },
      ),
    },
    { weight: 1, arbitrary: hostileValue },
  ),
});
const jsonText = fc
  .oneof(listBody, errorEnvelope, row, fc.jsonValue({ maxDepth: 4 }))
  .map((v) => JSON.stringify(v) ?? 'null');
const bigText = fc.constantFrom(
  `{"instances":[${'{},'.repeat(350_000)}{}],"next_cursor":null,"has_more":false}`,
  `{"instances":${'['.repeat(200_000)}${']'.repeat(200_000)}}`,
  `{"error":{"type":"x","message":"${'m'.repeat(500_000)}${LEAK_SECRET}"}}`,
);
const body = fc.oneof(
  { weight: 8, arbitrary: jsonText },
  { weight: 2, arbitrary: around(echo) },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: bigText },
);
const status = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      200,
      201,
      202,
      204,
      206,
      301,
      302,
      307,
      308,
      400,
      401,
      403,
      404,
      408,
      409,
      422,
      429,
      500,
      502,
      503,
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }) },
);
const headerValue = fc.oneof(
  echoAscii,
  fc.stringMatching(/^[\x20-\x7e]{0,40}$/),
  fc.constantFrom(
    '0',
    '0.001',
    '-1',
    '1e9',
    '99999999999',
    'Wed, 21 Oct 2015 07:28:00 GMT',
    'Fri, 31 Dec 9999 23:59:59 GMT',
  ),
);
const headers = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'text/html',
      'text/plain',
      'application/json; charset=utf-16',
      '',
    ),
    'retry-after': headerValue,
    location: fc.oneof(
      headerValue,
      echoAscii.map((e) => `https://${e}.evil.example/${e}`),
    ),
    'x-request-id': headerValue,
    'www-authenticate': echoAscii.map((e) => `Key realm="${e}"`),
  },
  { requiredKeys: [] },
);
const response = fc.record({ status, headers, body });
type HostileResponse = { status: number; headers: Record<string, string>; body: string };

// ---- the checks ----------------------------------------------------------------------------------

const INPUT = { instanceType: 'gpu_1x_h100_sxm5' as const, sshKey: ED25519_PUBLIC_KEY };

function callEndpoint(client: FalComputeClient, endpoint: Endpoint): Promise<unknown> {
  switch (endpoint) {
    case 'list':
      return client.listInstances();
    case 'get':
      return client.getInstance('inst_1');
    case 'create':
      return client.createInstance(INPUT);
    case 'delete':
      return client.deleteInstance('inst_1');
  }
}

/** What of a successful result can reach the UI or a log line: everything but ids of usable rows. */
function shownOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return '';
  const strip = ({ id: _id, ...rest }: ComputeInstance) => rest;
  if ('invalid' in value) {
    const listing = value as { instances: ComputeInstance[]; invalid: InvalidInstanceRow[] };
    return JSON.stringify([listing.instances.map(strip), listing.invalid]);
  }
  return 'id' in value ? JSON.stringify(strip(value as ComputeInstance)) : '';
}

class Tally {
  runs = 0;
  typedErrors = 0;
  results = 0;
  readonly untyped: string[] = [];
  readonly leaks: string[] = [];
  readonly crashes: string[] = [];
  readonly perEndpoint: Record<string, number> = {};

  async run(endpoint: Endpoint, client: FalComputeClient, log: RequestLogEntry[]): Promise<void> {
    this.runs++;
    this.perEndpoint[endpoint] = (this.perEndpoint[endpoint] ?? 0) + 1;
    let outcome: unknown;
    try {
      outcome = await callEndpoint(client, endpoint);
      this.results++;
      const hits = keyFragmentsIn(shownOf(outcome));
      if (hits.length) this.leaks.push(`${endpoint} result: ${hits.join(',')} in ${shownOf(outcome).slice(0, 200)}`);
    } catch (err) {
      outcome = err;
      if (err instanceof FalError) this.typedErrors++;
      else this.untyped.push(`${endpoint}: ${String(err)}`);
      for (const leak of leaksIn(err)) this.leaks.push(`${endpoint} error: ${leak}`);
    }
    const logged = keyFragmentsIn(JSON.stringify(log));
    if (logged.length) this.leaks.push(`${endpoint} log: ${logged.join(',')} in ${JSON.stringify(log).slice(0, 300)}`);
  }

  listen(): () => void {
    const onCrash = (err: unknown) => this.crashes.push(String(err));
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    return () => {
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
    };
  }

  assertClean(): void {
    assert.deepEqual(this.crashes, [], 'crashes');
    assert.deepEqual(this.untyped, [], 'untyped errors');
    assert.deepEqual(this.leaks.slice(0, 5), [], `key fragments (${this.leaks.length})`);
  }
}

describe('api: fuzzed hostile servers (issue 10 "Done when")', function () {
  this.timeout(300_000);

  it(`${HTTP_RUNS} generated hostile HTTP responses across list, get, create and delete → 0 crashes, 0 untyped errors, 0 key fragments (≥ 4 chars of the secret) in errors, logs or shown data`, async () => {
    let current: HostileResponse = { status: 200, headers: {}, body: '' };
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        try {
          res.writeHead(current.status, current.headers).end(current.body);
        } catch {
          res.destroy(); // a header node refuses to write: the client sees a dropped connection
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const tally = new Tally();
    const stop = tally.listen();
    try {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...ENDPOINTS), response, async (endpoint, r) => {
          current = r;
          const log: RequestLogEntry[] = [];
          const client = new FalComputeClient({
            apiKey: LEAK_KEY,
            baseUrl,
            retry: FUZZ_RETRY,
            timeoutMs: 5000,
            maxPages: 4,
            onRequest: (e) => log.push(e),
          });
          await tally.run(endpoint, client, log);
        }),
        { numRuns: HTTP_RUNS },
      );
    } finally {
      stop();
      server.closeAllConnections();
      server.close();
    }
    tally.assertClean();
    assert.equal(tally.runs, HTTP_RUNS);
    for (const endpoint of ENDPOINTS)
      assert.ok(
        (tally.perEndpoint[endpoint] ?? 0) >= HTTP_RUNS / 8,
        `${endpoint}: ${tally.perEndpoint[endpoint]} runs`,
      );
    assert.ok(
      tally.typedErrors > 0 && tally.results > 0,
      `${tally.typedErrors} typed errors, ${tally.results} results`,
    );
  });

  it(`${TCP_RUNS} generated malformed HTTP exchanges from a raw TCP server (bad status lines, truncated chunked bodies, wrong Content-Length, slowloris, huge headers, the key echoed) → 0 crashes, 0 untyped errors, 0 key fragments`, async () => {
    type Ending = 'close' | 'hang' | 'trickle';
    let script: { bytes: Buffer; ending: Ending } = { bytes: Buffer.alloc(0), ending: 'close' };
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      let request = '';
      socket.on('data', (chunk) => {
        request += chunk.toString('latin1');
        if (!request.includes('\r\n\r\n')) return;
        socket.removeAllListeners('data');
        // Echo the key the way a debugging proxy would: whatever the client sent.
        const authorization = /authorization: ([^\r\n]*)/i.exec(request)?.[1] ?? '';
        const bytes = Buffer.from(
          script.bytes
            .toString('latin1')
            .replaceAll('{AUTH}', authorization)
            .replaceAll('{AUTHCUT}', authorization.slice(0, -3)),
          'latin1',
        );
        if (script.ending === 'trickle') {
          let i = 0;
          const drip = setInterval(
            () => (i < bytes.length && !socket.destroyed ? socket.write(bytes.subarray(i, ++i)) : clearInterval(drip)),
            40,
          );
          socket.on('close', () => clearInterval(drip));
          return;
        }
        socket.write(bytes);
        if (script.ending === 'close') socket.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

    const statusLine = fc.constantFrom(
      'HTTP/1.1 200 OK',
      'HTTP/1.1 201 Created',
      'HTTP/1.1 500 {AUTH}',
      'HTTP/1.1 502 {AUTHCUT}',
      'HTTP/1.1 2000 OK',
      'HTTP/1.1 abc',
      'HTTP/2 200',
      'ICY 200 OK',
      'HTTP/1.1 200',
      'HTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 200 OK',
      '\u0000\u00ff garbage',
      '',
    );
    const json = fc.oneof(
      jsonText,
      fc.constant(`{"error":{"type":"x","message":"{AUTH}"}}`),
      fc.constant(`{"error":{"type":"{AUTHCUT}","message":"m","request_id":"{AUTHCUT}"}}`),
      fc.constant(`<html>{AUTH}</html>`),
      fc.constant(`<p>{AUTHCUT}</p>`),
    );
    const framing = fc.oneof(
      json.map((b) => ({ head: `Content-Length: ${Buffer.byteLength(b)}`, body: b })),
      fc
        .tuple(json, fc.integer({ min: 1, max: 500 }))
        .map(([b, extra]) => ({ head: `Content-Length: ${Buffer.byteLength(b) + extra}`, body: b })),
      fc
        .tuple(json, fc.nat({ max: 20 }))
        .map(([b, cut]) => ({ head: `Content-Length: ${Math.max(0, Buffer.byteLength(b) - cut)}`, body: b })),
      json.map((b) => ({
        head: 'Transfer-Encoding: chunked',
        body: `${Buffer.byteLength(b).toString(16)}\r\n${b}\r\n0\r\n\r\n`,
      })),
      fc.tuple(json, fc.nat({ max: 30 })).map(([b, cut]) => ({
        head: 'Transfer-Encoding: chunked',
        body: `${Buffer.byteLength(b).toString(16)}\r\n${b}`.slice(0, -cut - 1),
      })),
      json.map((b) => ({ head: 'Transfer-Encoding: chunked', body: `zz\r\n${b}\r\n0\r\n\r\n` })),
      json.map((b) => ({ head: `Content-Length: 5\r\nContent-Length: ${Buffer.byteLength(b)}`, body: b })),
      json.map((b) => ({ head: 'Content-Length: -1', body: b })),
      json.map((b) => ({ head: '', body: b })),
    );
    const extraHeaders = fc.array(
      fc.constantFrom(
        'X-Echo: {AUTH}',
        'X-Echo-Cut: {AUTHCUT}',
        'Location: https://{AUTHCUT}.evil.example/',
        'Location: https://evil.example/{AUTH}',
        'Retry-After: {AUTH}',
        'Retry-After: 0',
        `X-Huge: ${'h'.repeat(20_000)}`,
        `X-Huger: ${'h'.repeat(100_000)}`,
        'No colon here',
        'X-Folded: a\r\n  folded {AUTH}',
        'Content-Encoding: gzip',
        'X-Nul: a\u0000b',
      ),
      { maxLength: 3 },
    );
    const exchange = fc.record({
      endpoint: fc.constantFrom(...ENDPOINTS),
      statusLine,
      framing,
      extraHeaders,
      ending: fc.constantFrom<Ending>('close', 'close', 'close', 'hang', 'trickle'),
    });

    const tally = new Tally();
    const stop = tally.listen();
    try {
      await fc.assert(
        fc.asyncProperty(exchange, async (x) => {
          const head = [x.statusLine, x.framing.head, ...x.extraHeaders].filter(Boolean).join('\r\n');
          script = { bytes: Buffer.from(`${head}\r\n\r\n${x.framing.body}`, 'latin1'), ending: x.ending };
          const log: RequestLogEntry[] = [];
          const client = new FalComputeClient({
            apiKey: LEAK_KEY,
            baseUrl,
            retry: { ...FUZZ_RETRY, maxAttempts: 1 },
            timeoutMs: 250,
            onRequest: (e) => log.push(e),
          });
          await tally.run(x.endpoint, client, log);
        }),
        { numRuns: TCP_RUNS },
      );
    } finally {
      stop();
      for (const socket of sockets) socket.destroy();
      server.close();
    }
    tally.assertClean();
    assert.equal(tally.runs, TCP_RUNS);
  });
});
