// A short rent statement for a tenant who texts STATEMENT: over the last N weeks (13 by default, what the
// pre-action protocol asks for), the rent and charges that fell due on the rent account, what was paid
// into it (the tenant's payments and benefit credits), and the balance now. Pure: entries and today in.
import { addDays } from './calendar-date.js';
import type { LedgerEntry, Pence } from './types.js';

const STATEMENT_WEEKS = 13;

interface RentSummaryFigures {
  weeks: number;
  /** The first day covered: today minus the weeks, plus one day. */
  fromDate: string;
  duePence: Pence;
  paidPence: Pence;
  balancePence: Pence;
}

const DUE_TYPES = new Set(['rent', 'charge']);
const PAID_TYPES = new Set(['payment', 'hb', 'uc']);

/** The summary of the rent account for the `weeks` weeks up to and including `today`. */
export function rentSummary(
  entries: readonly LedgerEntry[],
  today: string,
  balancePence: Pence,
  weeks = STATEMENT_WEEKS,
): RentSummaryFigures {
  const fromDate = addDays(today, 1 - weeks * 7);
  let duePence = 0;
  let paidPence = 0;
  for (const e of entries) {
    if (e.account !== 'rent' || e.date < fromDate || e.date > today) continue;
    if (DUE_TYPES.has(e.type)) duePence += e.amountPence;
    else if (PAID_TYPES.has(e.type)) paidPence -= e.amountPence;
  }
  return { weeks, fromDate, duePence, paidPence, balancePence };
}
