// The cost guard's countdowns and what follows them: the notification with Cancel and Keep, then
// the fresh checks and the one delete path (autoDelete.ts), for an idle auto-delete and for the end
// of a lease alike. CostGuard decides when one starts; this file owns its course. The answers mean:
//   idle  — Keep protects the instance; Cancel stops this countdown (another needs a full idle period);
//   lease — Keep removes the lease ("keep until I delete"); Cancel moves the lease 1 h on, so a
//           countdown put away never leaves a machine running for good without a word.
import * as l10n from '@vscode/l10n';
import { spanText } from '../base/durations';
import { errorText } from '../base/errorText';
import type { Timers } from '../base/timers';
import type { InstanceRecord } from '../core/instancesModel';
import { runAutoDelete } from './autoDelete';
import type { CostGuardHost } from './guardHost';
import {
  countdownNotice,
  deleteOutcomeMessage,
  leaseCountdownNotice,
  subjectLabel,
  type CountdownAnswer,
  type DeleteCause,
  type MessageSubject,
} from './guardMessages';
import type { GuardPhases } from './guardPhases';
import { idleShortfall, ineligibility, leaseBlocker, MIN_GRACE_MINUTES, type RuleContext } from './guardRules';
import type { GuardState } from './guardState';
import { LEASE_RETRY_MS } from './lease';
import type { LeaseBook } from './leaseBook';
import { MINUTE_MS, type CostGuardSettings } from './types';

/** What a countdown needs of the guard that runs it. */
export interface CountdownContext {
  readonly host: CostGuardHost;
  readonly timers: Timers;
  readonly phases: GuardPhases;
  readonly state: GuardState;
  readonly leases: LeaseBook;
  /** Instances a DELETE was sent for in this session (at most one each). */
  readonly attempted: Set<string>;
  readonly leaseRetryAt: Map<string, number>;
  settings(): CostGuardSettings;
  rules(): RuleContext;
  record(id: string): InstanceRecord | undefined;
  isDisposed(): boolean;
  subject(record: InstanceRecord): MessageSubject;
  protect(id: string): void;
  evaluate(): void;
  endPhase(id: string, reason?: string): void;
  log(id: string, message: string): void;
}

export class GuardCountdowns {
  private gen = 0;

  constructor(private readonly c: CountdownContext) {}

  start(record: InstanceRecord, cause: DeleteCause, now: number, idleMs = 0): void {
    const id = record.instance.id;
    if (this.c.phases.get(id)?.kind === 'reminder') this.c.endPhase(id);
    const graceMs = Math.max(MIN_GRACE_MINUTES, this.c.settings().graceMinutes) * MINUTE_MS;
    const gen = ++this.gen;
    const first = {
      results: this.c.host.results?.configured() === true,
      beforeDelete: this.c.settings().beforeDelete.trim() !== '',
    };
    const notice =
      cause === 'lease'
        ? leaseCountdownNotice(this.c.subject(record), this.c.leases.end(id) ?? now, graceMs, now, first)
        : countdownNotice(this.c.subject(record), idleMs, graceMs, now + graceMs, first);
    // l10n-exempt: log line only (this.c.log writes it)
    const why = cause === 'lease' ? 'its lease ended' : `idle ${spanText(idleMs)}`;
    this.c.log(id, `${why}: ${cause === 'lease' ? 'lease' : 'auto-delete'} countdown started (${spanText(graceMs)})`);
    const shown = this.c.host.showCountdown(notice);
    this.c.phases.set(id, { kind: 'countdown', cause, gen, deadline: now + graceMs, shown });
    void shown.answer.then(
      (answer) => this.onAnswer(id, gen, answer),
      () => this.onAnswer(id, gen, undefined),
    );
  }

  private onAnswer(id: string, gen: number, answer: CountdownAnswer | undefined): void {
    const phase = this.c.phases.get(id);
    if (phase?.kind !== 'countdown' || phase.gen !== gen) return;
    const now = this.c.timers.now();
    if (phase.cause === 'lease') {
      // l10n-exempt: log line only (endPhase logs it)
      this.c.endPhase(
        id,
        `lease countdown: ${answer === 'keep' ? 'Keep chosen, the lease is removed' : `${answer ? 'Cancel' : 'dismissed'}: the lease moves 1 h on`}`,
      );
      if (answer === 'keep') this.c.leases.remove(id);
      else this.c.leases.extend(id, now);
    } else {
      this.c.state.set('rearmAt', id, now);
      if (answer === 'keep') {
        this.c.endPhase(id, 'auto-delete countdown: Keep chosen'); // l10n-exempt: log line only (endPhase logs it)
        this.c.protect(id);
      } else this.c.endPhase(id, `auto-delete countdown cancelled by the user${answer ? '' : ' (dismissed)'}`); // l10n-exempt: log line only (endPhase logs it)
    }
    this.c.evaluate();
  }

  finish(record: InstanceRecord, cause: DeleteCause, gen: number): void {
    const id = record.instance.id;
    this.c.endPhase(id);
    this.c.phases.set(id, { kind: 'deleting', cause, gen });
    const beforeDelete = this.c.settings().beforeDelete;
    // Said now: a deleted instance's name is forgotten with it.
    const label = subjectLabel(this.c.subject(record));
    const job = {
      instanceId: id,
      host: record.instance.ip,
      gpuPercent: this.c.settings().gpuPercent,
      recheckMachine: cause === 'idle',
      beforeDelete,
      blocker: () => this.deleteBlocker(id, cause, gen, beforeDelete),
      willDelete: () => this.c.attempted.add(id),
      log: (message: string) => this.c.log(id, message),
    };
    // l10n-exempt: log line only (this.c.log writes it)
    const what = cause === 'lease' ? 'deleted at the end of its lease' : 'auto-deleted';
    void runAutoDelete(job, this.c.host)
      .catch((error: unknown) => ({ kind: 'failed' as const, reason: errorText(error) }))
      .then((outcome) => {
        if (this.c.phases.get(id)?.kind === 'deleting') this.c.phases.delete(id);
        if (outcome.kind === 'deleted') {
          this.c.log(id, what);
          this.c.host.inform(deleteOutcomeMessage(cause, label), 'info');
        } else {
          this.c.log(id, `not ${what}: ${outcome.reason}`);
          if (!this.c.isDisposed()) {
            if (cause === 'lease') this.c.leaseRetryAt.set(id, this.c.timers.now() + LEASE_RETRY_MS);
            else this.c.state.set('rearmAt', id, this.c.timers.now());
            this.c.host.inform(deleteOutcomeMessage(cause, label, outcome.reason), 'warning');
          }
        }
        this.c.evaluate();
      })
      .catch((error: unknown) => this.c.log(id, `cost guard error after an auto-delete attempt: ${errorText(error)}`));
  }

  /** Everything that must hold at the moment of the delete call. */
  private deleteBlocker(id: string, cause: DeleteCause, gen: number, beforeDelete: string): string | undefined {
    if (this.c.isDisposed()) return l10n.t('the extension is shutting down');
    const record = this.c.record(id);
    if (!record) return l10n.t('the instance is no longer listed');
    const phase = this.c.phases.get(id);
    if (phase?.kind !== 'deleting' || phase.gen !== gen) return l10n.t('the countdown was cancelled');
    if (this.c.settings().beforeDelete !== beforeDelete) return l10n.t('fal.idle.beforeDelete changed while deleting');
    return this.blocker(cause, record, this.c.timers.now());
  }

  /** Why a countdown of this cause must stop (or its delete not go ahead), or undefined. */
  blocker(cause: DeleteCause, record: InstanceRecord, now: number): string | undefined {
    if (cause === 'lease') return leaseBlocker(this.c.rules(), record, now);
    return ineligibility(this.c.rules(), record) ?? idleShortfall(this.c.rules(), record.instance.id, now);
  }
}
