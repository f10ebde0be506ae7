// Who else is on the machine? Parses the output of SESSION_CHECK_COMMAND, run on the instance over
// the extension's OWN SSH connection just before an auto-delete.
//
// Two sources, because each misses what the other sees:
// - `who` lists utmp login records: SSH logins with a terminal ("pts/0 (203.0.113.5)"), tmux/screen
//   panes ("(tmux(1234).%0)"), local displays (":0"). sshd writes a record only when it allocates a
//   pty (openssh-portable monitor.c mm_answer_pty → mm_record_login; session.c do_exec_pty →
//   do_login); exec channels without a pty — ours, and VS Code Remote-SSH's — write none.
// - the sshd session processes ("sshd: ubuntu@pts/0", "sshd: ubuntu@notty"; "sshd-session:" since
//   OpenSSH 9.8): one per SSH connection, with or without a pty. A Remote-SSH window shows up only
//   here. Ours is the sshd session process that is an ancestor of the `ps` that listed them.
// Anything we cannot read is reported as unreadable, never as "nobody there".
import * as l10n from '@vscode/l10n';

// l10n-exempt: a shell command run on the machine (LC_ALL=C keeps `who` in English, which parseWho reads)
export const SESSION_CHECK_COMMAND = 'LC_ALL=C who && echo @@fal-who-ok@@; echo @@fal-ps@@; ps -eo pid=,ppid=,args=';
const WHO_OK = '@@fal-who-ok@@';
const PS_MARK = '@@fal-ps@@';
const PS_SELF = /^ps -eo pid=,ppid=,args=/;

export interface WhoEntry {
  readonly user: string;
  /** utmp line: "pts/0", "tty7", ":0", "seat0", "console". */
  readonly line: string;
  /** The parenthesised comment: a remote host, a display, "tmux(1234).%0"; undefined when none. */
  readonly host?: string;
}

export interface OtherSession {
  readonly source: 'who' | 'sshd';
  /** For people: "ubuntu on pts/0 from 203.0.113.5", "ubuntu over SSH (no terminal), pid 4242". */
  readonly description: string;
}

export type SessionCheck =
  { readonly ok: true; readonly others: readonly OtherSession[] } | { readonly ok: false; readonly reason: string };

/** Parses plain `who` output (coreutils or BSD; ISO or "%b %e" times). Unreadable lines are returned apart. */
export function parseWho(text: string): { entries: WhoEntry[]; unreadable: string[] } {
  const entries: WhoEntry[] = [];
  const unreadable: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (!line.trim()) continue;
    const m = /^(\S+)\s+(\S+)\s+(\S.*)$/.exec(line);
    if (!m) {
      unreadable.push(line);
      continue;
    }
    const host = trailingComment(m[3]!);
    entries.push(host === undefined ? { user: m[1]!, line: m[2]! } : { user: m[1]!, line: m[2]!, host });
  }
  return { entries, unreadable };
}

/** The text of a balanced "(…)" group closing the line — nested, as in "(tmux(3619).%0)". */
function trailingComment(rest: string): string | undefined {
  if (!rest.endsWith(')')) return undefined;
  let depth = 0;
  for (let i = rest.length - 1; i >= 0; i--) {
    if (rest[i] === ')') depth++;
    else if (rest[i] === '(' && --depth === 0) return rest.slice(i + 1, -1);
  }
  return undefined;
}

export function describeWhoEntry(e: WhoEntry): string {
  if (e.host === undefined) return l10n.t`${e.user} on ${e.line}`;
  if (/^tmux\(\d+\)\.%\d+$/.test(e.host)) return l10n.t`${e.user} in a tmux pane (${e.line})`;
  if (/^:\d+(\.\d+)?$/.test(e.host)) return l10n.t`${e.user} on ${e.line} (display ${e.host})`;
  return l10n.t`${e.user} on ${e.line} from ${e.host}`;
}

export interface ProcessRow {
  readonly pid: number;
  readonly ppid: number;
  readonly args: string;
}

/** Parses `ps -eo pid=,ppid=,args=`. */
export function parseProcesses(text: string): { rows: ProcessRow[]; unreadable: string[] } {
  const rows: ProcessRow[] = [];
  const unreadable: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim()) continue;
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(raw);
    if (m) rows.push({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]!.trim() });
    else unreadable.push(raw);
  }
  return { rows, unreadable };
}

/** "sshd: ubuntu@pts/0" → { user, tty }; the listener, "[priv]" monitors and pre-auth children → undefined. */
export function sshdSessionTitle(args: string): { user: string; tty: string } | undefined {
  const m = /^sshd(?:-session)?: ([^\s@]+)@(\S+)$/.exec(args);
  return m ? { user: m[1]!, tty: m[2]! } : undefined;
}

/** The sessions other than ours, from the whole output of SESSION_CHECK_COMMAND. */
export function checkSessions(output: string): SessionCheck {
  const split = output.indexOf(PS_MARK);
  if (split < 0) return { ok: false, reason: l10n.t('the session check printed no process list') };
  const whoPart = output.slice(0, split);
  if (!whoPart.includes(WHO_OK)) return { ok: false, reason: l10n.t('`who` did not run on the machine') };
  const who = parseWho(whoPart.replace(WHO_OK, ''));
  if (who.unreadable.length)
    return { ok: false, reason: l10n.t`unreadable \`who\` line: ${JSON.stringify(who.unreadable[0])}` };
  const ps = parseProcesses(output.slice(split + PS_MARK.length));
  const ours = ownSshdPid(ps.rows);
  if (ours === undefined)
    return { ok: false, reason: l10n.t('could not find our own SSH connection in the process list') };
  const others: OtherSession[] = who.entries.map((e) => ({ source: 'who', description: describeWhoEntry(e) }));
  for (const row of ps.rows) {
    const title = sshdSessionTitle(row.args);
    if (!title || row.pid === ours) continue;
    const tty = title.tty === 'notty' ? l10n.t('no terminal') : title.tty;
    others.push({ source: 'sshd', description: l10n.t`${title.user} over SSH (${tty}), sshd pid ${row.pid}` });
  }
  return { ok: true, others };
}

/** The sshd session process our `ps` runs under: walk up from the ps line to the first sshd title. */
function ownSshdPid(rows: readonly ProcessRow[]): number | undefined {
  const byPid = new Map(rows.map((r) => [r.pid, r]));
  const selves = rows.filter((r) => PS_SELF.test(r.args));
  if (selves.length !== 1) return undefined;
  let at = byPid.get(selves[0]!.ppid);
  for (let hops = 0; at && hops < 64; hops++) {
    if (sshdSessionTitle(at.args)) return at.pid;
    at = byPid.get(at.ppid);
  }
  return undefined;
}
