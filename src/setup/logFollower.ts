// Follows the setup log on the machine for a terminal: polls while asked, gives out text exactly
// once and in order, and ends when the run has ended and every byte is read.
//
// - Exactly once: the offset moves only by the bytes a successful read returned; a read that fails
//   (a dropped connection, an answer cut off) is tried again later from the same offset.
// - Whole characters: see utf8Chunks.ts. `resumeAt` is where a reopened terminal continues (it
//   starts on a character).
// - A first open (no resume point) shows at most the last FIRST_OPEN_BYTES of the log, after one
//   line that says how much was skipped and where the whole log is: a 100 MB log is never read to
//   fill a terminal. It starts on a character boundary (a cut character's tail bytes are skipped too).
// - The end: the status and the bytes come from one command, the status (with the log's size) read
//   first, so "exited" and a read that reached that size mean the runner had finished writing
//   before the read began, and everything is out.
// - Run Setup Again while following: the old run's text is finished, a line says a new run started,
//   and the new log is followed from its start.
// Text uses '\n' line ends as the log has them; a terminal wants '\r\n' (the VS Code side converts).
import * as l10n from '@vscode/l10n';
import { errorText } from '../base/errorText';
import type { Timers } from '../base/timers';
import type { LogStart } from './setupCommands';
import type { FollowedStatus, LogChunk } from './setupRemote';
import type { SetupStatus } from './setupStatus';
import { byteSizeText } from './setupWords';
import { leadingContinuations, Utf8Chunks } from './utf8Chunks';

/**
 * What the follower reads from: SetupRemote, a job's log (`{ readLog: (s, n) => jobs.readLog(id, s, n) }`),
 * or a fake in tests. Its status is structural (FollowedStatus), so setup's and a job's both fit.
 */
export interface SetupLogSource<S extends FollowedStatus = SetupStatus> {
  readLog(start: LogStart, maxBytes: number): Promise<{ readonly status: S; readonly chunk?: LogChunk }>;
}

/** Where a terminal was: the run it followed and the byte it had reached. */
export interface ResumePoint {
  readonly runId: string;
  readonly offset: number;
}

export const FIRST_OPEN_BYTES = 256 * 1024;

/** The log of the default setup dir (remoteShell.ts DEFAULT_SETUP_DIR), as a person types it. */
export const DEFAULT_LOG_PATH = '~/.fal/setup/current/log';

export interface LogFollowerOptions<S extends FollowedStatus = SetupStatus> {
  readonly source: SetupLogSource<S>;
  readonly timers: Timers;
  readonly onText: (text: string) => void;
  /** The run ended (exited or lost) and its whole log was given out; polling has stopped. */
  readonly onEnd?: (status: S) => void;
  /** Each status read with the log (at `readAtMs`, our clock): the row can follow it without a command of its own. */
  readonly onStatus?: (status: S, readAtMs: number) => void;
  /** A read failed and will be tried again; `reason` is for the log. */
  readonly onReadFailed?: (reason: string) => void;
  /** Continue a terminal that was open before; without it, a first open. */
  readonly resume?: ResumePoint;
  readonly pollMs?: number;
  readonly retryMs?: number;
  readonly readBytes?: number;
  readonly firstOpenBytes?: number;
  /** The log's path as the skipped line names it (default: the default setup dir's; a job's is its own). */
  readonly logPath?: string;
  /**
   * How far behind the log's end the follower may fall (a job printing faster than SSH reads carry):
   * further, it jumps to the last firstOpenBytes with a line that says how much it skipped and where
   * the whole log is. The terminal keeps only its scrollback anyway; the host never chases a 1 GB log.
   */
  readonly maxBehindBytes?: number;
}

/** Default of maxBehindBytes. */
export const MAX_BEHIND_BYTES = 16 * 1024 * 1024;
/** While nothing has been read yet, for this long after start(): poll this often (a job just started whose first line is moments away, behind a slow login profile). */
const EAGER_FOR_MS = 5_000;
const EAGER_POLL_MS = 250;

export class SetupLogFollower<S extends FollowedStatus = SetupStatus> {
  private runId: string | undefined;
  private offset: number | undefined;
  private readonly text = new Utf8Chunks();
  private handle: unknown;
  private following = false;
  private reading = false;
  private done = false;
  private startedAtMs = 0;
  private readAny = false;
  /** The next first-open read follows a skip ahead (its line already said what was skipped). */
  private skippedAhead = false;

  constructor(private readonly o: LogFollowerOptions<S>) {
    this.runId = o.resume?.runId;
    this.offset = o.resume?.offset;
  }

  /** Where a new follower of this terminal continues; undefined before the first read. */
  get resumeAt(): ResumePoint | undefined {
    if (this.runId === undefined || this.offset === undefined) return undefined;
    return { runId: this.runId, offset: this.offset - this.text.heldBytes };
  }

  get ended(): boolean {
    return this.done;
  }

  /** Polls from now on (at once), until stop() or the end. */
  start(): void {
    if (this.following || this.done) return;
    this.following = true;
    this.startedAtMs = this.o.timers.now();
    if (!this.reading) this.schedule(0);
  }

  /** Stops polling; a read under way is not used (its bytes are read again on start). */
  stop(): void {
    this.following = false;
    this.o.timers.clearTimeout(this.handle);
    this.handle = undefined;
  }

  private schedule(ms: number): void {
    this.o.timers.clearTimeout(this.handle);
    this.handle = this.o.timers.setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    this.handle = undefined;
    if (!this.following || this.reading) return;
    this.reading = true;
    const readBytes = this.o.readBytes ?? 128 * 1024;
    const start: LogStart =
      this.offset === undefined ? { lastBytes: this.o.firstOpenBytes ?? FIRST_OPEN_BYTES } : { offset: this.offset };
    let poll: { readonly status: S; readonly chunk?: LogChunk } | undefined;
    try {
      poll = await this.o.source.readLog(start, readBytes);
    } catch (e) {
      this.o.onReadFailed?.(errorText(e));
    }
    this.reading = false;
    if (!this.following) return;
    const next = poll ? this.take(poll, start, readBytes) : (this.o.retryMs ?? 5_000);
    if (next >= 0 && this.following) this.schedule(next);
  }

  /** Uses one poll; returns when to poll next. */
  private take(poll: { readonly status: S; readonly chunk?: LogChunk }, start: LogStart, readBytes: number): number {
    const eager = !this.readAny && this.o.timers.now() - this.startedAtMs < EAGER_FOR_MS;
    const pollMs = eager ? Math.min(EAGER_POLL_MS, this.o.pollMs ?? 1_000) : (this.o.pollMs ?? 1_000);
    this.o.onStatus?.(poll.status, this.o.timers.now());
    const status: FollowedStatus = poll.status;
    if (!('run' in status)) return pollMs;
    if (this.runId !== undefined && status.run.runId !== this.runId) {
      this.emit(this.text.end());
      if (this.offset !== undefined) this.emit(`\n${l10n.t('[setup was started again: its new log follows]')}\n`);
      this.runId = status.run.runId;
      this.offset = undefined; // the new log as on a first open: its last FIRST_OPEN_BYTES at most
      return 0;
    }
    this.runId = status.run.runId;
    const firstOpen = this.o.firstOpenBytes ?? FIRST_OPEN_BYTES;
    const behind = this.offset === undefined ? 0 : (status.run.logBytes ?? 0) - this.offset;
    if (behind > (this.o.maxBehindBytes ?? MAX_BEHIND_BYTES) && behind > firstOpen) {
      this.emit(this.text.end());
      const logPath = this.o.logPath ?? DEFAULT_LOG_PATH;
      this.emit(
        `\n${l10n.t`[${byteSizeText(behind - firstOpen)} skipped to keep up; the whole log is ${logPath} on the machine]`}\n`,
      );
      this.offset = undefined; // read on as a first open: the last firstOpenBytes
      this.skippedAhead = true;
      return 0;
    }
    const chunk = poll.chunk;
    if (!chunk) return this.endIfOver(poll.status) ? -1 : pollMs;
    let bytes = chunk.bytes;
    if ('lastBytes' in start) {
      const skip = chunk.offset > 0 ? leadingContinuations(bytes) : 0;
      bytes = bytes.subarray(skip);
      this.offset = chunk.offset + skip;
      if (this.offset > 0 && !this.skippedAhead)
        this.emit(`${skippedLine(this.offset, this.o.logPath ?? DEFAULT_LOG_PATH)}\n`);
      this.skippedAhead = false;
    } else if (chunk.offset !== this.offset) {
      // l10n-exempt: onReadFailed's reason is for the log, English
      this.o.onReadFailed?.(`the log answer started at byte ${chunk.offset}, not ${this.offset}`);
      return this.o.retryMs ?? 5_000;
    }
    this.offset = (this.offset ?? 0) + bytes.length;
    if (bytes.length > 0) this.readAny = true;
    this.emit(this.text.push(bytes));
    // More to read now: the log was longer when the status was read than what came back (a source
    // may return less than asked: SetupRemote caps a read at MAX_LOG_READ_BYTES), or a full read.
    // Never at once after an empty read: a log cut shorter than its size said must not spin.
    const reached = chunk.offset + chunk.bytes.length;
    const more = reached < (status.run.logBytes ?? 0) || chunk.bytes.length >= readBytes;
    if (more && chunk.bytes.length > 0) return 0;
    return this.endIfOver(poll.status) ? -1 : pollMs;
  }

  private endIfOver(status: S): boolean {
    if (status.kind !== 'exited' && status.kind !== 'lost') return false;
    this.emit(this.text.end());
    this.done = true;
    this.following = false;
    this.o.onEnd?.(status);
    return true;
  }

  private emit(text: string): void {
    if (text) this.o.onText(text);
  }
}

function skippedLine(bytes: number, logPath: string): string {
  return l10n.t`[${byteSizeText(bytes)} of earlier output not shown; the whole log is ${logPath} on the machine]`;
}
