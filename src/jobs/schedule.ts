// The cron table: when each job is due, in the landlord's time zone. Pure: given `now` it says which
// scheduled time is the latest one due, and how late a run may start and still make sense (a tick missed
// while the service was down is caught up within that, never replayed days later).
import { addDays } from '../rent/calendar-date.js';
import type { Policy } from '../rent/policy.js';
import { localDateAt, localDateOf, localMinutesOf } from '../rent/schedule.js';
import type { Weekday } from '../rent/types.js';
import { WEEKDAYS } from '../rent/types.js';
import { weekdayOf } from '../rent/calendar-date.js';
import type { JobName } from './types.js';

export type JobSchedule =
  | { job: JobName; kind: 'daily'; time: string; maxLatenessMs: number }
  | { job: JobName; kind: 'every'; minutes: number; maxLatenessMs: number }
  | { job: JobName; kind: 'weekly'; weekday: Weekday; time: string; maxLatenessMs: number };

const HOUR_MS = 3_600_000;

/**
 * The default table. `daily` (reminders, missed payments, arrangements, timeouts in that order) runs at
 * the reminder time, so reminders go out at the hour the policy names; texts it queues outside the contact
 * window wait in the outbox for the next opening. Flow timers and expiries are checked every 5 minutes.
 * A missed daily run is still worth doing until the next one is due (reminders re-check their due dates).
 */
export function defaultSchedules(policy: Policy): JobSchedule[] {
  return [
    { job: 'daily', kind: 'daily', time: policy.reminders.time, maxLatenessMs: 20 * HOUR_MS },
    { job: 'timeouts', kind: 'every', minutes: 5, maxLatenessMs: HOUR_MS },
    // The KPI digest for the escalation channel, at the start of the working week.
    { job: 'weekly-digest', kind: 'weekly', weekday: 'monday', time: '09:00', maxLatenessMs: 8 * HOUR_MS },
  ];
}

/** node-cron's expression for a schedule (seconds omitted: minute resolution). */
export function cronExpression(schedule: JobSchedule): string {
  if (schedule.kind === 'every') return `*/${schedule.minutes} * * * *`;
  const [hours, minutes] = schedule.time.split(':').map(Number);
  // cron counts days of the week from Sunday (0).
  if (schedule.kind === 'weekly') return `${minutes} ${hours} * * ${(WEEKDAYS.indexOf(schedule.weekday) + 1) % 7}`;
  return `${minutes} ${hours} * * *`;
}

/** The latest scheduled time at or before `now` (a daily time honours clock changes in `timeZone`). */
export function latestOccurrence(schedule: JobSchedule, now: Date, timeZone: string): Date {
  if (schedule.kind === 'every') {
    // Minute boundaries are the same instants in every zone we serve (whole-hour offsets).
    const back = (localMinutesOf(now, timeZone) % schedule.minutes) * 60_000 + (now.getTime() % 60_000);
    return new Date(now.getTime() - back);
  }
  const today = localDateOf(now, timeZone);
  if (schedule.kind === 'weekly') {
    // The latest such weekday on or before today, at the time; a week earlier if today's is still to come.
    const back = (WEEKDAYS.indexOf(weekdayOf(today)) - WEEKDAYS.indexOf(schedule.weekday) + 7) % 7;
    const day = addDays(today, -back);
    const at = localDateAt(day, schedule.time, timeZone);
    return at.getTime() <= now.getTime() ? at : localDateAt(addDays(day, -7), schedule.time, timeZone);
  }
  const todays = localDateAt(today, schedule.time, timeZone);
  return todays.getTime() <= now.getTime() ? todays : localDateAt(addDays(today, -1), schedule.time, timeZone);
}

/** A run that starts later than this after its scheduled time is skipped: the next run covers it. */
export function tooLate(schedule: Pick<JobSchedule, 'maxLatenessMs'>, scheduledFor: Date, now: Date): boolean {
  return now.getTime() - scheduledFor.getTime() > schedule.maxLatenessMs;
}
