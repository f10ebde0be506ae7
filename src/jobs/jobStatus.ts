// What the machine says about its jobs, read strictly as setup's status is (setupStatus.ts): every
// line of a job's block is exactly the expected key with a value of the expected shape, or that job
// is unreadable; a line out of place between blocks makes the whole listing unknown. Fail safe: no
// text reads as a finished job unless the exit file said so in the runner's own format.
import { answerLines, readKeyedLines, RUN_FACT_SHAPES, runState } from '../setup/setupStatus';
import {
  END_MARKER,
  JOB_KEYS,
  JOB_STATUS_MARKER,
  LISTED_COMMAND_BYTES,
  NAME_BYTES,
  SHOWN_COMMAND_BYTES,
  WORKDIR_BYTES,
} from './jobCommands';
import { MAX_LISTED_JOBS, type JobAnswer, type JobFacts, type JobListing, type JobStatus } from './types';

/** A job id: also its folder's name, so never anything a path or a shell could read otherwise. */
export const JOB_ID_SHAPE = /^[0-9a-z-]{8,64}$/;

/** Base64 of a text file's first bytes, or `-` when the file is absent. */
const TEXT_SHAPE = /^([A-Za-z0-9+/]*={0,2}|-)$/;

const SHAPES: Record<(typeof JOB_KEYS)[number], RegExp> = {
  name: TEXT_SHAPE,
  command: TEXT_SHAPE,
  workdir: TEXT_SHAPE,
  pgid: RUN_FACT_SHAPES.pid,
  stop: /^([0-9]{1,12}|-)$/,
  ...RUN_FACT_SHAPES,
};

type Unknown = { readonly kind: 'unknown'; readonly reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * The block of one job at the start of `lines` (its `job=<id>` line first): the status and the lines
 * it took, or unknown (taking nothing) at the first line out of place. `commandBytes`: the most of
 * the command the block may hold (a listing asks for less than a status).
 */
// l10n-exempt: the reasons of `unknown` are for the log, English
export function readJobBlock(
  lines: readonly string[],
  commandBytes: number,
): { status: JobStatus | Unknown; used: number } {
  const id = /^job=(.*)$/.exec(lines[0] ?? '');
  if (!id || !JOB_ID_SHAPE.test(id[1]!)) return unknown('expected job=<job id>');
  const read = readKeyedLines(lines.slice(1), JOB_KEYS, SHAPES);
  if ('reason' in read) return unknown(read.reason);
  const v = read.values;
  const name = decodeText(v.name, NAME_BYTES);
  const command = decodeText(v.command, commandBytes);
  const workdir = decodeText(v.workdir, WORKDIR_BYTES);
  if (name === undefined || command === undefined || workdir === undefined)
    return unknown('name, command or workdir is missing or not the base64 of at most its bytes');
  const run: JobFacts = {
    runId: id[1]!,
    name,
    command,
    workdir,
    startedAtMs: Number(v.started) * 1000,
    logBytes: v.bytes === '-' ? undefined : Number(v.bytes),
    machineNowMs: Number(v.now) * 1000,
    stopRequestedAtMs: v.stop === '-' ? undefined : Number(v.stop) * 1000,
  };
  const used = 1 + JOB_KEYS.length;
  const state = runState(v);
  if (state.kind === 'unknown') return unknown(state.reason);
  if (state.kind === 'exited') return { status: { ...state, run, stopped: run.stopRequestedAtMs !== undefined }, used };
  return { status: { ...state, run }, used };
}

/** After the marker of status() or readLog(): `none`, or the job's block with its whole shown command. */
export function readJobAnswerBlock(lines: readonly string[]): { status: JobAnswer; used: number } {
  if (lines[0] === 'none') return { status: { kind: 'none' }, used: 1 };
  return readJobBlock(lines, SHOWN_COMMAND_BYTES);
}

/** The answer of statusCommand: unknown unless it is exactly `none` or one block, and the end marker. */
// l10n-exempt: the reasons of `unknown` are for the log, English
export function parseJobAnswer(stdout: string): JobAnswer {
  const lines = answerLines(stdout, JOB_STATUS_MARKER);
  if (!lines) return { kind: 'unknown', reason: 'no status marker in the answer' };
  const { status, used } = readJobAnswerBlock(lines);
  if (status.kind === 'unknown') return status;
  if (!endsAt(lines, used)) return { kind: 'unknown', reason: 'the status block does not end where it should' };
  return status;
}

/**
 * The answer of listCommand: blocks, newest first, each read on its own (one that cannot be read
 * is named in `unreadable`, never guessed at); unknown for anything between them that is not a
 * block's start, more blocks than asked, an id twice, or no end.
 */
// l10n-exempt: the reasons of `unknown` are for the log, English
export function parseJobListing(stdout: string): JobListing {
  const lines = answerLines(stdout, JOB_STATUS_MARKER);
  if (!lines) return { kind: 'unknown', reason: 'no listing marker in the answer' };
  const jobs: JobStatus[] = [];
  const unreadable: { jobId: string; reason: string }[] = [];
  const seen = new Set<string>();
  let at = 0;
  while (lines[at] !== END_MARKER) {
    const id = /^job=([0-9a-z-]{8,64})$/.exec(lines[at] ?? '');
    if (!id) return { kind: 'unknown', reason: `expected job=<job id> or the end at line ${at + 1}` };
    if (seen.has(id[1]!)) return { kind: 'unknown', reason: `job ${id[1]} is listed twice` };
    seen.add(id[1]!);
    if (seen.size > MAX_LISTED_JOBS) return { kind: 'unknown', reason: 'more jobs than asked for' };
    const { status, used } = readJobBlock(lines.slice(at), LISTED_COMMAND_BYTES);
    if (status.kind !== 'unknown') {
      jobs.push(status);
      at += used;
      continue;
    }
    unreadable.push({ jobId: id[1]!, reason: status.reason });
    at++;
    while (at < lines.length && lines[at] !== END_MARKER && !lines[at]!.startsWith('job=')) at++;
  }
  if (!endsAt(lines, at)) return { kind: 'unknown', reason: 'the listing does not end where it should' };
  return unreadable.length ? { kind: 'listed', jobs, unreadable } : { kind: 'listed', jobs };
}

/** The end marker at `at`, and nothing but empty lines after it. */
function endsAt(lines: readonly string[], at: number): boolean {
  return lines[at] === END_MARKER && lines.slice(at + 1).every((l) => l === '');
}

/** A text field: its base64 decoded (invalid UTF-8 as U+FFFD), or undefined when absent or over `maxBytes`. */
function decodeText(value: string, maxBytes: number): string | undefined {
  if (value === '-' || value.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(value, 'base64');
  return bytes.length > maxBytes ? undefined : utf8.decode(bytes);
}

function unknown(reason: string): { status: Unknown; used: number } {
  return { status: { kind: 'unknown', reason }, used: 0 };
}
