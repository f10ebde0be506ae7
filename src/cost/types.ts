// The contracts between the cost guard (pure) and whoever runs it (the VS Code side, or a test).
import type { Subscription as Disposable } from '../base/emitter';
import type { StoredState } from '../core/storedState';

export type { Disposable };

/** The cost guard's keys in global state (core/storedKeys.ts): objects whose fields are salvaged one by one here. */
export type CostStateKey = 'fal.spendLedger' | 'fal.ownership' | 'fal.costGuard' | 'fal.leases';

/**
 * The GPU sampler's idle signal, seen through an interface of our own so neither lane
 * imports the other: epoch ms since which every GPU of the instance has stayed under the idle
 * threshold with no GPU process, continuously; undefined when not idle or not known.
 */
export interface IdleSource {
  idleSince(instanceId: string): number | undefined;
  onDidChangeIdle(listener: (instanceId: string) => void): Disposable;
}

/** The settings the cost guard reads (`fal.idle.*`, `fal.reminders.*`, `fal.pricing.hourlyUsd`). */
export interface CostGuardSettings {
  /** `fal.idle.minutes`: idle this long → reminder or countdown. 0 turns idle reminders off. */
  readonly idleMinutes: number;
  /** `fal.idle.gpuPercent`: the re-check's "idle" threshold per GPU. */
  readonly gpuPercent: number;
  /** `fal.reminders.runningHours`: remind after this long whatever the load. 0 turns it off. */
  readonly runningHours: number;
  /** `fal.idle.autoDelete`: opt-in, off by default. */
  readonly autoDelete: boolean;
  /** `fal.idle.autoDeleteOthers`: also instances this VS Code did not create. */
  readonly autoDeleteOthers: boolean;
  /** `fal.idle.graceMinutes`: the countdown before an auto-delete. */
  readonly graceMinutes: number;
  /** `fal.idle.beforeDelete`: a shell command run (and required to exit 0) before deleting; '' for none. */
  readonly beforeDelete: string;
  readonly hourlyUsd: Readonly<Record<string, number>>;
}

export const DEFAULT_COST_GUARD_SETTINGS: CostGuardSettings = {
  idleMinutes: 30,
  gpuPercent: 5,
  runningHours: 8,
  autoDelete: false,
  autoDeleteOthers: false,
  graceMinutes: 10,
  beforeDelete: '',
  hourlyUsd: {},
};

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/** Reads a persisted number map, dropping anything that is not a finite number (stores can be corrupt). */
export function numberMap(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
  }
  return out;
}

/** Keeps the entries whose value is at least `minValue` (used to forget what is stale). */
export function keepSince(map: Record<string, number>, minValue: number): Record<string, number> {
  return Object.fromEntries(Object.entries(map).filter(([, v]) => v >= minValue));
}

/** Writes without waiting; a failed write (a full disk) is reported, never thrown. */
export function saveToStore(
  store: StoredState,
  key: CostStateKey,
  value: object,
  onError: (error: unknown) => void,
): void {
  store.update(key, value as Record<string, unknown>).then(undefined, onError);
}

/** A persisted object: anything but a plain object reads as empty (core/storedState.ts). */
export function storedObject(store: StoredState, key: CostStateKey): Record<string, unknown> {
  return store.get(key);
}
