// The utilisation history of one instance over the last `windowMs` (10 minutes by default), for
// the tooltip's sparkline. Bounded in time and in count, whatever the interval.
import type { UtilizationPoint } from './types';

export class UtilizationHistory {
  private points: UtilizationPoint[] = [];

  constructor(
    private readonly windowMs = 600_000,
    private readonly maxPoints = 600,
  ) {}

  add(point: UtilizationPoint): void {
    this.points.push(point);
    this.trim(point.at);
  }

  /** The points no older than the window, oldest first. */
  snapshot(now: number): readonly UtilizationPoint[] {
    this.trim(now);
    return [...this.points];
  }

  clear(): void {
    this.points = [];
  }

  private trim(now: number): void {
    const from = now - this.windowMs;
    let drop = 0;
    while (drop < this.points.length && this.points[drop]!.at < from) drop++;
    if (this.points.length - drop > this.maxPoints) drop = this.points.length - this.maxPoints;
    if (drop > 0) this.points.splice(0, drop);
  }
}
