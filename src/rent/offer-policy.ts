// Checks a tenant's repayment offer (on top of the rent) against the landlord's offer policy:
// at least min_weekly_pence a week equivalent, and clearing the arrears within max_weeks.
// Offers outside the policy are flagged for an officer, never rejected (docs/rules.md#offers).

import { addDays, addMonths, formatDay } from './calendar-date.js';
import { formatPence } from './money.js';
import type { Policy } from './policy.js';
import { weeklyEquivalentOf } from './schedule.js';
import type { Pence, RentFrequency } from './types.js';

interface Offer {
  amountPence: Pence;
  frequency: RentFrequency;
  /** Local date of the first instalment. */
  startDate: string;
}

interface OfferAssessment {
  withinPolicy: boolean;
  weeklyEquivalentPence: Pence;
  /** Instalments needed × weeks per instalment (a month is 52/12 weeks), rounded up; null if it never clears. */
  weeksToClear: number | null;
  /** Local date of the last instalment; null when there is nothing to clear or it never clears. */
  clearBy: string | null;
  reasons: string[];
}

const PERIOD_WORD: Record<RentFrequency, string> = {
  weekly: 'a week',
  fortnightly: 'a fortnight',
  four_weekly: 'every 4 weeks',
  monthly: 'a month',
};

const PERIOD_DAYS: Record<Exclude<RentFrequency, 'monthly'>, number> = { weekly: 7, fortnightly: 14, four_weekly: 28 };

/** The local date of the nth instalment (1-based) of a plan starting on `startDate`. */
export function instalmentDate(startDate: string, frequency: RentFrequency, n: number): string {
  // Monthly dates are counted from the start each time, so 31 Jan, 28 Feb, 31 Mar (not 28 Mar).
  return frequency === 'monthly' ? addMonths(startDate, n - 1) : addDays(startDate, (n - 1) * PERIOD_DAYS[frequency]);
}

/** Weeks covered by `instalments` payments at `frequency`, rounded up (24 monthly = 104 weeks). */
function weeksForInstalments(instalments: number, frequency: RentFrequency): number {
  const weeksPerPeriodTimes12 = { weekly: 12, fortnightly: 24, four_weekly: 48, monthly: 52 }[frequency];
  return Math.ceil((instalments * weeksPerPeriodTimes12) / 12);
}

export function assessOffer(offer: Offer, arrearsPence: Pence, policy: Policy): OfferAssessment {
  const { min_weekly_pence: minWeekly, max_weeks: maxWeeks } = policy.offers;
  const weekly = weeklyEquivalentOf(offer.amountPence, offer.frequency);
  const reasons: string[] = [];

  const offered =
    offer.frequency === 'weekly'
      ? `${formatPence(offer.amountPence)} a week`
      : `${formatPence(offer.amountPence)} ${PERIOD_WORD[offer.frequency]} (${formatPence(weekly)} a week)`;
  const meetsFloor = weekly >= minWeekly;
  reasons.push(`${offered} ${meetsFloor ? 'meets' : 'is below'} the ${formatPence(minWeekly)} minimum`);

  if (arrearsPence <= 0) {
    reasons.push('nothing to clear: there are no arrears');
    return { withinPolicy: meetsFloor, weeklyEquivalentPence: weekly, weeksToClear: 0, clearBy: null, reasons };
  }
  if (offer.amountPence <= 0) {
    reasons.push(`never clears ${formatPence(arrearsPence)}`);
    return { withinPolicy: false, weeklyEquivalentPence: weekly, weeksToClear: null, clearBy: null, reasons };
  }

  const instalments = Math.ceil(arrearsPence / offer.amountPence);
  const weeksToClear = weeksForInstalments(instalments, offer.frequency);
  const clearBy = instalmentDate(offer.startDate, offer.frequency, instalments);
  const clearsInTime = weeksToClear <= maxWeeks;
  reasons.push(
    clearsInTime
      ? `clears ${formatPence(arrearsPence)} in ${weeksToClear} weeks, by ${formatDay(clearBy)}`
      : `takes ${weeksToClear} weeks to clear ${formatPence(arrearsPence)} (by ${formatDay(clearBy)}), longer than the ${maxWeeks}-week limit`,
  );
  return { withinPolicy: meetsFloor && clearsInTime, weeklyEquivalentPence: weekly, weeksToClear, clearBy, reasons };
}
