// One row of the instances model, and when two of them look the same to the tree (so only rows
// that really changed are repainted).
import type { ComputeInstance, InvalidInstanceRow } from '../api';

export interface InstanceRecord {
  readonly instance: ComputeInstance;
  /** Epoch ms when this extension first listed the instance (kept across reloads). */
  readonly firstSeenAt: number;
  /** Set from the confirmed delete until fal no longer lists the instance. */
  readonly deleting: boolean;
  /**
   * Set when fal listed this row broken: shown as "invalid data from fal", never acted on. Its
   * `instance` is then a placeholder keyed by the row's id when usable (so it keeps its first-seen
   * time and SSH entry), else by `(invalid row N)`, which no request accepts as an id.
   */
  readonly invalid?: { readonly problem: string; readonly shownId: string | undefined };
  /** fal answered the delete but still lists the instance after the wait for it to go (DeletionWatch). */
  readonly deleteStalled?: boolean;
}

/** The record of a row fal sent broken: a placeholder instance keyed by its id when usable. */
export function invalidEntry(
  row: InvalidInstanceRow,
  index: number,
): { instance: ComputeInstance; invalid: NonNullable<InstanceRecord['invalid']> } {
  // l10n-exempt: the placeholder's key, never shown (the views show shownId); it must stay one no request accepts as an id
  const id = row.idUsable && row.id ? row.id : `(invalid row ${index + 1})`;
  return {
    instance: { id, instance_type: '', region: '', status: '' } as ComputeInstance,
    invalid: { problem: row.problem, shownId: row.id },
  };
}

export function sameRecord(a: InstanceRecord, b: InstanceRecord): boolean {
  return (
    a.deleting === b.deleting &&
    Boolean(a.deleteStalled) === Boolean(b.deleteStalled) &&
    a.firstSeenAt === b.firstSeenAt &&
    a.invalid?.problem === b.invalid?.problem &&
    a.invalid?.shownId === b.invalid?.shownId &&
    sameInstance(a.instance, b.instance)
  );
}

function sameInstance(a: ComputeInstance, b: ComputeInstance): boolean {
  return (
    a.id === b.id &&
    a.instance_type === b.instance_type &&
    a.region === b.region &&
    a.status === b.status &&
    a.sector === b.sector &&
    a.ip === b.ip &&
    a.creator_user_nickname === b.creator_user_nickname
  );
}
