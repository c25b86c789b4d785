// Regular credits an account expects: Housing Benefit, Universal Credit and Direct Debits (docs/rules.md#benefit-timing).
// Each stream's period is read from the gap between its last two credits and its amount from its last
// credit. A stream that is on track explains a shortfall as timing ("technical arrears"); one that has
// stopped explains nothing, so the shortfall becomes actionable.

import { addDays, addMonths, daysBetween } from './calendar-date.js';
import type { Policy } from './policy.js';
import type { Benefit, LedgerEntry, Pence } from './types.js';

type CreditStreamKind = 'hb' | 'uc' | 'uc_tenant' | 'dd';
type CreditPeriod = { kind: 'days'; days: number } | { kind: 'monthly' };

export interface CreditStream {
  kind: CreditStreamKind;
  /** Plain words for reasons: "Housing Benefit". */
  label: string;
  period: CreditPeriod;
  /** False when there was only one credit (or an irregular gap) and the policy's period was assumed. */
  periodInferred: boolean;
  lastDate: string;
  /** The last credit, as a positive amount: what the next credit is expected to be. */
  expectedPence: Pence;
  nextExpectedDate: string;
  /** Last credit no more than period + late_tolerance_days ago, and not returned unpaid since. */
  onTrack: boolean;
  /** A Direct Debit returned unpaid on or after the last collection. */
  returnedUnpaid: boolean;
}

const DIRECT_DEBIT = /direct\s*debit|\bDD\b/i;
// Its SQL twin is `is_direct_debit(type, description)` (migrations/0084_kept_ledger.sql), in Postgres's
// regular expressions, where `\m`/`\M` are word edges: the kept ledger decides it as each line arrives and
// the daily sweep reads it in bulk. test/rent/credit-streams-sql.test.ts checks the two agree.

export function isDirectDebit(entry: LedgerEntry): boolean {
  return entry.type === 'payment' && DIRECT_DEBIT.test(entry.description);
}

/** Snaps the gap between two credits to weekly, fortnightly, four-weekly or monthly; null when irregular. */
function snapPeriod(gapDays: number, kind: CreditStreamKind): CreditPeriod | null {
  if (gapDays >= 5 && gapDays <= 9) return { kind: 'days', days: 7 };
  if (gapDays >= 12 && gapDays <= 16) return { kind: 'days', days: 14 };
  // A 28-day gap is four-weekly for HB (its usual cycle) but a February month for UC and Direct Debits.
  if (kind === 'hb' && gapDays >= 26 && gapDays <= 30) return { kind: 'days', days: 28 };
  if (gapDays >= 26 && gapDays <= 33) return { kind: 'monthly' };
  return null;
}

function fallbackPeriod(kind: CreditStreamKind, policy: Policy): CreditPeriod {
  const timing = policy.benefit_timing;
  const days = kind === 'hb' ? timing.hb_period_days : kind === 'dd' ? timing.dd_period_days : timing.uc_period_days;
  return { kind: 'days', days };
}

export function describePeriod(period: CreditPeriod): string {
  if (period.kind === 'monthly') return 'monthly';
  if (period.days === 7) return 'weekly';
  if (period.days === 14) return 'fortnightly';
  if (period.days === 28) return '4-weekly';
  return `every ${period.days} days`;
}

const LABELS: Record<CreditStreamKind, string> = {
  hb: 'Housing Benefit',
  uc: 'Universal Credit',
  uc_tenant: "the tenant's monthly payment after Universal Credit",
  dd: 'Direct Debit',
};

function streamCredits(kind: CreditStreamKind, rentEntries: LedgerEntry[]): LedgerEntry[] {
  const credits = rentEntries.filter((e) => e.amountPence < 0);
  switch (kind) {
    case 'hb':
      return credits.filter((e) => e.type === 'hb');
    case 'uc':
      return credits.filter((e) => e.type === 'uc');
    case 'uc_tenant':
      return credits.filter((e) => e.type === 'payment' && !isDirectDebit(e));
    case 'dd':
      return credits.filter(isDirectDebit);
  }
}

/** Which streams to look for: HB and UC follow the tenancy's benefit; anyone may pay by Direct Debit. */
function kindsFor(benefit: Benefit): CreditStreamKind[] {
  switch (benefit) {
    case 'hb':
      return ['hb', 'dd'];
    case 'uc_apa':
      return ['uc', 'dd'];
    case 'uc':
      // UC arrives in the tenant's bank monthly; their own regular monthly payment is what follows it.
      return ['uc_tenant', 'dd'];
    case 'none':
      return ['dd'];
  }
}

function buildStream(
  kind: CreditStreamKind,
  rentEntries: LedgerEntry[],
  policy: Policy,
  today: string,
): CreditStream | null {
  // Credits on the same day are one credit (a split posting), so gaps are between distinct days.
  const byDate = new Map<string, Pence>();
  for (const e of streamCredits(kind, rentEntries)) byDate.set(e.date, (byDate.get(e.date) ?? 0) - e.amountPence);
  const dates = [...byDate.keys()].sort();
  const lastDate = dates.at(-1);
  if (lastDate === undefined) return null;
  const previous = dates.at(-2);
  const snapped = previous === undefined ? null : snapPeriod(daysBetween(previous, lastDate), kind);
  const period = snapped ?? fallbackPeriod(kind, policy);
  // A tenant on UC paying weekly or fortnightly is not waiting on a monthly UC payment: no timing to explain.
  if (kind === 'uc_tenant' && period.kind === 'days' && period.days < 28) return null;
  const nextExpectedDate = period.kind === 'monthly' ? addMonths(lastDate, 1) : addDays(lastDate, period.days);
  const returnedUnpaid =
    kind === 'dd' && rentEntries.some((e) => isDirectDebit(e) && e.amountPence > 0 && e.date >= lastDate);
  const onTrack = !returnedUnpaid && today <= addDays(nextExpectedDate, policy.benefit_timing.late_tolerance_days);
  return {
    kind,
    label: LABELS[kind],
    period,
    periodInferred: snapped !== null,
    lastDate,
    expectedPence: byDate.get(lastDate) ?? 0,
    nextExpectedDate,
    onTrack,
    returnedUnpaid,
  };
}

/** The regular credit streams found on the rent account entries (already limited to dates <= today). */
export function findCreditStreams(
  benefit: Benefit,
  rentEntries: LedgerEntry[],
  policy: Policy,
  today: string,
): CreditStream[] {
  return kindsFor(benefit)
    .map((kind) => buildStream(kind, rentEntries, policy, today))
    .filter((s): s is CreditStream => s !== null);
}
