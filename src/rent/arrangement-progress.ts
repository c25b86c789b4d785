// Pure: what a tenant has paid towards an arrangement, day by day, read off the rent ledger. The rule's
// expected balance is "starting arrears minus instalments due to date, plus current rent charged and
// paid", so the money that counts is starting arrears minus the arrears on each day (with the usual
// grace period for new charges). Rent paid on time therefore counts nothing; anything above it counts.
// The result feeds rent/arrangement.ts's assessArrangement as its `payments`.
import { addDays } from './calendar-date.js';
import type { TransactionType } from './types.js';

/** One rent-account line of the ledger, as the arrangement watch reads it. */
export interface LedgerLine {
  date: string;
  type: TransactionType;
  amount_pence: number;
}

interface ProgressInput {
  /** Rent balance before `baseline`. */
  openingPence: number;
  /** Rent-account lines from at least `graceDays` before the baseline to today, in date order. */
  lines: readonly LedgerLine[];
  /** Local date from which the arrangement counts (the day it was agreed). */
  baseline: string;
  startArrearsPence: number;
  today: string;
  graceDays: number;
}

function isCharge(line: LedgerLine): boolean {
  return (line.type === 'rent' || line.type === 'charge') && line.amount_pence > 0;
}

/**
 * Arrears on `date`: the balance, less charges still inside their grace period that are not yet paid.
 * Credits since the first such charge pay it first, so rent paid on the day it is charged does not
 * leave a grace allowance behind that would hide a missed instalment.
 */
function arrearsOn(input: ProgressInput, date: string): number {
  const graceFrom = addDays(date, -input.graceDays);
  let balance = input.openingPence;
  let inGrace = 0;
  let firstInGrace: string | null = null;
  for (const line of input.lines) {
    if (line.date > date) break;
    if (line.date >= input.baseline) balance += line.amount_pence;
    if (isCharge(line) && line.date > graceFrom) {
      inGrace += line.amount_pence;
      firstInGrace ??= line.date;
    }
  }
  let paidSince = 0;
  if (firstInGrace !== null) {
    for (const line of input.lines) {
      if (line.date > date) break;
      if (line.date >= firstInGrace && line.amount_pence < 0) paidSince -= line.amount_pence;
    }
  }
  return balance - Math.max(0, inGrace - paidSince);
}

/** Money towards the arrangement as dated increments (decrements when a charge goes unpaid). */
export function paymentsTowardArrangement(input: ProgressInput): { date: string; amountPence: number }[] {
  const days = new Set<string>([input.baseline]);
  for (const line of input.lines) {
    if (line.date >= input.baseline) days.add(line.date);
    if (isCharge(line)) days.add(addDays(line.date, input.graceDays));
  }
  const payments: { date: string; amountPence: number }[] = [];
  let counted = 0;
  for (const day of [...days].filter((d) => d >= input.baseline && d <= input.today).sort()) {
    const paid = input.startArrearsPence - arrearsOn(input, day);
    if (paid !== counted) payments.push({ date: day, amountPence: paid - counted });
    counted = paid;
  }
  return payments;
}
