// Officers' working hours, for "an urgent hand-off nobody has picked up within 4 working hours is raised
// again": Monday to Friday, 09:00-17:00 in the landlord's time zone, never on England and Wales bank
// holidays (or the policy's extra closures). Pure: the clock comes in.

import { addDays, weekdayOf } from './calendar-date.js';
import { isBankHoliday } from './contact-window.js';
import type { Policy } from './policy.js';
import { localDateAt, localDateOf } from './schedule.js';

const WORKING_DAYS: readonly string[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];
const WORKING_DAY_START = '09:00';
const WORKING_DAY_END = '17:00';
/** An urgent hand-off waits this long, in working hours, before it is raised again as overdue. */
export const URGENT_PICK_UP_WORKING_HOURS = 4;

const HOUR_MS = 3_600_000;
/** Longest closure searched past (Christmas plus extra closures). */
const MAX_DAYS = 60;

function isWorkingDay(date: string, policy: Policy): boolean {
  return WORKING_DAYS.includes(weekdayOf(date)) && !isBankHoliday(date, policy);
}

/** The instant `hours` working hours after `start`. */
export function addWorkingHours(start: Date, hours: number, policy: Policy): Date {
  const zone = policy.time_zone;
  let remaining = hours * HOUR_MS;
  let day = localDateOf(start, zone);
  for (let i = 0; i <= MAX_DAYS + hours; i++, day = addDays(day, 1)) {
    if (!isWorkingDay(day, policy)) continue;
    const open = localDateAt(day, WORKING_DAY_START, zone);
    const close = localDateAt(day, WORKING_DAY_END, zone);
    const from = start > open ? start : open;
    if (from >= close) continue;
    const available = close.getTime() - from.getTime();
    if (available >= remaining) return new Date(from.getTime() + remaining);
    remaining -= available;
  }
  throw new Error('addWorkingHours: no working hours found in the next 60 days; check contact.extra_bank_holidays');
}
