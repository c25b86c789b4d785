// Arithmetic on calendar dates written as `YYYY-MM-DD` strings (local Europe/London days).
// Works in UTC milliseconds internally so that the host's time zone and clock changes never shift a day.

import type { Weekday } from './types.js';
import { WEEKDAYS } from './types.js';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** True for a real calendar date in `YYYY-MM-DD` form ("2026-02-30" is not). */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const ms = Date.UTC(y, m - 1, d);
  return new Date(ms).toISOString().slice(0, 10) === text;
}

function toUtcMs(date: string): number {
  const match = ISO_DATE.exec(date);
  if (!match || !isIsoDate(date)) throw new Error(`Expected a date like 2026-04-06, got "${date}"`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

function fromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

/** Adds calendar months, clamping to the month's last day (31 Jan + 1 month = 28 or 29 Feb). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = splitDate(date);
  const monthIndex = y * 12 + (m - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromUtcMs(Date.UTC(year, month, Math.min(d, lastDay)));
}

export function splitDate(date: string): [year: number, month: number, day: number] {
  const ms = toUtcMs(date);
  const at = new Date(ms);
  return [at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate()];
}

export function weekdayOf(date: string): Weekday {
  // getUTCDay: 0 = Sunday; WEEKDAYS starts on Monday.
  return WEEKDAYS[(new Date(toUtcMs(date)).getUTCDay() + 6) % 7] as Weekday;
}

/** The Monday that starts the rent week containing `date`. */
export function weekCommencing(date: string): string {
  return addDays(date, -WEEKDAYS.indexOf(weekdayOf(date)));
}

/** The first date on or after `date` that falls on `weekday`. */
export function onOrAfterWeekday(date: string, weekday: Weekday): string {
  const shift = (WEEKDAYS.indexOf(weekday) - WEEKDAYS.indexOf(weekdayOf(date)) + 7) % 7;
  return addDays(date, shift);
}

export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

/** "12 Oct" in the same year as `relativeTo`, otherwise "12 Oct 2025"; always with the year when no reference. */
export function formatDay(date: string, relativeTo?: string): string {
  const [y, m, d] = splitDate(date);
  const short = `${d} ${MONTH_SHORT[m - 1]}`;
  if (relativeTo !== undefined && splitDate(relativeTo)[0] === y) return short;
  return `${short} ${y}`;
}
