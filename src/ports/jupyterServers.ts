// Jupyter's own word for how to open it: the token (and base URL) of each Jupyter server running on
// the machine, read from its runtime files (`jpserver-<pid>.json`, `nbserver-<pid>.json`: what
// `jupyter server list` itself reads) and from `jupyter server list --json` / `jupyter notebook
// list` when `jupyter` is on the PATH of a non-interactive shell. Real outputs are in
// test/fixtures/jupyter with their sources. Nothing here is trusted: a token or base URL that is
// not plainly one is dropped. Pure: no vscode.

/** Between the runtime files the command prints (each is a pretty-printed JSON object). */
const SEPARATOR = '@@fal-jupyter-file@@';

/** Run on the machine (POSIX sh): the runtime files, then the list commands; errors are dropped. */
export const JUPYTER_COMMAND = [
  // l10n-exempt: the shell command run on the machine
  'd="${JUPYTER_RUNTIME_DIR:-$HOME/.local/share/jupyter/runtime}"',
  // l10n-exempt: the shell command run on the machine
  `for f in "$d"/jpserver-*.json "$d"/nbserver-*.json; do [ -f "$f" ] && echo '${SEPARATOR}' && head -c 65536 "$f"; done`,
  `echo '${SEPARATOR}'`,
  // l10n-exempt: the shell command run on the machine
  '(jupyter server list --json || jupyter notebook list) 2>/dev/null | head -c 65536',
  'true',
].join('; ');

export interface JupyterServer {
  readonly port: number;
  /** '' when the server needs no token (or has a password instead). */
  readonly token: string;
  /** The server's base URL path, starting and ending with '/'. */
  readonly baseUrl: string;
}

const TOKEN = /^[A-Za-z0-9._~-]{1,256}$/;
const BASE_URL = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]{0,512}$/;

/** The servers the command's output names, one per port (the first that says so wins). */
export function parseJupyterServers(output: string): JupyterServer[] {
  const byPort = new Map<number, JupyterServer>();
  const add = (s: JupyterServer | undefined) => s && !byPort.has(s.port) && byPort.set(s.port, s);
  for (const chunk of output.split(SEPARATOR)) {
    add(fromJson(chunk.trim()));
    for (const line of chunk.split(/\r?\n/)) add(fromJson(line.trim()) ?? fromListLine(line.trim()));
  }
  return [...byPort.values()];
}

/** The path and query that open `server` with its token (`/lab?token=…` style): '/' and nothing more without one. */
export function jupyterPath(server: JupyterServer | undefined): string {
  if (!server) return '/';
  return server.token ? `${server.baseUrl}?token=${encodeURIComponent(server.token)}` : server.baseUrl;
}

function fromJson(text: string): JupyterServer | undefined {
  if (!text.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const port = typeof v.port === 'number' && Number.isInteger(v.port) ? v.port : undefined;
  if (port === undefined || port < 1 || port > 65_535) return undefined;
  const token = typeof v.token === 'string' && TOKEN.test(v.token) ? v.token : '';
  return { port, token, baseUrl: baseUrlOf(v.base_url) };
}

/** `http://localhost:8888/?token=abc :: /home/me` (`jupyter notebook list`, `jupyter server list`). */
function fromListLine(line: string): JupyterServer | undefined {
  const match = /^https?:\/\/[^\s/:]+:(\d{1,5})(\/[^\s?]*)?(?:\?token=(\S+))?\s+::\s/.exec(line);
  if (!match) return undefined;
  const port = Number(match[1]);
  if (port < 1 || port > 65_535) return undefined;
  const token = match[3] && TOKEN.test(match[3]) ? match[3] : '';
  return { port, token, baseUrl: baseUrlOf(match[2] ?? '/') };
}

function baseUrlOf(value: unknown): string {
  if (typeof value !== 'string' || !BASE_URL.test(value)) return '/';
  return value.endsWith('/') ? value : `${value}/`;
}
