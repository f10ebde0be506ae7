// The cost guard's words on screen: the countdown's live text (absolute deadline, time left, the
// Keep link) and the status bar's spend part (today / this month, per instance and creator, "since
// this VS Code first saw it", the budget share and its warning from 80 %).
import assert from 'node:assert/strict';
import type { ComputeInstance } from '../../../src/api';
import { InstancesModel } from '../../../src/core/instancesModel';
import { fixedOffsetCalendar, type LedgerEntry } from '../../../src/cost';
import { countdownNotice, leaseCountdownNotice } from '../../../src/cost/guardMessages';
import { SpendFigures } from '../../../src/instances/spendFigures';
import { countdownText, leaseRowText, leaseTooltipText, spendPart } from '../../../src/views/costPresentation';

const HOUR = 3_600_000;
const MONTH_START = Date.UTC(2025, 2, 1); // 1 March 2025, UTC
const NOW = MONTH_START + 10 * 24 * HOUR + 12 * HOUR; // 11 March, noon
const UTC = fixedOffsetCalendar(0);

function figures(entries: LedgerEntry[], budget?: number, instances: ComputeInstance[] = []) {
  const model = new InstancesModel({ get: () => ({}), set: () => undefined });
  model.apply(instances, NOW);
  return new SpendFigures({ entries: () => entries }, model, () => ({ hourlyUsd: {}, monthlyBudgetUsd: budget }), UTC);
}

const mine: LedgerEntry = {
  id: 'inst_mine',
  instanceType: 'gpu_1x_h100_sxm5',
  creator: 'alice',
  firstSeenAt: MONTH_START,
  lastSeenAt: NOW,
  createdHere: true,
};
const theirs: LedgerEntry = {
  id: 'inst_theirs',
  instanceType: 'gpu_8x_h100_sxm5',
  creator: 'bob',
  firstSeenAt: NOW - 2 * HOUR,
  lastSeenAt: NOW,
  createdHere: false,
};
const gone: LedgerEntry = {
  ...mine,
  id: 'inst_gone',
  firstSeenAt: NOW - 5 * HOUR,
  endedAt: NOW - 4 * HOUR,
  endKnown: true,
};

describe('Cost presentation', () => {
  it("countdown: the guard's words around an absolute deadline and the time left, with a Keep link for that instance", () => {
    const notice = countdownNotice({ id: 'inst_a', instanceType: 'gpu_8x_h100_sxm5' }, 30 * 60_000, 10 * 60_000, 0, {
      results: false,
      beforeDelete: true,
    });
    const text = countdownText(notice, '14:32', 552_000);
    assert.equal(
      text,
      'inst_a (8x H100) has been idle for 30 min. Auto-delete at 14:32 (in 9 min 12 s), after a fresh check that it is still idle with nobody logged in. ' +
        'Your beforeDelete command runs first; the delete happens only if it succeeds. Deleting destroys its disk. ' +
        '[Keep](command:fal.idle.keep?%5B%22inst_a%22%5D) protects it; Cancel stops the countdown.',
    );
    assert.match(
      notice.message,
      /Auto-delete in 10 min, after a fresh check/,
      'the one-line form the guard logs keeps its words',
    );
  });

  it("a lease's countdown: the same notification, with Keep removing the lease and Cancel moving it 1 h on", () => {
    const end = new Date(2026, 0, 5, 18, 30).getTime();
    const notice = leaseCountdownNotice(
      { id: 'inst_a', instanceType: 'gpu_1x_h100_sxm5', name: 'train' },
      end,
      60_000,
      end,
      { results: false, beforeDelete: false },
    );
    const text = countdownText(notice, '18:31', 30_000);
    assert.match(
      text,
      /^The lease of train \(inst_a, 1x H100\) ended at \d\d?:30( [AP]M)?\. Delete at 18:31 \(in 30 s\), after a fresh check that fal still lists it as the same ready machine\. Deleting destroys its disk\. \[Keep\]\(command:fal\.idle\.keep\?%5B%22inst_a%22%5D\) keeps it until you delete it; Cancel moves its lease 1 h on\.$/,
    );
  });

  it('the lease in the row and the tooltip: "deletes at", or waiting on protection; the tooltip says VS Code keeps it', () => {
    const now = new Date(2026, 0, 5, 16, 0).getTime();
    const end = now + 2.5 * 3_600_000;
    assert.match(leaseRowText(end, now, false), /^deletes at .*6.30/);
    assert.match(
      leaseRowText(end + 24 * 3_600_000, now, false),
      /^deletes at \w{3}.* .*6.30/,
      'another day: its weekday',
    );
    assert.equal(leaseRowText(end, now, true), 'lease waits (protected)');
    const tip = leaseTooltipText(end, now, false);
    assert.match(
      tip,
      /deletes at .* \(in 2 h 30 min\), after a countdown\. Kept by VS Code, not by the machine \(the admin key never goes onto it\): it acts only while a VS Code window with fal Compute is open/,
    );
    assert.match(leaseTooltipText(now - 60_000, now, false), /ended 1 min ago, a countdown runs first/);
    assert.match(
      leaseTooltipText(end, now, true),
      /\$\(lock\) ends at .*, and waits: a protected instance is never deleted by its lease/,
    );
  });

  it('spend part: today and this month, per instance and per creator (yours marked), "since this VS Code first saw it" flagged; no text without a budget', () => {
    const part = spendPart(figures([mine, theirs, gone]), NOW, (nick) => nick === 'alice')!;
    assert.equal(part.text, '', 'no budget: the tooltip only');
    assert.equal(part.urgency, 'info');
    const tip = part.tooltip;
    // 1x all month (10.5 days) at $1.89 = $476.28; 8x for 2 h at $15.12 = $30.24; the deleted 1x for 1 h = $1.89.
    assert.match(tip, /\| Today \| ~\$54\.81 ¹ \|/, '12 h of the 1x + 2 h of the 8x + 1 h of the deleted one');
    assert.match(tip, /\| This month \| ~\$508\.41 ¹ \|/);
    assert.match(
      tip,
      /Per instance this month: `inst_mine` ~\$476\.28 · `inst_theirs` ~\$30\.24¹ · `inst_gone` ~\$1\.89 \(deleted\)/,
    );
    assert.match(tip, /Per creator this month: alice \(you\) ~\$478\.17 · bob ~\$30\.24¹/);
    assert.match(
      tip,
      /¹ since this VS Code first saw it: an instance not created here may have run \(and cost\) before\./,
    );
    assert.match(tip, /\[Show Spend\]\(command:fal\.showSpend\)/);
  });

  it('budget: the share in the status bar line, the warning colour and a click to the report from 80 % (below, the tooltip says it), "over" past it', () => {
    const under = spendPart(figures([mine]), NOW)!;
    assert.equal(under.text, '');
    const at79 = spendPart(figures([mine], 476.28 / 0.79), NOW)!;
    assert.equal(at79.text, '', 'under 80 % the line stays calm');
    assert.match(at79.tooltip, /\$602\.89, 79 % used \|/);
    assert.equal(at79.urgency, 'info');
    const at81 = spendPart(figures([mine], 590), NOW)!;
    assert.equal(at81.text, '81 % of the $590.00 budget');
    assert.equal(at81.urgency, 'warning');
    assert.equal(at81.command, 'fal.showSpend');
    assert.match(at81.tooltip, /Monthly budget \| \$590\.00, 81 % used — \*\*80 % reached\*\*/);
    const over = spendPart(figures([mine], 100), NOW)!;
    assert.equal(over.urgency, 'warning');
    assert.match(over.tooltip, /476 % used — \*\*over\*\*/);
  });

  it('the projection counts what the status bar counts (isBilledNow): a delete fal still lists long after counts, a broken row does not', () => {
    const inst = (id: string, status = 'ready'): ComputeInstance =>
      ({ id, instance_type: 'gpu_8x_h100_sxm5', region: 'us-west', status }) as ComputeInstance;
    const model = new InstancesModel({ get: () => ({}), set: () => undefined });
    model.apply([inst('inst_run'), inst('inst_deleting'), inst('inst_stalled'), inst('inst_stopped', 'stopped')], NOW, [
      { id: undefined, idUsable: false, problem: 'status: null' },
    ]);
    model.markDeleting(['inst_deleting', 'inst_stalled']);
    model.markDeleteStalled(['inst_stalled']);
    const p = new SpendFigures(
      { entries: () => [] },
      model,
      () => ({ hourlyUsd: {}, monthlyBudgetUsd: 1000 }),
      UTC,
    ).projection(NOW);
    const hoursLeft = (Date.UTC(2025, 3, 1) - NOW) / HOUR;
    assert.equal(
      p.runningToMonthEndUsd.toFixed(2),
      (2 * 15.12 * hoursLeft).toFixed(2),
      'inst_run and inst_stalled, to month end',
    );
    assert.deepEqual(p.unknownRateTypes, [], 'the broken row is not an unnamed type without a rate');
  });

  it('nothing to say: no spend this month and no budget → no part', () => {
    assert.equal(spendPart(figures([]), NOW), undefined);
    assert.equal(
      spendPart(figures([{ ...gone, firstSeenAt: MONTH_START - 48 * HOUR, endedAt: MONTH_START - 24 * HOUR }]), NOW),
      undefined,
    );
    assert.equal(spendPart(figures([], 50), NOW)?.text, '', 'a budget with nothing spent: the tooltip only');
  });
});
