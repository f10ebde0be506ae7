// Estimated spend: for every instance this VS Code has seen, the interval it existed (first seen →
// deleted, or → now), kept across reloads. fal's API has no creation time and no billing data, so
// these are estimates from the hourly rates in settings, and each figure says where it is limited:
// an instance not created here may have run before this VS Code first saw it, and an instance that
// vanished while VS Code was closed ended somewhere between its last sighting and the next list.
import type { InstanceRecord } from '../core/instancesModel';
import { HOUR_MS, saveToStore, storedObject } from './types';
import type { StoredState } from '../core/storedState';

export const LEDGER_KEY = 'fal.spendLedger';
/** Deleted instances older than this are forgotten (13 months: this month last year stays known). */
export const LEDGER_RETENTION_MS = 400 * 24 * HOUR_MS;
const MAX_ENTRIES = 5000;
/**
 * A list that only moves `lastSeenAt` forward is saved at most this often: the ledger of 1,000
 * instances is ~150 KB, and saving it on every 3 s refresh costs the extension host more than the
 * refresh. What can be lost is up to this much of a last sighting when VS Code quits: for an instance
 * that then vanishes, its estimate ends up to a minute early.
 */
export const LAST_SEEN_SAVE_MS = 60_000;

export interface LedgerEntry {
  readonly id: string;
  readonly instanceType: string;
  readonly creator?: string;
  /** Our create, or the first list that showed it. */
  readonly firstSeenAt: number;
  readonly lastSeenAt: number;
  /** When it stopped existing; undefined while it exists. */
  readonly endedAt?: number;
  /** True when we saw the delete happen; false when it was only found gone (endedAt = last sighting). */
  readonly endKnown?: boolean;
  /** Created from this VS Code: first seen is (about) its creation, so the figure is not limited. */
  readonly createdHere: boolean;
  /**
   * We deleted it after its results (fal.results.paths) came home. Written only when true, so a
   * record from before this field reads as it did (not saved); anything but `true` reads as not saved.
   */
  readonly resultsSaved?: boolean;
}

export class SpendLedger {
  private byId: Map<string, LedgerEntry>;
  private savedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: StoredState,
    private readonly createdHere: (instanceId: string) => boolean,
    private readonly onSaveError: (error: unknown) => void = () => undefined,
  ) {
    const raw = storedObject(store, LEDGER_KEY).entries;
    this.byId = new Map((Array.isArray(raw) ? raw : []).flatMap((e) => (isEntry(e) ? [[e.id, e] as const] : [])));
  }

  entries(): LedgerEntry[] {
    return [...this.byId.values()];
  }

  /** A complete, successful list at `now` (never a failed refresh or a signed-out empty list). */
  observe(records: readonly InstanceRecord[], now: number): void {
    const listed = new Set<string>();
    let changed = false;
    for (const { instance, firstSeenAt } of records) {
      listed.add(instance.id);
      const before = this.byId.get(instance.id);
      if (before?.endKnown) continue; // we deleted it; fal may still list it for a moment
      const entry: LedgerEntry = {
        id: instance.id,
        instanceType: instance.instance_type,
        ...(instance.creator_user_nickname ? { creator: instance.creator_user_nickname } : {}),
        firstSeenAt: Math.min(before?.firstSeenAt ?? firstSeenAt, firstSeenAt),
        lastSeenAt: now,
        createdHere: (before?.createdHere ?? false) || this.createdHere(instance.id),
      };
      changed ||= !before || !sameButLastSeen(before, entry);
      this.byId.set(instance.id, entry);
    }
    for (const entry of this.byId.values()) {
      if (!listed.has(entry.id) && entry.endedAt === undefined) {
        this.byId.set(entry.id, { ...entry, endedAt: entry.lastSeenAt, endKnown: false });
        changed = true;
      }
    }
    changed = this.prune(now) || changed;
    if (changed || now - this.savedAt >= LAST_SEEN_SAVE_MS) this.save(now);
  }

  /**
   * We deleted it (by hand or automatically) and fal said so at `at`: the end is known.
   * `resultsSaved`: its results came home first (a delete sent again keeps an earlier mark).
   */
  recordDeleted(instanceId: string, at: number, resultsSaved = false): void {
    const entry = this.byId.get(instanceId);
    if (!entry) return;
    const saved = resultsSaved || entry.resultsSaved === true;
    this.byId.set(instanceId, {
      ...entry,
      endedAt: Math.max(entry.firstSeenAt, at),
      endKnown: true,
      ...(saved ? { resultsSaved: true } : {}),
    });
    this.save(at);
  }

  /** True when something was forgotten. */
  private prune(now: number): boolean {
    const size = this.byId.size;
    for (const [id, e] of this.byId)
      if (e.endedAt !== undefined && e.endedAt < now - LEDGER_RETENTION_MS) this.byId.delete(id);
    if (this.byId.size > MAX_ENTRIES) {
      const ended = [...this.byId.values()]
        .filter((e) => e.endedAt !== undefined)
        .sort((a, b) => a.endedAt! - b.endedAt!);
      for (const e of ended.slice(0, this.byId.size - MAX_ENTRIES)) this.byId.delete(e.id);
    }
    return this.byId.size !== size;
  }

  private save(now: number): void {
    this.savedAt = now;
    saveToStore(this.store, LEDGER_KEY, { v: 1, entries: this.entries() }, this.onSaveError);
  }
}

function sameButLastSeen(a: LedgerEntry, b: LedgerEntry): boolean {
  return (
    a.instanceType === b.instanceType &&
    a.creator === b.creator &&
    a.firstSeenAt === b.firstSeenAt &&
    a.createdHere === b.createdHere &&
    a.endedAt === b.endedAt &&
    a.endKnown === b.endKnown
  );
}

function isEntry(e: unknown): e is LedgerEntry {
  if (!e || typeof e !== 'object') return false;
  const x = e as Record<string, unknown>;
  const time = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  return (
    typeof x.id === 'string' &&
    typeof x.instanceType === 'string' &&
    (x.creator === undefined || typeof x.creator === 'string') &&
    time(x.firstSeenAt) &&
    time(x.lastSeenAt) &&
    (x.endedAt === undefined || time(x.endedAt)) &&
    typeof x.createdHere === 'boolean'
  );
}
