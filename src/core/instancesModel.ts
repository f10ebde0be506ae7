// The instances as last listed, plus what the API does not carry but the UI needs: when this
// extension first saw each instance (for stable order and cost estimates) and the load state.
// It reports precisely what changed, so the tree can repaint only those rows.
import type { ComputeInstance, InvalidInstanceRow } from '../api';
import { Emitter, type Subscription } from '../base/emitter';
import type { FailureKind, KeyRejection } from './apiFailures';
import { invalidEntry, sameRecord, type InstanceRecord } from './instanceRecord';

export type { InstanceRecord };

export type LoadState =
  /** The stored key is still being read: nothing is known yet, so nothing is claimed. */
  | { readonly kind: 'reading' }
  | { readonly kind: 'signedOut' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'loaded'; readonly at: number }
  /** fal refused the stored key (apiFailures.ts decides): nothing is fetched until the key changes. */
  | { readonly kind: 'keyRejected'; readonly rejection: KeyRejection }
  | {
      readonly kind: 'error';
      readonly message: string;
      readonly failure: FailureKind;
      readonly at: number;
      readonly status?: number;
    };

export interface ModelChange {
  /** Ids whose row content changed in place. */
  readonly changed: readonly string[];
  /** Rows were added or removed (or the load state changed): the list itself must be rebuilt. */
  readonly structural: boolean;
}

/** Where first-seen times are kept; globalState in the extension, a Map in tests. */
export interface FirstSeenStore {
  get(): Record<string, number>;
  set(value: Record<string, number>): void | Thenable<void>;
}

export class InstancesModel {
  private records = new Map<string, InstanceRecord>();
  private deleting = new Set<string>();
  private stalled = new Set<string>();
  private loadState: LoadState = { kind: 'reading' };
  private readonly changes: Emitter<ModelChange>;

  /** `onListenerError` hears what a subscriber threw; the subscribers after it are still told. */
  constructor(
    private readonly firstSeen: FirstSeenStore,
    onListenerError?: (error: unknown) => void,
  ) {
    this.changes = new Emitter(onListenerError);
  }

  get state(): LoadState {
    return this.loadState;
  }

  /** Records in first-seen order (ties broken by id so the order is total). */
  list(): InstanceRecord[] {
    return [...this.records.values()].sort(
      (a, b) => a.firstSeenAt - b.firstSeenAt || a.instance.id.localeCompare(b.instance.id),
    );
  }

  get(id: string): InstanceRecord | undefined {
    return this.records.get(id);
  }

  onDidChange(listener: (change: ModelChange) => void): Subscription {
    return this.changes.event(listener);
  }

  /** A key is stored: loading until the first list settles (a list already shown stays as it is). */
  setLoading(): void {
    const kind = this.loadState.kind;
    if (kind === 'reading' || kind === 'signedOut' || kind === 'keyRejected') this.setState({ kind: 'loading' });
  }

  signOut(): void {
    this.clear();
    this.setState({ kind: 'signedOut' });
  }

  /** The key was refused: what was listed with it can no longer be kept current, so it is not shown as if it were. */
  rejectKey(rejection: KeyRejection): void {
    this.clear();
    this.setState({ kind: 'keyRejected', rejection });
  }

  /** `status`: the HTTP status fal answered with, when it answered. */
  fail(message: string, failure: FailureKind, now: number, status?: number): void {
    // Keep showing the last good list: an outage must not make machines that cost money vanish.
    this.setState({ kind: 'error', message, failure, at: now, ...(status !== undefined && { status }) });
  }

  /** Applies a fresh list (with the rows fal sent broken) and reports the difference. */
  apply(
    instances: readonly ComputeInstance[],
    now: number,
    invalidRows: readonly InvalidInstanceRow[] = [],
  ): ModelChange {
    const seen = { ...this.firstSeen.get() };
    const next = new Map<string, InstanceRecord>();
    const changed: string[] = [];
    let structural = this.loadState.kind !== 'loaded';
    let newcomers = 0;
    for (const { instance, invalid } of [
      ...instances.map((instance) => ({ instance, invalid: undefined })),
      ...invalidRows.map(invalidEntry),
    ]) {
      // Instances first seen in the same list keep the API's order: a millisecond apart each.
      const firstSeenAt = seen[instance.id] ?? now + newcomers++;
      seen[instance.id] = firstSeenAt;
      const before = this.records.get(instance.id);
      const record = this.recordOf(instance, firstSeenAt, invalid);
      if (!before) structural = true;
      else if (!sameRecord(before, record)) changed.push(instance.id);
      next.set(instance.id, before && sameRecord(before, record) ? before : record);
    }
    if (next.size !== this.records.size || [...this.records.keys()].some((id) => !next.has(id))) structural = true;
    for (const id of this.deleting) if (!next.has(id)) this.forgetDeletion(id);
    // Forget first-seen times of instances that are gone, so the store does not grow forever.
    const kept = Object.fromEntries([...next.keys()].map((id) => [id, seen[id]!]));
    if (!sameTimes(kept, this.firstSeen.get())) void this.firstSeen.set(kept);
    this.records = next;
    this.loadState = { kind: 'loaded', at: now };
    const change = { changed, structural };
    if (structural || changed.length) this.changes.fire(change);
    return change;
  }

  /** Marks rows as being deleted (until they disappear from a list), or (false) not any more: the delete failed. */
  markDeleting(ids: readonly string[], deleting = true): void {
    for (const id of ids) {
      if (deleting) this.deleting.add(id);
      else this.forgetDeletion(id);
      this.stalled.delete(id);
    }
    this.refreshRecords(ids);
  }

  /** fal still lists these deleted instances after the wait for them to go: said in their rows. */
  markDeleteStalled(ids: readonly string[]): void {
    for (const id of ids) if (this.deleting.has(id)) this.stalled.add(id);
    this.refreshRecords(ids);
  }

  /** Ids deleted (or being deleted) that are still listed. */
  deletingIds(): string[] {
    return [...this.deleting].filter((id) => this.records.has(id));
  }

  private refreshRecords(ids: readonly string[]): void {
    const changed: string[] = [];
    for (const id of ids) {
      const record = this.records.get(id);
      if (!record) continue;
      const next = this.recordOf(record.instance, record.firstSeenAt, record.invalid);
      if (sameRecord(record, next)) continue;
      this.records.set(id, next);
      changed.push(id);
    }
    if (changed.length) this.changes.fire({ changed, structural: false });
  }

  private recordOf(
    instance: ComputeInstance,
    firstSeenAt: number,
    invalid?: InstanceRecord['invalid'],
  ): InstanceRecord {
    const deleting = this.deleting.has(instance.id);
    return {
      instance,
      firstSeenAt,
      deleting,
      ...(deleting && this.stalled.has(instance.id) && { deleteStalled: true }),
      ...(invalid && { invalid }),
    };
  }

  private forgetDeletion(id: string): void {
    this.deleting.delete(id);
    this.stalled.delete(id);
  }

  /**
   * Applies instances fetched one by one (GET by id, or a create's answer) without touching the
   * others; `gone` are ids fal answered 404 for. Reports the difference like `apply`.
   */
  update(instances: readonly ComputeInstance[], gone: readonly string[], now: number): ModelChange {
    const seen = { ...this.firstSeen.get() };
    const changed: string[] = [];
    let structural = false;
    for (const instance of instances) {
      const before = this.records.get(instance.id);
      const firstSeenAt = before?.firstSeenAt ?? seen[instance.id] ?? now;
      seen[instance.id] = firstSeenAt;
      const record = this.recordOf(instance, firstSeenAt);
      if (before && sameRecord(before, record)) continue;
      if (before) changed.push(instance.id);
      else structural = true;
      this.records.set(instance.id, record);
    }
    for (const id of gone) {
      this.forgetDeletion(id);
      if (this.records.delete(id)) structural = true;
      delete seen[id];
    }
    if (!sameTimes(seen, this.firstSeen.get())) void this.firstSeen.set(seen);
    if (this.loadState.kind === 'error') {
      this.loadState = { kind: 'loaded', at: now };
      structural = true;
    }
    const change = { changed, structural };
    if (structural || changed.length) this.changes.fire(change);
    return change;
  }

  /** Removes rows known to be gone (after a successful delete) without waiting for the next list. */
  remove(ids: readonly string[]): void {
    let removed = false;
    for (const id of ids) removed = this.records.delete(id) || removed;
    if (removed) this.changes.fire({ changed: [], structural: true });
  }

  private clear(): void {
    this.records.clear();
    this.deleting.clear();
    this.stalled.clear();
  }

  private setState(state: LoadState): void {
    this.loadState = state;
    this.changes.fire({ changed: [], structural: true });
  }
}

function sameTimes(a: Record<string, number>, b: Record<string, number>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
