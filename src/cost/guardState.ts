// What the cost guard must remember across window reloads: snoozes, "don't remind", protections,
// when each instance was last reminded, and when auto-delete may be considered again after a
// cancelled or refused attempt. One key in the extension's global state, read defensively.
import { HOUR_MS, keepSince, numberMap, saveToStore, storedObject } from './types';
import type { StoredState } from '../core/storedState';

export const GUARD_STATE_KEY = 'fal.costGuard';
/** Protections and "don't remind" of instances unseen this long are forgotten (ids are never reused). */
const FORGET_UNSEEN_MS = 90 * 24 * HOUR_MS;

interface Persisted {
  /** id → epoch ms until which reminders are snoozed ("Keep 1 h"). */
  snoozedUntil: Record<string, number>;
  /** id → last seen, for instances the user said "Don't remind for this instance" about. */
  muted: Record<string, number>;
  /** id → last seen, for instances marked "Protect from Auto-Delete". */
  protected: Record<string, number>;
  /** id → when the last reminder (any kind) was shown. */
  remindedAt: Record<string, number>;
  /** id → when the last running-time reminder was shown. */
  runningRemindedAt: Record<string, number>;
  /** id → an auto-delete countdown may start only after a full idle period counted from here. */
  rearmAt: Record<string, number>;
}

type Field = keyof Persisted;
const FIELDS: readonly Field[] = ['snoozedUntil', 'muted', 'protected', 'remindedAt', 'runningRemindedAt', 'rearmAt'];

export class GuardState {
  private data: Persisted;

  constructor(
    private readonly store: StoredState,
    private readonly onSaveError: (error: unknown) => void = () => undefined,
  ) {
    const source = storedObject(store, GUARD_STATE_KEY);
    this.data = Object.fromEntries(FIELDS.map((f) => [f, numberMap(source[f])])) as unknown as Persisted;
  }

  get(field: Field, id: string): number | undefined {
    return Object.hasOwn(this.data[field], id) ? this.data[field][id] : undefined;
  }

  set(field: Field, id: string, value: number | undefined): void {
    const next = { ...this.data[field] };
    if (value === undefined) delete next[id];
    else next[id] = value;
    this.data = { ...this.data, [field]: next };
    this.save();
  }

  isProtected(id: string): boolean {
    return this.get('protected', id) !== undefined;
  }

  isMuted(id: string): boolean {
    return this.get('muted', id) !== undefined;
  }

  protectedIds(): string[] {
    return Object.keys(this.data.protected);
  }

  /** Marks the listed instances as seen now and forgets what has gone stale. Saves only on change. */
  observe(presentIds: readonly string[], now: number): void {
    const present = new Set(presentIds);
    const seen = (map: Record<string, number>) =>
      keepSince(
        Object.fromEntries(Object.entries(map).map(([id, t]) => [id, present.has(id) ? now : t])),
        now - FORGET_UNSEEN_MS,
      );
    const gone = (map: Record<string, number>) =>
      Object.fromEntries(Object.entries(map).filter(([id]) => present.has(id)));
    const next: Persisted = {
      snoozedUntil: keepSince(this.data.snoozedUntil, now),
      muted: seen(this.data.muted),
      protected: seen(this.data.protected),
      remindedAt: keepSince(this.data.remindedAt, now - 24 * HOUR_MS),
      runningRemindedAt: gone(this.data.runningRemindedAt),
      rearmAt: gone(this.data.rearmAt),
    };
    if (JSON.stringify(next) === JSON.stringify(this.data)) return;
    this.data = next;
    this.save();
  }

  private save(): void {
    saveToStore(this.store, GUARD_STATE_KEY, this.data, this.onSaveError);
  }
}
