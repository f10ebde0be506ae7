// Estimated spend over a period (today, this month) from the ledger's intervals and the hourly
// rates in settings, per instance and per creator, with every limit of the estimate flagged.
import { hourlyRate } from '../core/costEstimate';
import type { Period } from './calendar';
import { groupByCreator } from './ownership';
import type { LedgerEntry } from './spendLedger';
import { HOUR_MS } from './types';

export interface InstanceSpend {
  readonly id: string;
  readonly instanceType: string;
  readonly creator?: string;
  /** Estimated USD in the period; undefined when there is no rate for the type. */
  readonly usd: number | undefined;
  readonly hours: number;
  readonly running: boolean;
  /** Not created here and first seen inside the period: it may have run (and cost) before. */
  readonly sinceFirstSeen: boolean;
  /** Found gone while VS Code was not watching: the end is its last sighting. */
  readonly endUncertain: boolean;
  /** Deleted by us after its results (fal.results.paths) came home. */
  readonly resultsSaved: boolean;
}

export interface CreatorSpend {
  readonly key: string;
  readonly label: string;
  readonly usd: number;
  readonly instances: number;
  readonly sinceFirstSeen: boolean;
  readonly unknownRate: boolean;
}

export interface SpendSummary {
  readonly period: Period;
  /** Sum of the known figures. */
  readonly usd: number;
  readonly perInstance: readonly InstanceSpend[];
  readonly perCreator: readonly CreatorSpend[];
  /** Instance types with no hourly rate: left out of the sums. */
  readonly unknownRateTypes: readonly string[];
  readonly sinceFirstSeen: boolean;
  readonly endUncertain: boolean;
}

export function summarizeSpend(
  entries: readonly LedgerEntry[],
  period: Period,
  rates: Readonly<Record<string, number>>,
): SpendSummary {
  const perInstance: InstanceSpend[] = [];
  for (const e of entries) {
    const end = e.endedAt ?? period.to;
    const ms = Math.min(end, period.to) - Math.max(e.firstSeenAt, period.from);
    if (ms <= 0) continue;
    const rate = hourlyRate(e.instanceType, rates);
    perInstance.push({
      id: e.id,
      instanceType: e.instanceType,
      ...(e.creator ? { creator: e.creator } : {}),
      usd: rate === undefined ? undefined : (ms / HOUR_MS) * rate,
      hours: ms / HOUR_MS,
      running: e.endedAt === undefined,
      sinceFirstSeen: !e.createdHere && e.firstSeenAt > period.from,
      endUncertain: e.endedAt !== undefined && e.endKnown !== true && e.endedAt <= period.to,
      resultsSaved: e.endedAt !== undefined && e.endKnown === true && e.resultsSaved === true,
    });
  }
  perInstance.sort((a, b) => (b.usd ?? -1) - (a.usd ?? -1) || a.id.localeCompare(b.id));
  const perCreator = groupByCreator(perInstance, (s) => s.creator).map((g) => ({
    key: g.key,
    label: g.label,
    usd: g.items.reduce((sum, s) => sum + (s.usd ?? 0), 0),
    instances: g.items.length,
    sinceFirstSeen: g.items.some((s) => s.sinceFirstSeen),
    unknownRate: g.items.some((s) => s.usd === undefined),
  }));
  return {
    period,
    usd: perInstance.reduce((sum, s) => sum + (s.usd ?? 0), 0),
    perInstance,
    perCreator,
    unknownRateTypes: [...new Set(perInstance.filter((s) => s.usd === undefined).map((s) => s.instanceType))].sort(),
    sinceFirstSeen: perInstance.some((s) => s.sinceFirstSeen),
    endUncertain: perInstance.some((s) => s.endUncertain),
  };
}
