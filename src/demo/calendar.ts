// Calendar and money helpers for the demo generator, on whole UTC day numbers (days since 1970-01-01).
// Generating 15 million ledger rows means formatting tens of millions of dates and amounts; plain integers
// (days, pence) with a small date-string cache keep that cheap and free of time-zone surprises: a ledger
// date is a civil date, not an instant.

const MS_PER_DAY = 86_400_000;

export const MONDAY = 1;

/** Day number of a YYYY-MM-DD date; throws on anything else so a bad `today` fails loudly. */
export function dayFromIso(iso: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new Error(`expected a YYYY-MM-DD date, got "${iso}"`);
  const [, y, m, d] = match;
  const day = dayFromCivil(Number(y), Number(m), Number(d));
  if (isoFromDay(day) !== iso) throw new Error(`not a calendar date: "${iso}"`);
  return day;
}

export function dayFromCivil(year: number, month: number, dayOfMonth: number): number {
  return Date.UTC(year, month - 1, dayOfMonth) / MS_PER_DAY;
}

interface CivilDate {
  year: number;
  month: number; // 1–12
  day: number; // 1–31
}

/** Civil date of a day number (Howard Hinnant's algorithm: no Date objects in the hot loop). */
export function civilFromDay(dayNumber: number): CivilDate {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

// Ledger dates cluster in a few thousand distinct days, so a bounded cache turns formatting into a lookup.
const isoCache = new Map<number, string>();
const ISO_CACHE_LIMIT = 50_000;

export function isoFromDay(dayNumber: number): string {
  let iso = isoCache.get(dayNumber);
  if (iso === undefined) {
    iso = new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
    if (isoCache.size >= ISO_CACHE_LIMIT) isoCache.clear();
    isoCache.set(dayNumber, iso);
  }
  return iso;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export function firstWeekdayOnOrAfter(dayNumber: number, wantedWeekday: number): number {
  return dayNumber + ((wantedWeekday - weekday(dayNumber) + 7) % 7);
}

/**
 * Rent-free weeks, as the typical placement (docs/rules.md#background-rent-weeks): the last two weeks of December and the last two of
 * March. A week is rent-free when its Monday falls on or after the 18th of either month (both have 31 days,
 * so that is exactly the last two Mondays).
 */
export function isRentFreeWeek(mondayDay: number): boolean {
  const { month, day } = civilFromDay(mondayDay);
  return (month === 12 || month === 3) && day >= 18;
}

/** Day number of `dayOfMonth` (1–28, so it always exists) in the month `monthsAhead` after `from`'s month. */
export function dayInMonth(from: CivilDate, monthsAhead: number, dayOfMonth: number): number {
  const monthIndex = from.month - 1 + monthsAhead;
  return dayFromCivil(from.year + Math.floor(monthIndex / 12), (monthIndex % 12) + 1, dayOfMonth);
}

/** First date on or after `dayNumber` that falls on `dayOfMonth` (1–28). */
export function firstMonthDayOnOrAfter(dayNumber: number, dayOfMonth: number): number {
  const civil = civilFromDay(dayNumber);
  return civil.day <= dayOfMonth ? dayInMonth(civil, 0, dayOfMonth) : dayInMonth(civil, 1, dayOfMonth);
}

/** The rent year (it starts on 1 April) a day belongs to, named by its starting calendar year. */
export function rentYearOf(dayNumber: number): number {
  const { year, month } = civilFromDay(dayNumber);
  return month >= 4 ? year : year - 1;
}

/** Pence as a housing-system export writes pounds: "103.50", "-103.50", "0.00". */
export function poundsFromPence(pence: number): string {
  const negative = pence < 0;
  const abs = negative ? -pence : pence;
  const pounds = Math.floor(abs / 100);
  const rest = abs - pounds * 100;
  return `${negative ? '-' : ''}${pounds}.${rest < 10 ? '0' : ''}${rest}`;
}
