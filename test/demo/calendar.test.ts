// The demo generator's date and money helpers: these feed every generated row, so they are pinned here.
import { describe, expect, it } from 'vitest';
import {
  civilFromDay,
  dayFromIso,
  firstMonthDayOnOrAfter,
  firstWeekdayOnOrAfter,
  isoFromDay,
  isRentFreeWeek,
  MONDAY,
  poundsFromPence,
  rentYearOf,
  weekday,
} from '../../src/demo/calendar.js';

describe('demo calendar', () => {
  it('round-trips ISO dates through day numbers, leap days included', () => {
    for (const iso of ['1940-01-01', '2000-02-29', '2024-12-31', '2026-03-01', '2026-11-16']) {
      const day = dayFromIso(iso);
      expect(isoFromDay(day)).toBe(iso);
      const { year, month, day: dom } = civilFromDay(day);
      expect(`${year}-${String(month).padStart(2, '0')}-${String(dom).padStart(2, '0')}`).toBe(iso);
    }
    expect(() => dayFromIso('2026-02-30')).toThrow();
    expect(() => dayFromIso('16/11/2026')).toThrow();
  });

  it('knows Mondays and due days', () => {
    expect(weekday(dayFromIso('2026-11-16'))).toBe(MONDAY);
    expect(isoFromDay(firstWeekdayOnOrAfter(dayFromIso('2026-11-17'), MONDAY))).toBe('2026-11-23');
    expect(isoFromDay(firstWeekdayOnOrAfter(dayFromIso('2026-11-16'), MONDAY))).toBe('2026-11-16');
    expect(isoFromDay(firstMonthDayOnOrAfter(dayFromIso('2026-12-29'), 28))).toBe('2027-01-28');
    expect(isoFromDay(firstMonthDayOnOrAfter(dayFromIso('2026-12-02'), 2))).toBe('2026-12-02');
  });

  it('makes the last two weeks of December and of March rent-free', () => {
    // Stoke's 2024/25 Christmas and March rent-free weeks (docs/rules.md#background-rent-weeks).
    for (const iso of ['2024-12-23', '2024-12-30', '2025-03-24', '2025-03-31'])
      expect(isRentFreeWeek(dayFromIso(iso))).toBe(true);
    for (const iso of ['2024-12-16', '2025-01-06', '2025-03-17', '2025-04-07'])
      expect(isRentFreeWeek(dayFromIso(iso))).toBe(false);
  });

  it('starts the rent year in April', () => {
    expect(rentYearOf(dayFromIso('2026-03-31'))).toBe(2025);
    expect(rentYearOf(dayFromIso('2026-04-01'))).toBe(2026);
  });

  it('writes pounds with two decimals and a leading minus for credits', () => {
    expect(poundsFromPence(10350)).toBe('103.50');
    expect(poundsFromPence(-10350)).toBe('-103.50');
    expect(poundsFromPence(5)).toBe('0.05');
    expect(poundsFromPence(-5)).toBe('-0.05');
    expect(poundsFromPence(0)).toBe('0.00');
  });
});
