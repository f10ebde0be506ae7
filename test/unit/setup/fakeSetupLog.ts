// A setup run's log on a pretend machine, for the follower's tests: the same contract as
// SetupRemote.readLog (the status is taken before the bytes; a read returns everything there is up
// to maxBytes), with reads that fail on demand and short reads while the run is still writing.
import type { LogStart } from '../../../src/setup/setupCommands';
import type { LogPoll } from '../../../src/setup/setupRemote';
import type { SetupLogSource } from '../../../src/setup/logFollower';
import type { SetupStatus } from '../../../src/setup/setupStatus';

export class FakeSetupLog implements SetupLogSource {
  log = Buffer.alloc(0);
  state: 'none' | 'running' | 'exited' | 'lost' | 'unknown' = 'running';
  exitCode = 0;
  runId = 'run-00000001';
  reads = 0;
  /** Called before each read: true makes it fail (a dropped connection). */
  fail: () => boolean = () => false;
  /** While running, how many of the `available` bytes a read returns (the rest not written yet). */
  shortRead: (available: number) => number = (available) => available;
  /** The most bytes one read returns, whatever was asked (as SetupRemote caps a read). */
  cap = Infinity;
  /** Bytes the status claims beyond the log (a log cut shorter after its size was read). */
  sizeLie = 0;

  write(bytes: Uint8Array | string): void {
    this.log = Buffer.concat([this.log, Buffer.from(bytes)]);
  }

  /** Run Setup Again: a new run id and an empty log. */
  replaceRun(runId: string): void {
    this.runId = runId;
    this.log = Buffer.alloc(0);
    this.state = 'running';
  }

  status(): SetupStatus {
    if (this.state === 'none') return { kind: 'none' };
    if (this.state === 'unknown') return { kind: 'unknown', reason: 'garbled' };
    const run = {
      runId: this.runId,
      sha256: 'a'.repeat(64),
      timeoutSeconds: 1800,
      startedAtMs: 0,
      logBytes: this.log.length + this.sizeLie,
      machineNowMs: 1000,
    };
    if (this.state === 'running') return { kind: 'running', run, pid: 42 };
    if (this.state === 'lost') return { kind: 'lost', run };
    return { kind: 'exited', run, exitCode: this.exitCode, endedAtMs: 1000 };
  }

  readLog(start: LogStart, maxBytes: number): Promise<LogPoll> {
    this.reads++;
    if (this.fail()) return Promise.reject(new Error('the SSH connection closed while the command ran'));
    const status = this.status();
    if (status.kind === 'none' || status.kind === 'unknown') return Promise.resolve({ status });
    const offset = 'offset' in start ? start.offset : Math.max(0, this.log.length - start.lastBytes);
    const available = this.log.subarray(offset, offset + Math.min(maxBytes, this.cap));
    const n =
      status.kind === 'running' ? Math.min(available.length, this.shortRead(available.length)) : available.length;
    return Promise.resolve({ status, chunk: { offset, bytes: Uint8Array.from(available.subarray(0, n)) } });
  }
}
