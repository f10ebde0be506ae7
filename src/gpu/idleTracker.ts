// Since when an instance has been seen idle: every GPU under the threshold and no GPU process, in
// every sample, without a gap. Only what was observed counts:
// - a sample that is not `ok` (SSH down, driver failed…) or a GPU without a utilisation figure
//   (MIG mode reports `[N/A]`) is not evidence of idleness and ends the idle run;
// - a gap longer than `maxGapMs` between two samples (view hidden, window unfocused, failures)
//   restarts the run at the first sample after it: nobody looked, so nobody knows;
// - the knowledge expires `maxGapMs` after the last sample: idleSince() is then undefined
//   ("not known"), so a consumer never reads an old run as still going.
import type { GpuProcess, GpuReading } from './types';

export interface IdleObservation {
  readonly at: number;
  /** Undefined: the sample failed. */
  readonly gpus?: readonly GpuReading[];
  readonly processes?: readonly GpuProcess[];
}

export class IdleTracker {
  private runStart: number | undefined;
  private lastAt: number | undefined;

  constructor(
    private thresholdPercent: number,
    private maxGapMs: number,
  ) {}

  setThreshold(percent: number): void {
    this.thresholdPercent = percent;
  }

  setMaxGap(ms: number): void {
    this.maxGapMs = ms;
  }

  observe(o: IdleObservation): void {
    const continuous = this.lastAt !== undefined && o.at - this.lastAt <= this.maxGapMs;
    this.lastAt = o.at;
    if (!o.gpus || !isIdleSample(o.gpus, o.processes ?? [], this.thresholdPercent)) {
      this.runStart = undefined;
      return;
    }
    if (this.runStart === undefined || !continuous) this.runStart = o.at;
  }

  /** Epoch ms since which the instance has been seen idle without a break; undefined when not idle or not known (stale). */
  idleSince(now: number): number | undefined {
    if (this.runStart === undefined || this.lastAt === undefined || now - this.lastAt > this.maxGapMs) return undefined;
    return this.runStart;
  }

  /** When idleSince(now) will turn undefined for lack of samples, if it is defined now. */
  expiresAt(): number | undefined {
    return this.runStart === undefined || this.lastAt === undefined ? undefined : this.lastAt + this.maxGapMs;
  }

  reset(): void {
    this.runStart = undefined;
    this.lastAt = undefined;
  }
}

export function isIdleSample(
  gpus: readonly GpuReading[],
  processes: readonly GpuProcess[],
  thresholdPercent: number,
): boolean {
  return (
    gpus.length > 0 &&
    processes.length === 0 &&
    gpus.every((g) => g.utilizationPercent !== undefined && g.utilizationPercent < thresholdPercent)
  );
}
