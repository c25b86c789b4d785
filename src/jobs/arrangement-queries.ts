// Reading arrangements for the jobs, in sets: each tenancy's latest arrangement status, and the live
// arrangements (active or kept) the watch assesses, with the rent ledger since each one was agreed.
import type { LedgerLine } from '../rent/arrangement-progress.js';
import type { Queryable } from '../db/connect.js';
import type { RentFrequency } from '../rent/types.js';

/** Statuses in which an arrangement pauses the arrears process (an offer waiting counts too). */
export const LIVE_ARRANGEMENT: ReadonlySet<string> = new Set(['active', 'kept']);
export const ARRANGEMENT_PAUSES_ARREARS: ReadonlySet<string> = new Set(['proposed', 'countered', 'active', 'kept']);

/** Each tenancy's latest arrangement status (proposed offers included); tenancies without one are absent. */
export async function latestArrangementStatuses(sql: Queryable, refs: readonly string[]): Promise<Map<string, string>> {
  if (refs.length === 0) return new Map();
  const rows = await sql<{ tenancy_ref: string; status: string }[]>`
    select distinct on (tenancy_ref) tenancy_ref, status from arrangements
    where tenancy_ref = any(${refs as string[]}::text[])
    order by tenancy_ref, created_at desc, id desc`;
  return new Map(rows.map((r) => [r.tenancy_ref, r.status]));
}

export interface LiveArrangement {
  id: number;
  tenancy_ref: string;
  tenant_no: number;
  amount_pence: number;
  frequency: RentFrequency;
  start_date: string;
  start_arrears_pence: number;
  status: 'active' | 'kept';
  /** Local date the arrangement was agreed from (its offer was recorded): where the watch starts counting. */
  baseline: string;
  /** Rent-account balance before the baseline date. */
  opening_pence: number;
}

/** Every active or kept arrangement that is its tenancy's latest, with the balance brought forward. */
export async function liveArrangements(sql: Queryable, timeZone: string): Promise<LiveArrangement[]> {
  return sql<LiveArrangement[]>`
    with latest as (
      select distinct on (tenancy_ref) id from arrangements order by tenancy_ref, created_at desc, id desc
    ), live as (
      select a.*, (a.created_at at time zone ${timeZone})::date as baseline
      from arrangements a join latest using (id) where a.status in ('active', 'kept')
    )
    select l.id::int as id, l.tenancy_ref, l.tenant_no, l.amount_pence, l.frequency, l.start_date::text as start_date,
      l.start_arrears_pence, l.status, l.baseline::text as baseline,
      coalesce((select sum(x.amount_pence) from transactions x
                where x.tenancy_ref = l.tenancy_ref and x.account = 'rent' and x.date < l.baseline), 0)::int as opening_pence
    from live l
    order by l.id`;
}

/** The rent ledger of the given tenancies from `from` to `to`, grouped by tenancy, in date order. */
export async function ledgersSince(
  sql: Queryable,
  refs: readonly string[],
  from: string,
  to: string,
): Promise<Map<string, LedgerLine[]>> {
  const byRef = new Map<string, LedgerLine[]>();
  if (refs.length === 0) return byRef;
  const rows = await sql<(LedgerLine & { tenancy_ref: string })[]>`
    select tenancy_ref, date::text as date, type, amount_pence from transactions
    where account = 'rent' and tenancy_ref = any(${refs as string[]}::text[]) and date >= ${from} and date <= ${to}
    order by tenancy_ref, date, transaction_id`;
  for (const { tenancy_ref, ...line } of rows) {
    const list = byRef.get(tenancy_ref);
    if (list) list.push(line);
    else byRef.set(tenancy_ref, [line]);
  }
  return byRef;
}
