// Setup on ready, the part without VS Code: which script runs (setupSource), its approval by
// content hash (approval), the commands that start it detached on the machine and read its status
// and log (setupRemote, over a RemoteShell the caller lends), a follower that streams the log to a
// terminal (logFollower), and the row's words (setupWords). The VS Code side wires it: it reads
// `.fal/setup.sh` and `fal.setup.command`, asks for approval, calls SetupRemote.start when an
// instance created from this workspace becomes ready, polls status for the row, and feeds a
// terminal from SetupLogFollower.
//
// Wiring, in order:
//   1. chooseSetupScript(bytes of .fal/setup.sh | undefined, fal.setup.command) → none | tooLarge | script
//   2. needsApproval(store, script) → show the script, approve(store, script) on yes (store: global state)
//   3. new SetupRemote(borrowedConnection).start(script, { timeoutSeconds }) → StartOutcome;
//      startOutcomeText(outcome) for anything but `started`
//   4. the row: setupRowText(status, readAtMs, now) from remote.status() or a follower's onStatus
//   5. the terminal: new SetupLogFollower({ source: remote, timers, onText, onEnd, resume }).start();
//      keep follower.resumeAt to reopen the terminal where it was; '\n' → '\r\n' for a Pseudoterminal
//   6. Run Setup Again: remote.start(script, { timeoutSeconds, again: true }) (busy while running)
export { approve, MAX_APPROVALS, needsApproval, revokeApproval, type ApprovedScriptsStore } from './approval';
export {
  DEFAULT_LOG_PATH,
  FIRST_OPEN_BYTES,
  SetupLogFollower,
  type LogFollowerOptions,
  type ResumePoint,
  type SetupLogSource,
} from './logFollower';
export { DEFAULT_SETUP_DIR, shellQuote, type RemoteShell, type RunResult } from './remoteShell';
export { KILL_AFTER_SECONDS, REQUIRED_TOOLS, type LogStart } from './setupCommands';
export {
  MAX_LOG_READ_BYTES,
  SetupLogReadError,
  SetupRemote,
  type FollowedStatus,
  type LogChunk,
  type LogPoll,
  type SetupRemoteOptions,
  type StartOutcome,
} from './setupRemote';
export {
  chooseSetupScript,
  MAX_SCRIPT_BYTES,
  SETUP_FILE,
  SetupScriptTooLargeError,
  sha256Hex,
  tooLargeText,
  type SetupChoice,
  type SetupScript,
} from './setupSource';
export { parseStatusAnswer, type SetupRunFacts, type SetupStatus } from './setupStatus';
export {
  byteSizeText,
  setupRowText,
  setupStatusDetail,
  startOutcomeText,
  TIMEOUT_EXIT_CODES,
  timedOut,
} from './setupWords';
export {
  SetupCoordinator,
  type MachineSetup,
  type PreparedSetup,
  type SetupCoordinatorOptions,
  type SetupKnown,
} from './setupCoordinator';
