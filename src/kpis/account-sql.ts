// The account KPIs for a whole landlord, set-based: the SQL twin of rent/kpis.ts tenancyKpiTotals (a test
// keeps them equal). One grouped aggregate over the rent ledger gives balances, credits and charges; the
// annual debit comes from the charge calendar for each distinct schedule (most tenancies share one);
// actionable and technical arrears come from the daily sweep's own pass (jobs/account-sweep.ts), so the
// KPIs and the texts read arrears by the same rule.
import { dueDayOf } from '../accounts/queries.js';
import type { Sql } from '../db/connect.js';
import { sweepAccounts } from '../jobs/account-sweep.js';
import { addDays } from '../rent/calendar-date.js';
import { annualDebitOf, arrearsBandOf, emptyTotals, financialYearOf, type AccountKpiTotals } from '../rent/kpis.js';
import type { Policy } from '../rent/policy.js';
import type { RentFrequency } from '../rent/types.js';

interface LedgerSums {
  current_arrears: number;
  brought_forward: number;
  credits: number;
  charged: number;
}

interface ScheduleGroup {
  rent_frequency: RentFrequency;
  rent_due_day: string;
  start_date: string;
  end_date: string | null;
  amount: number;
  tenancies: number;
}

async function ledgerSums(sql: Sql, to: string, yearStart: string): Promise<LedgerSums> {
  const lastDayBefore = addDays(yearStart, -1);
  const [row] = await sql<LedgerSums[]>`
    with per_tenancy as (
      select tenancy_ref,
        sum(amount_pence)::bigint as balance,
        coalesce(sum(amount_pence) filter (where date <= ${lastDayBefore}), 0)::bigint as brought_forward,
        coalesce(-sum(amount_pence) filter (where date >= ${yearStart} and type in ('payment', 'hb', 'uc')), 0)::bigint as credits,
        coalesce(sum(amount_pence) filter (where date >= ${yearStart} and type in ('rent', 'charge')), 0)::bigint as charged
      from transactions
      where account = 'rent' and date <= ${to}
      group by tenancy_ref
    )
    select
      coalesce(sum(greatest(p.balance, 0)) filter (where t.start_date <= ${to} and (t.end_date is null or t.end_date >= ${to})), 0)::float8 as current_arrears,
      coalesce(sum(greatest(p.brought_forward, 0)), 0)::float8 as brought_forward,
      coalesce(sum(p.credits), 0)::float8 as credits,
      coalesce(sum(p.charged), 0)::float8 as charged
    from per_tenancy p join tenancies t using (tenancy_ref)`;
  return row as LedgerSums;
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
  const year = financialYearOf(to);
  const totals = emptyTotals();
  // The ledger sums and the sweep each scan the ledger: run them side by side on the two cores.
  const figures = Promise.all([ledgerSums(sql, to, year.start), annualDebit(sql, to, policy)]);
  const swept = sweepAccounts(sql, { today: to, policy, batchSize: 5000, batchesAtOnce: 2 }, (snapshots) => {
    for (const s of snapshots) {
      totals.technicalArrearsPence += s.technicalPence;
      totals.actionableArrearsPence += s.actionableArrearsPence;
      if (s.actionableArrearsPence > 0 && s.actionableArrearsPence >= policy.arrears.threshold_pence) {
        totals.tenanciesInArrears += 1;
        const band = totals.bands[arrearsBandOf(s.weeksInArrears)];
        band.tenancies += 1;
        band.arrears_pence += s.actionableArrearsPence;
      }
    }
  });
  // Both settle before either's failure is reported, so no rejection is left unhandled.
  const [done, sweep] = await Promise.allSettled([figures, swept]);
  if (done.status === 'rejected') throw done.reason;
  if (sweep.status === 'rejected') throw sweep.reason;
  const [sums, debit] = done.value;
  totals.annualDebitPence = debit;
  totals.currentArrearsPence = sums.current_arrears;
  totals.broughtForwardPence = sums.brought_forward;
  totals.creditsPence = sums.credits;
  totals.chargedPence = sums.charged;
  return totals;
}
