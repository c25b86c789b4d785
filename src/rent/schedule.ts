// The charge calendar: on which local dates rent falls due, honouring rent-free weeks and 53-week rent
// years, plus the conversions between Europe/London wall-clock times and instants.
// Reminders and arrears rules come from this calendar, never from "every Monday" (docs/rules.md#rent-calendar).

import { TZDate } from '@date-fns/tz';
import {
  addDays,
  addMonths,
  daysBetween,
  isIsoDate,
  maxDate,
  minDate,
  onOrAfterWeekday,
  splitDate,
  weekCommencing,
  weekdayOf,
} from './calendar-date.js';
import type { Policy } from './policy.js';
import type { Pence, RentFrequency, RentSchedule, Weekday } from './types.js';
import { WEEKDAYS } from './types.js';

const STEP_DAYS: Record<Exclude<RentFrequency, 'monthly'>, number> = {
  weekly: 7,
  fortnightly: 14,
  four_weekly: 28,
};

/** How far ahead nextDueDate looks: longer than any run of rent-free weeks plus a month. */
const LOOK_AHEAD_DAYS = 400;

function checkSchedule(schedule: RentSchedule): void {
  if (!isIsoDate(schedule.startDate)) throw new Error(`Rent schedule startDate "${schedule.startDate}" is not a date`);
  if (schedule.endDate !== null && !isIsoDate(schedule.endDate)) {
    throw new Error(`Rent schedule endDate "${schedule.endDate}" is not a date`);
  }
  if (schedule.frequency === 'monthly') {
    const day = schedule.dueDay;
    if (typeof day !== 'number' || !Number.isInteger(day) || day < 1 || day > 28) {
      throw new Error(`Monthly rent needs a due day of the month from 1 to 28, got ${String(day)}`);
    }
  } else if (typeof schedule.dueDay !== 'string' || !WEEKDAYS.includes(schedule.dueDay)) {
    throw new Error(`${schedule.frequency} rent needs a weekday as its due day, got ${String(schedule.dueDay)}`);
  }
}

/** The rent year (1 April to 31 March) that contains `date`. */
export function rentYearOf(date: string): { start: string; end: string } {
  const [year, month] = splitDate(date);
  const startYear = month >= 4 ? year : year - 1;
  return { start: `${startYear}-04-01`, end: `${startYear + 1}-03-31` };
}

/**
 * True when `date` is the 53rd occurrence of its weekday in its rent year. A 365-day rent year holds
 * 52 weeks and a day, so the weekday of 1 April (and of 2 April in a year with 29 February) comes 53 times.
 */
export function isFiftyThirdWeek(date: string): boolean {
  const { start, end } = rentYearOf(date);
  const first = onOrAfterWeekday(start, weekdayOf(date));
  const occurrences = Math.floor(daysBetween(first, end) / 7) + 1;
  return occurrences === 53 && daysBetween(first, date) === 52 * 7;
}

/** Whether a weekly-type charge on `date` is waived by the landlord's rent calendar. */
function isRentFreeDate(date: string, frequency: RentFrequency, policy: Policy): boolean {
  if (frequency === 'monthly') return false; // monthly rent is annual ÷ 12: rent-free weeks are already spread in
  if (policy.rent_calendar.rent_free_weeks.includes(weekCommencing(date))) return true;
  return (
    frequency === 'weekly' && policy.rent_calendar.fifty_three_week_years === 'rent_free' && isFiftyThirdWeek(date)
  );
}

/** Scheduled charge dates from `from` to `to`, lazily, so a caller wanting the next one stops there. */
function* scheduledDates(schedule: RentSchedule, from: string, to: string): Generator<string> {
  if (schedule.frequency === 'monthly') {
    const [year, month] = splitDate(from);
    const dueDay = String(schedule.dueDay).padStart(2, '0');
    let candidate = `${year}-${String(month).padStart(2, '0')}-${dueDay}`;
    if (candidate < from) candidate = addMonths(candidate, 1);
    for (; candidate <= to; candidate = addMonths(candidate, 1)) yield candidate;
    return;
  }
  const step = STEP_DAYS[schedule.frequency];
  const anchor = onOrAfterWeekday(schedule.startDate, schedule.dueDay as Weekday);
  const skip = Math.max(0, Math.ceil(daysBetween(anchor, from) / step));
  for (let date = addDays(anchor, skip * step); date <= to; date = addDays(date, step)) yield date;
}

function* chargedDates(schedule: RentSchedule, policy: Policy, from: string, to: string): Generator<string> {
  checkSchedule(schedule);
  const lo = maxDate(from, schedule.startDate);
  const hi = schedule.endDate === null ? to : minDate(to, schedule.endDate);
  if (lo > hi) return;
  for (const date of scheduledDates(schedule, lo, hi))
    if (!isRentFreeDate(date, schedule.frequency, policy)) yield date;
}

/**
 * Local dates from `from` to `to` inclusive on which a charge falls due. Weekly-type rent falls due every
 * 7/14/28 days from the first due weekday on or after the start date; monthly rent on its day of the month.
 * Nothing before startDate or after endDate; rent-free weeks (and a 53rd week, if the policy says so) are skipped.
 */
export function dueDates(schedule: RentSchedule, policy: Policy, from: string, to: string): string[] {
  return [...chargedDates(schedule, policy, from, to)];
}

function firstDueDate(schedule: RentSchedule, policy: Policy, onOrAfter: string): string | null {
  for (const date of chargedDates(schedule, policy, onOrAfter, addDays(onOrAfter, LOOK_AHEAD_DAYS))) return date;
  return null;
}

/**
 * What decides a schedule's next due date from `onOrAfter`: a tenancy that began before that date matters
 * only by its due day and, for fortnightly and four-weekly rent, the phase of its first due date (so the
 * 150,000 accounts of a daily sweep share a few hundred answers).
 */
function dueDateKey(schedule: RentSchedule, onOrAfter: string): string {
  const { frequency, dueDay, startDate, endDate } = schedule;
  let start = startDate;
  if (startDate < onOrAfter)
    start =
      frequency === 'monthly' || frequency === 'weekly'
        ? 'before'
        : `phase ${daysBetween('2000-01-03', onOrAfterWeekday(startDate, dueDay as Weekday)) % STEP_DAYS[frequency]}`;
  return `${frequency}|${String(dueDay)}|${start}|${endDate ?? ''}|${onOrAfter}`;
}

/** Answers by policy (a policy file change brings a new policy object) and key; bounded. */
const dueDateMemo = new WeakMap<Policy, Map<string, string | null>>();
const DUE_DATE_MEMO_SIZE = 20_000;

/** The first due date on or after `onOrAfter`, or null once the tenancy has ended. */
export function nextDueDate(schedule: RentSchedule, policy: Policy, onOrAfter: string): string | null {
  checkSchedule(schedule);
  const key = dueDateKey(schedule, onOrAfter);
  let memo = dueDateMemo.get(policy);
  if (!memo) dueDateMemo.set(policy, (memo = new Map()));
  const known = memo.get(key);
  if (known !== undefined) return known;
  const date = firstDueDate(schedule, policy, onOrAfter);
  if (memo.size >= DUE_DATE_MEMO_SIZE) memo.clear();
  memo.set(key, date);
  return date;
}

/** An amount paid at `frequency` expressed per week, rounded to the penny (monthly × 12 ÷ 52). */
export function weeklyEquivalentOf(amountPence: Pence, frequency: RentFrequency): Pence {
  switch (frequency) {
    case 'weekly':
      return amountPence;
    case 'fortnightly':
      return Math.round(amountPence / 2);
    case 'four_weekly':
      return Math.round(amountPence / 4);
    case 'monthly':
      return Math.round((amountPence * 12) / 52);
  }
}

export function weeklyEquivalentPence(schedule: RentSchedule): Pence {
  return weeklyEquivalentOf(schedule.amountPence, schedule.frequency);
}

/** The instant at which the wall clock in `timeZone` reads `time` ("10:00") on `date`; honours clock changes. */
export function localDateAt(date: string, time: string, timeZone: string): Date {
  const [year, month, day] = splitDate(date);
  const match = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!match) throw new Error(`Expected a time like "10:00", got "${time}"`);
  const local = new TZDate(year, month - 1, day, Number(match[1]), Number(match[2]), 0, timeZone);
  return new Date(local.getTime());
}

/**
 * The local date and time of the instant last asked about. A job asks about the same `now` for every tenant
 * it decides on (150,000 times on a big morning), and a time-zone conversion is costly; one entry is enough.
 */
let lastLocal: { ms: number; timeZone: string; date: string; minutes: number } | null = null;

function localOf(instant: Date, timeZone: string): { date: string; minutes: number } {
  const ms = instant.getTime();
  if (lastLocal && lastLocal.ms === ms && lastLocal.timeZone === timeZone) return lastLocal;
  const local = new TZDate(ms, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  lastLocal = {
    ms,
    timeZone,
    date: `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`,
    minutes: local.getHours() * 60 + local.getMinutes(),
  };
  return lastLocal;
}

/** The local calendar date (`YYYY-MM-DD`) in `timeZone` at `instant`. */
export function localDateOf(instant: Date, timeZone: string): string {
  return localOf(instant, timeZone).date;
}

/** Minutes after local midnight in `timeZone` at `instant` (used for contact windows). */
export function localMinutesOf(instant: Date, timeZone: string): number {
  return localOf(instant, timeZone).minutes;
}
