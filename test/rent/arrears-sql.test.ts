// The SQL twin of the grace period agrees with assessAccount: for generated rent ledgers (charges and
// credits of every type, some dated after today, some in other accounts), the grouped SQL read gives the
// balance and arrears the pure rule gives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessAccount } from '../../src/rent/account.js';
import { arrearsAfterGrace, inGraceSumSql } from '../../src/rent/arrears-sql.js';
import { addDays } from '../../src/rent/calendar-date.js';
import { DEFAULT_POLICY } from '../support/policy.js';
import { TRANSACTION_TYPES, type LedgerEntry } from '../../src/rent/types.js';
import { useTestDatabase } from '../support/database.js';

const db = await useTestDatabase();
const TODAY = '2026-11-20';

const line = fc.record({
  offset: fc.integer({ min: -40, max: 5 }),
  type: fc.constantFrom(...TRANSACTION_TYPES),
  pence: fc.integer({ min: -60_000, max: 60_000 }),
  account: fc.constantFrom('rent', 'rent', 'rent', 'service_charge'),
});

describe('the grace-period SQL twin', () => {
  it.each([0, 3, 7])('agrees with assessAccount for generated ledgers (grace_days %i)', async (graceDays) => {
    const policy = { ...DEFAULT_POLICY, arrears: { ...DEFAULT_POLICY.arrears, grace_days: graceDays } };
    const ledgers = fc.sample(fc.array(line, { maxLength: 12 }), { numRuns: 150, seed: 7 + graceDays });
    const rows = ledgers.flatMap((lines, i) =>
      lines.map((l) => ({
        ref: `G-${i}`,
        date: addDays(TODAY, l.offset),
        type: l.type,
        pence: l.pence,
        account: l.account,
      })),
    );
    const figures = await db.sql.begin(async (tx) => {
      await tx`create temporary table grace_lines (tenancy_ref text, date date, type text, amount_pence int, account text) on commit drop`;
      await tx`
        insert into grace_lines
        select * from unnest(${rows.map((r) => r.ref)}::text[], ${rows.map((r) => r.date)}::date[], ${rows.map((r) => r.type)}::text[],
          ${rows.map((r) => r.pence)}::int[], ${rows.map((r) => r.account)}::text[])`;
      return tx<{ tenancy_ref: string; balance: number; in_grace: number }[]>`
        select tenancy_ref, coalesce(sum(amount_pence), 0)::int as balance, ${tx.unsafe(inGraceSumSql(TODAY, graceDays))} as in_grace
        from grace_lines where account = 'rent' and date <= ${TODAY} group by tenancy_ref`;
    });
    const inSql = new Map(figures.map((f) => [f.tenancy_ref, f]));
    ledgers.forEach((lines, i) => {
      const entries: LedgerEntry[] = lines.map((l) => ({
        date: addDays(TODAY, l.offset),
        type: l.type,
        amountPence: l.pence,
        account: l.account as LedgerEntry['account'],
        description: '',
      }));
      const pure = assessAccount(
        {
          schedule: {
            frequency: 'weekly',
            amountPence: 10_000,
            dueDay: 'monday',
            startDate: '2025-01-06',
            endDate: null,
          },
          benefit: 'none',
          entries,
          today: TODAY,
        },
        policy,
      );
      const row = inSql.get(`G-${i}`) ?? { balance: 0, in_grace: 0 };
      expect({ balance: row.balance, arrears: arrearsAfterGrace(row.balance, row.in_grace) }).toEqual({
        balance: pure.balancePence,
        arrears: pure.arrearsPence,
      });
    });
  });

  it('refuses a date that is not a plain YYYY-MM-DD', () => {
    expect(() => inGraceSumSql("2026-11-20'; drop table x; --", 3)).toThrow(/YYYY-MM-DD/);
  });
});
