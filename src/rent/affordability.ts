// The affordability check: a short income and expenditure statement in Standard Financial Statement
// categories, monthly amounts, and the instalment it suggests. Pure.
//
// - Surplus = income − outgoings (fixed + flexible costs), monthly. "Don't know" counts as nothing and is
//   listed, so an officer can see what the figure rests on.
// - Suggested instalment = affordability.share_of_surplus of the monthly surplus, in the tenant's
//   frequency (weekly = monthly × 12 ÷ 52; fortnightly = 2 × weekly; four-weekly = 4 × weekly), rounded down
//   to whole pounds. Below the offer policy's minimum it is still suggested, and flagged.
// - A deficit (or a surplus too small to make a whole pound) suggests no amount: free debt advice and an
//   officer's call are offered instead.
// - Landlords may set their own spending guidelines for the three flexible categories; spending above
//   them is flagged for the officer (never for the tenant).

import { formatPence } from './money.js';
import type { Policy } from './policy.js';
import { weeklyEquivalentOf } from './schedule.js';
import type { Pence, RentFrequency } from './types.js';

export const AFFORDABILITY_GROUPS = {
  income: ['earnings', 'benefits', 'other_income'],
  fixed: [
    'rent_not_covered',
    'council_tax',
    'energy',
    'water',
    'phone_internet',
    'travel',
    'childcare',
    'priority_debts',
  ],
  flexible: ['food_housekeeping', 'personal', 'communications_leisure'],
} as const;

type AffordabilitySide = keyof typeof AFFORDABILITY_GROUPS;
export type AffordabilityCategory = (typeof AFFORDABILITY_GROUPS)[AffordabilitySide][number];
export const AFFORDABILITY_CATEGORIES: readonly AffordabilityCategory[] = Object.values(AFFORDABILITY_GROUPS).flat();
const FLEXIBLE_CATEGORIES = AFFORDABILITY_GROUPS.flexible;

export const CATEGORY_WORDS: Record<AffordabilityCategory, string> = {
  earnings: 'Earnings',
  benefits: 'Benefits',
  other_income: 'Other income',
  rent_not_covered: 'Rent not covered by benefits',
  council_tax: 'Council tax',
  energy: 'Energy',
  water: 'Water',
  phone_internet: 'Phone and internet',
  travel: 'Travel',
  childcare: 'Childcare',
  priority_debts: 'Other priority debts',
  food_housekeeping: 'Food and housekeeping',
  personal: 'Personal costs',
  communications_leisure: 'Communications and leisure',
};

export function isAffordabilityCategory(name: string): name is AffordabilityCategory {
  return (AFFORDABILITY_CATEGORIES as readonly string[]).includes(name);
}

/**
 * Monthly amounts by category; null is "don't know" or "skip". A tenant answering a question about several
 * categories with one figure gives a total for those categories (`totals`, keyed by a category list).
 */
export interface AffordabilityAnswers {
  amounts: Partial<Record<AffordabilityCategory, Pence | null>>;
  totals?: { categories: AffordabilityCategory[]; pence: Pence }[];
}

type AffordabilityOutcome = 'surplus' | 'below_minimum' | 'deficit';

export interface AffordabilityAssessment {
  incomePence: Pence;
  fixedCostsPence: Pence;
  flexibleCostsPence: Pence;
  outgoingsPence: Pence;
  /** Monthly; negative is a deficit. */
  surplusPence: Pence;
  frequency: RentFrequency;
  /** Whole pounds in `frequency`; null when the check shows nothing to spare. */
  suggestedInstalmentPence: Pence | null;
  outcome: AffordabilityOutcome;
  /** Categories the tenant did not know or skipped. */
  notKnown: AffordabilityCategory[];
  /** Flexible categories above the landlord's own guideline figures. */
  aboveGuidelines: AffordabilityCategory[];
  /** Plain words for officers: what the figure rests on and what is flagged. */
  flags: string[];
}

function sideOf(category: AffordabilityCategory): AffordabilitySide {
  return (Object.keys(AFFORDABILITY_GROUPS) as AffordabilitySide[]).find((side) =>
    (AFFORDABILITY_GROUPS[side] as readonly string[]).includes(category),
  )!;
}

/** share × monthly surplus in `frequency`, rounded down to whole pounds (no float drift below a penny). */
export function suggestedInstalment(surplusPence: Pence, frequency: RentFrequency, share: number): Pence {
  const monthly = surplusPence * share;
  const inFrequency =
    frequency === 'monthly' ? monthly : (monthly * 12 * { weekly: 1, fortnightly: 2, four_weekly: 4 }[frequency]) / 52;
  return Math.floor(inFrequency / 100 + 1e-9) * 100;
}

export function assessAffordability(
  answers: AffordabilityAnswers,
  frequency: RentFrequency,
  policy: Policy,
): AffordabilityAssessment {
  const sums: Record<AffordabilitySide, number> = { income: 0, fixed: 0, flexible: 0 };
  const notKnown: AffordabilityCategory[] = [];
  const covered = new Set<AffordabilityCategory>();
  for (const total of answers.totals ?? []) {
    const [first] = total.categories;
    if (first === undefined) continue;
    sums[sideOf(first)] += total.pence;
    for (const c of total.categories) covered.add(c);
  }
  for (const category of AFFORDABILITY_CATEGORIES) {
    if (covered.has(category)) continue;
    const value = answers.amounts[category];
    if (value === null || value === undefined) notKnown.push(category);
    else sums[sideOf(category)] += value;
  }
  const outgoings = sums.fixed + sums.flexible;
  const surplus = sums.income - outgoings;
  const { share_of_surplus: share, spending_guidelines: guidelines } = policy.affordability;
  const suggested = surplus > 0 ? suggestedInstalment(surplus, frequency, share) : 0;
  const minimum = policy.offers.min_weekly_pence;
  const outcome: AffordabilityOutcome =
    suggested <= 0 ? 'deficit' : weeklyEquivalentOf(suggested, frequency) < minimum ? 'below_minimum' : 'surplus';
  const aboveGuidelines = FLEXIBLE_CATEGORIES.filter((c) => {
    const limit = guidelines[c];
    const value = answers.amounts[c];
    return limit !== undefined && typeof value === 'number' && value > limit;
  });
  const flags: string[] = [];
  if (outcome === 'deficit')
    flags.push(
      surplus < 0
        ? `deficit of ${formatPence(-surplus)} a month: no instalment suggested; free debt advice and an officer's call offered`
        : "nothing to spare: no instalment suggested; free debt advice and an officer's call offered",
    );
  if (outcome === 'below_minimum')
    flags.push(`suggested instalment is below the ${formatPence(minimum)} a week minimum (suggested all the same)`);
  if (notKnown.length > 0)
    flags.push(`not known or skipped: ${notKnown.map((c) => CATEGORY_WORDS[c].toLowerCase()).join(', ')}`);
  for (const c of aboveGuidelines)
    flags.push(
      `${CATEGORY_WORDS[c].toLowerCase()} ${formatPence(answers.amounts[c] as number)} is above the guideline ${formatPence(guidelines[c] as number)}`,
    );
  return {
    incomePence: sums.income,
    fixedCostsPence: sums.fixed,
    flexibleCostsPence: sums.flexible,
    outgoingsPence: outgoings,
    surplusPence: surplus,
    frequency,
    suggestedInstalmentPence: outcome === 'deficit' ? null : suggested,
    outcome,
    notKnown,
    aboveGuidelines,
    flags,
  };
}

const MONTHS_FACTOR: Record<RentFrequency, number> = {
  weekly: 52 / 12,
  fortnightly: 26 / 12,
  four_weekly: 13 / 12,
  monthly: 1,
};
const PER: Record<RentFrequency, string> = {
  weekly: 'a week',
  fortnightly: 'a fortnight',
  four_weekly: 'every four weeks',
  monthly: 'a month',
};

/** An offer set against a check, for the officer: its monthly cost, its share of the surplus, and the suggestion. */
export function offerAgainstCheck(
  offer: { amountPence: Pence; frequency: RentFrequency },
  check: { surplusPence: Pence; suggestedInstalmentPence: Pence | null; frequency: RentFrequency },
): {
  monthlyPence: Pence;
  shareOfSurplusPct: number | null;
  comparedWithSuggestion: 'matches' | 'above' | 'below' | 'no_suggestion';
  text: string;
} {
  const monthly = Math.round(offer.amountPence * MONTHS_FACTOR[offer.frequency]);
  const share = check.surplusPence > 0 ? Math.round((monthly * 1000) / check.surplusPence) / 10 : null;
  const offered = `${formatPence(offer.amountPence)} ${PER[offer.frequency]}`;
  if (check.suggestedInstalmentPence === null) {
    const shortfall =
      check.surplusPence < 0
        ? `a deficit of ${formatPence(-check.surplusPence)} a month`
        : 'nothing to spare each month';
    return {
      monthlyPence: monthly,
      shareOfSurplusPct: share,
      comparedWithSuggestion: 'no_suggestion',
      text: `${offered} (${formatPence(monthly)} a month) against a check showing ${shortfall}: no instalment was suggested`,
    };
  }
  const suggestedMonthly = Math.round(check.suggestedInstalmentPence * MONTHS_FACTOR[check.frequency]);
  const compared =
    Math.abs(monthly - suggestedMonthly) <= 1 ? 'matches' : monthly > suggestedMonthly ? 'above' : 'below';
  const words = { matches: 'the suggested', above: 'more than the suggested', below: 'less than the suggested' }[
    compared
  ];
  return {
    monthlyPence: monthly,
    shareOfSurplusPct: share,
    comparedWithSuggestion: compared,
    text: `${offered} (${formatPence(monthly)} a month) is ${share}% of the ${formatPence(check.surplusPence)} monthly surplus: ${words} ${formatPence(check.suggestedInstalmentPence)} ${PER[check.frequency]}`,
  };
}
