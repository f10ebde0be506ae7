// Where each lease ends: instance id → epoch ms, in the extension's global state. Read from the
// store on every question rather than kept in memory, so an Extend or a Keep made in another VS Code
// window counts here too by the time this one would delete (the cost guard asks again right before
// the request). Each entry is salvaged on its own: one corrupt entry must not cost the others their lease.
import { Emitter } from '../base/emitter';
import type { StoredState } from '../core/storedState';
import { extendedEnd } from './lease';
import { numberMap, saveToStore, storedObject } from './types';

export const LEASES_KEY = 'fal.leases';

export class LeaseBook {
  private readonly changed: Emitter<string>;
  private last: { readonly raw: unknown; readonly ends: Record<string, number> } | undefined;
  /** Fires with an instance id when its lease is set, extended or removed. */
  readonly onDidChange: (listener: (id: string) => void) => { dispose(): void };

  constructor(
    private readonly store: StoredState,
    /** Hears a failed write, and what a listener of lease changes threw. */
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.changed = new Emitter<string>(onError);
    this.onDidChange = this.changed.event;
  }

  /** When the instance's lease ends (epoch ms), or undefined when it has none ("keep until I delete"). */
  end(id: string): number | undefined {
    const all = this.all();
    return Object.hasOwn(all, id) ? all[id] : undefined;
  }

  set(id: string, end: number): void {
    this.write(id, end);
  }

  /** Extend 1 h (from the later of now and the end); undefined when the instance has no lease. */
  extend(id: string, now: number): number | undefined {
    const end = this.end(id);
    if (end === undefined) return undefined;
    const next = extendedEnd(end, now);
    this.write(id, next);
    return next;
  }

  /** Keep: no lease any more. */
  remove(id: string): void {
    if (this.end(id) !== undefined) this.write(id, undefined);
  }

  /**
   * Forgets the leases of instances a complete list no longer has, once their end has passed (a
   * lease set a moment ago may belong to a create the list was fetched before).
   */
  prune(presentIds: readonly string[], now: number): void {
    const present = new Set(presentIds);
    const all = this.all();
    const gone = Object.keys(all).filter((id) => !present.has(id) && all[id]! <= now);
    if (!gone.length) return;
    const kept = Object.fromEntries(Object.entries(all).filter(([id]) => !gone.includes(id)));
    saveToStore(this.store, LEASES_KEY, kept, this.onError);
  }

  /** Parsed again only when the stored object is another one: the guard asks once per row per evaluation. */
  private all(): Record<string, number> {
    const raw = storedObject(this.store, LEASES_KEY);
    if (raw !== this.last?.raw) this.last = { raw, ends: numberMap(raw) };
    return this.last.ends;
  }

  private write(id: string, end: number | undefined): void {
    const next = { ...this.all() };
    if (end === undefined) delete next[id];
    else next[id] = end;
    saveToStore(this.store, LEASES_KEY, next, this.onError);
    this.changed.fire(id);
  }
}
