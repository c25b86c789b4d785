// The SQL twin of the rent balance's grace period in assessAccount (account.ts): a rent or charge line
// dated within the last `grace_days` is not yet arrears. For the statements that work out many accounts at
// once (the daily sweep's grouped pass over the ledger, the bulk start's figures). Text only, no I/O;
// test/rent/arrears-sql.test.ts checks it agrees with assessAccount for generated ledgers.
import { addDays } from './calendar-date.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The charge types whose recent lines are still in their grace period (account.ts's CHARGE_TYPES). */
const GRACE_CHARGE_TYPES = ['rent', 'charge'] as const;

/** The first day whose charges are still in the grace period on `today`, as a checked SQL date literal. */
function graceFromLiteral(today: string, graceDays: number): string {
  if (!ISO_DATE.test(today)) throw new Error('today must be a YYYY-MM-DD date');
  if (!Number.isInteger(graceDays) || graceDays < 0) throw new Error('graceDays must be a whole number of days');
  return `'${addDays(today, -graceDays)}'::date`;
}

/** True for a ledger line (columns `type`, `amount_pence`, `date`) still inside its grace period on `today`. */
export function inGracePredicateSql(today: string, graceDays: number): string {
  const types = GRACE_CHARGE_TYPES.map((t) => `'${t}'`).join(', ');
  // The date first: it rules out all but the last few days' lines with one comparison, before any text compare
  // (the sweep evaluates this on each of 15 million lines).
  return `(date > ${graceFromLiteral(today, graceDays)} and type in (${types}) and amount_pence > 0)`;
}

/**
 * In a grouped read of rent-account lines dated on or before `today`: the pence still in their grace
 * period. Arrears are then `max(0, balance - in_grace)`, as arrearsAfterGrace says.
 */
export function inGraceSumSql(today: string, graceDays: number): string {
  return `coalesce(sum(amount_pence) filter (where ${inGracePredicateSql(today, graceDays)}), 0)::int`;
}

/** Arrears from a balance and the part of it still in its grace period (assessAccount's rule). */
export function arrearsAfterGrace(balancePence: number, inGracePence: number): number {
  return Math.max(0, balancePence - inGracePence);
}
