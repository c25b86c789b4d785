// The account KPIs for a whole landlord, set-based: the SQL twin of rent/kpis.ts tenancyKpiTotals (a test
// keeps them equal). One sweep of the accounts (jobs/account-sweep.ts) gives balances, credits, charges
// and the arrears by the texts' own rule, in one pass over the ledger; the annual debit comes from the
// charge calendar for each distinct schedule (most tenancies share one). The totals are kept per day
// (stored-totals.ts): the daily job leaves today's, so a view reads them instead of the ledger.
import { dueDayOf } from '../accounts/queries.js';
import type { Sql } from '../db/connect.js';
import { sweepAccounts } from '../jobs/account-sweep.js';
import { annualDebitOf, financialYearOf, type AccountKpiTotals } from '../rent/kpis.js';
import type { Policy } from '../rent/policy.js';
import type { RentFrequency } from '../rent/types.js';
import {
  accountTotalsCollector,
  generationBeforeReading,
  storeAccountTotals,
  storedAccountTotals,
} from './stored-totals.js';

interface ScheduleGroup {
  rent_frequency: RentFrequency;
  rent_due_day: string;
  start_date: string;
  end_date: string | null;
  amount: number;
  tenancies: number;
}

/** The annual rent debit: each distinct schedule's charge dates in the year, times what it charges. */
async function annualDebit(sql: Sql, to: string, policy: Policy): Promise<number> {
  const year = financialYearOf(to);
  const groups = await sql<ScheduleGroup[]>`
    select rent_frequency, rent_due_day, greatest(start_date, ${year.start}::date)::text as start_date,
      case when end_date is null or end_date > ${year.end}::date then null else end_date::text end as end_date,
      sum(rent_amount_pence)::float8 as amount, count(*)::int as tenancies
    from tenancies
    where start_date <= ${year.end} and (end_date is null or end_date >= ${year.start})
    group by 1, 2, 3, 4`;
  let total = 0;
  for (const g of groups) {
    // The date count does not depend on the amount: one pence per charge, times the group's summed amounts.
    const schedule = {
      frequency: g.rent_frequency,
      amountPence: 1,
      dueDay: dueDayOf(g),
      startDate: g.start_date,
      endDate: g.end_date,
    };
    total += annualDebitOf(schedule, to, policy) * g.amount;
  }
  return total;
}

export async function accountKpiTotalsBulk(
  sql: Sql,
  options: { to: string; policy: Policy },
): Promise<AccountKpiTotals> {
  const { to, policy } = options;
  const stored = await storedAccountTotals(sql, to, policy);
  if (stored) return stored;
  const generation = await generationBeforeReading(sql);
  const collector = accountTotalsCollector(to, policy);
  // The sweep reads the ledger once (its year sums included); the annual debit reads only the schedules.
  const swept = sweepAccounts(
    sql,
    { today: to, policy, batchSize: 5000, batchesAtOnce: 2, yearSums: collector.yearSums },
    (snapshots) => collector.visit(snapshots),
  );
  // Both settle before either's failure is reported, so no rejection is left unhandled.
  const [debit, sweep] = await Promise.allSettled([annualDebit(sql, to, policy), swept]);
  if (debit.status === 'rejected') throw debit.reason;
  if (sweep.status === 'rejected') throw sweep.reason;
  const totals = collector.totals(debit.value);
  if (generation !== null) await storeAccountTotals(sql, { asOf: to, policy, generation, totals });
  return totals;
}

/**
 * What the daily job adds to its sweep so the day's KPIs are ready when someone asks: the collector's
 * `yearSums` and `visit` go to the sweep, `finish` stores the totals (skipped while the ledger was being
 * written, when they might be stale).
 */
export async function dailyKpiTotals(sql: Sql, today: string, policy: Policy) {
  const generation = await generationBeforeReading(sql);
  const collector = accountTotalsCollector(today, policy);
  return {
    yearSums: collector.yearSums,
    visit: collector.visit,
    async finish(): Promise<void> {
      if (generation === null) return;
      const totals = collector.totals(await annualDebit(sql, today, policy));
      await storeAccountTotals(sql, { asOf: today, policy, generation, totals });
    },
  };
}
