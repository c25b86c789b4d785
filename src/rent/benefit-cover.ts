// Whether Housing Benefit or Universal Credit paid to the landlord covers the whole rent, so the tenant has
// nothing of their own to pay and gets no reminders (docs/rules.md#reminders): over the last 13 weeks the
// benefit credits at least matched the charges. The rule on ledger entries, and its SQL twin for the daily
// sweep, which works it out for every account in one grouped pass over the ledger
// (test/rent/benefit-cover-sql.test.ts holds the two equal on generated ledgers).
import { addDays } from './calendar-date.js';
import type { Benefit, LedgerEntry } from './types.js';

/** The span over which benefit credits are compared with charges. */
export const COVER_WINDOW_DAYS = 91;

/** The cover rule on sums: HB or UC paid to the landlord at least matched the charges. */
export function coveredBySums(benefit: Benefit, charges: number, credits: number): boolean {
  return (benefit === 'hb' || benefit === 'uc_apa') && charges > 0 && credits >= charges;
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
  return coveredBySums(benefit, charges, credits);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * In a grouped read of rent-account lines dated on or before `today`: the sums coveredBySums compares, as
 * `cover_charges` and `cover_credits`. The date is tested first, so most of the ledger is ruled out by one
 * comparison. Text only, no I/O; `today` is checked and inlined.
 */
export function coverSumsSql(today: string): string {
  if (!ISO_DATE.test(today)) throw new Error('today must be a YYYY-MM-DD date');
  const from = `'${addDays(today, -COVER_WINDOW_DAYS)}'::date`;
  return `coalesce(sum(amount_pence) filter (where date > ${from} and amount_pence > 0 and type in ('rent', 'charge')), 0)::int as cover_charges,
        coalesce(-sum(amount_pence) filter (where date > ${from} and amount_pence < 0 and type in ('hb', 'uc')), 0)::int as cover_credits`;
}
