// Progress of one transfer: files and bytes done of the total, and the rate so far. Reported at most
// every PROGRESS_INTERVAL_MS while bytes move (a 5 GB file still moves the bar) and once at the end.
import * as l10n from '@vscode/l10n';
import { rateText, sizeText } from '../base/durations';
import type { Timers } from '../base/timers';

export interface SyncProgress {
  readonly files: number;
  readonly totalFiles: number;
  readonly bytes: number;
  readonly totalBytes: number;
  /** Bytes per second since the transfer started. */
  readonly bytesPerSecond: number;
}

export const PROGRESS_INTERVAL_MS = 100;

export class ProgressCounter {
  private files = 0;
  private bytes = 0;
  private readonly startedAt: number;
  private reportedAt = -Infinity;

  constructor(
    private readonly totalFiles: number,
    private readonly totalBytes: number,
    private readonly timers: Timers,
    private readonly onProgress: (p: SyncProgress) => void = () => undefined,
  ) {
    this.startedAt = timers.now();
  }

  addBytes(n: number): void {
    this.bytes += n;
    this.report(false);
  }

  fileDone(): void {
    this.files++;
    this.report(false);
  }

  /** The figures now, reported whatever the interval (the end of a transfer). */
  finish(): SyncProgress {
    return this.report(true);
  }

  private report(always: boolean): SyncProgress {
    const at = this.timers.now();
    const seconds = Math.max(at - this.startedAt, 1) / 1000;
    const progress = {
      files: this.files,
      totalFiles: this.totalFiles,
      bytes: this.bytes,
      totalBytes: this.totalBytes,
      bytesPerSecond: this.bytes / seconds,
    };
    if (always || at - this.reportedAt >= PROGRESS_INTERVAL_MS) {
      this.reportedAt = at;
      this.onProgress(progress);
    }
    return progress;
  }
}

/** "120 of 10000 files, 12.0 MB of 200 MB, 40.2 MB/s". */
export function progressText(p: SyncProgress): string {
  return l10n.t(
    '{0} of {1} files, {2} of {3}, {4}',
    p.files,
    p.totalFiles,
    sizeText(p.bytes),
    sizeText(p.totalBytes),
    rateText(p.bytesPerSecond),
  );
}
