// When automated texts may go out: the policy's daily window (default 09:00-20:00 Europe/London),
// on the policy's days (default Monday to Saturday), never on England and Wales bank holidays.
// Messages due outside the window wait for the next opening (docs/rules.md#contact-window).

import { addDays, weekdayOf } from './calendar-date.js';
import type { Policy } from './policy.js';
import { localDateAt, localDateOf, localMinutesOf } from './schedule.js';

/**
 * England and Wales bank holidays. 2025-2027 as published on gov.uk/bank-holidays; 2028 worked out from
 * the usual rules (substitute days when Christmas or New Year fall at a weekend) because gov.uk had not
 * published it yet: add any one-off holidays (a coronation, a jubilee) to contact.extra_bank_holidays.
 */
export const ENGLAND_AND_WALES_BANK_HOLIDAYS: readonly string[] = [
  // 2025
  '2025-01-01',
  '2025-04-18',
  '2025-04-21',
  '2025-05-05',
  '2025-05-26',
  '2025-08-25',
  '2025-12-25',
  '2025-12-26',
  // 2026: Boxing Day is a Saturday, so the substitute is Monday 28 Dec
  '2026-01-01',
  '2026-04-03',
  '2026-04-06',
  '2026-05-04',
  '2026-05-25',
  '2026-08-31',
  '2026-12-25',
  '2026-12-28',
  // 2027: Christmas Day and Boxing Day fall at the weekend, so 27 and 28 Dec
  '2027-01-01',
  '2027-03-26',
  '2027-03-29',
  '2027-05-03',
  '2027-05-31',
  '2027-08-30',
  '2027-12-27',
  '2027-12-28',
  // 2028: New Year's Day is a Saturday, so Monday 3 Jan
  '2028-01-03',
  '2028-04-14',
  '2028-04-17',
  '2028-05-01',
  '2028-05-29',
  '2028-08-28',
  '2028-12-25',
  '2028-12-26',
];

const BUILT_IN = new Set(ENGLAND_AND_WALES_BANK_HOLIDAYS);

/** Longest run of closed days we will search past (Christmas plus a long list of extra closures). */
const MAX_CLOSED_DAYS = 60;

function minutesOf(time: string): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

export function isBankHoliday(date: string, policy: Policy): boolean {
  return BUILT_IN.has(date) || policy.contact.extra_bank_holidays.includes(date);
}

/** A day on which the policy allows automated contact at all (right weekday, not a bank holiday). */
function isContactDay(date: string, policy: Policy): boolean {
  return policy.contact.days.includes(weekdayOf(date)) && !isBankHoliday(date, policy);
}

/** True when `instant` falls on a contact day, at or after window_start and before window_end (local time). */
export function isInContactWindow(instant: Date, policy: Policy): boolean {
  const zone = policy.time_zone;
  if (!isContactDay(localDateOf(instant, zone), policy)) return false;
  const minutes = localMinutesOf(instant, zone);
  return minutes >= minutesOf(policy.contact.window_start) && minutes < minutesOf(policy.contact.window_end);
}

/** `instant` itself when the window is open, otherwise the start of the next window. */
export function nextContactOpening(instant: Date, policy: Policy): Date {
  if (isInContactWindow(instant, policy)) return new Date(instant.getTime());
  const zone = policy.time_zone;
  const today = localDateOf(instant, zone);
  const beforeOpening = localMinutesOf(instant, zone) < minutesOf(policy.contact.window_start);
  for (let offset = beforeOpening ? 0 : 1; offset <= MAX_CLOSED_DAYS; offset++) {
    const day = addDays(today, offset);
    if (isContactDay(day, policy)) return localDateAt(day, policy.contact.window_start, zone);
  }
  throw new Error(
    `No contact day in the ${MAX_CLOSED_DAYS} days after ${today}: check contact.days and extra_bank_holidays`,
  );
}
