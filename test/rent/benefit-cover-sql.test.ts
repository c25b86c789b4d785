// The SQL twin of the benefit-cover rule agrees with fullyCoveredByBenefit: for generated rent ledgers
// (charges and credits of every type and sign, some before the 13-week window, some after today), the
// grouped SQL sums give the verdict the pure rule gives, for every kind of benefit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverSumsSql, coveredBySums, fullyCoveredByBenefit } from '../../src/rent/benefit-cover.js';
import { addDays } from '../../src/rent/calendar-date.js';
import { TRANSACTION_TYPES, type Benefit, type LedgerEntry } from '../../src/rent/types.js';
import { useTestDatabase } from '../support/database.js';

const db = await useTestDatabase();
const TODAY = '2026-11-20';
const BENEFITS: Benefit[] = ['none', 'hb', 'uc', 'uc_apa'];

const line = fc.record({
  // Either side of the window's first day (91 days back) and of today.
  offset: fc.integer({ min: -100, max: 3 }),
  type: fc.constantFrom(...TRANSACTION_TYPES, 'rent', 'hb', 'uc'),
  pence: fc.integer({ min: -50_000, max: 50_000 }),
});

describe('the benefit-cover SQL twin', () => {
  it('gives the verdict fullyCoveredByBenefit gives, for generated ledgers', async () => {
    const ledgers = fc.sample(
      fc.record({ benefit: fc.constantFrom(...BENEFITS), lines: fc.array(line, { maxLength: 14 }) }),
      { numRuns: 300, seed: 11 },
    );
    // Half the ledgers get a matching benefit credit for each charge, so both verdicts are common.
    ledgers.forEach((l, i) => {
      if (i % 2 === 0)
        l.lines = l.lines.flatMap((x) =>
          x.type === 'rent' && x.pence > 0 ? [x, { offset: x.offset, type: 'hb', pence: -x.pence }] : [x],
        );
    });
    const rows = ledgers.flatMap(({ lines }, i) =>
      lines.map((l) => ({ ref: `C-${i}`, date: addDays(TODAY, l.offset), type: l.type, pence: l.pence })),
    );
    const sums = await db.sql.begin(async (tx) => {
      await tx`create temporary table cover_lines (tenancy_ref text, date date, type text, amount_pence int) on commit drop`;
      await tx`
        insert into cover_lines
        select * from unnest(${rows.map((r) => r.ref)}::text[], ${rows.map((r) => r.date)}::date[],
          ${rows.map((r) => r.type)}::text[], ${rows.map((r) => r.pence)}::int[])`;
      return tx<{ tenancy_ref: string; cover_charges: number; cover_credits: number }[]>`
        select tenancy_ref, ${tx.unsafe(coverSumsSql(TODAY))} from cover_lines where date <= ${TODAY} group by tenancy_ref`;
    });
    const inSql = new Map(sums.map((s) => [s.tenancy_ref, s]));
    let covered = 0;
    ledgers.forEach(({ benefit, lines }, i) => {
      const entries: LedgerEntry[] = lines.map((l) => ({
        date: addDays(TODAY, l.offset),
        type: l.type,
        amountPence: l.pence,
        account: 'rent',
        description: '',
      }));
      const s = inSql.get(`C-${i}`) ?? { cover_charges: 0, cover_credits: 0 };
      const pure = fullyCoveredByBenefit(benefit, entries, TODAY);
      if (pure) covered += 1;
      expect({ ledger: i, covered: coveredBySums(benefit, s.cover_charges, s.cover_credits) }).toEqual({
        ledger: i,
        covered: pure,
      });
    });
    // The sample exercised both verdicts.
    expect(covered).toBeGreaterThan(10);
    expect(covered).toBeLessThan(ledgers.length - 10);
  });

  it('refuses a day that is not a date', () => {
    expect(() => coverSumsSql("2026-11-20'; drop table x; --")).toThrow(/YYYY-MM-DD/);
  });
});
