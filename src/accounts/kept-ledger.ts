// The rent ledger as the daily sweep reads it: recent lines one by one, older ones as sums per tenancy
// and rent year (migrations/0084_kept_ledger.sql; docs/architecture.md, "The kept ledger"). Triggers on
// `transactions` keep both parts whoever writes the ledger; this module moves the split between them and
// says when a sweep may read them instead of the whole ledger. Without it the sweep reads every line of
// every year each morning, so its cost would grow with the history a landlord has imported.
import type { Queryable } from '../db/connect.js';
import { addDays } from '../rent/calendar-date.js';
import { rentYearOf } from '../rent/schedule.js';

/**
 * How many days of lines the recent part keeps: the sweep's window (130 days, account-sweep.ts) and a
 * margin, so `rentline run … --at` a few weeks back still reads the kept ledger.
 */
export const SETTLE_AFTER_DAYS = 150;

/** Where the split is now: lines dated on or after it are in the recent part. */
export async function keptLedgerSplit(sql: Queryable, options: { lock: boolean }): Promise<string | null> {
  // A sweep holds the row shared to its commit, so the split cannot move between its statements.
  const rows = options.lock
    ? await sql<{ recent_from: string }[]>`select recent_from::text from ledger_split for share`
    : await sql<{ recent_from: string }[]>`select recent_from::text from ledger_split`;
  return rows[0]?.recent_from ?? null;
}

/**
 * Whether a sweep on `today` whose entry-by-entry window starts at `windowStart` can read the kept
 * ledger: its window must lie in the recent part, and year sums (KPIs) must start on a rent year's first
 * day, since the settled part is summed by rent year.
 */
export function keptLedgerServes(
  split: string | null,
  sweep: { windowStart: string; yearStart?: string | undefined },
): boolean {
  if (split === null || sweep.windowStart < split) return false;
  return sweep.yearStart === undefined || rentYearOf(sweep.yearStart).start === sweep.yearStart;
}

/**
 * Moves the split to SETTLE_AFTER_DAYS before `today` (never back): the lines it passes are added to the
 * settled sums in the same transaction. The daily job calls it before its sweep, so each morning moves
 * one day's lines. Never past the database's own date less those days: the split does not move back, and a
 * run `--at` a later date is a what-if that must not leave every real morning reading the whole ledger.
 * Returns the split in force afterwards.
 */
export async function settleKeptLedger(sql: Queryable, today: string): Promise<string> {
  const [row] = await sql<{ split: string }[]>`
    select ledger_kept_settle(least(${addDays(today, -SETTLE_AFTER_DAYS)}::date, current_date - ${SETTLE_AFTER_DAYS}::int))::text as split`;
  return row?.split ?? addDays(today, -SETTLE_AFTER_DAYS);
}

/** Builds both parts afresh from `transactions` with the split at `splitAt` (benchmarks and tests). */
export async function rebuildKeptLedger(sql: Queryable, splitAt: string): Promise<void> {
  await sql`select ledger_kept_rebuild(${splitAt}::date)`;
}
