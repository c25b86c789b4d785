// The set-based half of every daily sweep: one SQL pass aggregates every active tenancy's rent ledger
// (the balance before a recent window, and the entries inside it) and the pure rules in `rent/` work out
// the figures. Streamed with a cursor, so 150,000 tenancies and 15 million transactions never sit in
// memory at once, and never a query per tenancy.
import { dueDayOf } from '../accounts/queries.js';
import type { Sql } from '../db/connect.js';
import { assessAccount } from '../rent/account.js';
import { addDays } from '../rent/calendar-date.js';
import type { Policy } from '../rent/policy.js';
import { nextDueDate } from '../rent/schedule.js';
import type { Benefit, LedgerEntry, RentFrequency, RentSchedule, TransactionType } from '../rent/types.js';

/** The figures the jobs decide on, for one tenancy on one day. */
export interface AccountSnapshot {
  tenancyRef: string;
  benefit: Benefit;
  balancePence: number;
  arrearsPence: number;
  technicalPence: number;
  actionableArrearsPence: number;
  weeksInArrears: number;
  /** The first due date after today (reminders look ahead from tomorrow). */
  nextDueDate: string | null;
  /** HB or UC paid to the landlord covers the whole rent: no reminders (DOMAIN Part A). */
  fullyCoveredByBenefit: boolean;
}

/**
 * Days of ledger read entry by entry; older history arrives as one opening balance. Long enough to hold
 * the last two credits of any on-track credit stream (period ≤ 62 days + lateness ≤ 28 days + a gap).
 */
export const RECENT_WINDOW_DAYS = 130;
/** The span over which benefit credits are compared with charges to call an account fully covered. */
const COVER_WINDOW_DAYS = 91;
/** The same Direct Debit test as rent/credit-streams.ts, evaluated in SQL so descriptions stay there. */
const DIRECT_DEBIT_SQL = String.raw`direct\s*debit|\mDD\M`;

interface SweepRow {
  tenancy_ref: string;
  rent_frequency: RentFrequency;
  rent_amount_pence: number;
  rent_due_day: string;
  start_date: string;
  end_date: string | null;
  benefit: Benefit;
  opening: number | null;
  dates: string[] | null;
  types: TransactionType[] | null;
  amounts: number[] | null;
  dd: boolean[] | null;
}

/** Benefit credits in the last 13 weeks at least match the charges: the tenant has nothing of their own to pay. */
export function fullyCoveredByBenefit(benefit: Benefit, entries: readonly LedgerEntry[], today: string): boolean {
  if (benefit !== 'hb' && benefit !== 'uc_apa') return false;
  const from = addDays(today, -COVER_WINDOW_DAYS);
  let charges = 0;
  let credits = 0;
  for (const e of entries) {
    if (e.date <= from || e.date > today) continue;
    if ((e.type === 'rent' || e.type === 'charge') && e.amountPence > 0) charges += e.amountPence;
    if ((e.type === 'hb' || e.type === 'uc') && e.amountPence < 0) credits -= e.amountPence;
  }
  return charges > 0 && credits >= charges;
}

function entriesOf(row: SweepRow): LedgerEntry[] {
  const { dates, types, amounts, dd } = row;
  if (!dates || !types || !amounts || !dd) return [];
  return dates.map((date, i) => ({
    date,
    type: types[i] as TransactionType,
    amountPence: amounts[i] as number,
    account: 'rent' as const,
    description: dd[i] ? 'Direct Debit' : '',
  }));
}

export function snapshotOf(row: SweepRow, today: string, policy: Policy): AccountSnapshot {
  const schedule: RentSchedule = {
    frequency: row.rent_frequency,
    amountPence: row.rent_amount_pence,
    dueDay: dueDayOf(row),
    startDate: row.start_date,
    endDate: row.end_date,
  };
  const entries = entriesOf(row);
  const figures = assessAccount({ schedule, benefit: row.benefit, entries, openingBalances: { rent: row.opening ?? 0 }, today }, policy);
  return {
    tenancyRef: row.tenancy_ref,
    benefit: row.benefit,
    balancePence: figures.balancePence,
    arrearsPence: figures.arrearsPence,
    technicalPence: figures.technicalPence,
    actionableArrearsPence: figures.actionableArrearsPence,
    weeksInArrears: figures.weeksInArrears,
    nextDueDate: nextDueDate(schedule, policy, addDays(today, 1)),
    fullyCoveredByBenefit: fullyCoveredByBenefit(row.benefit, entries, today),
  };
}

/**
 * Every tenancy still running on `today`, with its figures, handed to `visit` a batch at a time.
 * `refs` limits the sweep to some tenancies (tests, or one account); null sweeps them all.
 */
export async function sweepAccounts(
  sql: Sql,
  options: { today: string; policy: Policy; refs?: readonly string[] | null; batchSize?: number },
  visit: (snapshots: AccountSnapshot[]) => void | Promise<void>,
): Promise<number> {
  const { today, policy } = options;
  const windowStart = addDays(today, -RECENT_WINDOW_DAYS);
  const refs = options.refs ?? null;
  const onlyRefs = refs === null ? sql`` : sql`and tenancy_ref = any(${refs as string[]}::text[])`;
  let seen = 0;
  const cursor = sql<SweepRow[]>`
    with ledger as (
      select tenancy_ref,
        coalesce(sum(amount_pence) filter (where date < ${windowStart}), 0)::int as opening,
        array_agg(date::text) filter (where date >= ${windowStart}) as dates,
        array_agg(type) filter (where date >= ${windowStart}) as types,
        array_agg(amount_pence) filter (where date >= ${windowStart}) as amounts,
        array_agg(description ~* ${DIRECT_DEBIT_SQL}) filter (where date >= ${windowStart}) as dd
      from transactions
      where account = 'rent' and date <= ${today} ${onlyRefs}
      group by tenancy_ref
    )
    select t.tenancy_ref, t.rent_frequency, t.rent_amount_pence, t.rent_due_day, t.start_date::text as start_date,
      t.end_date::text as end_date, t.benefit, l.opening, l.dates, l.types, l.amounts, l.dd
    from tenancies t left join ledger l using (tenancy_ref)
    where (t.end_date is null or t.end_date >= ${today}) ${refs === null ? sql`` : sql`and t.tenancy_ref = any(${refs as string[]}::text[])`}
  `.cursor(options.batchSize ?? 2000);
  for await (const rows of cursor) {
    seen += rows.length;
    await visit(rows.map((row) => snapshotOf(row, today, policy)));
  }
  return seen;
}
