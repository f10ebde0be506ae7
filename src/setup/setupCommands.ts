// The shell commands setup sends, plain POSIX sh (bash, dash and zsh read them alike), every
// value quoted. No stdin: the script travels inside the command, base64, so one exec carries it.
//
// Layout on the machine, under the setup dir D ($HOME/.fal/setup by default):
//   D/current/            the run that counts (made complete in D/new.<run id>, then renamed: a
//                         half-written run is never `current`, and two starters cannot both win)
//     script.sh           the script, as approved (its sha256 checked on the machine)
//     sha256 run-id timeout started boot-id   facts written before the run starts
//     fal-setup-runner.sh our wrapper, started detached by setsid; writes pid, then exit
//     pid                 the runner's pid (its own session and process group)
//     log                 the script's stdout and stderr, appended
//     exit                "<code> <end epoch s>", written to exit.tmp and renamed (whole or absent:
//                         on a full disk there is none, and the run reads as lost, never as set up)
//   D/previous/           the run before the last Run Setup Again (one kept, older ones removed)
import { shellQuote } from './remoteShell';

export const START_MARKER = '@@fal-setup-start';
// l10n-exempt: a marker line matched in the machine's answer
export const STATUS_MARKER = '@@fal-setup-status v1';
export const END_MARKER = '@@fal-setup-end';

/** Default grace between timeout's TERM and its KILL: exit 124 means TERM ended it, 137 (128 + 9) that KILL had to. */
export const KILL_AFTER_SECONDS = 30;

/** The tools start needs on the machine, checked first so a missing one is named, not guessed at. */
export const REQUIRED_TOOLS = ['bash', 'setsid', 'timeout', 'base64', 'sha256sum', 'head', 'tail', 'mv'] as const;

/**
 * The runner, started with `setsid sh runner <run dir> <timeout s> <kill-after s> [<workdir>]`: no terminal,
 * stdin from /dev/null, so it outlives the SSH session, a dropped network and VS Code. The script runs in
 * the user's home, or in the workspace's copy under it (`workdir`, relative to home) when the workspace
 * was uploaded first — and says so in the log when that folder is missing — under `timeout` (which puts
 * it in a process group of its own and kills that group).
 */
// l10n-exempt: the shell script run on the machine
const RUNNER = `c=$1
printf '%s\\n' "$$" > "$c/pid.tmp" && mv -f "$c/pid.tmp" "$c/pid"
cd "$HOME" 2>/dev/null || cd /
[ -z "$4" ] || cd -- "$4" 2>/dev/null || printf 'fal: ~/%s is missing; the setup runs in the home folder\n' "$4" >> "$c/log"
timeout --kill-after="$3s" "$2s" bash "$c/script.sh" >> "$c/log" 2>&1 < /dev/null
code=$?
printf '%s %s\\n' "$code" "$(date +%s)" > "$c/exit.tmp" && mv -f "$c/exit.tmp" "$c/exit" || rm -f "$c/exit.tmp"
`;

/** The name of setup's runner script: also how `alive` tells it from a process that reused its pid. */
export const SETUP_RUNNER = 'fal-setup-runner';

/**
 * `alive <pid>`: is that pid a live process whose command line holds `runnerName` (our runner)?
 * kill -0 alone would take a reused pid for ours.
 */
// l10n-exempt: shell text run on the machine
export function aliveFunction(runnerName: string): string {
  return `alive() { case $1 in ''|*[!0-9]*) return 1;; esac; kill -0 "$1" 2>/dev/null || return 1; [ ! -r "/proc/$1/cmdline" ] || grep -q ${shellQuote(runnerName)} "/proc/$1/cmdline"; }`;
}
const ALIVE_FUNCTION = aliveFunction(SETUP_RUNNER);

export interface StartRequest {
  /** Shell expression of the setup dir (setupDirExpression). */
  readonly dirExpression: string;
  readonly scriptBase64: string;
  readonly sha256: string;
  readonly runId: string;
  readonly timeoutSeconds: number;
  readonly killAfterSeconds: number;
  /** Run Setup Again: keep the current run as `previous` and start a new one (refused while one runs). */
  readonly again: boolean;
  /** Where the script runs, relative to the home folder ('' or absent: the home folder itself). */
  readonly workdir?: string;
}

/**
 * Prints one line `@@fal-setup-start <word> [detail]`: `started`, `existing <sha256>`, `busy`,
 * `missing <tool>` or `failed <step>`. Exit status 0 in every case: the line is the answer.
 */
// l10n-exempt: the shell command run on the machine
export function startCommand(r: StartRequest): string {
  const q = (v: string | number) => shellQuote(String(v));
  return [
    `d=${r.dirExpression}; c="$d/current"; n="$d/new."${q(r.runId)}; m=${q(START_MARKER)}`,
    `fail() { rm -rf "$n"; echo "$m failed $1"; exit 0; }`,
    ALIVE_FUNCTION,
    `for t in ${REQUIRED_TOOLS.join(' ')}; do command -v "$t" >/dev/null 2>&1 || { echo "$m missing $t"; exit 0; }; done`,
    `umask 077; mkdir -p "$d" || fail mkdir`,
    `if [ ${r.again ? 1 : 0} = 1 ] && [ -d "$c" ]; then`,
    `  if [ ! -f "$c/exit" ] && alive "$(head -c 20 "$c/pid" 2>/dev/null)"; then echo "$m busy"; exit 0; fi`,
    `  rm -rf "$d/previous" && mv -f "$c" "$d/previous" || fail rotate`,
    `fi`,
    `if [ -d "$c" ]; then echo "$m existing $(head -c 64 "$c/sha256" 2>/dev/null)"; exit 0; fi`,
    `rm -rf "$n" && mkdir "$n" || fail mkdir`,
    `printf '%s' ${q(r.scriptBase64)} | base64 -d > "$n/script.sh" || fail write`,
    `[ "$(sha256sum < "$n/script.sh" | head -c 64)" = ${q(r.sha256)} ] || fail damaged`,
    `{ printf '%s\\n' ${q(r.sha256)} > "$n/sha256" && printf '%s\\n' ${q(r.runId)} > "$n/run-id" &&` +
      ` printf '%s\\n' ${q(r.timeoutSeconds)} > "$n/timeout" && date +%s > "$n/started" && : > "$n/log" &&` +
      ` { cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo -; } > "$n/boot-id" &&` +
      ` printf '%s' ${q(RUNNER)} > "$n/fal-setup-runner.sh"; } || fail write`,
    // The claim: rename(2) onto a missing name; a run that appeared meanwhile wins and ours goes.
    `mv -T "$n" "$c" 2>/dev/null || { rm -rf "$n"; echo "$m existing $(head -c 64 "$c/sha256" 2>/dev/null)"; exit 0; }`,
    // A simple command, not `cd / && setsid …&`: an AND-list in the background is a subshell that
    // keeps the channel's stdout open, and the start would return only when the script ended.
    `setsid sh "$c/fal-setup-runner.sh" "$c" ${q(r.timeoutSeconds)} ${q(r.killAfterSeconds)} ${q(r.workdir ?? '')} < /dev/null > /dev/null 2>&1 &`,
    // Until the runner wrote its pid (it does at once), so a status read right after sees it running.
    `i=0; while [ ! -s "$c/pid" ] && [ $i -lt 100 ]; do sleep 0.05 2>/dev/null || sleep 1; i=$((i + 1)); done`,
    `echo "$m started"`,
  ].join('\n');
}

/**
 * The status block: the marker, then `none`, or one `key=value` line per fact in a fixed order
 * (STATUS_KEYS). Each value is the file's first 80 bytes as they are (a newline in one breaks the
 * block, and the parser calls that unknown); `-` when the file is absent.
 */
// l10n-exempt: the shell command run on the machine
function statusBlock(dirExpression: string): string {
  return [
    `c=${dirExpression}/current`,
    ALIVE_FUNCTION,
    `f() { x=$(head -c 80 "$c/$1" 2>/dev/null) || x=-; [ -n "$x" ] || x=-; printf '%s=%s\\n' "$1" "$x"; }`,
    `echo ${shellQuote(STATUS_MARKER)}`,
    `if [ ! -d "$c" ]; then echo none; else`,
    `  f run-id; f sha256; f timeout; f started; f pid; f exit`,
    `  if alive "$(head -c 20 "$c/pid" 2>/dev/null)"; then echo alive=1; else echo alive=0; fi`,
    `  b=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null); s=$(head -c 80 "$c/boot-id" 2>/dev/null)`,
    `  if [ -z "$b" ] || [ -z "$s" ] || [ "$s" = - ]; then echo boot=unknown; elif [ "$b" = "$s" ]; then echo boot=same; else echo boot=other; fi`,
    `  if [ -f "$c/log" ]; then printf 'bytes=%s\\n' "$(wc -c < "$c/log" | tr -d ' ')"; else echo bytes=-; fi`,
    `  printf 'now=%s\\n' "$(date +%s)"`,
    `fi`,
  ].join('\n');
}

/** The keys of a run's status block, in the order printed. */
export const STATUS_KEYS = [
  'run-id',
  'sha256',
  'timeout',
  'started',
  'pid',
  'exit',
  'alive',
  'boot',
  'bytes',
  'now',
] as const;

// l10n-exempt: the shell command run on the machine
export function statusCommand(dirExpression: string): string {
  return `${statusBlock(dirExpression)}\necho ${shellQuote(END_MARKER)}`;
}

/** Where a log read starts: at a byte offset, or at most `lastBytes` before the end (a first open). */
export type LogStart = { readonly offset: number } | { readonly lastBytes: number };

/**
 * The status block, then (for a run) `offset=<n>`, `data`, base64 of at most `maxBytes` log bytes
 * from that offset, and `run-after=<run id>`: read again after the data, so a log replaced by Run
 * Setup Again in between is noticed, not spliced onto the old one.
 */
// l10n-exempt: the shell command run on the machine
export function logCommand(dirExpression: string, start: LogStart, maxBytes: number): string {
  return [
    statusBlock(dirExpression),
    ...logReadLines(start, maxBytes, '"$(head -c 80 "$c/run-id" 2>/dev/null)"'),
    `echo ${shellQuote(END_MARKER)}`,
  ].join('\n');
}

/**
 * The log part of a log answer, for the run dir in `$c` (setup's and a job's alike): when the log
 * exists, `offset=<n>`, `data`, the base64 of at most `maxBytes` bytes from there, and
 * `run-after=<runIdExpression>` (evaluated after the read; parseLogData checks it).
 */
// l10n-exempt: shell text run on the machine
export function logReadLines(start: LogStart, maxBytes: number, runIdExpression: string): string[] {
  const offset =
    'offset' in start
      ? `o=${wholeNumber(start.offset)}`
      : `o=0; [ "$z" -gt ${wholeNumber(start.lastBytes)} ] && o=$((z - ${wholeNumber(start.lastBytes)}))`;
  return [
    `if [ -f "$c/log" ]; then`,
    `  z=$(wc -c < "$c/log" | tr -d ' '); ${offset}`,
    `  printf 'offset=%s\\ndata\\n' "$o"`,
    `  tail -c +$((o + 1)) "$c/log" | head -c ${wholeNumber(maxBytes)} | base64`,
    `  printf 'run-after=%s\\n' ${runIdExpression}`,
    `fi`,
  ];
}

export function wholeNumber(n: number): string {
  // l10n-exempt: a programming error (offsets and sizes are ours), never shown
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a byte count: ${n}`);
  return String(n);
}
