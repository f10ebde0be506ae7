import assert from 'node:assert/strict';
import { budgetLevel, fixedOffsetCalendar, projectMonth, validBudget, type BudgetInput } from '../../../src/cost';

const UTC = fixedOffsetCalendar(0);
const at = (iso: string) => Date.parse(iso);

function input(patch: Partial<BudgetInput>): BudgetInput {
  return {
    monthlyUsd: 1000,
    monthToDateUsd: 0,
    runningTypes: [],
    rates: {},
    now: at('2026-04-30T14:00Z'),
    calendar: UTC,
    ...patch,
  };
}

describe('budget', () => {
  it('projection = month-to-date + every running instance and the new one, billed to month end', () => {
    // 10 h left in April (UTC): 8x at $15.12/h → $151.20 each, 1x at $1.89/h → $18.90.
    const p = projectMonth(
      input({ monthToDateUsd: 500, runningTypes: ['gpu_8x_h100_sxm5'], proposedType: 'gpu_1x_h100_sxm5' }),
    );
    assert.equal(p.hoursLeftInMonth, 10);
    assert.equal(p.runningToMonthEndUsd.toFixed(2), '151.20');
    assert.equal(p.proposedToMonthEndUsd.toFixed(2), '18.90');
    assert.equal(p.projectedUsd.toFixed(2), '670.10');
    assert.equal(p.exceedsBudget, false);
    assert.equal(p.level, 'ok');
  });

  it('a create that would pass the budget is flagged (Create anyway), at the cent', () => {
    const base = input({ monthlyUsd: 651.2, monthToDateUsd: 500, proposedType: 'gpu_8x_h100_sxm5' });
    assert.equal(projectMonth(base).exceedsBudget, false, 'exactly on budget is not over');
    assert.equal(projectMonth({ ...base, monthlyUsd: 651.19 }).exceedsBudget, true);
    assert.equal(projectMonth({ ...base, monthlyUsd: 651.19 }).level, 'over');
  });

  it('warning from 80 % of the budget', () => {
    assert.equal(budgetLevel(799.99, 1000), 'ok');
    assert.equal(budgetLevel(800, 1000), 'warning');
    assert.equal(budgetLevel(1000, 1000), 'warning');
    assert.equal(budgetLevel(1000.01, 1000), 'over');
  });

  it('no budget: unset, 0, negative, NaN, Infinity', () => {
    for (const monthlyUsd of [undefined, 0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.equal(validBudget(monthlyUsd), undefined);
      const p = projectMonth(input({ monthlyUsd, monthToDateUsd: 1e9, proposedType: 'gpu_8x_h100_sxm5' }));
      assert.equal(p.exceedsBudget, false);
      assert.equal(p.level, 'none');
    }
  });

  it('the last moment of the month leaves nothing to project; the first one leaves the whole month', () => {
    const end = projectMonth(input({ now: at('2026-05-01T00:00Z') - 1, runningTypes: ['gpu_8x_h100_sxm5'] }));
    assert.ok(end.runningToMonthEndUsd < 0.01);
    const start = projectMonth(input({ now: at('2026-02-01T00:00Z'), runningTypes: ['gpu_1x_h100_sxm5'] }));
    assert.equal(start.hoursLeftInMonth, 28 * 24);
  });

  it('month end is local: at 23:00 UTC on April 30th, UTC+02:00 is already in May', () => {
    const now = at('2026-04-30T23:00Z');
    assert.equal(projectMonth(input({ now })).hoursLeftInMonth, 1);
    assert.equal(projectMonth(input({ now, calendar: fixedOffsetCalendar(120) })).hoursLeftInMonth, 31 * 24 - 1);
  });

  it('unknown rates are named and left out (the projection is then too low, and says so)', () => {
    const p = projectMonth(input({ runningTypes: ['gpu_4x_b200'], proposedType: 'gpu_2x_mystery' }));
    assert.deepEqual(p.unknownRateTypes, ['gpu_2x_mystery', 'gpu_4x_b200']);
    assert.equal(p.projectedUsd, 0);
  });

  it('custom rates from settings win over the defaults; a negative month-to-date counts as 0', () => {
    const p = projectMonth(
      input({ rates: { gpu_8x_h100_sxm5: 20 }, proposedType: 'gpu_8x_h100_sxm5', monthToDateUsd: -3 }),
    );
    assert.equal(p.projectedUsd, 200);
  });
});
