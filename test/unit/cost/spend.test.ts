import assert from 'node:assert/strict';
import {
  buildSpendReport,
  fixedOffsetCalendar,
  localCalendar,
  monthToDate,
  SpendLedger,
  summarizeSpend,
  today,
  LEDGER_RETENTION_MS,
} from '../../../src/cost';
import { HOUR, MemoryStore, record } from './helpers';
import { StoredState } from '../../../src/core/storedState';

const RATES = {}; // defaults: 1x $1.89/h, 8x $15.12/h
const UTC = fixedOffsetCalendar(0);
const at = (iso: string) => Date.parse(iso);

function ledger(store = new MemoryStore(), created: string[] = []) {
  return new SpendLedger(new StoredState(store), (id) => created.includes(id));
}

describe('spend ledger', () => {
  it('first seen → now while running; first seen → deleted after; figures per instance', () => {
    const l = ledger(new MemoryStore(), ['inst_a']);
    l.observe(
      [
        record('inst_a', at('2026-03-10T08:00Z')),
        record('inst_b', at('2026-03-10T10:00Z'), { instance_type: 'gpu_1x_h100_sxm5' }),
      ],
      at('2026-03-10T10:00Z'),
    );
    l.observe([record('inst_a', at('2026-03-10T08:00Z'))], at('2026-03-10T12:00Z')); // b gone (not seen by us)
    l.recordDeleted('inst_a', at('2026-03-10T14:00Z'));
    const s = summarizeSpend(l.entries(), today(UTC, at('2026-03-10T20:00Z')), RATES);
    const a = s.perInstance.find((x) => x.id === 'inst_a')!;
    assert.equal(a.hours, 6);
    assert.equal(a.usd!.toFixed(2), (6 * 15.12).toFixed(2));
    assert.equal(a.running, false);
    assert.equal(a.endUncertain, false, 'we saw our own delete');
    assert.equal(a.sinceFirstSeen, false, 'created here: first seen is creation');
    // b was first and last seen at 10:00, then found gone: the estimate cannot invent time for it.
    assert.equal(
      s.perInstance.some((x) => x.id === 'inst_b'),
      false,
    );
  });

  it('a list that only moves lastSeenAt forward is saved at most once a minute; any other change at once', () => {
    const store = new MemoryStore();
    const l = ledger(store);
    const t0 = at('2026-03-10T10:00Z');
    const rows = [record('inst_a', t0), record('inst_b', t0)];
    l.observe(rows, t0);
    assert.equal(store.writes, 1, 'new instances: saved');
    for (let s = 3; s < 60; s += 3) l.observe(rows, t0 + s * 1000); // the 3 s refresh of a starting machine
    assert.equal(store.writes, 1, 'only lastSeenAt moved: not saved every 3 s');
    l.observe(rows, t0 + 60_000);
    assert.equal(store.writes, 2, 'a minute on: the last sighting is saved');
    l.observe([rows[0]!], t0 + 63_000);
    assert.equal(store.writes, 3, 'inst_b gone: saved at once');
    l.recordDeleted('inst_a', t0 + 64_000);
    assert.equal(store.writes, 4, 'a delete: saved at once');
    const reloaded = ledger(store);
    const b = reloaded.entries().find((e) => e.id === 'inst_b')!;
    assert.equal(b.endedAt, t0 + 60_000, 'what a reload sees: the last saved sighting');
  });

  it('survives reloads: a new ledger over the same store continues the interval', () => {
    const store = new MemoryStore();
    ledger(store).observe([record('inst_a', at('2026-03-01T00:00Z'))], at('2026-03-01T01:00Z'));
    const reloaded = ledger(store);
    reloaded.observe([record('inst_a', at('2026-03-01T05:00Z'))], at('2026-03-02T00:00Z')); // the model forgot; the ledger did not
    const s = summarizeSpend(reloaded.entries(), monthToDate(UTC, at('2026-03-02T00:00Z')), RATES);
    assert.equal(s.perInstance[0]!.hours, 24);
    assert.equal(s.perInstance[0]!.sinceFirstSeen, false, 'first seen at the month start: the month is fully covered');
  });

  it('an instance not created here and first seen inside the period is flagged "since first seen"', () => {
    const l = ledger();
    l.observe([record('inst_x', at('2026-03-15T09:00Z'), { creator_user_nickname: 'maria' })], at('2026-03-15T10:00Z'));
    const s = summarizeSpend(l.entries(), monthToDate(UTC, at('2026-03-15T10:00Z')), RATES);
    assert.equal(s.sinceFirstSeen, true);
    assert.equal(s.perInstance[0]!.sinceFirstSeen, true);
    assert.equal(s.perCreator[0]!.label, 'maria');
    assert.equal(s.perCreator[0]!.sinceFirstSeen, true);
  });

  it('found gone while not watching: ends at the last sighting, flagged; reappearing resumes it', () => {
    const l = ledger();
    l.observe([record('inst_a', at('2026-03-01T00:00Z'))], at('2026-03-01T02:00Z'));
    l.observe([], at('2026-03-03T00:00Z'));
    let s = summarizeSpend(l.entries(), monthToDate(UTC, at('2026-03-03T00:00Z')), RATES);
    assert.equal(s.perInstance[0]!.hours, 2);
    assert.equal(s.endUncertain, true);
    l.observe([record('inst_a', at('2026-03-03T00:00Z'))], at('2026-03-03T00:00Z')); // another account, back again
    s = summarizeSpend(l.entries(), monthToDate(UTC, at('2026-03-03T00:00Z')), RATES);
    assert.equal(s.perInstance[0]!.hours, 48);
    assert.equal(s.perInstance[0]!.running, true);
  });

  it('day and month boundaries: spend is split at local midnight and on the 1st', () => {
    const l = ledger(new MemoryStore(), ['inst_a']);
    l.observe([record('inst_a', at('2026-03-31T22:00Z'))], at('2026-04-01T02:00Z'));
    const now = at('2026-04-01T02:00Z');
    assert.equal(summarizeSpend(l.entries(), today(UTC, now), RATES).perInstance[0]!.hours, 2);
    assert.equal(summarizeSpend(l.entries(), monthToDate(UTC, now), RATES).perInstance[0]!.hours, 2);
    // In UTC+05:00 it is already 07:00 on April 1st: today began at 19:00Z on March 31st.
    const plus5 = fixedOffsetCalendar(5 * 60);
    assert.equal(summarizeSpend(l.entries(), today(plus5, now), RATES).perInstance[0]!.hours, 4);
    // In UTC-05:00 it is still March 31st, 21:00: the whole 4 h fall in March and in "today".
    const minus5 = fixedOffsetCalendar(-5 * 60);
    assert.equal(summarizeSpend(l.entries(), monthToDate(minus5, now), RATES).perInstance[0]!.hours, 4);
  });

  it('the local calendar follows daylight saving (Europe/Berlin: a 23-hour day)', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'Europe/Berlin';
    try {
      const noon = at('2026-03-29T10:00Z'); // 12:00 CEST, the day the clocks go forward
      const start = localCalendar.startOfDay(noon);
      assert.equal(new Date(start).toISOString(), '2026-03-28T23:00:00.000Z');
      assert.equal(localCalendar.startOfDay(at('2026-03-30T10:00Z')) - start, 23 * HOUR);
      assert.equal(new Date(localCalendar.startOfNextMonth(noon)).toISOString(), '2026-03-31T22:00:00.000Z');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('per creator, unknown creator last; types without a rate are left out and named', () => {
    const l = ledger();
    const t0 = at('2026-03-01T00:00Z');
    l.observe(
      [
        record('inst_1', t0, { creator_user_nickname: 'zoe' }),
        record('inst_2', t0, { creator_user_nickname: 'adam', instance_type: 'gpu_1x_h100_sxm5' }),
        record('inst_3', t0),
        record('inst_4', t0, { creator_user_nickname: 'adam', instance_type: 'gpu_4x_b200' }),
      ],
      t0 + 10 * HOUR,
    );
    const s = summarizeSpend(l.entries(), monthToDate(UTC, t0 + 10 * HOUR), RATES);
    assert.deepEqual(
      s.perCreator.map((c) => [c.label, c.instances, c.usd.toFixed(2), c.unknownRate]),
      [
        ['adam', 2, '18.90', true],
        ['zoe', 1, '151.20', false],
        ['unknown creator', 1, '151.20', false],
      ],
    );
    assert.deepEqual(s.unknownRateTypes, ['gpu_4x_b200']);
    assert.equal(s.usd.toFixed(2), '321.30');
  });

  it('stays bounded: deleted instances older than ~13 months are pruned; a corrupt store reads as empty', () => {
    const store = new MemoryStore();
    const l = ledger(store);
    const t0 = at('2025-01-01T00:00Z');
    l.observe([record('old', t0)], t0 + HOUR);
    l.recordDeleted('old', t0 + 2 * HOUR);
    l.observe([record('new', t0 + LEDGER_RETENTION_MS)], t0 + LEDGER_RETENTION_MS + 3 * HOUR);
    assert.deepEqual(
      l.entries().map((e) => e.id),
      ['new'],
    );
    store.data.set(
      'fal.spendLedger',
      JSON.stringify({
        entries: [
          { id: 1 },
          null,
          'x',
          { id: 'ok', instanceType: 't', firstSeenAt: 1, lastSeenAt: 2, createdHere: false },
        ],
      }),
    );
    assert.deepEqual(
      ledger(store)
        .entries()
        .map((e) => e.id),
      ['ok'],
    );
  });

  it('"results saved": a delete marks it, the mark survives a reload and a second delete; old records and stray values read as not saved; the report prints it', () => {
    const store = new MemoryStore();
    const t0 = at('2026-03-10T08:00Z');
    const l = ledger(store, ['inst_a', 'inst_b']);
    l.observe([record('inst_a', t0), record('inst_b', t0), record('inst_c', t0)], t0);
    l.recordDeleted('inst_a', t0 + HOUR, true);
    l.recordDeleted('inst_b', t0 + HOUR);
    l.recordDeleted('inst_a', t0 + 2 * HOUR, false); // a stalled delete sent again: the results were still saved
    const stored = JSON.parse(store.data.get('fal.spendLedger')!) as { entries: Record<string, unknown>[] };
    assert.deepEqual(
      stored.entries.map((e) => [e.id, e.resultsSaved]),
      [
        ['inst_a', true],
        ['inst_b', undefined],
        ['inst_c', undefined],
      ],
      'written only when true: a record without it is the old shape',
    );
    // A record from before the field, and one with a stray value: both read, neither as saved.
    const before = {
      instanceType: 'gpu_1x_h100_sxm5',
      firstSeenAt: t0,
      lastSeenAt: t0,
      endedAt: t0 + HOUR,
      endKnown: true,
      createdHere: true,
    };
    stored.entries.push({ id: 'old', ...before }, { id: 'odd', ...before, resultsSaved: 'yes' });
    store.data.set('fal.spendLedger', JSON.stringify(stored));
    const s = summarizeSpend(ledger(store).entries(), today(UTC, at('2026-03-10T20:00Z')), RATES);
    const saved = (id: string) => s.perInstance.find((x) => x.id === id)?.resultsSaved;
    assert.deepEqual(['inst_a', 'inst_b', 'inst_c', 'old', 'odd'].map(saved), [true, false, false, false, false]);
    const report = buildSpendReport({ today: s, month: s });
    assert.match(report, /\| inst_a \| 8x H100 \|.*\| deleted, results saved \|/);
    assert.match(report, /\| inst_b \| 8x H100 \|.*\| deleted \|/);
    assert.match(
      report,
      /\*results saved\*: its results \(`fal\.results\.paths`\) were downloaded before it was deleted\./,
    );
    const none = summarizeSpend(ledger(store).entries(), today(UTC, at('2026-03-11T20:00Z')), RATES);
    assert.doesNotMatch(
      buildSpendReport({ today: none, month: none }),
      /results saved/,
      'no note without a saved delete',
    );
  });
});
