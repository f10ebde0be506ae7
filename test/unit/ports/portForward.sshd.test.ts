// PortForward against a REAL sshd (the tests' own, on 127.0.0.1) and a real HTTP server the test
// starts on the "machine" (this host): the page comes through; the local port is the remote one
// when free, another when taken (and it says which); the server listens on 127.0.0.1 only — not
// reachable at this host's other addresses; a refused port gives the client a closed socket and one
// log line; stop closes every socket and gives the borrow back; a dropped connection closes it all.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer as createHttpServer, get, type Server as HttpServer } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { SshConnections } from '../../../src/connections/sshConnections';
import { createSshTransport } from '../../../src/connections/sshTransport';
import {
  JUPYTER_COMMAND,
  jupyterPath,
  LISTENING_COMMAND,
  listeningOf,
  LOOPBACK,
  parseJupyterServers,
  PortForward,
} from '../../../src/ports';
import { freePort } from '../../support/freePort';
import { waitFor } from '../../support/polling';
import { aliasLine, gpuSshdOrSkip, type GpuSshd } from '../gpu/gpuSshd';

const BODY = 'hello from the machine\n';

function fetchText(port: number, host = LOOPBACK): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host, port, path: '/', agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve(text));
    }).on('error', reject);
  });
}

/** 'refused', or 'reachable' (the socket closed again). */
async function reach(port: number, host: string): Promise<'refused' | 'reachable'> {
  const r = await tryConnect(port, host);
  if (r === 'refused') return r;
  r.destroy();
  return 'reachable';
}

/** Connects and resolves with what happened: 'refused', or the socket once connected. */
function tryConnect(port: number, host: string): Promise<'refused' | Socket> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => resolve(s));
    s.once('error', () => resolve('refused'));
  });
}

/** Resolves when the socket closes, with the bytes it received. */
function closedWith(socket: Socket): Promise<string> {
  let text = '';
  socket.on('data', (c: Buffer) => (text += c.toString()));
  return new Promise((resolve) => socket.once('close', () => resolve(text)));
}

describe('PortForward over a real sshd', function () {
  this.timeout(60_000);
  let s: GpuSshd;
  let http: HttpServer;
  let httpPort: number;
  let proxy: Server;
  const proxied = new Set<Socket>();
  let proxyPort: number;

  before(async function () {
    s = await gpuSshdOrSkip(this);
    writeFileSync(s.knownHosts, aliasLine('port-a', s.hostKey));
    http = createHttpServer((_req, res) => res.end(BODY));
    await new Promise<void>((r) => http.listen(0, LOOPBACK, r));
    httpPort = (http.address() as { port: number }).port;
    // A TCP relay in front of sshd, so a test can drop the network under the connection.
    proxy = createServer((c) => {
      const up = connect({ host: '127.0.0.1', port: s.sshd.port });
      proxied.add(c).add(up);
      c.pipe(up).pipe(c);
      const end = () => (c.destroy(), up.destroy());
      c.on('error', end).on('close', end);
      up.on('error', end).on('close', end);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyPort = (proxy.address() as { port: number }).port;
  });
  after(async () => {
    http?.close();
    proxy?.close();
    await s?.dispose();
  });

  const setup = (log: string[] = []) => {
    const owner = new SshConnections(createSshTransport({ knownHostsFile: s.knownHosts, agentPath: undefined }));
    const target = { ...s.target('port-a'), identityFile: s.plainKey };
    const borrow = () => owner.connect(target);
    const viaProxy = () => owner.connect({ ...target, port: proxyPort });
    return { owner, borrow, viaProxy, log, logLine: (l: string) => log.push(l) };
  };

  it('the page comes through; the free local port asked for is used; one borrow held until stop, then given back', async () => {
    const t = setup();
    const local = await freePort();
    const f = await PortForward.open({ connection: await t.borrow(), remotePort: httpPort, localPort: local });
    assert.equal(f.localPort, local);
    assert.equal(f.wantedPort, undefined, 'the port asked for was free');
    assert.equal(await fetchText(f.localPort), BODY);
    assert.equal(await fetchText(f.localPort), BODY, 'again, on a new stream of the same connection');
    assert.equal(t.owner.openCount, 1);
    await f.stop();
    assert.equal(t.owner.openCount, 0, 'the borrow was given back');
    assert.equal(await reach(local, LOOPBACK), 'refused', 'no longer listening');
  });

  it('the local port is taken (here: by the machine side itself) → another free one, and it says which was wanted', async () => {
    const t = setup();
    const f = await PortForward.open({ connection: await t.borrow(), remotePort: httpPort });
    assert.notEqual(f.localPort, httpPort);
    assert.equal(f.wantedPort, httpPort);
    assert.equal(await fetchText(f.localPort), BODY);
    await f.stop();
  });

  it('listens on 127.0.0.1 only: its address is the loopback, and no other address of this host reaches it', async function () {
    const t = setup();
    const f = await PortForward.open({ connection: await t.borrow(), remotePort: httpPort });
    try {
      assert.equal(f.address?.address, '127.0.0.1');
      assert.equal(f.address?.family, 'IPv4');
      const others = Object.values(networkInterfaces())
        .flat()
        .filter((a) => a && !a.internal && a.family === 'IPv4')
        .map((a) => a!.address);
      if (others.length === 0)
        this.test!.title += ' (this host has no non-loopback IPv4 address: only the address was checked)';
      for (const address of others)
        assert.equal(await reach(f.localPort, address), 'refused', `reachable at ${address}`);
      assert.equal(await reach(f.localPort, LOOPBACK), 'reachable');
    } finally {
      await f.stop();
    }
  });

  it('a refused remote port: the client sees its socket close, the log one line (not one per retry); the forward lives on', async () => {
    const t = setup();
    const nothing = await freePort();
    // Another local port: here the machine IS this host, and its port `nothing` would be the forward itself.
    let local = await freePort();
    while (local === nothing) local = await freePort();
    const f = await PortForward.open({
      connection: await t.borrow(),
      remotePort: nothing,
      localPort: local,
      log: t.logLine,
    });
    for (let i = 0; i < 3; i++) {
      const socket = await tryConnect(f.localPort, LOOPBACK);
      assert.notEqual(socket, 'refused');
      assert.equal(await closedWith(socket as Socket), '');
    }
    assert.equal(t.log.length, 1, t.log.join('\n'));
    assert.match(t.log[0]!, new RegExp(`^Forward 127\\.0\\.0\\.1:${f.localPort} → localhost:${nothing}: `));
    assert.ok(f.isOpen);
    await f.stop();
  });

  it('stop closes every open socket through it', async () => {
    const t = setup();
    // A server that never answers: the socket stays open until the forward stops.
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, LOOPBACK, r));
    const f = await PortForward.open({
      connection: await t.borrow(),
      remotePort: (silent.address() as { port: number }).port,
    });
    const sockets = await Promise.all([1, 2].map(() => tryConnect(f.localPort, LOOPBACK)));
    await waitFor(
      'both sockets piped',
      () => f.openSockets,
      (n) => n === 2,
      10_000,
      20,
    );
    const closed = sockets.map((x) => closedWith(x as Socket));
    await f.stop();
    await Promise.all(closed);
    assert.equal(f.openSockets, 0);
    silent.close();
  });

  it('the connection drops: the forward closes with its sockets, says why once, and the port is free again', async () => {
    const t = setup();
    const f = await PortForward.open({ connection: await t.viaProxy(), remotePort: httpPort });
    assert.equal(await fetchText(f.localPort), BODY);
    const reasons: (string | undefined)[] = [];
    f.onDidClose((r) => reasons.push(r));
    for (const p of proxied) p.destroy(); // the network goes
    await waitFor(
      'the forward to close',
      () => reasons.length,
      (n) => n > 0,
      20_000,
      20,
    );
    assert.equal(reasons.length, 1);
    assert.equal(typeof reasons[0], 'string', 'a drop has a reason; a stop has none');
    assert.equal(f.isOpen, false);
    assert.equal(await reach(f.localPort, LOOPBACK), 'refused');
    assert.equal(t.owner.openCount, 0);
  });

  it('the commands on the machine: ss -ltn lists the HTTP server and sshd; without ss on PATH, noSs; Jupyter read from its runtime files', async () => {
    const c = await setup().borrow();
    try {
      const listening = listeningOf(await c.run(LISTENING_COMMAND, 10_000));
      assert.equal(listening.kind, 'ports');
      const found = listening.kind === 'ports' ? listening.ports.map((p) => p.port) : [];
      assert.ok(found.includes(httpPort) && found.includes(s.sshd.port), found.join(' '));
      assert.equal(listeningOf(await c.run(`PATH=/nonexistent ${LISTENING_COMMAND}`, 10_000)).kind, 'noSs');
      const runtime = join(s.sshd.dir, 'jupyter runtime');
      mkdirSync(runtime, { recursive: true });
      const info = {
        base_url: '/lab-base/',
        port: 8888,
        token: 'f00dfeed',
        pid: 1,
        hostname: 'localhost',
        secure: false,
      };
      writeFileSync(join(runtime, 'jpserver-1.json'), JSON.stringify(info, null, 2));
      const out = await c.run(`export JUPYTER_RUNTIME_DIR='${runtime}'; ${JUPYTER_COMMAND}`, 10_000);
      const [server] = parseJupyterServers(out.stdout);
      assert.equal(jupyterPath(server), '/lab-base/?token=f00dfeed');
    } finally {
      await c.close();
    }
  });
});
