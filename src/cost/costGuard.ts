// The one owner of the cost policy: idle and running-time reminders, and opt-in auto-delete of idle
// machines. Pure and timer-injectable like the refresh scheduler; everything it does to the world
// goes through CostGuardHost. Per instance at most one notification at a time (a reminder, or an
// auto-delete countdown that replaces it); reminders wait while the window is unfocused; an
// instance is reminded at most once per snooze period (1 h), and never after "Don't remind".
import * as l10n from '@vscode/l10n';
import { spanText } from '../base/durations';
import { Emitter } from '../base/emitter';
import { errorText } from '../base/errorText';
import { realTimers, type Timers } from '../base/timers';
import type { InstanceRecord } from '../core/instancesModel';
import { runAutoDelete } from './autoDelete';
import type { CostGuardOptions } from './guardHost';
import { GuardPhases, type Phase } from './guardPhases';
import { GuardState } from './guardState';
import { countdownNotice, idleReminder, subjectLabel } from './guardMessages';
import type { CountdownAnswer, Reminder, ReminderAction } from './guardMessages';
import {
  idleShortfall,
  ineligibility,
  MIN_GRACE_MINUTES,
  nextDue,
  reminderAllowed,
  runningReminderDue,
  SNOOZE_MS,
  type RuleContext,
} from './guardRules';
import { DEFAULT_COST_GUARD_SETTINGS, MINUTE_MS, type CostGuardSettings, type Disposable } from './types';

export class CostGuard implements Disposable {
  private records = new Map<string, InstanceRecord>();
  private readonly phases = new GuardPhases();
  private readonly noted = new Set<string>(); // "queued"/"not eligible" lines already logged for this episode
  private readonly attempted = new Set<string>();
  private settings: CostGuardSettings;
  private focused = true;
  private gen = 0;
  private timer: unknown;
  private disposed = false;
  private readonly timers: Timers;
  private readonly state: GuardState;
  private readonly idleSubscription: Disposable;
  private readonly protectionChanged = new Emitter<string>((error) =>
    this.log('-', `a listener of protection changes failed: ${errorText(error)}`),
  );
  /** Fires with an instance id when it is protected or unprotected (the tree shows a lock). */
  readonly onDidChangeProtection = this.protectionChanged.event;

  constructor(private readonly o: CostGuardOptions) {
    this.timers = o.timers ?? realTimers;
    this.settings = o.settings ?? DEFAULT_COST_GUARD_SETTINGS;
    this.state = new GuardState(o.store, (e) => this.log('-', `could not save the cost guard state: ${errorText(e)}`));
    this.idleSubscription = o.idle.onDidChangeIdle(() => this.evaluate());
  }

  private get rules(): RuleContext {
    return {
      settings: this.settings,
      state: this.state,
      idle: this.o.idle,
      createdHere: this.o.createdHere,
      nameOf: (id) => this.o.nameOf?.(id),
      attempted: this.attempted,
    };
  }

  /** The model's records (call on every model change; instances absent here are gone). */
  setInstances(records: readonly InstanceRecord[]): void {
    this.records = new Map(records.map((r) => [r.instance.id, r]));
    this.state.observe([...this.records.keys()], this.timers.now());
    this.evaluate();
  }

  setFocused(focused: boolean): void {
    this.focused = focused;
    this.evaluate();
  }

  setSettings(settings: CostGuardSettings): void {
    this.settings = settings;
    this.evaluate();
  }

  isProtected(instanceId: string): boolean {
    return this.state.isProtected(instanceId);
  }

  setProtected(instanceId: string, protect: boolean): void {
    if (this.isProtected(instanceId) === protect) return;
    this.state.set('protected', instanceId, protect ? this.timers.now() : undefined);
    this.log(instanceId, protect ? 'protected from auto-delete' : 'no longer protected from auto-delete');
    this.protectionChanged.fire(instanceId);
    this.evaluate();
  }

  dispose(): void {
    this.disposed = true;
    this.idleSubscription.dispose();
    this.timers.clearTimeout(this.timer);
    for (const id of [...this.phases.keys()]) this.endPhase(id);
  }

  private evaluate(): void {
    if (this.disposed) return;
    const now = this.timers.now();
    for (const id of [...this.phases.keys()])
      // l10n-exempt: log line only (endPhase logs its reason)
      if (!this.records.has(id)) this.endPhase(id, 'the instance is no longer listed');
    for (const record of this.records.values()) this.evaluateOne(record, now);
    this.reschedule(now);
  }

  private evaluateOne(record: InstanceRecord, now: number): void {
    const id = record.instance.id;
    const phase = this.phases.get(id);
    if (phase?.kind === 'deleting') return;
    if (phase?.kind === 'countdown') {
      const blocker = ineligibility(this.rules, record) ?? idleShortfall(this.rules, id, now);
      // l10n-exempt: log line only (endPhase logs its reason)
      if (blocker) this.endPhase(id, `auto-delete countdown stopped: ${blocker}`);
      else if (now >= phase.deadline) this.finishCountdown(record, phase.gen);
      return;
    }
    // l10n-exempt: log line only (endPhase logs its reason)
    if (record.deleting) return phase ? this.endPhase(id, 'a delete is under way') : undefined;
    const idleStart = this.o.idle.idleSince(id);
    const idleMs = this.settings.idleMinutes * MINUTE_MS;
    let reminder: Reminder | undefined;
    if (idleStart !== undefined && idleMs > 0 && now - idleStart >= idleMs) {
      const ineligible = ineligibility(this.rules, record);
      if (!ineligible) {
        if (!idleShortfall(this.rules, id, now)) return this.startCountdown(record, now - idleStart, now);
      } else {
        if (this.settings.autoDelete)
          // l10n-exempt: log line only (noteOnce logs it)
          this.noteOnce(id, `idle ${spanText(now - idleStart)}, not auto-deleted: ${ineligible}`);
        reminder = idleReminder(this.subject(record), now - idleStart, this.settings.hourlyUsd);
      }
    } else if (idleStart === undefined) this.noted.delete(`${id}:idle`);
    reminder ??= runningReminderDue(this.rules, record, now);
    if (!reminder || phase || !reminderAllowed(this.rules, id, now)) return;
    if (!this.focused)
      // l10n-exempt: log line only (noteOnce logs it)
      return this.noteOnce(id, `${reminder.kind} reminder waits for the window to be focused`, 'queue');
    this.showReminder(reminder, now);
  }

  private showReminder(reminder: Reminder, now: number): void {
    const id = reminder.instanceId;
    this.noted.delete(`${id}:queue`);
    this.state.set('remindedAt', id, now);
    if (reminder.kind === 'running') this.state.set('runningRemindedAt', id, now);
    this.log(id, `${reminder.kind} reminder shown: ${reminder.message}`);
    const shown = this.o.host.showReminder(reminder);
    const phase: Phase = { kind: 'reminder', shown };
    this.phases.set(id, phase);
    void shown.answer.then(
      (action) => this.onReminderAnswer(id, phase, action),
      (error: unknown) => this.onReminderAnswer(id, phase, undefined, errorText(error)),
    );
  }

  private onReminderAnswer(id: string, phase: Phase, action: ReminderAction | undefined, error?: string): void {
    if (this.phases.get(id) !== phase) return;
    this.phases.delete(id);
    const now = this.timers.now();
    if (action === 'keep1h') this.state.set('snoozedUntil', id, now + SNOOZE_MS);
    if (action === 'dontRemind') this.state.set('muted', id, now);
    if (action === 'delete') this.o.host.confirmDelete(id);
    // l10n-exempt: log line only (the answer's words go into this.log below)
    const what = { keep1h: 'kept for 1 h', dontRemind: "won't be reminded again", delete: 'Delete… chosen' };
    this.log(id, action ? `reminder answered: ${what[action]}` : `reminder dismissed${error ? ` (${error})` : ''}`);
    this.evaluate();
  }

  private startCountdown(record: InstanceRecord, idleMs: number, now: number): void {
    const id = record.instance.id;
    if (this.phases.get(id)?.kind === 'reminder') this.endPhase(id);
    const graceMs = Math.max(MIN_GRACE_MINUTES, this.settings.graceMinutes) * MINUTE_MS;
    const gen = ++this.gen;
    const notice = countdownNotice(
      this.subject(record),
      idleMs,
      graceMs,
      now + graceMs,
      this.settings.beforeDelete.trim() !== '',
    );
    this.log(id, `idle ${spanText(idleMs)}: auto-delete countdown started (${spanText(graceMs)})`);
    const shown = this.o.host.showCountdown(notice);
    this.phases.set(id, { kind: 'countdown', gen, deadline: now + graceMs, shown });
    void shown.answer.then(
      (answer) => this.onCountdownAnswer(id, gen, answer),
      () => this.onCountdownAnswer(id, gen, undefined),
    );
  }

  private onCountdownAnswer(id: string, gen: number, answer: CountdownAnswer | undefined): void {
    const phase = this.phases.get(id);
    if (phase?.kind !== 'countdown' || phase.gen !== gen) return;
    this.state.set('rearmAt', id, this.timers.now());
    if (answer === 'keep') {
      this.endPhase(id, 'auto-delete countdown: Keep chosen'); // l10n-exempt: log line only (endPhase logs it)
      this.setProtected(id, true);
    } else this.endPhase(id, `auto-delete countdown cancelled by the user${answer ? '' : ' (dismissed)'}`); // l10n-exempt: log line only (endPhase logs it)
    this.evaluate();
  }

  private finishCountdown(record: InstanceRecord, gen: number): void {
    const id = record.instance.id;
    this.endPhase(id);
    this.phases.set(id, { kind: 'deleting', gen });
    const beforeDelete = this.settings.beforeDelete;
    // Said now: a deleted instance's name is forgotten with it.
    const label = subjectLabel(this.subject(record));
    const job = {
      instanceId: id,
      host: record.instance.ip,
      gpuPercent: this.settings.gpuPercent,
      beforeDelete,
      blocker: () => this.deleteBlocker(id, gen, beforeDelete),
      willDelete: () => this.attempted.add(id),
      log: (message: string) => this.log(id, message),
    };
    void runAutoDelete(job, this.o.host)
      .catch((error: unknown) => ({ kind: 'failed' as const, reason: errorText(error) }))
      .then((outcome) => {
        if (this.phases.get(id)?.kind === 'deleting') this.phases.delete(id);
        if (outcome.kind === 'deleted') {
          this.log(id, 'auto-deleted');
          this.o.host.inform(l10n.t`Auto-deleted ${label}: it was idle, and a fresh check found nobody on it.`, 'info');
        } else {
          this.log(id, `not auto-deleted: ${outcome.reason}`);
          if (!this.disposed) {
            this.state.set('rearmAt', id, this.timers.now());
            this.o.host.inform(l10n.t`${label} was not auto-deleted: ${outcome.reason}.`, 'warning');
          }
        }
        this.evaluate();
      })
      .catch((error: unknown) => this.log(id, `cost guard error after an auto-delete attempt: ${errorText(error)}`));
  }

  /** Everything that must hold at the moment of the delete call. */
  private deleteBlocker(id: string, gen: number, beforeDelete: string): string | undefined {
    if (this.disposed) return l10n.t('the extension is shutting down');
    const record = this.records.get(id);
    if (!record) return l10n.t('the instance is no longer listed');
    const phase = this.phases.get(id);
    if (phase?.kind !== 'deleting' || phase.gen !== gen) return l10n.t('the countdown was cancelled');
    if (this.settings.beforeDelete !== beforeDelete) return l10n.t('fal.idle.beforeDelete changed while deleting');
    return ineligibility(this.rules, record) ?? idleShortfall(this.rules, id, this.timers.now());
  }

  private endPhase(id: string, reason?: string): void {
    this.phases.end(id);
    if (reason) this.log(id, reason);
  }

  private noteOnce(id: string, message: string, kind = 'idle'): void {
    if (this.noted.has(`${id}:${kind}`)) return;
    this.noted.add(`${id}:${kind}`);
    this.log(id, message);
  }

  private reschedule(now: number): void {
    this.timers.clearTimeout(this.timer);
    const next = nextDue(this.rules, this.records.values(), this.phases.countdownDeadlines(), now);
    this.timer = next === undefined ? undefined : this.timers.setTimeout(() => this.evaluate(), next - now);
  }

  private subject(record: InstanceRecord) {
    return {
      id: record.instance.id,
      instanceType: record.instance.instance_type,
      name: this.o.nameOf?.(record.instance.id),
    };
  }

  private log(id: string, message: string): void {
    this.o.host.log(`[cost] ${id}: ${message}`);
  }
}
