// Fakes for the cost guard: a store that round-trips through JSON like globalState, an idle source
// the test flips, and a host that records every call and lets the test answer.
import type { ComputeInstance } from '../../../src/api';
import type { InstanceRecord } from '../../../src/core/instancesModel';
import type {
  Countdown,
  CountdownAnswer,
  CostGuardHost,
  DeleteGate,
  DeleteNote,
  IdleSource,
  InspectResult,
  Reminder,
  ReminderAction,
  ResultsSaveOutcome,
  ResultsSaver,
  Shown,
} from '../../../src/cost';
import { DEFAULT_COST_GUARD_SETTINGS, type CostGuardSettings } from '../../../src/cost';
import type { MementoLike } from '../../../src/core/storedState';
import { flush, type FakeTimers } from '../core/fakeTimers';

export class MemoryStore implements MementoLike {
  readonly data = new Map<string, string>();
  writes = 0;
  get<T>(key: string, defaultValue: T): T {
    const raw = this.data.get(key);
    return raw === undefined ? defaultValue : (JSON.parse(raw) as T);
  }
  update(key: string, value: unknown): Promise<void> {
    this.writes++;
    this.data.set(key, JSON.stringify(value));
    return Promise.resolve();
  }
}

export class FakeIdle implements IdleSource {
  private readonly since = new Map<string, number>();
  private readonly listeners = new Set<(id: string) => void>();
  idleSince(id: string): number | undefined {
    return this.since.get(id);
  }
  onDidChangeIdle(listener: (id: string) => void) {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  set(id: string, since: number | undefined): void {
    if (since === undefined) this.since.delete(id);
    else this.since.set(id, since);
    for (const l of this.listeners) l(id);
  }
}

export interface Open<T, N> {
  readonly notice: N;
  closed: boolean;
  answer(value: T | undefined): void;
}

function shown<T, N>(list: Open<T, N>[], notice: N): Shown<T> {
  let settle: (v: T | undefined) => void = () => undefined;
  const answer = new Promise<T | undefined>((resolve) => (settle = resolve));
  const entry: Open<T, N> = { notice, closed: false, answer: (v) => settle(v) };
  list.push(entry);
  return { answer, close: () => (entry.closed = true) };
}

export const CLEAN: InspectResult = {
  ok: true,
  state: {
    gpus: [
      { index: 0, utilizationPercent: 0 },
      { index: 1, utilizationPercent: 2 },
    ],
    gpuProcesses: [],
    sessions: { ok: true, others: [] },
  },
};

export class FakeHost implements CostGuardHost {
  readonly logs: string[] = [];
  readonly reminders: Open<ReminderAction, Reminder>[] = [];
  readonly countdowns: Open<CountdownAnswer, Countdown>[] = [];
  readonly informs: string[] = [];
  readonly confirmDeletes: string[] = [];
  readonly inspected: string[] = [];
  readonly commands: string[] = [];
  readonly deleted: string[] = [];
  /** What each sent delete was told (the spend ledger's mark). */
  readonly notes: (DeleteNote | undefined)[] = [];
  results: ResultsSaver | undefined;
  inspectResult: InspectResult | Error = CLEAN;
  beforeDeleteExit: number | Error = 0;
  deleteError: Error | undefined;

  showReminder(reminder: Reminder): Shown<ReminderAction> {
    return shown(this.reminders, reminder);
  }
  showCountdown(countdown: Countdown): Shown<CountdownAnswer> {
    return shown(this.countdowns, countdown);
  }
  inspect(id: string): Promise<InspectResult> {
    this.inspected.push(id);
    return this.inspectResult instanceof Error
      ? Promise.reject(this.inspectResult)
      : Promise.resolve(this.inspectResult);
  }
  runBeforeDelete: CostGuardHost['runBeforeDelete'] = (command) => {
    this.commands.push(command);
    return this.beforeDeleteExit instanceof Error
      ? Promise.reject(this.beforeDeleteExit)
      : Promise.resolve(this.beforeDeleteExit);
  };
  /** Like the extension's delete path: the gate is asked right before the request, which is then "sent". */
  deleteInstance(id: string, gate: DeleteGate, note?: DeleteNote): Promise<void> {
    try {
      gate.beforeSend();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    this.deleted.push(id);
    this.notes.push(note);
    return this.deleteError ? Promise.reject(this.deleteError) : Promise.resolve();
  }
  confirmDelete(id: string): void {
    this.confirmDeletes.push(id);
  }
  readonly warnings: string[] = [];
  inform(message: string, severity: 'info' | 'warning'): void {
    this.informs.push(message);
    if (severity === 'warning') this.warnings.push(message);
  }
  log(line: string): void {
    this.logs.push(line);
  }
  openReminders(): Open<ReminderAction, Reminder>[] {
    return this.reminders.filter((r) => !r.closed);
  }
  openCountdowns(): Open<CountdownAnswer, Countdown>[] {
    return this.countdowns.filter((c) => !c.closed);
  }
  logsFor(id: string): string {
    return this.logs.filter((l) => l.includes(id)).join('\n');
  }
}

export function instance(id: string, extra: Partial<ComputeInstance> = {}): ComputeInstance {
  return {
    id,
    instance_type: 'gpu_8x_h100_sxm5',
    region: 'us-west',
    status: 'ready',
    sector: undefined,
    ip: '203.0.113.7',
    creator_user_nickname: undefined,
    ...extra,
  };
}

export function record(
  id: string,
  firstSeenAt = 0,
  extra: Partial<ComputeInstance> = {},
  deleting = false,
): InstanceRecord {
  return { instance: instance(id, extra), firstSeenAt, deleting };
}

export function settings(overrides: Partial<CostGuardSettings> = {}): CostGuardSettings {
  return { ...DEFAULT_COST_GUARD_SETTINGS, ...overrides };
}

export const MIN = 60_000;
export const HOUR = 3_600_000;

/**
 * The steps the property tests share: `advance` lets time pass; `settle` lets every step of a delete
 * path that waits (pushed onto `pending`) go on. False for any other command.
 */
export async function timeStep(
  cmd: { readonly t: string; readonly ms?: number },
  timers: FakeTimers,
  pending: (() => void)[],
): Promise<boolean> {
  if (cmd.t === 'advance') await timers.advance(cmd.ms ?? 0);
  else if (cmd.t === 'settle') {
    for (const resolve of pending.splice(0)) resolve();
    await flush();
  } else return false;
  return true;
}

/** A ResultsSaver the test answers: each save resolves with `next` (or throws it, an Error). */
export class FakeSaver implements ResultsSaver {
  on = true;
  next: ResultsSaveOutcome | Error = { kind: 'saved', fetched: 2, upToDate: 1 };
  readonly saves: string[] = [];
  configured(): boolean {
    return this.on;
  }
  save(instanceId: string): Promise<ResultsSaveOutcome> {
    this.saves.push(instanceId);
    return this.next instanceof Error ? Promise.reject(this.next) : Promise.resolve(this.next);
  }
}

/** The property tests' "answer" step: the newest open countdown is answered (`mark` first records it). */
export async function answerNewest(
  host: FakeHost,
  answer: CountdownAnswer | undefined,
  mark: (instanceId: string) => void,
): Promise<void> {
  const open = host.countdowns.filter((c) => !c.closed).at(-1);
  if (!open) return;
  mark(open.notice.instanceId);
  open.answer(answer);
  await flush();
}
