// The shell commands of detached jobs, plain POSIX sh like setup's (setupCommands.ts), every value
// quoted, the user's command only ever inside base64. Each call is one exec.
//
// Layout on the machine, under the jobs dir D ($HOME/.fal/jobs by default), umask 077:
//   D/<job id>/           made complete in D/.new.<job id>, then renamed: a listing never sees half a job
//     command.sh          the user's command text, as sent (run by `bash -l`)
//     name workdir started boot-id   facts written before the job starts
//     fal-job-runner.sh   our wrapper, started detached by setsid; writes pid, pgid, then exit
//     pid                 the runner's pid
//     pgid                the job's own process group (its own session): Stop signals all of it
//     log                 the job's stdout and stderr, appended
//     exit                "<code> <end epoch s>", written to exit.tmp and renamed (whole or absent)
//     stop                epoch s when Stop was asked (the exit then reads as stopped)
import { shellQuote } from '../setup/remoteShell';
import { aliveFunction, END_MARKER, logReadLines, wholeNumber, type LogStart } from '../setup/setupCommands';

export const DEFAULT_JOBS_DIR = '.fal/jobs';
/** The runner's file name, also how `alive` tells it from a process that reused its pid. */
export const JOB_RUNNER = 'fal-job-runner';
export const JOB_START_MARKER = '@@fal-job-start';
// l10n-exempt: marker lines matched in the machine's answer
export const JOB_STATUS_MARKER = '@@fal-job-status v1';
export const JOB_STOP_MARKER = '@@fal-job-stop';
export { END_MARKER };

/** The tools start needs on the machine, checked first so a missing one is named, not guessed at. */
export const JOB_REQUIRED_TOOLS = [
  'bash',
  'setsid',
  'base64',
  'head',
  'tail',
  'mv',
  'grep',
  'sort',
  'tr',
  'wc',
] as const;

/** Bytes of the name kept (and read back). */
export const NAME_BYTES = 200;
/** Bytes of the command read back by status(): enough to show it, bounded whatever was run. */
export const SHOWN_COMMAND_BYTES = 4096;
/** Bytes of the command read back per job by list(): 50 blocks stay far below the transport's 256 KiB. */
export const LISTED_COMMAND_BYTES = 1024;
/** Bytes of the workdir (a path under home) accepted and read back. */
export const WORKDIR_BYTES = 1024;

/**
 * The runner, started with `setsid sh runner <job dir> [<workdir>]`: no terminal, stdin from
 * /dev/null, so it outlives the SSH session, a dropped network and VS Code. It starts the job in a
 * session (and process group) of its own, so Stop can signal the job and every process it made
 * while the runner lives on to write the exit file.
 */
// l10n-exempt: the shell script run on the machine
const RUNNER = `c=$1
printf '%s\\n' "$$" > "$c/pid.tmp" && mv -f "$c/pid.tmp" "$c/pid"
cd "$HOME" 2>/dev/null || cd /
[ -z "$2" ] || cd -- "$2" 2>/dev/null || printf 'fal: ~/%s is missing; the job runs in the home folder\\n' "$2" >> "$c/log"
# Python block-buffers stdout into a file: unbuffered, its prints reach the log (and the terminal) as they happen.
PYTHONUNBUFFERED=1; export PYTHONUNBUFFERED
setsid bash -l "$c/command.sh" >> "$c/log" 2>&1 < /dev/null &
printf '%s\\n' "$!" > "$c/pgid.tmp" && mv -f "$c/pgid.tmp" "$c/pgid"
wait "$!"
code=$?
printf '%s %s\\n' "$code" "$(date +%s)" > "$c/exit.tmp" && mv -f "$c/exit.tmp" "$c/exit" || rm -f "$c/exit.tmp"
`;

const ALIVE_FUNCTION = aliveFunction(JOB_RUNNER);

export interface JobStartCommand {
  /** Shell expression of the jobs dir (setupDirExpression). */
  readonly dirExpression: string;
  readonly jobId: string;
  readonly commandBase64: string;
  /** One line, at most NAME_BYTES. */
  readonly name: string;
  readonly workdir: string;
}

/**
 * Prints one line `@@fal-job-start <word> [detail]`: `started`, `missing <tool>` or
 * `failed <step>`. Exit status 0 in every case: the line is the answer.
 */
// l10n-exempt: the shell command run on the machine
export function startCommand(r: JobStartCommand): string {
  const q = shellQuote;
  return [
    `d=${r.dirExpression}; j=${q(r.jobId)}; c="$d/$j"; n="$d/.new.$j"; m=${q(JOB_START_MARKER)}`,
    `fail() { rm -rf "$n"; echo "$m failed $1"; exit 0; }`,
    `for t in ${JOB_REQUIRED_TOOLS.join(' ')}; do command -v "$t" >/dev/null 2>&1 || { echo "$m missing $t"; exit 0; }; done`,
    `umask 077; mkdir -p "$d" || fail mkdir`,
    `[ ! -e "$c" ] || fail exists`,
    `rm -rf "$n" && mkdir "$n" || fail mkdir`,
    `printf '%s' ${q(r.commandBase64)} | base64 -d > "$n/command.sh" || fail write`,
    `{ printf '%s' ${q(r.name)} > "$n/name" && printf '%s' ${q(r.workdir)} > "$n/workdir" &&` +
      ` date +%s > "$n/started" && : > "$n/log" &&` +
      ` { cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo -; } > "$n/boot-id" &&` +
      ` printf '%s' ${q(RUNNER)} > "$n/${JOB_RUNNER}.sh"; } || fail write`,
    `mv -T "$n" "$c" 2>/dev/null || fail claim`,
    // A simple command, not an AND-list: a background list is a subshell that keeps the channel's
    // stdout open, and start would return only when the job ended (see setup's startCommand).
    `setsid sh "$c/${JOB_RUNNER}.sh" "$c" ${q(r.workdir)} < /dev/null > /dev/null 2>&1 &`,
    // Until the runner wrote the job's group (it does at once), so Stop right after start can signal it.
    `i=0; while [ ! -s "$c/pgid" ] && [ $i -lt 100 ]; do sleep 0.05 2>/dev/null || sleep 1; i=$((i + 1)); done`,
    `echo "$m started"`,
  ].join('\n');
}

/** The keys of a job's block, in the order printed, after its `job=<id>` line. */
export const JOB_KEYS = [
  'name',
  'command',
  'workdir',
  'started',
  'pid',
  'pgid',
  'exit',
  'stop',
  'alive',
  'boot',
  'bytes',
  'now',
] as const;

/**
 * Shell functions: `block <job id> <command bytes>` prints `job=<id>` and one line per JOB_KEYS.
 * Texts (`t <key> <file> <bytes>`: name, command, workdir) are base64 of their first bytes, so a newline in them cannot move
 * a line; facts are the file's first 80 bytes, `-` when absent, `?` when they hold a newline.
 */
// l10n-exempt: the shell command run on the machine
function blockFunctions(dirExpression: string): string {
  return [
    `d=${dirExpression}; nl='\n'`,
    ALIVE_FUNCTION,
    `f() { x=$(head -c 80 "$c/$1" 2>/dev/null) || x=-; [ -n "$x" ] || x=-; case $x in *"$nl"*) x='?';; esac; printf '%s=%s\\n' "$1" "$x"; }`,
    `t() { if [ -f "$c/$2" ]; then printf '%s=%s\\n' "$1" "$(head -c "$3" "$c/$2" | base64 | tr -d '\\n')"; else printf '%s=-\\n' "$1"; fi; }`,
    `block() {`,
    `  c="$d/$1"; printf 'job=%s\\n' "$1"`,
    `  t name name ${NAME_BYTES}; t command command.sh "$2"; t workdir workdir ${WORKDIR_BYTES}`,
    `  f started; f pid; f pgid; f exit; f stop`,
    `  if alive "$(head -c 20 "$c/pid" 2>/dev/null)"; then echo alive=1; else echo alive=0; fi`,
    `  b=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null); s=$(head -c 80 "$c/boot-id" 2>/dev/null)`,
    `  if [ -z "$b" ] || [ -z "$s" ] || [ "$s" = - ]; then echo boot=unknown; elif [ "$b" = "$s" ]; then echo boot=same; else echo boot=other; fi`,
    `  if [ -f "$c/log" ]; then printf 'bytes=%s\\n' "$(wc -c < "$c/log" | tr -d ' ')"; else echo bytes=-; fi`,
    `  printf 'now=%s\\n' "$(date +%s)"`,
    `}`,
  ].join('\n');
}

/** The marker, then `none` or the job's block (with SHOWN_COMMAND_BYTES of its command), then the log part when asked. */
// l10n-exempt: the shell command run on the machine
function jobBlock(dirExpression: string, jobId: string): string {
  return [
    blockFunctions(dirExpression),
    `j=${shellQuote(jobId)}; c="$d/$j"`,
    `echo ${shellQuote(JOB_STATUS_MARKER)}`,
    `if [ -d "$c" ]; then block "$j" ${SHOWN_COMMAND_BYTES}; else echo none; fi`,
  ].join('\n');
}

// l10n-exempt: the shell command run on the machine
export function statusCommand(dirExpression: string, jobId: string): string {
  return `${jobBlock(dirExpression, jobId)}\necho ${shellQuote(END_MARKER)}`;
}

/** The job's block, then (when it has a log) setup's log part: offset, data, `run-after=<job id>`. */
// l10n-exempt: the shell command run on the machine
export function logCommand(dirExpression: string, jobId: string, start: LogStart, maxBytes: number): string {
  return [
    jobBlock(dirExpression, jobId),
    ...logReadLines(start, maxBytes, '"$j"'),
    `echo ${shellQuote(END_MARKER)}`,
  ].join('\n');
}

/** The newest `limit` jobs (ids sort by start time), one block each, newest first. */
// l10n-exempt: the shell command run on the machine
export function listCommand(dirExpression: string, limit: number): string {
  return [
    blockFunctions(dirExpression),
    `echo ${shellQuote(JOB_STATUS_MARKER)}`,
    `ls -1 "$d" 2>/dev/null | LC_ALL=C grep -xE '[0-9a-z-]{8,64}' | LC_ALL=C sort -r | head -n ${wholeNumber(limit)} |`,
    `  while IFS= read -r j; do [ ! -d "$d/$j" ] || block "$j" ${LISTED_COMMAND_BYTES}; done`,
    `echo ${shellQuote(END_MARKER)}`,
  ].join('\n');
}

/**
 * Prints `@@fal-job-stop <word> [detail]`: `stopping`, `notrunning` (no such job, it ended, or its
 * runner is gone or from another boot) or `failed <step>`. When running: writes `stop`, sends TERM
 * to the job's group, and leaves a detached killer that sends KILL after the grace to whatever of
 * the group is still there — also a child that ignored TERM after the job's shell ended — so a laptop
 * that closes right after Stop still ends it all. (A group with a member keeps its id: the kernel
 * never hands out a pid that is still a process group's id, so the KILL cannot reach a stranger.)
 */
// l10n-exempt: the shell command run on the machine
export function stopCommand(dirExpression: string, jobId: string, graceSeconds: number): string {
  return [
    `c=${dirExpression}/${shellQuote(jobId)}; m=${shellQuote(JOB_STOP_MARKER)}`,
    ALIVE_FUNCTION,
    `b=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null); s=$(head -c 80 "$c/boot-id" 2>/dev/null)`,
    `if [ ! -d "$c" ] || [ -f "$c/exit" ] || ! alive "$(head -c 20 "$c/pid" 2>/dev/null)" ||` +
      ` { [ -n "$b" ] && [ -n "$s" ] && [ "$s" != - ] && [ "$b" != "$s" ]; }; then echo "$m notrunning"; exit 0; fi`,
    // Never 0 or 1: `kill -- -1` would signal every process of the user.
    `g=$(head -c 20 "$c/pgid" 2>/dev/null); case $g in ''|*[!0-9]*|0|1) echo "$m failed pgid"; exit 0;; esac`,
    `[ -f "$c/stop" ] || { date +%s > "$c/stop.tmp" && mv -f "$c/stop.tmp" "$c/stop"; } || { echo "$m failed write"; exit 0; }`,
    `kill -s TERM -- "-$g" 2>/dev/null || { echo "$m notrunning"; exit 0; }`,
    `setsid sh -c 'sleep "$1"; kill -s 0 -- "-$3" 2>/dev/null && kill -s KILL -- "-$3"' fal-job-killer ${wholeNumber(graceSeconds)} "$c" "$g" < /dev/null > /dev/null 2>&1 &`,
    `echo "$m stopping"`,
  ].join('\n');
}
