// The set-based half of every daily sweep, in two passes so that 150,000 tenancies and 15 million
// transactions never pass through JavaScript. Pass one is a single aggregate over the rent ledger (a
// parallel scan, never a query per tenancy): each running tenancy's balance, the charges still in their
// grace period, and the 13-week benefit-cover sums. Most accounts are settled there: with no arrears after
// the grace period there is nothing for credit streams to explain. Only accounts in arrears (about half)
// then have their recent window read, in a second pass over the ledger joined to them, and the pure rules
// in `rent/` work out the rest. Streamed with a cursor in tenancy order, so snapshots go out in batches.
// A whole-landlord sweep reads both passes from the kept ledger (accounts/kept-ledger.ts): the older
// years as sums per tenancy, so neither pass reads more than the last few months of lines.
import type { TenancyScheduleColumns } from '../accounts/queries.js';
import { inGracePredicateSql, inGraceSumSql } from '../rent/arrears-sql.js';
import { dueDayOf } from '../accounts/queries.js';
import type postgres from 'postgres';
import type { Sql } from '../db/connect.js';
import { keptLedgerServes, keptLedgerSplit } from '../accounts/kept-ledger.js';
import { assessAccount } from '../rent/account.js';
import { coverSumsSql, coveredBySums } from '../rent/benefit-cover.js';
import { addDays } from '../rent/calendar-date.js';
import type { Policy } from '../rent/policy.js';
import { untimed, type PhaseTimer } from '../lib/phase-timer.js';
import { nextDueDate } from '../rent/schedule.js';
import type { Benefit, LedgerEntry, RentSchedule, TransactionType } from '../rent/types.js';

/** The rent ledger's sums for the account KPIs: the year from `yearStart` to the sweep's day. */
export interface LedgerYearSums {
  /** Positive balances of tenancies running on the day. */
  currentArrearsPence: number;
  /** Positive balances on the day before the year starts. */
  broughtForwardPence: number;
  /** Payments, HB and UC in the year, as a positive number. */
  creditsPence: number;
  /** Rent and charges in the year. */
  chargedPence: number;
}

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
  /** HB or UC paid to the landlord covers the whole rent: no reminders (docs/rules.md#reminders). */
  fullyCoveredByBenefit: boolean;
}

/**
 * Days of ledger read entry by entry; older history arrives as one opening balance. Long enough to hold
 * the last two credits of any on-track credit stream (period ≤ 62 days + lateness ≤ 28 days + a gap).
 */
const RECENT_WINDOW_DAYS = 130;
/**
 * Accounts per sweep batch. What a job holds at once is a few batches, so this sets the daily job's memory
 * against the statements it costs (two dozen per batch, each planned afresh). Bench, first real day, with
 * the service's heap setting (lib/heap-growth.ts): 1,000 → 150 batches and 230 MB; 2,500 → 60 batches,
 * 244–256 MB and about a fifth less database CPU (17.4–17.8 s against 23.0 s, measured on a shared machine).
 */
const SWEEP_BATCH_SIZE = 2500;
/**
 * Batches a whole-landlord sweep visits at once. A visit is a chain of round trips (reads, starts, the
 * worklist), so with two in flight the machine sat a quarter idle while the visits ran; with three, the bench's
 * first day took 20.1–23.2 s against 24.3–24.7 s (two runs each, 2 cores), at the same peak RSS.
 */
export const SWEEP_BATCHES_AT_ONCE = 3;

interface TenancyFigures extends TenancyScheduleColumns {
  tenancy_ref: string;
  /** Rent account, every entry dated on or before today. */
  balance: number;
  /** Charges dated inside the grace period (assessAccount leaves them out of arrears). */
  in_grace: number;
  /** Charges and benefit credits over the cover window, for fullyCoveredByBenefit. */
  cover_charges: number;
  cover_credits: number;
}

/**
 * An account's recent rent entries in ledger order, as the windows pass writes them: one text of entries
 * joined by commas, each `date type amount` with ` d` for a Direct Debit. One string per account is read
 * and split faster than four parallel arrays (the driver parses arrays element by element).
 */
type WindowLines = string;

function entriesOf(lines: WindowLines | null | undefined): LedgerEntry[] {
  if (!lines) return [];
  return lines.split(',').map((line) => {
    const [date, type, amount, dd] = line.split(' ');
    return {
      date: date as string,
      type: type as TransactionType,
      amountPence: Number(amount),
      account: 'rent' as const,
      description: dd === 'd' ? 'Direct Debit' : '',
    };
  });
}

/**
 * One account's snapshot. `window` holds its rent entries from the window's start to today; without one
 * (no arrears after the grace period) the figures follow from the balance alone, as assessAccount's would.
 */
function snapshotOf(
  row: TenancyFigures,
  window: WindowLines | null | undefined,
  days: { today: string; tomorrow: string },
  policy: Policy,
): AccountSnapshot {
  const { today, tomorrow } = days;
  const schedule: RentSchedule = {
    frequency: row.rent_frequency,
    amountPence: row.rent_amount_pence,
    dueDay: dueDayOf(row),
    startDate: row.start_date,
    endDate: row.end_date,
  };
  const base = {
    tenancyRef: row.tenancy_ref,
    benefit: row.benefit,
    nextDueDate: nextDueDate(schedule, policy, tomorrow),
    fullyCoveredByBenefit: coveredBySums(row.benefit, row.cover_charges, row.cover_credits),
  };
  if (row.balance - row.in_grace <= 0) {
    return {
      ...base,
      balancePence: row.balance,
      arrearsPence: 0,
      technicalPence: 0,
      actionableArrearsPence: 0,
      weeksInArrears: 0,
    };
  }
  const entries = entriesOf(window);
  const opening = row.balance - entries.reduce((total, e) => total + e.amountPence, 0);
  const figures = assessAccount(
    { schedule, benefit: row.benefit, entries, openingBalances: { rent: opening }, today },
    policy,
  );
  return {
    ...base,
    balancePence: figures.balancePence,
    arrearsPence: figures.arrearsPence,
    technicalPence: figures.technicalPence,
    actionableArrearsPence: figures.actionableArrearsPence,
    weeksInArrears: figures.weeksInArrears,
  };
}

/**
 * Every tenancy still running on `today`, with its figures, handed to `visit` a batch at a time.
 * `refs` limits the sweep to some tenancies (tests, or one account); null sweeps them all.
 */
export async function sweepAccounts(
  sql: Sql,
  options: {
    today: string;
    policy: Policy;
    refs?: readonly string[] | null;
    batchSize?: number;
    /**
     * Batches visited at once (default 1). Batches hold different tenancies, so a caller whose visits touch
     * only their own batch's accounts can overlap them and keep both of Postgres's cores busy.
     */
    batchesAtOnce?: number;
    /**
     * The account KPIs' ledger sums for the financial year starting `yearStart`, taken in the same pass
     * over the ledger (kpis/account-sql.ts) and handed to `receive` before the first batch.
     */
    yearSums?: { yearStart: string; receive: (sums: LedgerYearSums) => void };
    /** Adds the ledger passes' times to the run's phases. */
    timer?: PhaseTimer;
  },
  visit: (snapshots: AccountSnapshot[]) => void | Promise<void>,
): Promise<number> {
  const { today, policy } = options;
  const timer = options.timer ?? untimed;
  const windowStart = addDays(today, -RECENT_WINDOW_DAYS);
  const refs = options.refs ?? null;
  const onlyRefs = (column: string) =>
    refs === null ? sql`` : sql`and ${sql(column)} = any(${refs as string[]}::text[])`;
  let seen = 0;
  // One read-only transaction: a hash aggregate over 150,000 tenancies and the windows' sorts want more than the default work_mem,
  // and compiling it (JIT) costs more than it saves. It is written to a temporary table first because
  // Postgres never runs a query read through a cursor in parallel, and this scan wants both cores; the
  // per-tenancy sums (every tenancy's, so the KPIs' year sums can read ended ones too) come first, then the
  // running tenancies' figures from them. Each batch is visited while the next is read. Every filter tests the
  // date first: one comparison rules out most of the ledger before any text compare or regular expression
  // (only payments can be Direct Debits, as isDirectDebit says).
  await sql.begin(async (tx) => {
    await tx`set local work_mem = '128MB'`;
    await tx`set local jit = off`;
    const yearSums = options.yearSums;
    const broughtForwardTo = yearSums ? addDays(yearSums.yearStart, -1) : null;
    const yearColumns = yearSums
      ? tx`,
          coalesce(sum(amount_pence) filter (where date <= ${broughtForwardTo}), 0)::bigint as brought_forward,
          coalesce(-sum(amount_pence) filter (where date >= ${yearSums.yearStart} and type in ('payment', 'hb', 'uc')), 0)::bigint as credits,
          coalesce(sum(amount_pence) filter (where date >= ${yearSums.yearStart} and type in ('rent', 'charge')), 0)::bigint as charged`
      : tx``;
    // The kept ledger (accounts/kept-ledger.ts) serves a whole-landlord sweep whose window it holds: its
    // settled sums and its recent lines read in one statement, so the sweep's cost follows the recent
    // months rather than every year imported. Otherwise (some accounts, or a day before its split) the
    // ledger itself, where the tenancy index finds a few accounts' lines.
    const split = refs === null ? await keptLedgerSplit(tx, { lock: true }) : null;
    const kept = keptLedgerServes(split, { windowStart, yearStart: yearSums?.yearStart });
    const settledYearColumns = yearSums
      ? tx`,
          case when year_start < ${yearSums.yearStart} then balance else 0 end as brought_forward,
          case when year_start >= ${yearSums.yearStart} then credits else 0 end as credits,
          case when year_start >= ${yearSums.yearStart} then charged else 0 end as charged`
      : tx``;
    const summedYearColumns = yearSums
      ? tx`, sum(brought_forward)::bigint as brought_forward, sum(credits)::bigint as credits, sum(charged)::bigint as charged`
      : tx``;
    // The lines' sums, as the sweep's table (int balances) or as the recent part beside the settled sums.
    const lineSums = (from: postgres.PendingQuery<postgres.Row[]>, balance: 'int' | 'bigint') => tx`
      select tenancy_ref, sum(amount_pence)::${tx.unsafe(balance)} as balance,
        ${tx.unsafe(inGraceSumSql(today, policy.arrears.grace_days))} as in_grace,
        ${tx.unsafe(coverSumsSql(today))}
        ${yearColumns}
      ${from}
      group by tenancy_ref`;
    await timer.time('sweep: ledger sums', () =>
      kept
        ? tx`
      create temporary table sweep_ledger on commit drop as
      select tenancy_ref, sum(balance)::int as balance, sum(in_grace)::int as in_grace,
        sum(cover_charges)::int as cover_charges, sum(cover_credits)::int as cover_credits ${summedYearColumns}
      from (
        select tenancy_ref, balance, 0 as in_grace, 0 as cover_charges, 0 as cover_credits ${settledYearColumns}
        from ledger_settled
        union all
        ${lineSums(tx`from ledger_recent where date <= ${today}`, 'bigint')}
      ) parts
      group by tenancy_ref`.execute()
        : tx`
      create temporary table sweep_ledger on commit drop as
      ${lineSums(tx`from transactions where account = 'rent' and date <= ${today} ${onlyRefs('tenancy_ref')}`, 'int')}`.execute(),
    );
    await timer.time('sweep: figures', () =>
      tx`
      create temporary table sweep_figures on commit drop as
      select t.tenancy_ref, t.rent_frequency, t.rent_amount_pence, t.rent_due_day, t.start_date::text as start_date,
        t.end_date::text as end_date, t.benefit, coalesce(l.balance, 0) as balance, coalesce(l.in_grace, 0) as in_grace,
        coalesce(l.cover_charges, 0) as cover_charges, coalesce(l.cover_credits, 0) as cover_credits
      from tenancies t left join sweep_ledger l using (tenancy_ref)
      where (t.end_date is null or t.end_date >= ${today}) ${onlyRefs('t.tenancy_ref')}`.execute(),
    );
    if (yearSums) {
      // Every tenancy counts in the year's credits, charges and arrears brought forward (one that ended in
      // the year too); only those running at `today` count in current arrears.
      const [sums] = await tx<LedgerYearSums[]>`
        select
          coalesce(sum(greatest(l.balance, 0)) filter (where t.start_date <= ${today} and (t.end_date is null or t.end_date >= ${today})), 0)::float8 as "currentArrearsPence",
          coalesce(sum(greatest(l.brought_forward, 0)), 0)::float8 as "broughtForwardPence",
          coalesce(sum(l.credits), 0)::float8 as "creditsPence",
          coalesce(sum(l.charged), 0)::float8 as "chargedPence"
        from sweep_ledger l join tenancies t using (tenancy_ref)`;
      yearSums.receive(sums as LedgerYearSums);
    }
    // The recent rent entries assessAccount can tell apart from the opening balance (credits and payments,
    // for credit streams and returned Direct Debits; charges still in their grace period). Older charges
    // and other entries only add up, so they stay in the opening balance snapshotOf derives. One more
    // parallel pass over the ledger, sorted in the workers: it reads every running tenancy's window
    // (Postgres cannot join a temporary table in parallel, and most accounts need theirs anyway), and only
    // accounts in arrears receive it below. It replaced an index probe per batch (150 of them, each
    // visiting ~10,000 scattered rows), which had been most of the job. Each window is in ledger order; the
    // accounts are sorted bytewise ("C"), which only groups them, since the cursor orders them itself: a
    // third less than comparing 1.2 million references by the locale's rules (bench, 6 Dec).
    await timer.time('sweep: windows', () =>
      tx`
      create temporary table sweep_windows on commit drop as
      select ref collate "default" as tenancy_ref,
        string_agg(date::text || ' ' || type || ' ' || amount_pence::text || case when dd then ' d' else '' end, ',') as lines
      from (
        select tenancy_ref collate "C" as ref, date, transaction_id, type, amount_pence,
          ${kept ? tx`dd` : tx`is_direct_debit(type, description) as dd`}
        ${kept ? tx`from ledger_recent where` : tx`from transactions where account = 'rent' and`} date >= ${windowStart}
          and date <= ${today} ${onlyRefs('tenancy_ref')}
          and (type in ('hb', 'uc', 'payment') or ${tx.unsafe(inGracePredicateSql(today, policy.arrears.grace_days))})
        order by ref, date, transaction_id
      ) recent
      group by ref`.execute(),
    );
    const cursor = tx<(TenancyFigures & { lines: WindowLines | null })[]>`
      select f.*, w.lines
      from sweep_figures f left join sweep_windows w on w.tenancy_ref = f.tenancy_ref and f.balance - f.in_grace > 0
      order by f.tenancy_ref`.cursor(options.batchSize ?? SWEEP_BATCH_SIZE);
    // Reminders look ahead from tomorrow; worked out once, not per account.
    const days = { today, tomorrow: addDays(today, 1) };
    const inFlight = new Set<Promise<void>>();
    let failed: { error: unknown } | null = null;
    try {
      for await (const rows of cursor) {
        seen += rows.length;
        const assessing = performance.now();
        const snapshots = rows.map((row) => snapshotOf(row, row.lines, days, policy));
        timer.add('sweep: assess accounts (JS)', performance.now() - assessing);
        const visited = Promise.resolve(visit(snapshots))
          .catch((error: unknown) => {
            failed ??= { error };
          })
          .finally(() => inFlight.delete(visited));
        inFlight.add(visited);
        while (inFlight.size >= (options.batchesAtOnce ?? 1) && failed === null) await Promise.race(inFlight);
        if (failed) break;
      }
    } finally {
      await Promise.all(inFlight);
    }
    if (failed) throw (failed as { error: unknown }).error;
  });
  return seen;
}
