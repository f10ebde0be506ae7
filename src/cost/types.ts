// The contracts between the cost guard (pure) and whoever runs it (the VS Code side, or a test).
import type { Subscription as Disposable } from '../base/emitter';

export type { Disposable };

/** The part of vscode.Memento the cost modules use; globalState in the extension, a Map in tests. */
export interface KeyValueStore {
  get<T>(key: string, defaultValue: T): T;
  update(key: string, value: unknown): PromiseLike<void> | void;
}

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
export function saveToStore(store: KeyValueStore, key: string, value: unknown, onError: (error: unknown) => void): void {
  try {
    void Promise.resolve(store.update(key, value)).then(undefined, onError);
  } catch (error) {
    onError(error);
  }
}

/** A persisted object read defensively: anything but a plain object reads as empty. */
export function storedObject(store: KeyValueStore, key: string): Record<string, unknown> {
  const raw = store.get<unknown>(key, {});
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
}
