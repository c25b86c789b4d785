import { describe, expect, it } from 'vitest';
import {
  assessAffordability,
  offerAgainstCheck,
  suggestedInstalment,
  type AffordabilityAnswers,
} from '../../src/rent/affordability.js';
import { parsePolicy } from '../../src/rent/policy.js';
import { DEFAULT_POLICY } from '../support/policy.js';

// Hand-worked: income £1,200 (earnings 900 + benefits 300); fixed £650 (rent not covered 100, council tax
// 120, energy 150, water 40, phone 30, travel 60, childcare 0, priority debts 150); flexible £420 (food
// 300, personal 60, leisure 60). Outgoings £1,070, surplus £130 a month.
const surplusAnswers: AffordabilityAnswers = {
  amounts: {
    earnings: 90_000,
    benefits: 30_000,
    other_income: 0,
    rent_not_covered: 10_000,
    council_tax: 12_000,
    energy: 15_000,
    water: 4_000,
    phone_internet: 3_000,
    travel: 6_000,
    childcare: 0,
    priority_debts: 15_000,
    food_housekeeping: 30_000,
    personal: 6_000,
    communications_leisure: 6_000,
  },
};

describe('the suggested instalment', () => {
  it.each([
    // half of £130 = £65 a month; weekly 65 × 12 ÷ 52 = £15.00; fortnightly £30.00; four-weekly £60.00; monthly £65.
    ['weekly', 1_500],
    ['fortnightly', 3_000],
    ['four_weekly', 6_000],
    ['monthly', 6_500],
  ] as const)('a £130 monthly surplus suggests half of it %s: %i pence', (frequency, pence) => {
    const a = assessAffordability(surplusAnswers, frequency, DEFAULT_POLICY);
    expect(a).toMatchObject({
      incomePence: 120_000,
      fixedCostsPence: 65_000,
      flexibleCostsPence: 42_000,
      outgoingsPence: 107_000,
      surplusPence: 13_000,
    });
    expect(a.suggestedInstalmentPence).toBe(pence);
    expect(a.outcome).toBe('surplus');
  });

  it('rounds down to whole pounds: £100 surplus → £50 a month → £11.538 a week → £11', () => {
    expect(suggestedInstalment(10_000, 'weekly', 0.5)).toBe(1_100);
    expect(suggestedInstalment(10_000, 'fortnightly', 0.5)).toBe(2_300); // 23.08
    expect(suggestedInstalment(10_000, 'four_weekly', 0.5)).toBe(4_600); // 46.15
  });

  it('a small surplus below the £5 a week minimum is still suggested, and flagged', () => {
    // Income £1,000, outgoings £960: surplus £40; half £20 a month = £4.615 a week → £4, below £5.
    const a = assessAffordability(
      { amounts: { earnings: 100_000, food_housekeeping: 96_000 } },
      'weekly',
      DEFAULT_POLICY,
    );
    expect(a.surplusPence).toBe(4_000);
    expect(a.suggestedInstalmentPence).toBe(400);
    expect(a.outcome).toBe('below_minimum');
    expect(a.flags[0]).toBe('suggested instalment is below the £5.00 a week minimum (suggested all the same)');
  });

  it('a deficit suggests no amount and offers advice and a call', () => {
    // Income £800, outgoings £850: deficit £50.
    const a = assessAffordability(
      { amounts: { benefits: 80_000, energy: 35_000, food_housekeeping: 50_000 } },
      'weekly',
      DEFAULT_POLICY,
    );
    expect(a).toMatchObject({ surplusPence: -5_000, suggestedInstalmentPence: null, outcome: 'deficit' });
    expect(a.flags[0]).toMatch(/^deficit of £50.00 a month: no instalment suggested; free debt advice/);
  });

  it('"don\'t know" counts as nothing and is listed; a one-figure answer covers its categories', () => {
    const a = assessAffordability(
      {
        amounts: { earnings: null, benefits: 60_000 },
        totals: [{ categories: ['energy', 'water', 'phone_internet'], pence: 20_000 }],
      },
      'weekly',
      DEFAULT_POLICY,
    );
    expect(a.incomePence).toBe(60_000);
    expect(a.fixedCostsPence).toBe(20_000);
    expect(a.notKnown).toContain('earnings');
    expect(a.notKnown).not.toContain('water');
  });

  it("flags flexible spending above the landlord's own guidelines, and uses its share of the surplus", () => {
    const policy = parsePolicy({
      affordability: { share_of_surplus: 0.25, spending_guidelines: { food_housekeeping: 25_000 } },
    });
    const a = assessAffordability(surplusAnswers, 'monthly', policy);
    expect(a.aboveGuidelines).toEqual(['food_housekeeping']);
    expect(a.flags).toContain('food and housekeeping £300.00 is above the guideline £250.00');
    expect(a.suggestedInstalmentPence).toBe(3_200); // a quarter of £130 = £32.50 → £32
    expect(assessAffordability(surplusAnswers, 'monthly', DEFAULT_POLICY).aboveGuidelines).toEqual([]);
  });
});

describe('an offer against the check', () => {
  it('matches the suggestion: £15 a week is £65 a month, 50% of a £130 surplus', () => {
    const r = offerAgainstCheck(
      { amountPence: 1_500, frequency: 'weekly' },
      { surplusPence: 13_000, suggestedInstalmentPence: 1_500, frequency: 'weekly' },
    );
    expect(r).toMatchObject({ monthlyPence: 6_500, shareOfSurplusPct: 50, comparedWithSuggestion: 'matches' });
    expect(r.text).toBe(
      '£15.00 a week (£65.00 a month) is 50% of the £130.00 monthly surplus: the suggested £15.00 a week',
    );
  });

  it('says when an offer is above the suggestion, and when the check showed a deficit', () => {
    expect(
      offerAgainstCheck(
        { amountPence: 3_000, frequency: 'weekly' },
        { surplusPence: 13_000, suggestedInstalmentPence: 1_500, frequency: 'weekly' },
      ).comparedWithSuggestion,
    ).toBe('above');
    expect(
      offerAgainstCheck(
        { amountPence: 500, frequency: 'weekly' },
        { surplusPence: -5_000, suggestedInstalmentPence: null, frequency: 'weekly' },
      ).text,
    ).toBe(
      '£5.00 a week (£21.67 a month) against a check showing a deficit of £50.00 a month: no instalment was suggested',
    );
  });
});
