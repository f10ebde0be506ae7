// What the machine says about the setup run, read strictly: every line of the status block must be
// exactly the expected key with a value of the expected shape, or the whole answer is `unknown`.
// Fail safe: no text, however it is made, reads as a finished run unless the exit file said so in
// the runner's own format; nothing reads as `set up` without exit code 0.
import { END_MARKER, STATUS_KEYS, STATUS_MARKER } from './setupCommands';

/** Facts of one run, times in the machine's epoch ms (its clock, not ours: see `machineNowMs`). */
export interface SetupRunFacts {
  readonly runId: string;
  readonly sha256: string;
  readonly timeoutSeconds: number;
  readonly startedAtMs: number;
  /** Size of the log when the status was read; undefined when the log file is missing. */
  readonly logBytes: number | undefined;
  /** The machine's clock when it answered: elapsed time is measured on one clock. */
  readonly machineNowMs: number;
}

export type SetupStatus =
  /** No run has ever been started from this dir. */
  | { readonly kind: 'none' }
  /** `pid` is undefined in the moment between the run's claim and its runner writing the pid. */
  | { readonly kind: 'running'; readonly run: SetupRunFacts; readonly pid: number | undefined }
  | { readonly kind: 'exited'; readonly run: SetupRunFacts; readonly exitCode: number; readonly endedAtMs: number }
  /** The run has no exit file and its runner is gone (the machine rebooted, the runner was killed). */
  | { readonly kind: 'lost'; readonly run: SetupRunFacts }
  /** The answer could not be read; `reason` is English, for the log. */
  | { readonly kind: 'unknown'; readonly reason: string };

/** How long a run may be without a pid before it counts as lost (its runner writes one at once). */
export const STARTING_GRACE_SECONDS = 15;

/** The shapes of the facts every runner (setup's, a job's) writes alike, as the status block prints them. */
export const RUN_FACT_SHAPES = {
  started: /^[0-9]{1,12}$/,
  pid: /^([1-9][0-9]{0,9}|-)$/,
  exit: /^(0|[1-9][0-9]{0,2}) ([0-9]{1,12})$|^-$/,
  alive: /^[01]$/,
  boot: /^(same|other|unknown)$/,
  bytes: /^([0-9]{1,15}|-)$/,
  now: /^[0-9]{1,12}$/,
} as const;

const SHAPES: Record<(typeof STATUS_KEYS)[number], RegExp> = {
  'run-id': /^[0-9a-z-]{8,64}$/,
  sha256: /^[0-9a-f]{64}$/,
  timeout: /^[1-9][0-9]{0,6}$/,
  ...RUN_FACT_SHAPES,
};

/** Lines of an answer from the status marker on; undefined when there is no marker. */
export function answerLines(stdout: string, marker: string = STATUS_MARKER): string[] | undefined {
  const lines = stdout.split('\n');
  const at = lines.indexOf(marker);
  return at < 0 ? undefined : lines.slice(at + 1);
}

/**
 * `key=value` lines at the start of `lines`, exactly `keys` in that order, each value of its
 * shape: the values by key, or the reason (English, for the log) at the first line out of place.
 */
// l10n-exempt: the reasons are for the log, English
export function readKeyedLines<K extends string>(
  lines: readonly string[],
  keys: readonly K[],
  shapes: Record<K, RegExp>,
): { readonly values: Record<K, string> } | { readonly reason: string } {
  const values = {} as Record<K, string>;
  for (const [i, key] of keys.entries()) {
    const line = lines[i];
    if (line === undefined || !line.startsWith(`${key}=`))
      return { reason: `expected ${key}= at line ${i + 1} of the block` };
    const value = line.slice(key.length + 1);
    if (!shapes[key].test(value)) return { reason: `${key} is not in the runner's format` };
    values[key] = value;
  }
  return { values };
}

/** What a run is, from the facts its runner left (values of RUN_FACT_SHAPES' shapes). */
export type RunState =
  | { readonly kind: 'exited'; readonly exitCode: number; readonly endedAtMs: number }
  | { readonly kind: 'running'; readonly pid: number | undefined }
  | { readonly kind: 'lost' }
  | { readonly kind: 'unknown'; readonly reason: string };

/**
 * Exited only by an exit file in the runner's format; running while the runner is alive in this
 * boot (or not yet started, within STARTING_GRACE_SECONDS); lost otherwise.
 */
// l10n-exempt: the reason of `unknown` is for the log, English
export function runState(v: Record<keyof typeof RUN_FACT_SHAPES, string>): RunState {
  const exit = /^([0-9]+) ([0-9]+)$/.exec(v.exit);
  if (exit) {
    const exitCode = Number(exit[1]);
    if (exitCode > 255) return { kind: 'unknown', reason: 'exit code out of range' };
    return { kind: 'exited', exitCode, endedAtMs: Number(exit[2]) * 1000 };
  }
  if (v.alive === '1' && v.boot !== 'other' && v.pid !== '-') return { kind: 'running', pid: Number(v.pid) };
  // A run claimed but whose runner has not written its pid yet: a second window reading right
  // after another's start must not see it as interrupted.
  const age = Number(v.now) - Number(v.started);
  if (v.pid === '-' && v.boot !== 'other' && age >= 0 && age < STARTING_GRACE_SECONDS)
    return { kind: 'running', pid: undefined };
  return { kind: 'lost' };
}

/**
 * The status block at the start of `lines` (after the marker): the status and how many lines it
 * took. Unknown (taking nothing) at the first line out of place.
 */
// l10n-exempt: the reasons of `unknown` are for the log, English
export function readStatusBlock(lines: readonly string[]): { status: SetupStatus; used: number } {
  if (lines[0] === 'none') return { status: { kind: 'none' }, used: 1 };
  const read = readKeyedLines(lines, STATUS_KEYS, SHAPES);
  if ('reason' in read) return unknown(read.reason);
  const v = read.values;
  const run: SetupRunFacts = {
    runId: v['run-id'],
    sha256: v.sha256,
    timeoutSeconds: Number(v.timeout),
    startedAtMs: Number(v.started) * 1000,
    logBytes: v.bytes === '-' ? undefined : Number(v.bytes),
    machineNowMs: Number(v.now) * 1000,
  };
  const used = STATUS_KEYS.length;
  const state = runState(v);
  if (state.kind === 'unknown') return unknown(state.reason);
  return { status: { ...state, run }, used };
}

/** The answer of statusCommand: unknown unless it is exactly a status block and the end marker. */
// l10n-exempt: the reasons of `unknown` are for the log, English
export function parseStatusAnswer(stdout: string): SetupStatus {
  const lines = answerLines(stdout);
  if (!lines) return { kind: 'unknown', reason: 'no status marker in the answer' };
  const { status, used } = readStatusBlock(lines);
  if (status.kind === 'unknown') return status;
  if (lines[used] !== END_MARKER || lines.slice(used + 1).some((l) => l !== ''))
    return { kind: 'unknown', reason: 'the status block does not end where it should' };
  return status;
}

function unknown(reason: string): { status: SetupStatus; used: number } {
  return { status: { kind: 'unknown', reason }, used: 0 };
}
