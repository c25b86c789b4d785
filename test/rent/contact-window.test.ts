// Table tests for the contact window: hours, Sundays, bank holidays and the clock changes (Europe/London).
import { describe, expect, it } from 'vitest';
import { weekdayOf } from '../../src/rent/calendar-date.js';
import {
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  isInContactWindow,
  nextContactOpening,
} from '../../src/rent/contact-window.js';
import { parsePolicy } from '../../src/rent/policy.js';
import { DEFAULT_POLICY } from '../support/policy.js';

const at = (iso: string) => new Date(iso);

describe('isInContactWindow', () => {
  it.each([
    // November 2026 is GMT, so local time = UTC.
    ['2026-11-10T12:00:00Z', true, 'Tuesday midday'],
    ['2026-11-10T08:59:00Z', false, 'a minute before 09:00'],
    ['2026-11-10T09:00:00Z', true, 'exactly 09:00'],
    ['2026-11-10T19:59:00Z', true, '19:59'],
    ['2026-11-10T20:00:00Z', false, 'exactly 20:00 (the window has closed)'],
    ['2026-11-14T12:00:00Z', true, 'Saturday midday'],
    ['2026-11-15T12:00:00Z', false, 'Sunday midday'],
    // 31 Aug 2026 is the summer bank holiday (BST: 11:00Z is 12:00 local).
    ['2026-08-31T11:00:00Z', false, 'the summer bank holiday'],
    // 26 Dec 2026 is a Saturday; the bank holiday is the substitute Monday, 28 Dec.
    ['2026-12-26T12:00:00Z', true, 'Boxing Day on a Saturday'],
    ['2026-12-28T12:00:00Z', false, 'the substitute Boxing Day bank holiday'],
    // 19 Oct 2026 is BST: 08:30Z is 09:30 local, and 19:30Z is 20:30 local.
    ['2026-10-19T08:30:00Z', true, '09:30 BST'],
    ['2026-10-19T19:30:00Z', false, '20:30 BST'],
  ])('at %s is %s (%s)', (iso, expected) => {
    expect(isInContactWindow(at(iso), DEFAULT_POLICY)).toBe(expected);
  });

  it('honours extra closure days from the policy', () => {
    const policy = parsePolicy({ contact: { extra_bank_holidays: ['2026-11-10'] } });
    expect(isInContactWindow(at('2026-11-10T12:00:00Z'), policy)).toBe(false);
    expect(nextContactOpening(at('2026-11-10T12:00:00Z'), policy).toISOString()).toBe('2026-11-11T09:00:00.000Z');
  });
});

describe('nextContactOpening', () => {
  it.each([
    ['2026-11-10T12:00:00Z', '2026-11-10T12:00:00.000Z', 'inside the window: now'],
    ['2026-11-02T06:00:00Z', '2026-11-02T09:00:00.000Z', 'early Monday: 09:00 the same day'],
    ['2026-11-14T21:00:00Z', '2026-11-16T09:00:00.000Z', 'Saturday night: skips Sunday'],
    ['2026-11-15T12:00:00Z', '2026-11-16T09:00:00.000Z', 'Sunday: Monday morning'],
    // BST: 07:30Z is 08:30 local; opening 09:00 BST is 08:00Z.
    ['2026-10-19T07:30:00Z', '2026-10-19T08:00:00.000Z', 'before opening in summer time'],
    // Saturday 24 Oct 20:30 BST; Sunday closed, the clocks go back; Monday 09:00 is GMT = 09:00Z.
    ['2026-10-24T19:30:00Z', '2026-10-26T09:00:00.000Z', 'across the October clock change'],
    // Saturday 27 Mar 2027 20:30 GMT; clocks go forward Sunday; Monday 29 Mar is Easter Monday; Tuesday 09:00 BST.
    ['2027-03-27T20:30:00Z', '2027-03-30T08:00:00.000Z', 'across the March clock change and Easter Monday'],
    // Christmas Eve 20:30: Christmas Day closed, Saturday 26 Dec open.
    ['2026-12-24T20:30:00Z', '2026-12-26T09:00:00.000Z', 'Christmas Eve evening'],
    // Saturday 26 Dec 20:30: Sunday closed, Monday 28 Dec substitute bank holiday, so Tuesday.
    ['2026-12-26T20:30:00Z', '2026-12-29T09:00:00.000Z', 'Boxing Day evening'],
  ])('from %s is %s (%s)', (iso, expected) => {
    expect(nextContactOpening(at(iso), DEFAULT_POLICY).toISOString()).toBe(expected);
  });
});

describe('ENGLAND_AND_WALES_BANK_HOLIDAYS', () => {
  it('holds eight weekday bank holidays a year for 2025 to 2028, no duplicates', () => {
    for (const year of ['2025', '2026', '2027', '2028']) {
      expect(ENGLAND_AND_WALES_BANK_HOLIDAYS.filter((d) => d.startsWith(year))).toHaveLength(8);
    }
    expect(new Set(ENGLAND_AND_WALES_BANK_HOLIDAYS).size).toBe(ENGLAND_AND_WALES_BANK_HOLIDAYS.length);
    for (const date of ENGLAND_AND_WALES_BANK_HOLIDAYS) {
      expect(['saturday', 'sunday']).not.toContain(weekdayOf(date));
    }
  });
});
