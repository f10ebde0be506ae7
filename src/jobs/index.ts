// Detached jobs on a machine, the part without VS Code: JobRemote starts a command under
// `~/.fal/jobs/<job id>/` (it outlives the SSH session, a network drop and VS Code quitting), lists
// the jobs, reads one's status and log, and stops one (its whole process group). Everything is read
// back from the machine's files, strictly (jobStatus.ts). The VS Code side lends a connection and
// follows a job's log with setup's follower:
//   new SetupLogFollower({ source: { readLog: (s, n) => jobs.readLog(id, s, n) }, logPath: jobs.logPath(id), timers, onText })
export {
  DEFAULT_JOBS_DIR,
  JOB_REQUIRED_TOOLS,
  LISTED_COMMAND_BYTES,
  NAME_BYTES,
  SHOWN_COMMAND_BYTES,
  WORKDIR_BYTES,
} from './jobCommands';
export {
  checkJobId,
  JobRemote,
  MAX_COMMAND_BYTES,
  MAX_GRACE_SECONDS,
  oneLineName,
  timeOrderedJobId,
  type JobRemoteOptions,
} from './jobRemote';
export { JOB_ID_SHAPE, parseJobAnswer, parseJobListing } from './jobStatus';
export * from './types';
