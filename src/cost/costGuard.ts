// The one owner of the cost policy: idle and running-time reminders, opt-in auto-delete of idle
// machines, and leases ("delete after", chosen at create: lease.ts). Pure and timer-injectable like
// the refresh scheduler; everything it does to the world goes through CostGuardHost. Per instance at
// most one notification at a time (a reminder, or a countdown that replaces it: guardCountdowns.ts,
// an idle one or a lease's, never both); reminders wait while the window is unfocused; an
// instance is reminded at most once per snooze period (1 h), and never after "Don't remind".
import { spanText } from '../base/durations';
import { Emitter } from '../base/emitter';
import { errorText } from '../base/errorText';
import { realTimers, type Timers } from '../base/timers';
import type { InstanceRecord } from '../core/instancesModel';
import { GuardCountdowns } from './guardCountdowns';
import type { CostGuardOptions } from './guardHost';
import { GuardPhases, type Phase } from './guardPhases';
import { GuardState } from './guardState';
import { idleReminder } from './guardMessages';
import type { Reminder, ReminderAction } from './guardMessages';
import { LeaseBook } from './leaseBook';
import {
  idleShortfall,
  ineligibility,
  leaseBlocker,
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
  private readonly leaseRetryAt = new Map<string, number>();
  private settings: CostGuardSettings;
  private focused = true;
  private timer: unknown;
  private disposed = false;
  private readonly timers: Timers;
  private readonly state: GuardState;
  private readonly subscriptions: Disposable[];
  private readonly countdowns: GuardCountdowns;
  /** When each lease ends; Extend 1 h and Keep go here, and the guard acts on every change. */
  readonly leases: LeaseBook;
  private readonly protectionChanged = new Emitter<string>((error) =>
    this.log('-', `a listener of protection changes failed: ${errorText(error)}`),
  );
  /** Fires with an instance id when it is protected or unprotected (the tree shows a lock). */
  readonly onDidChangeProtection = this.protectionChanged.event;

  constructor(private readonly o: CostGuardOptions) {
    this.timers = o.timers ?? realTimers;
    this.settings = o.settings ?? DEFAULT_COST_GUARD_SETTINGS;
    this.state = new GuardState(o.store, (e) => this.log('-', `could not save the cost guard state: ${errorText(e)}`));
    this.leases = o.leases ?? new LeaseBook(o.store);
    this.countdowns = new GuardCountdowns({
      host: o.host,
      timers: this.timers,
      phases: this.phases,
      state: this.state,
      leases: this.leases,
      attempted: this.attempted,
      leaseRetryAt: this.leaseRetryAt,
      settings: () => this.settings,
      rules: () => this.rules,
      record: (id) => this.records.get(id),
      isDisposed: () => this.disposed,
      subject: (record) => this.subject(record),
      protect: (id) => this.setProtected(id, true),
      evaluate: () => this.evaluate(),
      endPhase: (id, reason) => this.endPhase(id, reason),
      log: (id, message) => this.log(id, message),
    });
    this.subscriptions = [
      o.idle.onDidChangeIdle(() => this.evaluate()),
      this.leases.onDidChange((id) => this.onLeaseChange(id)),
    ];
  }

  private get rules(): RuleContext {
    return {
      settings: this.settings,
      state: this.state,
      idle: this.o.idle,
      createdHere: this.o.createdHere,
      nameOf: (id) => this.o.nameOf?.(id),
      attempted: this.attempted,
      leases: this.leases,
      leaseRetryAt: this.leaseRetryAt,
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

  private onLeaseChange(id: string): void {
    const end = this.leases.end(id);
    this.log(id, end === undefined ? 'no lease: kept until deleted' : `lease ends at ${new Date(end).toISOString()}`);
    this.evaluate();
  }

  dispose(): void {
    this.disposed = true;
    for (const subscription of this.subscriptions) subscription.dispose();
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
      const blocker = this.countdowns.blocker(phase.cause, record, now);
      // l10n-exempt: log line only (endPhase logs its reason)
      if (blocker)
        this.endPhase(id, `${phase.cause === 'lease' ? 'lease' : 'auto-delete'} countdown stopped: ${blocker}`);
      else if (now >= phase.deadline) this.countdowns.finish(record, phase.cause, phase.gen);
      return;
    }
    // l10n-exempt: log line only (endPhase logs its reason)
    if (record.deleting) return phase ? this.endPhase(id, 'a delete is under way') : undefined;
    if (this.leaseDue(record, now)) return this.countdowns.start(record, 'lease', now);
    const idleStart = this.o.idle.idleSince(id);
    const idleMs = this.settings.idleMinutes * MINUTE_MS;
    let reminder: Reminder | undefined;
    if (idleStart !== undefined && idleMs > 0 && now - idleStart >= idleMs) {
      const ineligible = ineligibility(this.rules, record);
      if (!ineligible) {
        if (!idleShortfall(this.rules, id, now)) return this.countdowns.start(record, 'idle', now, now - idleStart);
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

  /** Whether the instance's lease ended and nothing holds it back (what does is logged once). */
  private leaseDue(record: InstanceRecord, now: number): boolean {
    const id = record.instance.id;
    const end = this.leases.end(id);
    if (end === undefined || end > now) return false;
    const blocker = leaseBlocker(this.rules, record, now);
    // l10n-exempt: log line only (noteOnce logs it)
    if (blocker)
      this.noteOnce(id, `lease ended at ${new Date(end).toISOString()}, not deleted now: ${blocker}`, 'lease');
    else this.noted.delete(`${id}:lease`);
    return !blocker;
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
