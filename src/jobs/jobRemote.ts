// Detached jobs on one machine, over a RemoteShell the caller lends: start one, list them, read one's
// status and log from a byte offset, stop one. Each call is one command; nothing is kept here
// between calls but the dir, so a reload, a reconnect or a second window asks the machine again
// and gets the same answer (setupRemote.ts does the same for the one setup run).
import { randomBytes } from 'node:crypto';
import { now } from '../base/timers';
import { setupDirExpression, type RemoteShell } from '../setup/remoteShell';
import { MAX_LOG_READ_BYTES, parseLogAnswerWith, SetupLogReadError } from '../setup/setupRemote';
import {
  DEFAULT_JOBS_DIR,
  JOB_START_MARKER,
  JOB_STATUS_MARKER,
  JOB_STOP_MARKER,
  listCommand,
  logCommand,
  NAME_BYTES,
  startCommand,
  statusCommand,
  stopCommand,
  WORKDIR_BYTES,
} from './jobCommands';
import { JOB_ID_SHAPE, parseJobAnswer, parseJobListing, readJobAnswerBlock } from './jobStatus';
import {
  MAX_LISTED_JOBS,
  type JobAnswer,
  type JobListing,
  type JobLogPoll,
  type JobStartOutcome,
  type JobStartRequest,
  type JobStopOutcome,
  type LogStart,
  type MachineJobs,
} from './types';

/** The largest command sent: it travels base64 (4/3) inside the one exec argument, as setup's script does (MAX_SCRIPT_BYTES). */
export const MAX_COMMAND_BYTES = 64 * 1024;

/** The longest grace Stop accepts before its KILL. */
export const MAX_GRACE_SECONDS = 24 * 3600;

export interface JobRemoteOptions {
  /** Jobs dir on the machine: absolute, or relative to the user's home. Default `.fal/jobs`. */
  readonly dir?: string;
  /** Deadline of one command. */
  readonly commandTimeoutMs?: number;
  /** A new job's id (tests fix it): 8–64 of [0-9a-z-], sorting by start time. */
  readonly newJobId?: () => string;
}

/** A job id that sorts by time: base-36 ms since 1970 (9 digits until the year 5188), then 8 random hex digits. */
export function timeOrderedJobId(epochMs: number = now()): string {
  return `${Math.floor(epochMs).toString(36).padStart(9, '0')}-${randomBytes(4).toString('hex')}`;
}

export class JobRemote implements MachineJobs {
  private readonly dir: string;
  private readonly dirText: string;
  private readonly timeoutMs: number;
  private readonly newJobId: () => string;

  constructor(
    private readonly shell: RemoteShell,
    options: JobRemoteOptions = {},
  ) {
    this.dirText = options.dir ?? DEFAULT_JOBS_DIR;
    this.dir = setupDirExpression(this.dirText);
    this.timeoutMs = options.commandTimeoutMs ?? 30_000;
    this.newJobId = options.newJobId ?? (() => timeOrderedJobId());
  }

  /** The job's log as a person types it (`~/.fal/jobs/<id>/log`): what the log follower's skipped line names. */
  logPath(jobId: string): string {
    checkJobId(jobId);
    return `${this.dirText.startsWith('/') ? '' : '~/'}${this.dirText}/${jobId}/log`;
  }

  /**
   * Starts `request.command` detached, in `request.workdir` under home. The name is kept as one line
   * of at most NAME_BYTES. RangeError for a workdir with NUL or over WORKDIR_BYTES; rejects when the
   * connection fails.
   */
  // l10n-exempt: step names and details for the log, English
  async start(request: JobStartRequest): Promise<JobStartOutcome> {
    const command = Buffer.from(request.command);
    if (command.length > MAX_COMMAND_BYTES)
      return { kind: 'failed', step: 'tooLarge', detail: `the command is ${command.length} bytes, over 64 KiB` };
    if (request.workdir.includes('\0') || Buffer.byteLength(request.workdir) > WORKDIR_BYTES)
      throw new RangeError(`a workdir must be at most ${WORKDIR_BYTES} bytes without NUL`);
    const jobId = this.newJobId();
    checkJobId(jobId);
    const result = await this.shell.run(
      startCommand({
        dirExpression: this.dir,
        jobId,
        commandBase64: command.toString('base64'),
        name: oneLineName(request.name),
        workdir: request.workdir,
      }),
      this.timeoutMs,
    );
    const [word, detail] = answerWords(result.stdout, JOB_START_MARKER);
    if (word === 'started') return { kind: 'started', jobId };
    if (word === 'missing' && /^[a-z0-9]+$/.test(detail)) return { kind: 'missingTool', tool: detail };
    const stderr = result.stderr.slice(0, 500);
    if (word === 'failed' && /^[a-z]+$/.test(detail)) return { kind: 'failed', step: detail, detail: stderr };
    return { kind: 'failed', step: 'answer', detail: `no start answer; stderr: ${stderr}` };
  }

  /** Every job, newest first (at most MAX_LISTED_JOBS); `unknown` for any answer not exactly the blocks. */
  // l10n-exempt: the reason of `unknown` is for the log, English
  async list(): Promise<JobListing> {
    const result = await this.shell.run(listCommand(this.dir, MAX_LISTED_JOBS), this.timeoutMs);
    if (result.truncated) return { kind: 'unknown', reason: 'the listing was cut off' };
    return parseJobListing(result.stdout);
  }

  /** One job's status; `none` when there is no such job. RangeError for an id not of a job's shape. */
  // l10n-exempt: the reason of `unknown` is for the log, English
  async status(jobId: string): Promise<JobAnswer> {
    checkJobId(jobId);
    const result = await this.shell.run(statusCommand(this.dir, jobId), this.timeoutMs);
    if (result.truncated) return { kind: 'unknown', reason: 'the status answer was cut off' };
    return parseJobAnswer(result.stdout);
  }

  /**
   * The status and up to `maxBytes` (at most MAX_LOG_READ_BYTES) log bytes from `start`, exactly as
   * the machine has them. Rejects (SetupLogReadError, or the transport's error) rather than return
   * a doubtful chunk.
   */
  // l10n-exempt: SetupLogReadError's text is for the log (the follower logs it and reads again)
  async readLog(jobId: string, start: LogStart, maxBytes: number = MAX_LOG_READ_BYTES): Promise<JobLogPoll> {
    checkJobId(jobId);
    const bounded = Math.min(Math.max(1, Math.floor(maxBytes)), MAX_LOG_READ_BYTES);
    const result = await this.shell.run(logCommand(this.dir, jobId, start, bounded), this.timeoutMs);
    if (result.truncated) throw new SetupLogReadError('the log answer was cut off by the transport');
    return parseLogAnswerWith(result.stdout, bounded, JOB_STATUS_MARKER, readJobAnswerBlock);
  }

  /**
   * Stops a running job: TERM to its process group at once, KILL after `graceSeconds` (on the
   * machine, whether or not we are still connected) unless it ended. RangeError for a bad id or grace.
   */
  // l10n-exempt: details for the log, English
  async stop(jobId: string, graceSeconds: number): Promise<JobStopOutcome> {
    checkJobId(jobId);
    if (!Number.isSafeInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS)
      throw new RangeError(`graceSeconds out of range: ${graceSeconds}`);
    const result = await this.shell.run(stopCommand(this.dir, jobId, graceSeconds), this.timeoutMs);
    const [word, detail] = answerWords(result.stdout, JOB_STOP_MARKER);
    if (word === 'stopping') return { kind: 'stopping' };
    if (word === 'notrunning') return { kind: 'notRunning' };
    const stderr = result.stderr.slice(0, 500);
    if (word === 'failed' && /^[a-z]+$/.test(detail)) return { kind: 'failed', detail: `${detail}: ${stderr}` };
    return { kind: 'failed', detail: `no stop answer; stderr: ${stderr}` };
  }
}

/** RangeError unless `jobId` is of a job's shape: it becomes a path on the machine. */
// l10n-exempt: a programming error (ids are ours, read from the machine), never shown
export function checkJobId(jobId: string): void {
  if (!JOB_ID_SHAPE.test(jobId)) throw new RangeError(`a job id must be 8-64 of [0-9a-z-]: ${JSON.stringify(jobId)}`);
}

/** The name as stored: control characters (a newline) as spaces, cut to NAME_BYTES on a whole character. */
export function oneLineName(name: string): string {
  const line = name.replace(/[\u0000-\u001f\u007f]/g, ' ');
  let bytes = 0;
  let end = 0;
  for (const ch of line) {
    bytes += Buffer.byteLength(ch);
    if (bytes > NAME_BYTES) break;
    end += ch.length;
  }
  return line.slice(0, end);
}

/** The word and detail of the answer line `<marker> <word> [detail]`; empty strings when there is none. */
function answerWords(stdout: string, marker: string): [string, string] {
  const line = stdout.split('\n').find((l) => l.startsWith(`${marker} `));
  const [word = '', detail = ''] = (line?.slice(marker.length + 1) ?? '').split(' ', 2);
  return [word, detail];
}
