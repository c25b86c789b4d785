// Arithmetic on calendar dates written as `YYYY-MM-DD` strings (local Europe/London days).
// Works in UTC milliseconds internally so that the host's time zone and clock changes never shift a day.

import type { Weekday } from './types.js';
import { WEEKDAYS } from './types.js';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Date strings are parsed and formatted very often (every due date of every account a sweep looks at),
// so both directions are memoised; the maps are bounded and simply start again when full.
const MEMO_LIMIT = 50_000;
const parsed = new Map<string, number | null>();
const formatted = new Map<number, string>();

function parseIsoDate(text: string): number | null {
  const known = parsed.get(text);
  if (known !== undefined) return known;
  let ms: number | null = null;
  const match = ISO_DATE.exec(text);
  if (match) {
    const y = Number(match[1]);
    const m = Number(match[2]);
    const d = Number(match[3]);
    const at = new Date(Date.UTC(y, m - 1, d));
    if (at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d) ms = at.getTime();
  }
  if (parsed.size >= MEMO_LIMIT) parsed.clear();
  parsed.set(text, ms);
  return ms;
}

/** True for a real calendar date in `YYYY-MM-DD` form ("2026-02-30" is not). */
export function isIsoDate(text: string): boolean {
  return parseIsoDate(text) !== null;
}

function toUtcMs(date: string): number {
  const ms = parseIsoDate(date);
  if (ms === null) throw new Error(`Expected a date like 2026-04-06, got "${date}"`);
  return ms;
}

function fromUtcMs(ms: number): string {
  const known = formatted.get(ms);
  if (known !== undefined) return known;
  const text = new Date(ms).toISOString().slice(0, 10);
  if (formatted.size >= MEMO_LIMIT) formatted.clear();
  formatted.set(ms, text);
  return text;
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
