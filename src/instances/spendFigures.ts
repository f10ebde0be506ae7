// The estimated spend figures every surface shows (status bar, "fal: Show Spend", the create
// wizard's confirm step and its budget modal), computed in one place from the spend ledger, the
// instances listed now and the settings, on the user's local calendar.
import type { InstancesModel } from '../core/instancesModel';
import { isBilledNow } from '../core/runningSummary';
import {
  localCalendar,
  monthToDate,
  projectMonth,
  summarizeSpend,
  today,
  type BudgetProjection,
  type SpendLedger,
  type SpendSummary,
} from '../cost';

export interface SpendSettings {
  readonly hourlyUsd: Readonly<Record<string, number>>;
  readonly monthlyBudgetUsd: number | undefined;
}

export class SpendFigures {
  constructor(
    private readonly ledger: Pick<SpendLedger, 'entries'>,
    private readonly model: InstancesModel,
    private readonly settings: () => SpendSettings,
    private readonly calendar = localCalendar,
  ) {}

  get budgetUsd(): number | undefined {
    return this.settings().monthlyBudgetUsd;
  }

  today(now: number): SpendSummary {
    return summarizeSpend(this.ledger.entries(), today(this.calendar, now), this.settings().hourlyUsd);
  }

  month(now: number): SpendSummary {
    return summarizeSpend(this.ledger.entries(), monthToDate(this.calendar, now), this.settings().hourlyUsd);
  }

  /** The month total if everything billing now (and `proposedType`, about to be created) runs to month end. */
  projection(now: number, proposedType?: string): BudgetProjection {
    const { hourlyUsd, monthlyBudgetUsd } = this.settings();
    const running = this.model.list().filter(isBilledNow);
    return projectMonth({
      monthlyUsd: monthlyBudgetUsd,
      monthToDateUsd: this.month(now).usd,
      runningTypes: running.map((r) => r.instance.instance_type),
      ...(proposedType ? { proposedType } : {}),
      rates: hourlyUsd,
      now,
      calendar: this.calendar,
    });
  }
}
