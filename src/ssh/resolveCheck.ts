// After writing, ask the real ssh how it resolves our host (`ssh -G`: the configuration it would
// use, without connecting) and compare with what we meant. This catches what no unit test of
// ours can: the user's OpenSSH version and platform reading the config differently, a config
// ssh rejects, an Include that does not reach our file. No ssh client installed: said so, and
// nothing is claimed.
import { execFile } from 'node:child_process';
import { BlockList, isIP } from 'node:net';
import * as l10n from '@vscode/l10n';
import { formatFilePath, localPathStyle, type PathStyle } from './configPath';
import type { HostEntry } from './hostEntry';

export type ResolveCheck =
  | { readonly kind: 'ok' }
  /** No ssh client to ask (not installed, not on PATH): the config was not checked. */
  | { readonly kind: 'no-ssh'; readonly detail: string }
  /** ssh did not answer in time (e.g. a `Match exec` command of the user's that hangs). */
  | { readonly kind: 'unknown'; readonly detail: string }
  /** ssh refused the configuration: its own message. */
  | { readonly kind: 'rejected'; readonly detail: string }
  /** ssh reads the config, but resolves our host to other values than we wrote. */
  | { readonly kind: 'mismatch'; readonly detail: string };

/** The values `ssh -G <alias>` must print for our block (lower-case keywords, as ssh prints them). */
export function expectedResolution(entry: HostEntry, style: PathStyle = localPathStyle()): ReadonlyMap<string, string> {
  return new Map([
    ['hostname', entry.hostName],
    ['user', entry.user ?? 'ubuntu'],
    ['port', String(entry.port ?? 22)],
    // ssh -G prints IdentityFile before %-token expansion and UserKnownHostsFile after it.
    ['identityfile', formatFilePath(entry.identityFile, l10n.t('key file'), style).split],
    ['userknownhostsfile', formatFilePath(entry.knownHostsFile, l10n.t('known_hosts file'), style).opened],
    ['stricthostkeychecking', 'accept-new'],
    ['hostkeyalias', entry.alias],
    ['checkhostip', 'no'],
  ]);
}

export interface ResolveCheckOptions {
  /** The ssh to ask (default `ssh` from PATH, as Remote-SSH and a terminal would). */
  readonly ssh?: string;
  readonly timeoutMs?: number;
  readonly style?: PathStyle;
}

/** `ssh -G -F <configFile> <alias>`, compared with `expected` (see expectedResolution). */
export function checkResolves(
  configFile: string,
  alias: string,
  expected: ReadonlyMap<string, string>,
  options: ResolveCheckOptions = {},
): Promise<ResolveCheck> {
  const { ssh = 'ssh', timeoutMs = 10_000, style = localPathStyle() } = options;
  return new Promise((resolve) => {
    execFile(
      ssh,
      ['-G', '-F', configFile, alias],
      { timeout: timeoutMs, windowsHide: true, encoding: 'utf8', maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = (error as NodeJS.ErrnoException | null)?.code;
        if (code === 'ENOENT')
          return resolve({
            kind: 'no-ssh',
            detail: l10n.t`no ssh client found (${ssh} is not on PATH), so the SSH config was not checked with ssh -G`,
          });
        if (error && (error as { killed?: boolean }).killed)
          return resolve({ kind: 'unknown', detail: l10n.t`ssh -G did not answer within ${timeoutMs / 1000} s` });
        if (error) return resolve({ kind: 'rejected', detail: lastLines(stderr) || error.message });
        resolve(compare(parseSshG(stdout), expected, style));
      },
    );
  });
}

/** `ssh -G` output: keyword → first value (lower-case keywords; a repeated keyword keeps its first). */
export function parseSshG(stdout: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of stdout.split(/\r?\n/)) {
    const space = line.indexOf(' ');
    if (space > 0 && !values.has(line.slice(0, space))) values.set(line.slice(0, space), line.slice(space + 1));
  }
  return values;
}

function compare(
  got: ReadonlyMap<string, string>,
  expected: ReadonlyMap<string, string>,
  style: PathStyle,
): ResolveCheck {
  const same = (a: string, b: string) =>
    style === 'win32' ? a.replace(/\\/g, '/').toLowerCase() === b.replace(/\\/g, '/').toLowerCase() : a === b;
  const wrong = [...expected].filter(
    ([k, v]) => !(k === 'hostname' ? sameAddress(got.get(k) ?? '', v) : same(got.get(k) ?? '', v)),
  );
  if (wrong.length === 0) return { kind: 'ok' };
  return {
    kind: 'mismatch',
    detail: wrong
      .map(([k, v]) => l10n.t`${k} is ${JSON.stringify(got.get(k) ?? '')}, not ${JSON.stringify(v)}`)
      .join('; '),
  };
}

/** ssh prints an IPv6 HostName the way inet_ntop writes it (`::ffff:1.2.3.4`, `2c` for `02c`): compare addresses, not spellings. */
export function sameAddress(a: string, b: string): boolean {
  const family = isIP(a);
  if (family === 0 || family !== isIP(b)) return a === b;
  const list = new BlockList();
  list.addAddress(a, family === 4 ? 'ipv4' : 'ipv6');
  return list.check(b, family === 4 ? 'ipv4' : 'ipv6');
}

function lastLines(text: string): string {
  return text.trim().split(/\r?\n/).slice(-3).join(' ').slice(0, 500);
}
