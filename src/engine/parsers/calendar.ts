// Plain calendar dates (year, month, day) and the few sums the date parsers need. Arithmetic runs on
// UTC midnights so that no time zone or clock change can move a date; the only time-zone step is turning
// `now` into the landlord's local date, which rent/schedule.ts does (once per instant: a morning's
// conversations all ask about the same `now`).
import { localDateOf as localIsoDateOf } from '../../rent/schedule.js';

export interface LocalDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

const MS_PER_DAY = 86_400_000;

/** The calendar date `now` falls on in `timeZone`, or null for an invalid instant or zone. */
export function localDateOf(now: Date, timeZone: string): LocalDate | null {
  const instant = now instanceof Date ? now.getTime() : Number.NaN;
  if (!Number.isFinite(instant)) return null;
  let iso: string;
  try {
    iso = localIsoDateOf(now, timeZone);
  } catch {
    return null;
  }
  // An unknown zone gives NaN parts; outside four-digit years the date strings and Date.UTC's two-digit-year
  // rule stop making sense.
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!parts) return null;
  const year = Number(parts[1]);
  if (year < 1000) return null;
  return { year, month: Number(parts[2]), day: Number(parts[3]) };
}

export function isValidDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function toEpochDay(date: LocalDate): number {
  return Math.floor(Date.UTC(date.year, date.month - 1, date.day) / MS_PER_DAY);
}

function fromEpochDay(epochDay: number): LocalDate {
  const d = new Date(epochDay * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Same day-of-month `months` later, clamped to the month's last day (31 Jan + 1 month → 28/29 Feb). */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

/** 0 = Sunday … 6 = Saturday. */
function weekdayOf(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

export function compareDates(a: LocalDate, b: LocalDate): number {
  return toEpochDay(a) - toEpochDay(b);
}

export function formatDate(date: LocalDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** The first day on or after `from` (or strictly after, when `strictly`) that falls on `weekday`. */
export function nextWeekday(from: LocalDate, weekday: number, strictly: boolean): LocalDate {
  let gap = (weekday - weekdayOf(from) + 7) % 7;
  if (gap === 0 && strictly) gap = 7;
  return addDays(from, gap);
}

/** The next date on or after `from` whose day of month is `day`, clamped to shorter months' last day. */
export function nextDayOfMonth(from: LocalDate, day: number): LocalDate {
  const thisMonth = { year: from.year, month: from.month, day: Math.min(day, daysInMonth(from.year, from.month)) };
  if (compareDates(thisMonth, from) >= 0) return thisMonth;
  const next = addMonths({ year: from.year, month: from.month, day: 1 }, 1);
  return { ...next, day: Math.min(day, daysInMonth(next.year, next.month)) };
}
