// Open Port… in the real workbench, against the emulator (new instances get 127.0.0.1) and a REAL
// sshd: a tiny HTTP server on the "machine" (this host, a free port), Open Port… from the row's
// context menu, the port picked from what ss -ltn lists, the forward's row under the instance with
// its local port, the page fetched through it, Stop Forwarding, the row gone and the port closed.
// The machine is this host, so its port is taken here too: the forward takes another local port
// and says so. Every verdict waits on the workbench, the log or a socket — never on a fixed sleep.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMachineWorkbench, type MachineWorkbench } from './machineWorkbench';
import { screenshotOnFailure, type Workbench } from './workbench';

const BODY = 'TensorBoard stand-in on the machine\n';

function fetchText(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve(text));
    }).on('error', reject);
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(true));
  });
}

describe('Open Port… (real sshd, real workbench)', function () {
  let m: MachineWorkbench;
  let wb: Workbench;
  let workspace: string;
  let id: string;
  let http: Server;
  let port: number;
  before(async function () {
    this.timeout(180_000);
    http = createServer((_req, res) => res.end(BODY));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    port = (http.address() as { port: number }).port;
    workspace = mkdtempSync(join(tmpdir(), 'fal-ports-ws-'));
    m = await openMachineWorkbench({ workspace, keyName: 'id_ports' });
    wb = m.wb;
    id = await m.createInstance();
    await wb.waitForRow(
      `the row of ${id} to be ready`,
      (r) => r.ariaLabel.includes(id),
      (r) => /ready/.test(r.ariaLabel),
      60_000,
    );
    await wb.runCommand('Notifications: Clear All Notifications');
  });

  after(async () => {
    await m?.dispose();
    http?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  afterEach(screenshotOnFailure(() => wb));

  it('forwards a listening port picked from ss -ltn, shows it under the row, serves the page, and Stop Forwarding closes it', async function () {
    this.timeout(150_000);
    const mark = wb.logMark();
    await wb.runFromContextMenu(id, 'Open Port…');
    await wb.quickPick.answer(String(port), 60_000);
    // This host is the machine: its port is taken here, so another local port is used, and said.
    const moved = await wb.waitForNotification(new RegExp(`^Port ${port} is in use on this computer: `), 30_000);
    const local = Number(/is at localhost:(\d+) instead\.$/.exec(moved.message)?.[1]);
    assert.ok(local > 0 && local !== port, moved.message);
    await wb.waitForLog(`${id}: opened http://127.0.0.1:${local}/`, mark, 30_000);
    const rows = await wb.waitForTreeRows(
      (r) => r.some((row) => row.label === `localhost:${local} → ${port}`),
      'Instances',
      30_000,
    );
    const row = rows.find((r) => r.label === `localhost:${local} → ${port}`)!;
    assert.equal(row.icon, 'plug');
    assert.equal(row.ariaLabel, `Port ${port} of the machine forwarded to localhost:${local}`);
    assert.equal(await fetchText(local), BODY, 'the page came through the forward');
    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.screenshot('ports-forwarded');

    await wb.runFromContextMenu(`Port ${port} of the machine`, 'Stop Forwarding');
    await wb.waitForTreeRows((r) => !r.some((row) => row.label.startsWith(`localhost:${local} `)), 'Instances', 30_000);
    await wb.waitForLog(`forward 127.0.0.1:${local} → ${port} stopped`, mark, 30_000);
    assert.equal(await refused(local), true, 'the local port is closed');
    await wb.screenshot('ports-stopped');
  });
});
