import assert from 'node:assert/strict';
import { createServer, Socket, type Server } from 'node:net';
import { readSshBanner, ReachabilityError, waitForTcp } from '../../../src/ssh/reachability';
import { freePort } from './helpers';

describe('ssh/reachability', () => {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  async function listen(onConnection: (socket: Socket) => void = () => undefined, port = 0): Promise<number> {
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      onConnection(socket);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  }
  afterEach(async () => {
    for (const s of sockets) s.destroy();
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  describe('waitForTcp', () => {
    it('resolves at the first answer', async () => {
      const port = await listen();
      const attempts: string[] = [];
      await waitForTcp('127.0.0.1', port, { onAttempt: (n, of) => attempts.push(`${n}/${of}`) });
      assert.deepEqual(attempts, ['1/5']);
    });

    it('keeps trying until the port opens', async () => {
      const port = await freePort();
      let tries = 0;
      const opening = new Promise<void>((resolve) =>
        setTimeout(() => void listen(undefined, port).then(() => resolve()), 80),
      );
      await waitForTcp('127.0.0.1', port, { attempts: 50, delayMs: 20, timeoutMs: 500, onAttempt: (n) => (tries = n) });
      await opening;
      assert.ok(tries > 1, `connected on try ${tries}`);
    });

    it('gives up with a clear error on a closed port', async () => {
      const port = await freePort();
      const started = Date.now();
      await assert.rejects(
        waitForTcp('127.0.0.1', port, { attempts: 3, delayMs: 10 }),
        (e: unknown) =>
          e instanceof ReachabilityError &&
          e.message === `SSH port ${port} on 127.0.0.1 did not answer after 3 tries (connection refused)` &&
          e.reason === 'connection refused',
      );
      assert.ok(Date.now() - started < 1000);
    });

    it('bounds each attempt by timeoutMs (a peer that never answers)', async () => {
      const silent: Socket[] = [];
      const neverConnects = () => {
        const socket = new Socket(); // not connected to anything: neither 'connect' nor 'error' ever comes
        silent.push(socket);
        return socket;
      };
      const started = Date.now();
      await assert.rejects(
        waitForTcp('203.0.113.10', 22, { attempts: 2, timeoutMs: 40, delayMs: 5, connect: neverConnects }),
        { message: 'SSH port 22 on 203.0.113.10 did not answer after 2 tries (no answer within 0.04 s)' },
      );
      assert.ok(Date.now() - started < 1000);
      assert.equal(silent.length, 2);
      assert.ok(
        silent.every((s) => s.destroyed),
        'every timed-out socket is destroyed',
      );
    });

    it('stops at once when aborted, before or while waiting', async () => {
      const port = await freePort();
      const before = new AbortController();
      before.abort();
      await assert.rejects(waitForTcp('127.0.0.1', port, { signal: before.signal }), { name: 'AbortError' });
      const during = new AbortController();
      const started = Date.now();
      setTimeout(() => during.abort(), 30);
      await assert.rejects(waitForTcp('127.0.0.1', port, { attempts: 100, delayMs: 10_000, signal: during.signal }), {
        name: 'AbortError',
      });
      assert.ok(Date.now() - started < 1000);
    });
  });

  describe('readSshBanner', () => {
    it('returns the identification line, skipping lines before it (RFC 4253 §4.2)', async () => {
      const port = await listen((s) => s.write('Welcome\r\nSSH-2.0-Fake_1.0 test\r\n'));
      assert.equal(await readSshBanner('127.0.0.1', port), 'SSH-2.0-Fake_1.0 test');
    });

    it('tells an open port that is not SSH apart', async () => {
      const http = await listen((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
      await assert.rejects(readSshBanner('127.0.0.1', http), /without an SSH banner/);
      const silent = await listen();
      await assert.rejects(readSshBanner('127.0.0.1', silent, { timeoutMs: 50 }), /no SSH banner within 50 ms/);
    });
  });
});
