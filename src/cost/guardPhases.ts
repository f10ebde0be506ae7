// What the cost guard is doing about each instance right now: at most one thing at a time, so one
// instance never has a reminder and a countdown on screen together.
import type { Shown } from './guardHost';
import type { CountdownAnswer, DeleteCause, ReminderAction } from './guardMessages';

export type Phase =
  | { readonly kind: 'reminder'; readonly shown: Shown<ReminderAction> }
  | {
      readonly kind: 'countdown';
      readonly cause: DeleteCause;
      readonly gen: number;
      readonly deadline: number;
      readonly shown: Shown<CountdownAnswer>;
    }
  | { readonly kind: 'deleting'; readonly cause: DeleteCause; readonly gen: number };

export class GuardPhases extends Map<string, Phase> {
  /** Forgets the instance's phase and closes its notification; a delete under way has none to close. */
  end(id: string): void {
    const phase = this.get(id);
    this.delete(id);
    if (phase && phase.kind !== 'deleting') phase.shown.close();
  }

  /** When each running countdown runs out. */
  countdownDeadlines(): number[] {
    return [...this.values()].flatMap((phase) => (phase.kind === 'countdown' ? [phase.deadline] : []));
  }
}
