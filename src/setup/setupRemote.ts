// Setup on one machine, over a RemoteShell: start the run (once), read its status, read its log
// from a byte offset. Each call is one command; nothing is kept here between calls but the dir, so
// a reload, a reconnect or a second window asks the machine again and gets the same answer.
import { randomBytes } from 'node:crypto';
import { DEFAULT_SETUP_DIR, setupDirExpression, type RemoteShell } from './remoteShell';
import {
  END_MARKER,
  KILL_AFTER_SECONDS,
  logCommand,
  START_MARKER,
  startCommand,
  STATUS_MARKER,
  statusCommand,
  type LogStart,
} from './setupCommands';
import { answerLines, parseStatusAnswer, readStatusBlock, type SetupStatus } from './setupStatus';
import type { SetupScript } from './setupSource';
import { MAX_SCRIPT_BYTES, SetupScriptTooLargeError } from './setupSource';

export type StartOutcome =
  | { readonly kind: 'started'; readonly runId: string }
  /** A run exists already (running or finished): nothing was started. `sameScript`: of this very script. */
  | { readonly kind: 'existing'; readonly sameScript: boolean }
  /** Run Setup Again while the current run is still running: refused, nothing changed. */
  | { readonly kind: 'busy' }
  /** The machine lacks a tool start needs (REQUIRED_TOOLS). */
  | { readonly kind: 'missingTool'; readonly tool: string }
  /** A step failed on the machine (mkdir, write: a full disk, damaged: the script arrived changed, rotate), or the answer was unreadable. */
  | { readonly kind: 'failed'; readonly step: string; readonly detail: string };

export interface LogChunk {
  /** Byte offset of `bytes[0]` in the log. */
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/** One poll: the status, and (when the run has a log) the bytes read from the asked offset. */
export interface LogPoll {
  readonly status: SetupStatus;
  readonly chunk?: LogChunk;
}

/** A log answer that could not be used: the caller reads again later from the same offset. */
export class SetupLogReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetupLogReadError';
  }
}

export interface SetupRemoteOptions {
  /** Setup dir on the machine: absolute, or relative to the user's home. Default `.fal/setup`. */
  readonly dir?: string;
  /** Deadline of one command. */
  readonly commandTimeoutMs?: number;
  /** A new run's id (tests fix it). */
  readonly newRunId?: () => string;
}

/** Default and ceiling of one log read: its base64 (4/3) plus the status stays under the transport's 256 KiB. */
export const MAX_LOG_READ_BYTES = 128 * 1024;

export class SetupRemote {
  private readonly dir: string;
  private readonly timeoutMs: number;
  private readonly newRunId: () => string;

  constructor(
    private readonly shell: RemoteShell,
    options: SetupRemoteOptions = {},
  ) {
    this.dir = setupDirExpression(options.dir ?? DEFAULT_SETUP_DIR);
    this.timeoutMs = options.commandTimeoutMs ?? 30_000;
    this.newRunId = options.newRunId ?? (() => randomBytes(8).toString('hex'));
  }

  /**
   * Starts `script` detached, unless a run exists (then `existing`); `again` replaces a finished
   * or lost run, keeping it as `previous`. Throws SetupScriptTooLargeError before sending anything
   * when the script is over MAX_SCRIPT_BYTES; rejects when the connection fails.
   */
  async start(
    script: SetupScript,
    options: { timeoutSeconds: number; again?: boolean; killAfterSeconds?: number; workdir?: string },
  ): Promise<StartOutcome> {
    if (script.bytes.length > MAX_SCRIPT_BYTES) throw new SetupScriptTooLargeError(script.bytes.length);
    if (
      !Number.isSafeInteger(options.timeoutSeconds) ||
      options.timeoutSeconds < 1 ||
      options.timeoutSeconds > 9_999_999
    )
      // l10n-exempt: a programming error (the setting's schema bounds it), never shown
      throw new RangeError(`timeoutSeconds out of range: ${options.timeoutSeconds}`);
    const runId = this.newRunId();
    // l10n-exempt: a programming error (the id is ours, or a test's), never shown
    if (!/^[0-9a-z-]{8,64}$/.test(runId)) throw new RangeError(`a run id must be 8-64 of [0-9a-z-]: ${runId}`);
    const command = startCommand({
      dirExpression: this.dir,
      scriptBase64: Buffer.from(script.bytes).toString('base64'),
      sha256: script.sha256,
      runId,
      timeoutSeconds: options.timeoutSeconds,
      killAfterSeconds: Math.max(1, Math.floor(options.killAfterSeconds ?? KILL_AFTER_SECONDS)),
      again: options.again ?? false,
      workdir: options.workdir,
    });
    const result = await this.shell.run(command, this.timeoutMs);
    return startOutcome(result.stdout, result.stderr, script.sha256, runId);
  }

  /** The run's status; `unknown` for any answer that is not exactly the status block. Rejects when the connection fails. */
  // l10n-exempt: the reason of `unknown` is for the log, English
  async status(): Promise<SetupStatus> {
    const result = await this.shell.run(statusCommand(this.dir), this.timeoutMs);
    if (result.truncated) return { kind: 'unknown', reason: 'the status answer was cut off' };
    return parseStatusAnswer(result.stdout);
  }

  /**
   * The status and up to `maxBytes` log bytes from `start`, exactly as the machine has them.
   * Rejects (SetupLogReadError, or the transport's error) rather than return a doubtful chunk.
   */
  // l10n-exempt: SetupLogReadError's text is for the log (the follower logs it and reads again)
  async readLog(start: LogStart, maxBytes = MAX_LOG_READ_BYTES): Promise<LogPoll> {
    const bounded = Math.min(Math.max(1, maxBytes), MAX_LOG_READ_BYTES);
    const result = await this.shell.run(logCommand(this.dir, start, bounded), this.timeoutMs);
    if (result.truncated) throw new SetupLogReadError('the log answer was cut off by the transport');
    return parseLogAnswer(result.stdout, bounded);
  }
}

// l10n-exempt: step names and details for the log, English; the words shown are setupWords.ts's
function startOutcome(stdout: string, stderr: string, sha256: string, runId: string): StartOutcome {
  const line = stdout.split('\n').find((l) => l.startsWith(`${START_MARKER} `));
  const [word, detail = ''] = (line?.slice(START_MARKER.length + 1) ?? '').split(' ', 2);
  if (word === 'started') return { kind: 'started', runId };
  if (word === 'existing') return { kind: 'existing', sameScript: detail === sha256 };
  if (word === 'busy') return { kind: 'busy' };
  if (word === 'missing' && /^[a-z0-9]+$/.test(detail)) return { kind: 'missingTool', tool: detail };
  if (word === 'failed' && /^[a-z]+$/.test(detail))
    return { kind: 'failed', step: detail, detail: stderr.slice(0, 500) };
  return { kind: 'failed', step: 'answer', detail: `no start answer; stderr: ${stderr.slice(0, 500)}` };
}

/** The answer of logCommand; throws SetupLogReadError unless it is exactly what the command prints. */
export function parseLogAnswer(stdout: string, maxBytes: number): LogPoll {
  return parseLogAnswerWith(stdout, maxBytes, STATUS_MARKER, readStatusBlock);
}

/** A status as the log follower reads it: setup's SetupStatus and a job's JobAnswer both are one. */
export type FollowedStatus =
  | { readonly kind: 'none' | 'unknown' }
  | {
      readonly kind: 'running' | 'exited' | 'lost';
      readonly run: { readonly runId: string; readonly logBytes: number | undefined };
    };

/**
 * A log answer (setup's or a job's): after `marker`, the status block `readBlock` reads, then
 * logReadLines' lines and END_MARKER. Throws SetupLogReadError unless it is exactly that.
 */
// l10n-exempt: error texts for the log, English (the follower logs them and retries)
export function parseLogAnswerWith<S extends FollowedStatus>(
  stdout: string,
  maxBytes: number,
  marker: string,
  readBlock: (lines: readonly string[]) => { status: S | { kind: 'unknown'; reason: string }; used: number },
): { status: S; chunk?: LogChunk } {
  const lines = answerLines(stdout, marker);
  if (!lines) throw new SetupLogReadError('no status marker in the log answer');
  const { status, used } = readBlock(lines);
  if (status.kind === 'unknown')
    throw new SetupLogReadError(`status unreadable: ${(status as { reason?: string }).reason ?? ''}`);
  const rest = lines.slice(used);
  const ended = (i: number) => rest[i] === END_MARKER && rest.slice(i + 1).every((l) => l === '');
  if (!('run' in status) || rest[0] === END_MARKER) {
    if (!ended(0)) throw new SetupLogReadError('the log answer does not end where it should');
    return { status };
  }
  const offset = /^offset=([0-9]{1,15})$/.exec(rest[0] ?? '');
  if (!offset || rest[1] !== 'data') throw new SetupLogReadError('no offset and data lines in the log answer');
  const after = rest.findIndex((l) => l.startsWith('run-after='));
  if (after < 2 || !ended(after + 1)) throw new SetupLogReadError('the log data does not end where it should');
  if (rest[after] !== `run-after=${status.run.runId}`)
    throw new SetupLogReadError('the run changed while its log was read (Run Setup Again)');
  const base64 = rest.slice(2, after).join('');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0)
    throw new SetupLogReadError('the log data is not base64');
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > maxBytes) throw new SetupLogReadError('the log data is longer than asked');
  return { status, chunk: { offset: Number(offset[1]), bytes } };
}
