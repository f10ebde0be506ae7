import assert from 'node:assert/strict';
import {
  buildSpendReport,
  fixedOffsetCalendar,
  groupByCreator,
  monthToDate,
  Ownership,
  projectMonth,
  SpendLedger,
  summarizeSpend,
  today,
} from '../../../src/cost';
import { MemoryStore, instance, record } from './helpers';
import { StoredState } from '../../../src/core/storedState';

describe('ownership and teams', () => {
  it('Mine = created here, or a nickname learned from our creates, or fal.creatorNickname; persisted', () => {
    const store = new MemoryStore();
    const own = new Ownership(new StoredState(store));
    own.recordCreate(instance('inst_a', { creator_user_nickname: 'developer' }), 1);
    const reloaded = new Ownership(new StoredState(store));
    assert.equal(reloaded.createdHere('inst_a'), true);
    assert.deepEqual(reloaded.learnedNicknames(), ['developer']);
    assert.equal(reloaded.isMine(instance('inst_a')), true);
    assert.equal(
      reloaded.isMine(instance('inst_b', { creator_user_nickname: 'developer' })),
      true,
      'same creator, other VS Code',
    );
    assert.equal(reloaded.isMine(instance('inst_c', { creator_user_nickname: 'maria' })), false);
    assert.equal(
      reloaded.isMine(instance('inst_c', { creator_user_nickname: 'maria' }), ' maria '),
      true,
      'fal.creatorNickname',
    );
    assert.equal(reloaded.isMine(instance('inst_d')), false, 'no nickname, not ours');
    assert.equal(reloaded.createdHere('inst_b'), false, 'auto-delete ownership is only ever "created here"');
  });

  it('stays bounded and reads a corrupt store as empty', () => {
    const store = new MemoryStore();
    const created = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`inst_${i}`, i]));
    store.data.set(
      'fal.ownership',
      JSON.stringify({ created, nicknames: Array.from({ length: 20 }, (_, i) => `n${i}`) }),
    );
    const own = new Ownership(new StoredState(store));
    own.recordCreate(instance('inst_2000', { creator_user_nickname: 'fresh' }), 2000);
    assert.equal(own.createdHere('inst_2000'), true);
    assert.equal(own.createdHere('inst_1'), true);
    assert.equal(own.createdHere('inst_0'), false, 'the oldest create is forgotten first');
    assert.equal(own.learnedNicknames().length, 20);
    assert.equal(own.learnedNicknames()[0], 'fresh');
    store.data.set('fal.ownership', JSON.stringify({ created: ['x'], nicknames: [1, '', 'ok'] }));
    const broken = new Ownership(new StoredState(store));
    assert.deepEqual(broken.learnedNicknames(), ['ok']);
    assert.equal(broken.createdHere('0'), false);
  });

  it('group by creator: key + label, alphabetical, the unknown-creator bucket last', () => {
    const items = [
      instance('1', { creator_user_nickname: 'zoe' }),
      instance('2'),
      instance('3', { creator_user_nickname: 'adam' }),
      instance('4', { creator_user_nickname: '  ' }),
    ];
    assert.deepEqual(
      groupByCreator(items, (i) => i.creator_user_nickname).map((g) => [g.key, g.label, g.items.map((i) => i.id)]),
      [
        ['adam', 'adam', ['3']],
        ['zoe', 'zoe', ['1']],
        ['', 'unknown creator', ['2', '4']],
      ],
    );
  });
});

describe('spend report ("fal: Show Spend")', () => {
  it('today, this month, per instance, per creator, with the estimate caveats; hostile names cannot break the table', () => {
    const cal = fixedOffsetCalendar(0);
    const now = Date.parse('2026-03-10T12:00Z');
    const ledger = new SpendLedger(new StoredState(new MemoryStore()), (id) => id === 'inst_mine');
    ledger.observe(
      [
        record('inst_mine', Date.parse('2026-03-09T12:00Z'), { creator_user_nickname: 'developer' }),
        record('inst_seen', Date.parse('2026-03-10T10:00Z'), {
          creator_user_nickname: 'evil | `x` <b>',
          instance_type: 'gpu_1x_h100_sxm5',
        }),
      ],
      now,
    );
    const month = summarizeSpend(ledger.entries(), monthToDate(cal, now), {});
    const report = buildSpendReport({
      today: summarizeSpend(ledger.entries(), today(cal, now), {}),
      month,
      budget: projectMonth({
        monthlyUsd: 1000,
        monthToDateUsd: month.usd,
        runningTypes: ['gpu_8x_h100_sxm5', 'gpu_1x_h100_sxm5'],
        rates: {},
        now,
        calendar: cal,
      }),
    });
    assert.match(report, /^# fal Compute — estimated spend/);
    assert.match(report, /\| Today \(since local midnight\) \| about \$185\.22 ¹ \|/);
    assert.match(report, /\| This month \(since the 1st, local time\) \| about \$366\.66 ¹ \|/);
    assert.match(report, /\| Monthly budget \| \$1000\.00 — 37 % used so far \|/);
    assert.match(report, /\| inst_mine \| 8x H100 \| developer \| 24\.0 \| \$362\.88 \| running \|/);
    assert.match(report, /\| inst_seen \| 1x H100 \| evil \\\| \\`x\\` \\<b\\> \| 2\.0 \| \$3\.78 ¹ \| running \|/);
    assert.match(report, /¹ since this VS Code first saw it/);
    assert.match(report, /Estimates: hourly rates from `fal\.pricing\.hourlyUsd`/);
  });

  it('an empty ledger gives an honest empty report', () => {
    const cal = fixedOffsetCalendar(0);
    const empty = summarizeSpend([], today(cal, 0), {});
    const report = buildSpendReport({ today: empty, month: empty });
    assert.match(report, /about \$0\.00/);
    assert.match(report, /No instances in this period\./);
    assert.match(report, /No spend recorded this month\./);
    assert.doesNotMatch(report, /Monthly budget/);
  });
});
