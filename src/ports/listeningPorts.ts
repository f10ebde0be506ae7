// What listens on a machine, from `ss -ltn` run over the instance's kept SSH connection (only when
// the user opens Open Port…'s pick, never polled). Real outputs of several iproute2 versions are in
// test/fixtures/ss with their sources. Pure: no vscode.
import * as l10n from '@vscode/l10n';
import type { RunResult } from '../connections/types';
import { isPort } from './knownPorts';

/** Run on the machine: listening TCP sockets, numeric. stderr is kept apart (the shell's "not found"). */
export const LISTENING_COMMAND = 'ss -ltn'; // l10n-exempt: the command run on the machine

export interface ListeningPort {
  readonly port: number;
  /** The local addresses it listens on as ss prints them (`0.0.0.0`, `[::1]`, `*`, `127.0.0.53%lo`). */
  readonly addresses: readonly string[];
  /** Reachable at the machine's loopback (what a forward connects to): a wildcard or loopback address. */
  readonly onLoopback: boolean;
}

export type Listening =
  | { readonly kind: 'ports'; readonly ports: readonly ListeningPort[] }
  /** ss is not installed (or not on PATH): the user types a port. */
  | { readonly kind: 'noSs'; readonly message: string }
  /** ss ran and failed otherwise: its words. */
  | { readonly kind: 'failed'; readonly message: string };

/** The listening ports in `ss -ltn` (or `-tuln`, `-ltnp`) output, one per port, sorted; junk lines are skipped. */
export function parseListening(output: string): ListeningPort[] {
  const byPort = new Map<number, string[]>();
  for (const line of output.split(/\r?\n/)) {
    const fields = line.trim().split(/\s+/);
    const state = fields.indexOf('LISTEN');
    // LISTEN, Recv-Q, Send-Q, then the local address (a Netid column may come before the state).
    if (state < 0 || state > 1) continue;
    const local = fields[state + 3];
    const parsed = local === undefined ? undefined : splitAddress(local);
    if (!parsed) continue;
    const addresses = byPort.get(parsed.port) ?? [];
    if (!addresses.includes(parsed.address)) addresses.push(parsed.address);
    byPort.set(parsed.port, addresses);
  }
  return [...byPort]
    .sort(([a], [b]) => a - b)
    .map(([port, addresses]) => ({ port, addresses, onLoopback: addresses.some(isLoopbackOrAny) }));
}

/** What the machine answered to LISTENING_COMMAND, sorted out. */
export function listeningOf(result: RunResult): Listening {
  const said = `${result.stderr}\n${result.stdout}`.trim();
  if (result.exitCode === 127 || /\bss: (command )?not found|command not found: ss\b/.test(said))
    return { kind: 'noSs', message: l10n.t('ss is not installed on the machine (iproute2)') };
  if (result.exitCode !== 0 && result.exitCode !== undefined)
    return { kind: 'failed', message: firstLine(result.stderr) || l10n.t`ss exited with ${result.exitCode}` };
  return { kind: 'ports', ports: parseListening(result.stdout) };
}

function splitAddress(local: string): { address: string; port: number } | undefined {
  const colon = local.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const portText = local.slice(colon + 1);
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  return isPort(port) ? { address: local.slice(0, colon), port } : undefined;
}

function isLoopbackOrAny(address: string): boolean {
  const bare = address.replace(/%.*$/, '').replace(/^\[|\]$/g, '');
  return ['*', '0.0.0.0', '::', '::1'].includes(bare) || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

function firstLine(text: string): string {
  return text.trim().split(/\r?\n/)[0] ?? '';
}
