// Jupyter's token and base URL from the real list outputs of test/fixtures/jupyter (sources in its
// README.md), a runtime file as jupyter_server writes it, and hostile text: nothing that is not
// plainly a token or a path reaches the URL.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { jupyterPath, parseJupyterServers } from '../../../src/ports';

const FIXTURES = resolve(__dirname, '../../../../test/fixtures/jupyter');
const fixture = (name: string) => readFileSync(resolve(FIXTURES, name), 'utf8');
const SEP = '@@fal-jupyter-file@@';

describe('Jupyter servers on the machine (token, base URL)', () => {
  it('jupyter notebook list --json: the port and base URL; an empty token opens without one', () => {
    const [s] = parseJupyterServers(`${SEP}\n${fixture('notebook-list-json-base-url.txt')}`);
    assert.deepEqual(s, { port: 8888, token: '', baseUrl: '/@245484/Y2B-20251120-v0p4.main/apps/jupyter/' });
    assert.equal(jupyterPath(s), '/@245484/Y2B-20251120-v0p4.main/apps/jupyter/');
  });

  it('the text lists of jupyter notebook list / jupyter server list: the token after ?token=', () => {
    assert.deepEqual(parseJupyterServers(fixture('notebook-list-text.txt')), [
      { port: 8888, token: 'd8d01dc84ba36f4be55e920fb6511ebf0553280793563a20', baseUrl: '/' },
    ]);
    assert.deepEqual(parseJupyterServers(fixture('server-list-text-docker.txt')), [
      { port: 8888, token: 'dbb03ba3c6f97135fe28c52a008fa358efa866f266f9002a', baseUrl: '/' },
    ]);
    const [ip] = parseJupyterServers(fixture('notebook-list-text-ip.txt'));
    assert.equal(ip!.port, 8080);
    assert.equal(jupyterPath(ip), '/?token=6ae364386e8bf00b9be6603a57002b2776395fc6ece07849');
  });

  it('a runtime file (pretty-printed, as jupyter_server writes jpserver-<pid>.json) between the separators', () => {
    const file = JSON.stringify(
      {
        base_url: '/',
        hostname: 'localhost',
        password: false,
        pid: 4242,
        port: 8889,
        root_dir: '/home/u',
        secure: false,
        sock: '',
        token: 'abc123',
        url: 'http://localhost:8889/',
        version: '2.14.2',
      },
      null,
      2,
    );
    const servers = parseJupyterServers(`${SEP}\n${file}\n${SEP}\n${fixture('notebook-list-text.txt')}`);
    assert.deepEqual(
      servers.map((s) => [s.port, s.token]),
      [
        [8889, 'abc123'],
        [8888, 'd8d01dc84ba36f4be55e920fb6511ebf0553280793563a20'],
      ],
    );
  });

  it('no server: nothing, and the path is just /', () => {
    assert.deepEqual(parseJupyterServers(`${SEP}\n`), []);
    assert.equal(jupyterPath(undefined), '/');
  });

  it('hostile tokens and base URLs never reach the URL: dropped, or percent-encoded by the URL maker', () => {
    const bad = [
      { port: 8888, token: 'a b', base_url: 'javascript:alert(1)' },
      { port: 8888, token: 'x&y=1#frag', base_url: '/ok/' },
      { port: 70000, token: 'abc' },
      { port: '8888', token: 'abc' },
    ];
    const servers = parseJupyterServers(bad.map((b) => JSON.stringify(b)).join('\n'));
    assert.deepEqual(servers, [{ port: 8888, token: '', baseUrl: '/' }]);
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 1, max: 65_535 }), (token, base, port) => {
        for (const s of parseJupyterServers(JSON.stringify({ port, token, base_url: base }))) {
          const url = new URL(`http://127.0.0.1:1${jupyterPath(s)}`);
          assert.equal(url.host, '127.0.0.1:1', 'the host never changes');
          assert.ok(!/[\s"<>]/.test(jupyterPath(s)));
        }
      }),
      { numRuns: 500 },
    );
  });
});
