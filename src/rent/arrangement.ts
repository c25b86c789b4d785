// Repayment arrangements (an agreed amount on top of the rent): instalment dates, the expected arrears to
// date, and whether the arrangement is being kept. A payment more than tolerance_days late breaks it
// (docs/rules.md#arrangements); after a break the next step is a warning with a deadline, never a legal step.

import { addDays, formatDay } from './calendar-date.js';
import { formatPence } from './money.js';
import { instalmentDate } from './offer-policy.js';
import type { Policy } from './policy.js';
import type { Pence, RentFrequency } from './types.js';

interface ArrangementInput {
  /** Arrears when the arrangement started. */
  startArrearsPence: Pence;
  /** Instalment on top of the rent, per period. */
  amountPence: Pence;
  frequency: RentFrequency;
  /** Local date of the first instalment. */
  startDate: string;
  /** Money counted towards the arrangement (over and above current rent), positive pence. */
  payments: { date: string; amountPence: Pence }[];
  today: string;
}

type ArrangementStatus = 'active' | 'kept' | 'broken' | 'completed';

export interface ArrangementAssessment {
  /** active: no instalment due yet; kept: every instalment due so far paid (or still within tolerance). */
  status: ArrangementStatus;
  /** The next instalment on or after today; null when none is left. */
  nextInstalmentDate: string | null;
  /** Instalments due to date minus payments to date, never negative. */
  shortfallPence: Pence;
  /** Starting arrears minus instalments due to date: what the arrears should be if the plan is followed. */
  expectedArrearsPence: Pence;
  reason: string;
}

interface Instalment {
  number: number;
  date: string;
  amountPence: Pence;
  /** Total of this and all earlier instalments. */
  cumulativePence: Pence;
}

/** Every instalment of the plan; the last one is smaller when the arrears do not divide evenly. */
export function instalments(
  input: Pick<ArrangementInput, 'startArrearsPence' | 'amountPence' | 'frequency' | 'startDate'>,
): Instalment[] {
  if (input.amountPence <= 0) throw new Error('An arrangement needs an instalment of more than £0.00');
  const count = Math.ceil(Math.max(0, input.startArrearsPence) / input.amountPence);
  return Array.from({ length: count }, (_, i) => {
    const cumulativePence = Math.min(input.startArrearsPence, (i + 1) * input.amountPence);
    return {
      number: i + 1,
      date: instalmentDate(input.startDate, input.frequency, i + 1),
      amountPence: cumulativePence - i * input.amountPence,
      cumulativePence,
    };
  });
}

/** Starting arrears minus the instalments due on or before `date`. */
function expectedArrearsPence(plan: Instalment[], startArrearsPence: Pence, date: string): Pence {
  const due = plan.filter((i) => i.date <= date).at(-1)?.cumulativePence ?? 0;
  return startArrearsPence - due;
}

export function assessArrangement(input: ArrangementInput, policy: Policy): ArrangementAssessment {
  const { today } = input;
  const tolerance = policy.arrangements.tolerance_days;
  const plan = instalments(input);
  const paidBy = (date: string) =>
    input.payments.filter((p) => p.date <= date).reduce((total, p) => total + p.amountPence, 0);
  const paid = paidBy(today);
  const expected = expectedArrearsPence(plan, input.startArrearsPence, today);
  const dueSoFar = input.startArrearsPence - expected;
  const shortfall = Math.max(0, dueSoFar - paid);
  const next = plan.find((i) => i.date >= today) ?? null;
  const result = { nextInstalmentDate: next?.date ?? null, shortfallPence: shortfall, expectedArrearsPence: expected };

  if (paid >= input.startArrearsPence) {
    return {
      ...result,
      status: 'completed',
      nextInstalmentDate: null,
      shortfallPence: 0,
      reason: `Completed: ${formatPence(input.startArrearsPence)} paid in full`,
    };
  }

  // Broken once any instalment was not covered by the end of its tolerance, even if caught up later:
  // the officer decides what happens next.
  const missed = plan.find(
    (i) => addDays(i.date, tolerance) < today && paidBy(addDays(i.date, tolerance)) < i.cumulativePence,
  );
  if (missed) {
    const lateAfter = addDays(missed.date, tolerance);
    return {
      ...result,
      status: 'broken',
      reason:
        `Broken: the ${formatPence(missed.amountPence)} instalment due ${formatDay(missed.date, today)} was not paid by ` +
        `${formatDay(lateAfter, today)} (${tolerance} days' grace)` +
        (shortfall > 0 ? `; ${formatPence(shortfall)} short now` : '; since caught up'),
    };
  }

  const first = plan[0];
  if (first && first.date > today) {
    return {
      ...result,
      status: 'active',
      reason: `Starts ${formatDay(first.date, today)}: first instalment ${formatPence(first.amountPence)}`,
    };
  }
  const nextText = next ? `; next ${formatPence(next.amountPence)} on ${formatDay(next.date, today)}` : '';
  const kept =
    shortfall > 0
      ? `Kept so far: ${formatPence(shortfall)} of the instalments due is still within the ${tolerance}-day grace`
      : `Kept: ${formatPence(paid)} paid of ${formatPence(dueSoFar)} due so far`;
  return { ...result, status: 'kept', reason: kept + nextText };
}
