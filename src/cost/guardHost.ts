// What the cost guard asks of the world (the VS Code side implements it; tests fake it).
import type { Timers } from '../base/timers';
import type { AutoDeleteHost } from './autoDelete';
import type { Countdown, CountdownAnswer, Reminder, ReminderAction } from './guardMessages';
import type { LeaseBook } from './leaseBook';
import type { CostGuardSettings, IdleSource } from './types';
import type { StoredState } from '../core/storedState';

export interface Shown<T> {
  /** The user's choice; undefined when dismissed. Need not settle after close(). */
  readonly answer: Promise<T | undefined>;
  close(): void;
}

/** The guard's notifications, shown by the VS Code side (views/costNotices.ts). */
export type GuardNotices = Pick<CostGuardHost, 'showReminder' | 'showCountdown'>;

export interface CostGuardHost extends AutoDeleteHost {
  showReminder(reminder: Reminder): Shown<ReminderAction>;
  /** The auto-delete countdown; a dismissal counts as Cancel. */
  showCountdown(countdown: Countdown): Shown<CountdownAnswer>;
  /** The user chose "Delete…" on a reminder: open the normal, confirmed delete. */
  confirmDelete(instanceId: string): void;
  /** A short message for the user: an auto-delete that happened, or (a warning) one that was refused. */
  inform(message: string, severity: 'info' | 'warning'): void;
  log(line: string): void;
}

export interface CostGuardOptions {
  readonly host: CostGuardHost;
  readonly idle: IdleSource;
  readonly store: StoredState;
  /** Whether this VS Code created the instance (see Ownership). */
  readonly createdHere: (instanceId: string) => boolean;
  /** The user's name for an instance (Rename…), used in every message beside its id. */
  readonly nameOf?: (instanceId: string) => string | undefined;
  readonly settings?: CostGuardSettings;
  /** Where leases are kept (made from `store` when not given). */
  readonly leases?: LeaseBook;
  readonly timers?: Timers;
}
