// The cost guard's notifications.
//
// Reminders are ordinary notifications with three buttons. VS Code cannot take one back, so when
// the guard withdraws a reminder (the countdown replaced it, the instance went), a late click is
// only logged — except Delete…, whose confirmed flow is safe at any time.
//
// The auto-delete countdown is a progress notification, the one kind an extension can update and
// close: it states the absolute deadline and counts down to it live ("Auto-delete at 14:32 (in
// 9 min 12 s)"), its bar fills as the grace runs out, its Cancel button cancels, and a Keep link
// in the message protects the instance. Hiding the toast (×) does not stop the countdown: it goes
// on in the notification centre (VS Code does not tell an extension that a toast was hidden).
import * as vscode from 'vscode';
import { clockText } from '../base/durations';
import { every, now, realTimers } from '../base/timers';
import type { Countdown, CountdownAnswer, Reminder, ReminderAction, Shown } from '../cost';
import { countdownText } from './costPresentation';
import { executeFalCommand } from '../falCommands';
import { showInformationMessage } from '../notifications';

export { KEEP_COMMAND } from './costPresentation';

export class CostNotices implements vscode.Disposable {
  /** Instance id → how its open countdown is answered "keep". */
  private readonly keeps = new Map<string, () => void>();
  private readonly closers = new Set<() => void>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  showReminder(reminder: Reminder): Shown<ReminderAction> {
    let withdrawn = false;
    const titles = reminder.actions.map((a) => a.title);
    const answer = Promise.resolve(showInformationMessage(reminder.message, ...titles)).then((title) => {
      const action = reminder.actions.find((a) => a.title === title)?.action;
      if (withdrawn && action) this.lateClick(reminder.instanceId, action);
      return action;
    });
    return { answer, close: () => (withdrawn = true) };
  }

  showCountdown(countdown: Countdown): Shown<CountdownAnswer> {
    const id = countdown.instanceId;
    let settle: (answer: CountdownAnswer | undefined) => void = () => undefined;
    const answer = new Promise<CountdownAnswer | undefined>((resolve) => (settle = resolve));
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const end = (value?: CountdownAnswer) => {
      settle(value);
      finish();
    };
    this.keeps.set(id, () => end('keep'));
    this.closers.add(end);
    const progress = vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, cancellable: true },
      (bar, token) => {
        token.onCancellationRequested(() => end('cancel'));
        const start = now();
        const total = Math.max(1, countdown.deadline - start);
        const at = clockText(countdown.deadline, { withSeconds: total < 2 * 60_000 });
        let filled = 0;
        const tick = () => {
          const left = Math.max(0, countdown.deadline - now());
          const share = Math.min(100, Math.round((100 * (total - left)) / total));
          bar.report({ increment: share - filled, message: countdownText(countdown, at, left) });
          filled = share;
        };
        tick();
        const stopClock = every(realTimers, 1000, tick);
        return finished.finally(stopClock);
      },
    );
    const keepThis = this.keeps.get(id);
    void Promise.resolve(progress).finally(() => {
      if (this.keeps.get(id) === keepThis) this.keeps.delete(id);
      this.closers.delete(end);
    });
    return { answer, close: () => end() };
  }

  /** The Keep link of a countdown (the `fal.idle.keep` command); false when none is open for `id`. */
  keep(id: unknown): boolean {
    const answer = typeof id === 'string' ? this.keeps.get(id) : undefined;
    if (!answer) {
      this.log.info(`Keep: no auto-delete countdown is open for ${String(id)}`);
      return false;
    }
    this.keeps.delete(id as string);
    answer();
    return true;
  }

  dispose(): void {
    for (const close of [...this.closers]) close();
  }

  private lateClick(id: string, action: ReminderAction): void {
    if (action === 'delete') {
      void executeFalCommand('fal.deleteInstance', id);
      return;
    }
    this.log.info(`[cost] ${id}: a reminder the cost guard had already withdrawn was answered; nothing changed`);
  }
}
