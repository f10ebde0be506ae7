// The refresh scheduler's decisions in words, for the log: what a user reads to see why fal is (not)
// being asked. Tests wait on these lines to know a decision was taken.
import type { Schedule } from './refreshScheduler';

/** A decision in words, for the log: what the user can read to see why fal is (not) being asked. */
// l10n-exempt: log line only (instancesController writes it with log.info; tests wait on it)
export function describeSchedule(schedule: Schedule): string {
  if (schedule.kind === 'off') {
    switch (schedule.reason) {
      case 'disabled':
        return 'Refresh stopped: no usable API key. Nothing is sent to fal until a key is set.';
      case 'unfocused':
        return 'Refresh paused: the window is in the background.';
      case 'hidden':
        return 'Refresh paused: the Instances view is hidden.';
      case 'disposed':
        return 'Refresh ended.';
    }
  }
  const seconds = `${Math.round(schedule.inMs / 100) / 10} s`;
  const what =
    schedule.next === 'full'
      ? 'the list'
      : schedule.next === 'watched'
        ? 'the instance someone waits for'
        : 'the starting instances';
  switch (schedule.mode) {
    case 'watch':
      return `Refresh: every second for the instance someone waits for (the list at its own pace); next: ${what} in ${seconds}.`;
    case 'fast':
      return `Refresh: fast (an instance is starting, or an operation waits); next: ${what} in ${seconds}.`;
    case 'slow':
      return `Refresh: slow (every instance is stable); next: ${what} in ${seconds}.`;
    case 'backoff':
      return `Refresh: backing off after failures; next try (${what}) in ${seconds}.`;
  }
}
