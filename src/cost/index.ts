// The cost guard's public surface. Pure: no `vscode` import, timers injected.
//
// How the VS Code side wires it (one place, extension.ts):
//
//   const stored = new StoredState(globalState, logWarning);       // core/storedState.ts: typed keys
//   const ownership = new Ownership(stored, logError);             // ids created here + learned nicknames
//   const ledger = new SpendLedger(stored, (id) => ownership.createdHere(id), logError);
//   const guard = new CostGuard({ host, idle, store: stored, createdHere: (id) => ownership.createdHere(id),
//                                 settings: readCostSettings(), timers: realTimers });
//
// It TELLS the guard:
//   model.onDidChange           → guard.setInstances(model.list());
//                                 and, only when model.state.kind === 'loaded', ledger.observe(model.list(), now)
//   window state                → guard.setFocused(focused)            (reminders wait while unfocused)
//   settings change ('fal.')    → guard.setSettings(readCostSettings())
//   create succeeded            → ownership.recordCreate(instance, now)
//   delete succeeded (any path) → ledger.recordDeleted(id, now, resultsSaved)  (InstanceDeleter's onDeleted)
//   Protect / Unprotect menu    → guard.setProtected(id, on); guard.onDidChangeProtection → repaint the row (lock)
//   `idle`                      → an adapter over the GPU sampler's idleSince(id) + change event (IdleSource)
//
// The guard ASKS BACK through CostGuardHost:
//   showReminder(reminder)  → non-modal notification with reminder.actions; resolve the chosen action
//   showCountdown(notice)   → notification counting down to notice.deadline with Cancel / Keep (dismiss = Cancel)
//   inspect(id)             → over the SAMPLER'S OWN SSH connection: nvidia-smi (gpu-core's parsers) and
//                             SESSION_CHECK_COMMAND (→ checkSessions); any failure → { ok: false, error }
//   results (optional)      → the ResultsSaver (resultsFirst.ts): configured() and save(id) bring fal.results.paths
//                             home before the delete; a failed or thrown save refuses it (the machine stays)
//   runBeforeDelete(cmd,id) → run the already-substituted command in a visible terminal/task; resolve its exit code
//   deleteInstance(id, gate, note) → fresh GET first (refuse if gone or changed), then DELETE; note.resultsSaved
//                             goes to the spend ledger
//   confirmDelete(id)       → the normal, confirmed "Delete…" flow (from a reminder's Delete… button)
//   inform(message, severity) → a short notification (auto-deleted; a warning: not auto-deleted and why)
//   log(line)               → the "fal Compute" output channel
//
// And asks the pure helpers for figures:
//   status bar / tooltip    → summarizeSpend(ledger.entries(), today(cal, now) | monthToDate(cal, now), rates);
//                             budgetLevel(month.usd, monthlyUsd) → warning colour at 'warning' / 'over'
//   wizard confirm step     → projectMonth({ ..., proposedType }) → exceedsBudget ⇒ modal "Create anyway"
//   "fal: Show Spend"       → buildSpendReport({ today, month, budget })
//   Mine filter / groupBy   → ownership.isMine(instance, fal.creatorNickname); groupByCreator(items, nickname)

export { CostGuard } from './costGuard';
export type { CostGuardHost, CostGuardOptions, GuardNotices, Shown } from './guardHost';
export { SNOOZE_MS } from './guardRules';
export {
  countdownActions,
  reminderActions,
  type Countdown,
  type CountdownAnswer,
  type DeleteCause,
  type Reminder,
  type ReminderAction,
} from './guardMessages';
export { runAutoDelete, type AutoDeleteHost, type AutoDeleteJob, type AutoDeleteOutcome } from './autoDelete';
export type { ResultsSaveOutcome, ResultsSaver } from './resultsFirst';
export { reasonText, resultsRefusal, saveOutcome, type DeleteNote } from './resultsStep';
export { deleteAfterFreshLook, DeleteRefused, passGate, type DeleteGate, type FreshDeleteDeps } from './freshDelete';
export {
  judgeRecheck,
  type RecheckProcess,
  type RecheckGpu,
  type InspectResult,
  type MachineState,
  type RecheckVerdict,
} from './recheck';
export {
  SESSION_CHECK_COMMAND,
  checkSessions,
  describeWhoEntry,
  parseProcesses,
  parseWho,
  sshdSessionTitle,
  type OtherSession,
  type SessionCheck,
  type WhoEntry,
} from './sessions';
export {
  isShellInert,
  substituteBeforeDelete,
  type BeforeDeleteValues,
  type Substitution,
} from './beforeDeleteCommand';
export { SpendLedger, LEDGER_KEY, LEDGER_RETENTION_MS, type LedgerEntry } from './spendLedger';
export { summarizeSpend, type CreatorSpend, type InstanceSpend, type SpendSummary } from './spend';
export { fixedOffsetCalendar, localCalendar, monthToDate, today, type Calendar, type Period } from './calendar';
export {
  BUDGET_WARNING_SHARE,
  budgetLevel,
  projectMonth,
  validBudget,
  type BudgetInput,
  type BudgetLevel,
  type BudgetProjection,
} from './budget';
export {
  Ownership,
  OWNERSHIP_KEY,
  unknownCreatorLabel,
  creatorKey,
  groupByCreator,
  type CreatorGroup,
} from './ownership';
export { buildSpendReport, type SpendReportInput } from './spendReport';
export { GUARD_STATE_KEY } from './guardState';
export { LeaseBook, LEASES_KEY } from './leaseBook';
export {
  EXTEND_MS,
  LEASE_HOURS,
  extendedEnd,
  leaseChoices,
  leaseEnd,
  leaseHoursText,
  leaseLook,
  validLeaseHours,
  type LeaseLook,
} from './lease';
export { DEFAULT_COST_GUARD_SETTINGS, type CostGuardSettings, type Disposable, type IdleSource } from './types';
