// UK date phrases resolved against a fixed "now" in Europe/London: never in the past, day first, and a
// weekday name always means a day after today.
import { describe, expect, it } from 'vitest';
import { parseUkDate } from '../../../src/engine/parsers/index.js';

const LONDON = 'Europe/London';
// Thursday 26 November 2026, midday in London.
const THURSDAY = new Date('2026-11-26T12:00:00Z');
// Friday 27 November 2026.
const FRIDAY = new Date('2026-11-27T09:00:00Z');

describe('parseUkDate on Thursday 26 November 2026', () => {
  it.each([
    ['Friday', '2026-11-27'],
    ['fri', '2026-11-27'],
    ['next Mon', '2026-11-30'],
    ['next monday', '2026-11-30'],
    ['this friday', '2026-11-27'],
    ['on sat', '2026-11-28'],
    ['Thursday', '2026-12-03'],
    ['tomorrow', '2026-11-27'],
    ['tmrw', '2026-11-27'],
    ['today', '2026-11-26'],
    ['the day after tomorrow', '2026-11-28'],
    ['the 15th', '2026-12-15'],
    ['15th', '2026-12-15'],
    ['on the 26th', '2026-11-26'],
    ['the 28th', '2026-11-28'],
    ['the 31st', '2026-11-30'],
    ['the twenty-eighth', '2026-11-28'],
    ['the first', '2026-12-01'],
    ['on the 15 if that is ok', '2026-12-15'],
    ['15/12', '2026-12-15'],
    ['01/11', '2027-11-01'],
    ['15/12/2026', '2026-12-15'],
    ['15/12/26', '2026-12-15'],
    ['2026-12-15', '2026-12-15'],
    ['15 Dec', '2026-12-15'],
    ['15th December', '2026-12-15'],
    ['15th of December 2027', '2027-12-15'],
    ['December 15', '2026-12-15'],
    ['Dec 15th, 2026', '2026-12-15'],
    ['from 15 may', '2027-05-15'],
    ['29/02', '2028-02-29'],
    ['when I get paid on the 3rd', '2026-12-03'],
    ['payday on the 28th', '2026-11-28'],
    ['from next week', '2026-11-30'],
    ['end of next week', '2026-12-04'],
    ['end of the month', '2026-11-30'],
    ['end of next month', '2026-12-31'],
    ['next month', '2026-12-01'],
    ['start of next month', '2026-12-01'],
    ['from January', '2027-01-01'],
    ['from November', '2026-11-26'],
    ['end of January', '2027-01-31'],
    ['in 2 weeks', '2026-12-10'],
    ['in two weeks', '2026-12-10'],
    ['in a fortnight', '2026-12-10'],
    ['in 3 days', '2026-11-29'],
    ['in a month', '2026-12-26'],
    ['a week today', '2026-12-03'],
    ['friday week', '2026-12-04'],
    ['a week on friday', '2026-12-04'],
    ['the weekend', '2026-11-28'],
    ['asap', '2026-11-26'],
    ['I get paid on the 28th so can I start on the 1st', '2026-12-01'],
  ])('reads %j as %s', (text, date) => {
    expect(parseUkDate(text, THURSDAY, LONDON)).toBe(date);
  });

  it.each([
    ['', 'an empty message'],
    ['sometime', 'no date'],
    ['15/12/2025', 'a date with a year that has passed'],
    ['31/02', 'a day the month never has'],
    ['the 45th', 'a day no month has'],
    ['sat on the sofa', 'a weekday abbreviation used as a word'],
    ['I may 15', 'the verb "may" before a number'],
    ['the 2 kids', 'a count after "the"'],
    ['£15', 'money'],
    ['every 2 weeks', 'a frequency'],
    ['when I get paid', 'payday without a date'],
  ])('refuses %j (%s)', (text) => {
    expect(parseUkDate(text, THURSDAY, LONDON)).toBeNull();
  });
});

describe('parseUkDate and today', () => {
  it('reads "Friday" said on a Friday as the following Friday, not today', () => {
    expect(parseUkDate('Friday', FRIDAY, LONDON)).toBe('2026-12-04');
  });

  it('reads "next Friday" said on a Friday as the following Friday too', () => {
    expect(parseUkDate('next Friday', FRIDAY, LONDON)).toBe('2026-12-04');
  });

  it('reads "today" as today only when the tenant says "today"', () => {
    expect(parseUkDate('today', FRIDAY, LONDON)).toBe('2026-11-27');
  });

  it('reads "the 27th" said on the 27th as today', () => {
    expect(parseUkDate('the 27th', FRIDAY, LONDON)).toBe('2026-11-27');
  });

  it('rolls "the 15th" said after the 15th into next month and over the year end', () => {
    expect(parseUkDate('the 15th', new Date('2026-12-20T10:00:00Z'), LONDON)).toBe('2027-01-15');
  });
});

describe('parseUkDate and the time zone', () => {
  it('uses the London date in winter, when London is on UTC: 23:30Z on 26 Nov is still 26 Nov', () => {
    expect(parseUkDate('today', new Date('2026-11-26T23:30:00Z'), LONDON)).toBe('2026-11-26');
  });

  it('uses the London date in summer, when London is an hour ahead: 23:30Z on 30 June is 1 July', () => {
    const now = new Date('2026-06-30T23:30:00Z');
    expect(parseUkDate('today', now, LONDON)).toBe('2026-07-01');
    expect(parseUkDate('the 30th', now, LONDON)).toBe('2026-07-30');
    expect(parseUkDate('end of the month', now, LONDON)).toBe('2026-07-31');
  });

  it('reads weekdays from the local date, not the UTC one', () => {
    // 23:30Z on Thursday 2 July 2026 is already Friday 3 July in London.
    expect(parseUkDate('Friday', new Date('2026-07-02T23:30:00Z'), LONDON)).toBe('2026-07-10');
  });

  it('returns null instead of throwing for an unknown time zone or an invalid now', () => {
    expect(parseUkDate('today', THURSDAY, 'Not/AZone')).toBeNull();
    expect(parseUkDate('today', new Date(Number.NaN), LONDON)).toBeNull();
  });
});
