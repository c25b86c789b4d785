// Turns a UK date phrase into a local calendar date, relative to the landlord's local "today".
// Rules callers must know (all chosen so the answer is never in the past, then read back to the tenant):
// - A weekday name means the next one strictly after today: "Friday" said on a Friday is a week later.
//   "next Friday" and "this Friday" mean the same as "Friday"; only "today" means today.
// - "the 15th" is the next 15th on or after today; a day the month lacks ("the 31st" in November) is
//   that month's last day, as paydays are.
// - "15/12" and "15 Dec" are day-first (UK) and take the next such date on or after today; with a year,
//   a date before today is refused (null) rather than moved.
// - "next week" is next Monday; "end of the month" the last day of this month.
import {
  type LocalDate,
  addDays,
  addMonths,
  compareDates,
  daysInMonth,
  formatDate,
  isValidDate,
  localDateOf,
  nextDayOfMonth,
  nextWeekday,
} from './calendar.js';
import type { DateExpr, DateSpan } from './date-expressions.js';
import { scanMessage } from './scan.js';

/** The local date a description names, seen from local `today`; null if none or in the past. */
function resolveDateExpr(expr: DateExpr, today: LocalDate): LocalDate | null {
  const resolved = resolveUnchecked(expr, today);
  if (resolved === null || compareDates(resolved, today) < 0) return null;
  return resolved;
}

function resolveUnchecked(expr: DateExpr, today: LocalDate): LocalDate | null {
  switch (expr.kind) {
    case 'offset_days':
      return addDays(today, expr.days);
    case 'offset_months':
      return addMonths(today, expr.months);
    case 'weekday':
      return addDays(nextWeekday(today, expr.weekday, true), 7 * expr.extraWeeks);
    case 'weekday_on_or_after':
      return nextWeekday(today, expr.weekday, false);
    case 'next_week':
      return addDays(nextWeekday(today, 1, true), expr.plusDays + 7 * expr.extraWeeks);
    case 'day_of_month':
      return nextDayOfMonth(today, expr.day);
    case 'calendar':
      return resolveCalendar(expr.day, expr.month, expr.year, today);
    case 'month_edge': {
      const first = addMonths({ year: today.year, month: today.month, day: 1 }, expr.monthsAhead);
      return expr.edge === 'start' ? first : { ...first, day: daysInMonth(first.year, first.month) };
    }
    case 'named_month':
      return resolveNamedMonth(expr.month, expr.edge, today);
  }
}

function resolveCalendar(day: number, month: number, year: number | null, today: LocalDate): LocalDate | null {
  if (year !== null) return isValidDate(year, month, day) ? { year, month, day } : null;
  // No year: this year's, else the next year that has it (29 February waits for a leap year).
  for (let y = today.year; y <= today.year + 8; y++) {
    const candidate = { year: y, month, day };
    if (isValidDate(y, month, day) && compareDates(candidate, today) >= 0) return candidate;
  }
  return null;
}

function resolveNamedMonth(month: number, edge: 'start' | 'middle' | 'end', today: LocalDate): LocalDate {
  const year = month >= today.month ? today.year : today.year + 1;
  const day = edge === 'start' ? 1 : edge === 'middle' ? 15 : daysInMonth(year, month);
  const date = { year, month, day };
  // "from November" said during November starts today, not next November.
  return compareDates(date, today) < 0 ? today : date;
}

/**
 * Which of several dates in a message is the start date: the first one introduced by "from",
 * "starting"…; otherwise the first one that resolves.
 */
export function pickStartDate(spans: readonly DateSpan[], today: LocalDate): LocalDate | null {
  const resolved = spans
    .map((span) => ({ span, date: span.expr === null ? null : resolveDateExpr(span.expr, today) }))
    .filter((r): r is { span: DateSpan; date: LocalDate } => r.date !== null);
  const cued = resolved.find((r) => r.span.cued);
  return (cued ?? resolved[0])?.date ?? null;
}

/** The landlord's local date today as 'YYYY-MM-DD' (null only for an invalid clock). */
export function localToday(now: Date, timeZone: string): string | null {
  const today = localDateOf(now, timeZone);
  return today === null ? null : formatDate(today);
}

/**
 * The date a tenant names ("Friday", "the 15th", "15/12", "end of the month"), as a local
 * 'YYYY-MM-DD' in `timeZone`, never before `now`'s local date; null when there is none.
 */
export function parseUkDate(text: string, now: Date, timeZone: string): string | null {
  if (typeof text !== 'string') return null;
  const today = localDateOf(now, timeZone);
  if (today === null) return null;
  const date = pickStartDate(scanMessage(text).dates, today);
  return date === null ? null : formatDate(date);
}
