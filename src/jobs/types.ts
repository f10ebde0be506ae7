// What a job is, as read from the machine: the one shape the jobs layer (src/jobs, no vscode) gives
// to the VS Code side. A job is a command started detached on an instance, under
// `~/.fal/jobs/<job id>/`; everything here is read back from those files, never from our memory,
// so a reload, a second window or a network drop sees the same jobs.
import type { LogStart } from '../setup/setupCommands';

export type { LogStart };

/** Facts of one job, times in the machine's epoch ms (its clock, not ours: see `machineNowMs`). */
export interface JobFacts {
  /** The job id, also its folder's name: 8–64 of [0-9a-z-]. Named runId so the log follower reads jobs as it reads setup runs. */
  readonly runId: string;
  /** What the user calls it (the file run, or the task's label): one line, at most 200 bytes, as stored. */
  readonly name: string;
  /** The command as the user wrote it (its first 4 KiB as status() reads it, 1 KiB in a listing; the full text runs). */
  readonly command: string;
  /** Where it runs, relative to the home folder ('' = the home folder). */
  readonly workdir: string;
  readonly startedAtMs: number;
  /** Size of the log when the status was read; undefined when the log file is missing. */
  readonly logBytes: number | undefined;
  /** The machine's clock when it answered: elapsed time is measured on one clock. */
  readonly machineNowMs: number;
  /** Stop was asked for (SIGTERM sent) at this time. */
  readonly stopRequestedAtMs: number | undefined;
}

export type JobStatus =
  /** `pid` is undefined in the moment between the job's start and its runner writing the pid. */
  | { readonly kind: 'running'; readonly run: JobFacts; readonly pid: number | undefined }
  /** `stopped`: it ended after a Stop was asked for. */
  | {
      readonly kind: 'exited';
      readonly run: JobFacts;
      readonly exitCode: number;
      readonly endedAtMs: number;
      readonly stopped: boolean;
    }
  /** No exit file and its runner is gone (the machine rebooted, the runner was killed, a full disk). */
  | { readonly kind: 'lost'; readonly run: JobFacts };

/** One job asked by id: also `none` (no such job) or `unknown` (the answer could not be read; reason in English, for the log). */
export type JobAnswer = JobStatus | { readonly kind: 'none' } | { readonly kind: 'unknown'; readonly reason: string };

/** Every job on a machine, newest first (at most MAX_LISTED_JOBS), or why not. */
export type JobListing =
  | {
      readonly kind: 'listed';
      readonly jobs: readonly JobStatus[];
      /** Jobs whose block could not be read (a file out of its runner's format): left out of `jobs`, never guessed at; reason in English. */
      readonly unreadable?: readonly { readonly jobId: string; readonly reason: string }[];
    }
  | { readonly kind: 'unknown'; readonly reason: string };

export type JobStartOutcome =
  | { readonly kind: 'started'; readonly jobId: string }
  /** The machine lacks a tool start needs. */
  | { readonly kind: 'missingTool'; readonly tool: string }
  /** A step failed on the machine (mkdir, write: a full disk), or the answer was unreadable. */
  | { readonly kind: 'failed'; readonly step: string; readonly detail: string };

export type JobStopOutcome =
  /** SIGTERM went to the job's process group; SIGKILL follows after the grace unless it ended. */
  | { readonly kind: 'stopping' }
  /** It had already ended (or never ran): nothing was sent. */
  | { readonly kind: 'notRunning' }
  | { readonly kind: 'failed'; readonly detail: string };

export interface JobStartRequest {
  readonly name: string;
  /** Shell text, run by bash in `workdir`; sent quoted (base64), never interpolated. */
  readonly command: string;
  /** Relative to home; '' = home. */
  readonly workdir: string;
}

/** One log read: the job's status and, when it has a log, the bytes from the asked offset. */
export interface JobLogPoll {
  readonly status: JobAnswer;
  readonly chunk?: { readonly offset: number; readonly bytes: Uint8Array };
}

/** What the VS Code side asks of a machine's jobs (JobRemote over a borrowed connection). */
export interface MachineJobs {
  start(request: JobStartRequest): Promise<JobStartOutcome>;
  list(): Promise<JobListing>;
  status(jobId: string): Promise<JobAnswer>;
  readLog(jobId: string, start: LogStart, maxBytes: number): Promise<JobLogPoll>;
  stop(jobId: string, graceSeconds: number): Promise<JobStopOutcome>;
}

export const MAX_LISTED_JOBS = 50;
