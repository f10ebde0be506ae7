// `fal.budget.monthlyUsd`. The projected month total is an ESTIMATE, defined as:
//   month-to-date spend (the ledger's estimate)
// + every running instance, the proposed new one included, billed at its hourly rate from now
//   until the end of this month (local time), as if nothing were deleted before then.
// It is deliberately pessimistic — the question it answers is "what if I forget them?".
import { hourlyRate } from '../core/costEstimate';
import type { Calendar } from './calendar';
import { HOUR_MS } from './types';

/** The status bar turns to a warning colour at this share of the budget. */
export const BUDGET_WARNING_SHARE = 0.8;

export type BudgetLevel = 'none' | 'ok' | 'warning' | 'over';

export interface BudgetInput {
  /** `fal.budget.monthlyUsd`; undefined, 0, negative or not a number = no budget. */
  readonly monthlyUsd: number | undefined;
  readonly monthToDateUsd: number;
  /** Instance types of the instances that exist now (each billed to month end). */
  readonly runningTypes: readonly string[];
  /** The instance type about to be created, if any. */
  readonly proposedType?: string;
  readonly rates: Readonly<Record<string, number>>;
  readonly now: number;
  readonly calendar: Calendar;
}

export interface BudgetProjection {
  readonly budgetUsd: number | undefined;
  readonly monthToDateUsd: number;
  readonly hoursLeftInMonth: number;
  readonly runningToMonthEndUsd: number;
  readonly proposedToMonthEndUsd: number;
  /** monthToDate + running + proposed, each to month end. An estimate. */
  readonly projectedUsd: number;
  /** The projection exceeds the budget (a create needs "Create anyway"). */
  readonly exceedsBudget: boolean;
  readonly level: BudgetLevel;
  /** Types with no hourly rate, left out of the projection (so it is too low). */
  readonly unknownRateTypes: readonly string[];
}

export function validBudget(monthlyUsd: number | undefined): number | undefined {
  return typeof monthlyUsd === 'number' && Number.isFinite(monthlyUsd) && monthlyUsd > 0 ? monthlyUsd : undefined;
}

/** ok below 80 %, warning from 80 % up to the budget, over above it. */
export function budgetLevel(usd: number, monthlyUsd: number | undefined): BudgetLevel {
  const budget = validBudget(monthlyUsd);
  if (budget === undefined) return 'none';
  if (usd > budget) return 'over';
  return usd >= budget * BUDGET_WARNING_SHARE ? 'warning' : 'ok';
}

export function projectMonth(input: BudgetInput): BudgetProjection {
  const hoursLeft = Math.max(0, input.calendar.startOfNextMonth(input.now) - input.now) / HOUR_MS;
  const unknown = new Set<string>();
  const toMonthEnd = (type: string) => {
    const rate = hourlyRate(type, input.rates);
    if (rate === undefined) unknown.add(type);
    return (rate ?? 0) * hoursLeft;
  };
  const running = input.runningTypes.reduce((sum, type) => sum + toMonthEnd(type), 0);
  const proposed = input.proposedType === undefined ? 0 : toMonthEnd(input.proposedType);
  const monthToDate = Math.max(0, input.monthToDateUsd);
  const projected = monthToDate + running + proposed;
  const budget = validBudget(input.monthlyUsd);
  return {
    budgetUsd: budget,
    monthToDateUsd: monthToDate,
    hoursLeftInMonth: hoursLeft,
    runningToMonthEndUsd: running,
    proposedToMonthEndUsd: proposed,
    projectedUsd: projected,
    exceedsBudget: budget !== undefined && projected > budget,
    level: budgetLevel(projected, budget),
    unknownRateTypes: [...unknown].sort(),
  };
}
