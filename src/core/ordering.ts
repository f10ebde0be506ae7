// Stable ordering and grouping of instances. Rows must not jump around on refresh, so the
// base order is the order in which this extension first saw each instance, which never changes
// for an instance; status/type sorting only reorders between buckets.
import * as l10n from '@vscode/l10n';
import { machineLabel } from './instanceTypes';
import { STATUS_ORDER, statusLook } from './status';

/** 'creator' is grouped by the view (views/instancesTreeProvider.ts), which knows whose instances are yours. */
export type GroupBy = 'none' | 'status' | 'type' | 'creator';
export type SortBy = 'firstSeen' | 'status' | 'type';

export interface Orderable {
  readonly id: string;
  readonly status: string;
  readonly instance_type: string;
}

export interface Group<T> {
  /** Stable id for the group row. */
  readonly key: string;
  readonly label: string;
  readonly items: T[];
}

function statusRank(status: string): number {
  return STATUS_ORDER.indexOf(statusLook(status).kind);
}

function typeRank(instanceType: string): number {
  // Known types by size, unknown types after them (alphabetically, through the tie-break below).
  const known = ['gpu_8x_h100_sxm5', 'gpu_1x_h100_sxm5'];
  const i = known.indexOf(instanceType);
  return i === -1 ? known.length : i;
}

export function sortInstances<T extends Orderable>(
  items: readonly T[],
  sortBy: SortBy,
  seenOrder: (id: string) => number,
): T[] {
  const bySeen = (a: T, b: T) => seenOrder(a.id) - seenOrder(b.id);
  const compare: Record<SortBy, (a: T, b: T) => number> = {
    firstSeen: bySeen,
    status: (a, b) => statusRank(a.status) - statusRank(b.status) || bySeen(a, b),
    type: (a, b) =>
      typeRank(a.instance_type) - typeRank(b.instance_type) ||
      a.instance_type.localeCompare(b.instance_type) ||
      bySeen(a, b),
  };
  return [...items].sort(compare[sortBy]);
}

/** Groups already-sorted items; groups come in a fixed order so they do not move either. */
export function groupInstances<T extends Orderable>(sorted: readonly T[], groupBy: 'status' | 'type'): Group<T>[] {
  const groups = new Map<string, Group<T>>();
  for (const item of sorted) {
    const key = groupBy === 'status' ? statusLook(item.status).kind : item.instance_type;
    let group = groups.get(key);
    if (!group) {
      const label = groupBy === 'status' ? statusGroupLabel(key) : machineLabel(key);
      group = { key: `${groupBy}:${key}`, label, items: [] };
      groups.set(key, group);
    }
    group.items.push(item);
  }
  const rank = (g: Group<T>) =>
    groupBy === 'status'
      ? STATUS_ORDER.indexOf(g.key.slice('status:'.length) as (typeof STATUS_ORDER)[number])
      : typeRank(g.key.slice('type:'.length));
  return [...groups.values()].sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label));
}

function statusGroupLabel(kind: string): string {
  const labels: Record<string, string> = {
    ready: l10n.t('Ready'),
    transitional: l10n.t('Starting'),
    stopped: l10n.t('Stopped'),
    unknown: l10n.t('Unknown'),
    unrecognized: l10n.t('Other'),
  };
  return labels[kind] ?? kind;
}
