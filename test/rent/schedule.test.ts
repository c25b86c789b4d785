// Table tests for the charge calendar: due dates, rent-free weeks, 53-week years, and local times.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/rent/calendar-date.js';
import { parsePolicy } from '../../src/rent/policy.js';
import { DEFAULT_POLICY } from '../support/policy.js';
import {
  dueDates,
  isFiftyThirdWeek,
  localDateAt,
  localDateOf,
  nextDueDate,
  weeklyEquivalentPence,
} from '../../src/rent/schedule.js';
import type { RentSchedule } from '../../src/rent/types.js';

const noRentFreeWeeks = parsePolicy({ rent_calendar: { rent_free_weeks: [] } });
const fiftyThirdWeekRentFree = parsePolicy({
  rent_calendar: { rent_free_weeks: [], fifty_three_week_years: 'rent_free' },
});

function schedule(overrides: Partial<RentSchedule>): RentSchedule {
  return {
    frequency: 'weekly',
    amountPence: 10000,
    dueDay: 'monday',
    startDate: '2026-04-06',
    endDate: null,
    ...overrides,
  };
}

describe('dueDates', () => {
  it('starts weekly rent on the first due weekday on or after the start date', () => {
    // 8 Apr 2026 is a Wednesday; the next Monday is 13 Apr.
    expect(dueDates(schedule({ startDate: '2026-04-08' }), noRentFreeWeeks, '2026-04-01', '2026-04-30')).toEqual([
      '2026-04-13',
      '2026-04-20',
      '2026-04-27',
    ]);
  });

  it.each([
    // Fortnightly from Monday 6 Apr: 6, 20 Apr, 4, 18 May; asked from 1 May, so 4 and 18 May.
    ['fortnightly', '2026-05-01', '2026-05-31', ['2026-05-04', '2026-05-18']],
    // Four-weekly from 6 Apr: 6 Apr, 4 May, 1 Jun, 29 Jun.
    ['four_weekly', '2026-04-01', '2026-06-30', ['2026-04-06', '2026-05-04', '2026-06-01', '2026-06-29']],
  ] as const)(
    'steps %s rent from the first due date, even when asked from a later date',
    (frequency, from, to, expected) => {
      expect(dueDates(schedule({ frequency }), noRentFreeWeeks, from, to)).toEqual(expected);
    },
  );

  it('puts monthly rent on its day of the month, first on or after the start date', () => {
    // Starts 20 Apr with due day 15: April's 15th is before the start, so the first is 15 May.
    const monthly = schedule({ frequency: 'monthly', amountPence: 43333, dueDay: 15, startDate: '2026-04-20' });
    expect(dueDates(monthly, DEFAULT_POLICY, '2026-04-01', '2026-08-31')).toEqual([
      '2026-05-15',
      '2026-06-15',
      '2026-07-15',
      '2026-08-15',
    ]);
  });

  it('stops charging after the end date', () => {
    const ended = schedule({ endDate: '2026-11-15' });
    expect(dueDates(ended, DEFAULT_POLICY, '2026-11-01', '2026-11-30')).toEqual(['2026-11-02', '2026-11-09']);
    expect(nextDueDate(ended, DEFAULT_POLICY, '2026-11-10')).toBeNull();
  });

  it('charges nothing in a rent-free week (the shipped calendar frees w/c 21 and 28 Dec 2026)', () => {
    expect(dueDates(schedule({}), DEFAULT_POLICY, '2026-12-14', '2027-01-11')).toEqual([
      '2026-12-14',
      '2027-01-04',
      '2027-01-11',
    ]);
  });

  it('frees a Thursday due date whose week commencing Monday is listed', () => {
    // Thursday 24 Dec 2026 is in the week commencing Monday 21 Dec.
    const thursday = schedule({ dueDay: 'thursday' });
    expect(dueDates(thursday, DEFAULT_POLICY, '2026-12-15', '2027-01-08')).toEqual(['2026-12-17', '2027-01-07']);
  });

  it('still charges monthly rent in a rent-free week, because annual ÷ 12 already spreads those weeks', () => {
    const monthly = schedule({ frequency: 'monthly', dueDay: 22 });
    expect(dueDates(monthly, DEFAULT_POLICY, '2026-12-01', '2026-12-31')).toEqual(['2026-12-22']);
  });

  it('charges all 53 Mondays of rent year 2024/25 when the policy says charge', () => {
    // 1 Apr 2024 and 31 Mar 2025 are both Mondays: 364 days apart, so 52 steps + 1 = 53 due dates.
    const dates = dueDates(schedule({ startDate: '2020-01-01' }), noRentFreeWeeks, '2024-04-01', '2025-03-31');
    expect(dates).toHaveLength(53);
    expect(dates[0]).toBe('2024-04-01');
    expect(dates.at(-1)).toBe('2025-03-31');
  });

  it('makes the 53rd Monday of rent year 2024/25 rent-free when the policy says rent_free', () => {
    const dates = dueDates(schedule({ startDate: '2020-01-01' }), fiftyThirdWeekRentFree, '2024-04-01', '2025-03-31');
    expect(dates).toHaveLength(52);
    expect(dates.at(-1)).toBe('2025-03-24');
  });

  it('leaves a 52-Monday rent year alone under rent_free (1 Apr 2026 is a Wednesday)', () => {
    // Mondays from 6 Apr 2026 to 29 Mar 2027: 357 days apart, so 51 steps + 1 = 52.
    const dates = dueDates(schedule({ startDate: '2020-01-01' }), fiftyThirdWeekRentFree, '2026-04-01', '2027-03-31');
    expect(dates).toHaveLength(52);
  });

  it('throws a clear error for a due day that does not fit the frequency', () => {
    expect(() =>
      dueDates(schedule({ frequency: 'monthly', dueDay: 'monday' }), DEFAULT_POLICY, '2026-04-01', '2026-05-01'),
    ).toThrow(/day of the month from 1 to 28/);
    expect(() => dueDates(schedule({ dueDay: 31 }), DEFAULT_POLICY, '2026-04-01', '2026-05-01')).toThrow(/weekday/);
  });
});

describe('isFiftyThirdWeek', () => {
  it.each([
    ['2025-03-31', true], // Monday: 53rd Monday of 2024/25
    ['2025-03-24', false],
    ['2027-03-29', false], // rent year 2026/27 has 52 Mondays
    // 2027/28 runs 1 Apr 2027 (Thursday) to 31 Mar 2028 and holds 29 Feb 2028: 366 days, so Thursdays and
    // Fridays come 53 times; the 53rd Thursday is 1 Apr 2027 + 364 days = 30 Mar 2028.
    ['2028-03-30', true],
    ['2028-03-31', true],
    ['2028-03-29', false],
  ])('says %s is the 53rd week: %s', (date, expected) => {
    expect(isFiftyThirdWeek(date)).toBe(expected);
  });
});

describe('nextDueDate', () => {
  it.each([
    ['2026-11-10', '2026-11-16'], // Tuesday → next Monday
    ['2026-11-16', '2026-11-16'], // a due date itself
    ['2026-12-15', '2027-01-04'], // skips the two rent-free weeks over Christmas
    ['2026-03-01', '2026-04-06'], // before the tenancy starts → the first due date
  ])('from %s finds %s', (from, expected) => {
    expect(nextDueDate(schedule({}), DEFAULT_POLICY, from)).toBe(expected);
  });

  // nextDueDate keeps its answers by what decides them (the due day, a fortnightly or four-weekly start's
  // phase, the end), so the sweep's 150,000 accounts share a few hundred: whatever was asked before, each
  // answer must be the calendar's own first date.
  it('answers as the calendar does, whatever schedules were asked about before (property)', () => {
    const day = (offset: number) => addDays('2020-01-01', offset);
    const arbitrarySchedule = fc.record({
      frequency: fc.constantFrom('weekly', 'fortnightly', 'four_weekly', 'monthly' as const),
      weekday: fc.constantFrom('monday', 'wednesday', 'friday', 'sunday' as const),
      monthDay: fc.integer({ min: 1, max: 28 }),
      start: fc.integer({ min: 0, max: 2600 }),
      length: fc.option(fc.integer({ min: 0, max: 900 })),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(arbitrarySchedule, fc.constantFrom(2400, 2401, 2405, 2413)), { minLength: 1, maxLength: 40 }),
        (asks) => {
          for (const [s, from] of asks) {
            const startDate = day(s.start);
            const rent: RentSchedule = {
              frequency: s.frequency,
              amountPence: 10000,
              dueDay: s.frequency === 'monthly' ? s.monthDay : s.weekday,
              startDate,
              endDate: s.length === null ? null : addDays(startDate, s.length),
            };
            const onOrAfter = day(from);
            const expected = dueDates(rent, DEFAULT_POLICY, onOrAfter, addDays(onOrAfter, 400))[0] ?? null;
            expect(nextDueDate(rent, DEFAULT_POLICY, onOrAfter)).toBe(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('weeklyEquivalentPence', () => {
  it.each([
    ['weekly', 9999, 9999],
    ['fortnightly', 20001, 10001], // 10000.5 rounds up
    ['four_weekly', 40000, 10000],
    ['monthly', 43333, 10000], // 43333 × 12 ÷ 52 = 9999.92
    ['monthly', 50000, 11538], // 50000 × 12 ÷ 52 = 11538.46
  ] as const)('converts %s rent of %i pence to %i pence a week', (frequency, amountPence, weekly) => {
    expect(
      weeklyEquivalentPence(schedule({ frequency, amountPence, dueDay: frequency === 'monthly' ? 1 : 'monday' })),
    ).toBe(weekly);
  });
});

describe('localDateAt and localDateOf', () => {
  it.each([
    // Clocks go back at 02:00 BST on Sunday 25 Oct 2026: 10:00 on 26 Oct is GMT, on 19 Oct is BST (UTC+1).
    ['2026-10-26', '10:00', '2026-10-26T10:00:00.000Z'],
    ['2026-10-19', '10:00', '2026-10-19T09:00:00.000Z'],
    ['2026-10-25', '10:00', '2026-10-25T10:00:00.000Z'],
    // Clocks go forward at 01:00 GMT on Sunday 28 Mar 2027.
    ['2027-03-27', '10:00', '2027-03-27T10:00:00.000Z'],
    ['2027-03-29', '10:00', '2027-03-29T09:00:00.000Z'],
    ['2026-07-01', '09:30', '2026-07-01T08:30:00.000Z'],
  ])('places %s %s Europe/London at %s', (date, time, iso) => {
    expect(localDateAt(date, time, 'Europe/London').toISOString()).toBe(iso);
  });

  it.each([
    ['2026-06-30T23:30:00.000Z', '2026-07-01'], // 00:30 BST the next day
    ['2026-10-25T23:30:00.000Z', '2026-10-25'], // 23:30 GMT, after the clocks went back
    ['2026-10-24T23:30:00.000Z', '2026-10-25'], // 00:30 BST
    ['2027-01-01T00:00:00.000Z', '2027-01-01'],
  ])('reads %s as the London date %s', (iso, date) => {
    expect(localDateOf(new Date(iso), 'Europe/London')).toBe(date);
  });
});
