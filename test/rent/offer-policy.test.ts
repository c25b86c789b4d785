// Table tests for the repayment-offer policy: the weekly floor and the time to clear, worked by hand.
import { describe, expect, it } from 'vitest';
import { assessOffer } from '../../src/rent/offer-policy.js';
import { DEFAULT_POLICY } from '../support/policy.js';

// Monday 7 Dec 2026 as the first instalment; default policy: £5.00 a week minimum, 104 weeks maximum.
const start = '2026-12-07';

describe('assessOffer', () => {
  it('accepts £20 a week against £1,040 as inside the policy, clearing in 52 weeks', () => {
    // 104000 ÷ 2000 = 52 instalments; the last is 51 weeks after 7 Dec 2026: 6 Dec 2027 - 7 days = 29 Nov 2027.
    expect(assessOffer({ amountPence: 2000, frequency: 'weekly', startDate: start }, 104000, DEFAULT_POLICY)).toEqual({
      withinPolicy: true,
      weeklyEquivalentPence: 2000,
      weeksToClear: 52,
      clearBy: '2027-11-29',
      reasons: ['£20.00 a week meets the £5.00 minimum', 'clears £1,040.00 in 52 weeks, by 29 Nov 2027'],
    });
  });

  it('flags £3 a week as below the minimum without rejecting it', () => {
    // 10000 ÷ 300 = 33.3 → 34 instalments; the last is 33 weeks (231 days) after 7 Dec 2026 = 26 Jul 2027.
    expect(assessOffer({ amountPence: 300, frequency: 'weekly', startDate: start }, 10000, DEFAULT_POLICY)).toEqual({
      withinPolicy: false,
      weeklyEquivalentPence: 300,
      weeksToClear: 34,
      clearBy: '2027-07-26',
      reasons: ['£3.00 a week is below the £5.00 minimum', 'clears £100.00 in 34 weeks, by 26 Jul 2027'],
    });
  });

  it('converts a monthly offer to its weekly equivalent and counts a month as 52/12 weeks', () => {
    // £50 a month = 5000 × 12 ÷ 52 = 1153.8 → £11.54 a week. 100000 ÷ 5000 = 20 instalments
    // = 20 × 52 ÷ 12 = 86.7 → 87 weeks; the 20th is 19 months after 1 Dec 2026 = 1 Jul 2028.
    expect(
      assessOffer({ amountPence: 5000, frequency: 'monthly', startDate: '2026-12-01' }, 100000, DEFAULT_POLICY),
    ).toEqual({
      withinPolicy: true,
      weeklyEquivalentPence: 1154,
      weeksToClear: 87,
      clearBy: '2028-07-01',
      reasons: [
        '£50.00 a month (£11.54 a week) meets the £5.00 minimum',
        'clears £1,000.00 in 87 weeks, by 1 Jul 2028',
      ],
    });
  });

  it('flags an offer that would take longer than 104 weeks', () => {
    // 100000 ÷ 500 = 200 weekly instalments; the last is 199 weeks after 7 Dec 2026:
    // + 3 × 364 days = 3 Dec 2029, + 43 weeks (301 days) = 30 Sep 2030.
    const result = assessOffer({ amountPence: 500, frequency: 'weekly', startDate: start }, 100000, DEFAULT_POLICY);
    expect(result).toMatchObject({ withinPolicy: false, weeksToClear: 200, clearBy: '2030-09-30' });
    expect(result.reasons).toEqual([
      '£5.00 a week meets the £5.00 minimum',
      'takes 200 weeks to clear £1,000.00 (by 30 Sep 2030), longer than the 104-week limit',
    ]);
  });

  it.each([
    // weekly £10 against £1,040.00: exactly 104 instalments = 104 weeks, inside.
    [1000, 'weekly', 104000, 104, true],
    // one penny more needs a 105th instalment.
    [1000, 'weekly', 104001, 105, false],
    // 24 monthly instalments = 24 × 52 ÷ 12 = 104 weeks, inside.
    [10000, 'monthly', 240000, 104, true],
    // fortnightly £20 (£10 a week) against £200: 10 instalments = 20 weeks.
    [2000, 'fortnightly', 20000, 20, true],
    // four-weekly £40 against £40: one instalment, counted as the 4 weeks it covers.
    [4000, 'four_weekly', 4000, 4, true],
  ] as const)(
    'offers of %i pence %s against %i pence clear in %i weeks (within policy: %s)',
    (amountPence, frequency, arrears, weeks, within) => {
      const result = assessOffer({ amountPence, frequency, startDate: start }, arrears, DEFAULT_POLICY);
      expect(result.weeksToClear).toBe(weeks);
      expect(result.withinPolicy).toBe(within);
    },
  );

  it('says an offer of nothing never clears the arrears', () => {
    expect(assessOffer({ amountPence: 0, frequency: 'weekly', startDate: start }, 10000, DEFAULT_POLICY)).toEqual({
      withinPolicy: false,
      weeklyEquivalentPence: 0,
      weeksToClear: null,
      clearBy: null,
      reasons: ['£0.00 a week is below the £5.00 minimum', 'never clears £100.00'],
    });
  });

  it('has nothing to clear when there are no arrears', () => {
    const result = assessOffer({ amountPence: 1000, frequency: 'weekly', startDate: start }, 0, DEFAULT_POLICY);
    expect(result).toMatchObject({ withinPolicy: true, weeksToClear: 0, clearBy: null });
    expect(result.reasons[1]).toBe('nothing to clear: there are no arrears');
  });
});
