// The refresh scheduler's decisions in words, for the log: what a user reads to see why fal is (not)
// being asked. Tests wait on these lines to know a decision was taken.
import type { Schedule } from './refreshScheduler';

/** A decision in words, for the log: what the user can read to see why fal is (not) being asked. */
export function describeSchedule(schedule: Schedule): string {
  if (schedule.kind === 'off') {
    switch (schedule.reason) {
      case 'disabled':
        // l10n-exempt: log line only (instancesController writes it with log.info; tests wait on it)
        return 'Refresh stopped: no usable API key. Nothing is sent to fal until a key is set.';
      case 'unfocused':
        // l10n-exempt: log line only (instancesController writes it with log.info; tests wait on it)
        return 'Refresh paused: the window is in the background.';
      case 'hidden':
        // l10n-exempt: log line only (instancesController writes it with log.info; tests wait on it)
        return 'Refresh paused: the Instances view is hidden.';
      case 'disposed':
        // l10n-exempt: log line only (instancesController writes it with log.info; tests wait on it)
        return 'Refresh ended.';
    }
  }
  const seconds = `${Math.round(schedule.inMs / 100) / 10} s`;
  // l10n-exempt: log line only (part of the line instancesController writes with log.info)
  const what = schedule.next === 'full' ? 'the list' : 'the starting instances';
  switch (schedule.mode) {
    case 'fast':
      // l10n-exempt: log line only (instancesController writes it with log.info; tests wait on it)
      return `Refresh: fast (an instance is starting, or an operation waits); next: ${what} in ${seconds}.`;
    case 'slow':
      // l10n-exempt: log line only (instancesController writes it with log.info; tests wait on it)
      return `Refresh: slow (every instance is stable); next: ${what} in ${seconds}.`;
    case 'backoff':
      // l10n-exempt: log line only (instancesController writes it with log.info; tests wait on it)
      return `Refresh: backing off after failures; next try (${what}) in ${seconds}.`;
  }
}
