// The legal stage of a case, as officers record it (Rentline never serves anything): the notice's name for
// the tenure, the earliest date proceedings may begin, and when a notice lapses (docs/rules.md, "Legal stage").
//
// - Secure and flexible tenancies: a Notice of Seeking Possession. The date in it can be no earlier than a
//   notice to quit would end the tenancy: the longer of four weeks or one full rent period after service,
//   on the first or last day of a rent period (for a Monday-start weekly tenancy, a Sunday or a Monday at
//   least four weeks after service). It stays in force for 12 months from that date, not from service.
// - Introductory tenancies: a notice of proceedings, with the same notice-to-quit minimum (four weeks).
// - Assured and assured shorthold: a section 8 notice; grounds 8, 10 and 11 need four weeks from service
//   (two weeks for notices served before 1 May 2026); proceedings must begin within 12 months of service.

import { addDays, addMonths, daysBetween, maxDate, onOrAfterWeekday } from './calendar-date.js';
import type { RentFrequency, Weekday } from './types.js';

const LEGAL_STAGES = [
  'notice_served',
  'claim_issued',
  'hearing',
  'order_outright',
  'order_suspended',
  'warrant',
  'evicted',
] as const;
export type LegalStage = (typeof LEGAL_STAGES)[number];

export type Notice = 'nosp' | 'section_8' | 'notice_of_proceedings';

/** Officers type stages with hyphens (`notice-served`); stored with underscores. Null for anything else. */
export function parseLegalStage(text: string): LegalStage | null {
  const stage = text.trim().toLowerCase().replaceAll('-', '_');
  return (LEGAL_STAGES as readonly string[]).includes(stage) ? (stage as LegalStage) : null;
}

/** The notice a landlord serves before possession proceedings, by tenure; null where none is modelled. */
export function noticeFor(tenure: string): Notice | null {
  switch (tenure) {
    case 'secure':
    case 'flexible':
      return 'nosp';
    case 'assured':
    case 'assured_shorthold':
      return 'section_8';
    case 'introductory':
      return 'notice_of_proceedings';
    default:
      return null; // temporary accommodation and licences: a notice to quit, outside these rules
  }
}

export const NOTICE_WORDS: Record<Notice, string> = {
  nosp: 'Notice of Seeking Possession',
  section_8: 'section 8 notice',
  notice_of_proceedings: 'notice of proceedings',
};

/** The rent periods of a tenancy: they start on the due day (weekly types from the first due date). */
interface RentPeriods {
  frequency: RentFrequency;
  /** A weekday for weekly, fortnightly and four-weekly rent; a day of the month (1-28) for monthly. */
  dueDay: Weekday | number;
  startDate: string;
}

/** Section 8 notice periods for grounds 8, 10 and 11 became four weeks on this date (two before). */
const SECTION_8_FOUR_WEEKS_FROM = '2026-05-01';

const STEP_DAYS = { weekly: 7, fortnightly: 14, four_weekly: 28 } as const;

/** The first rent period starting on or after `date`. */
function periodStartOnOrAfter(periods: RentPeriods, date: string): string {
  if (periods.frequency === 'monthly') {
    const day = String(periods.dueDay).padStart(2, '0');
    const candidate = `${date.slice(0, 7)}-${day}`;
    return candidate >= date ? candidate : addMonths(candidate, 1);
  }
  const step = STEP_DAYS[periods.frequency];
  const anchor = onOrAfterWeekday(periods.startDate, periods.dueDay as Weekday);
  const offset = ((daysBetween(anchor, date) % step) + step) % step;
  return offset === 0 ? date : addDays(date, step - offset);
}

/** One full rent period after `date` (a calendar month for monthly rent). */
function onePeriodAfter(frequency: RentFrequency, date: string): string {
  return frequency === 'monthly' ? addMonths(date, 1) : addDays(date, STEP_DAYS[frequency]);
}

/** The first day on or after `minimum` that is the first or the last day of a rent period. */
function snapToPeriodBoundary(periods: RentPeriods, minimum: string): string {
  const start = periodStartOnOrAfter(periods, minimum);
  // The day before a period starts is the last day of the one before; it is the earlier boundary if allowed.
  return start === minimum ? start : addDays(start, -1);
}

interface NoticeDates {
  notice: Notice | null;
  /** The earliest date proceedings may begin (the date the notice must give). */
  earliestProceedingsDate: string | null;
  /** The last day the notice can be relied on; null when it does not lapse by date. */
  expiresOn: string | null;
}

/** The notice's name and dates for a notice served on `servedOn`. */
export function noticeDates(tenure: string, servedOn: string, periods: RentPeriods): NoticeDates {
  const notice = noticeFor(tenure);
  if (notice === null) return { notice, earliestProceedingsDate: null, expiresOn: null };
  if (notice === 'section_8') {
    const weeks = servedOn < SECTION_8_FOUR_WEEKS_FROM ? 2 : 4;
    return { notice, earliestProceedingsDate: addDays(servedOn, weeks * 7), expiresOn: addMonths(servedOn, 12) };
  }
  const minimum = maxDate(addDays(servedOn, 28), onePeriodAfter(periods.frequency, servedOn));
  const earliest = snapToPeriodBoundary(periods, minimum);
  return { notice, earliestProceedingsDate: earliest, expiresOn: notice === 'nosp' ? addMonths(earliest, 12) : null };
}

/** Terms of a suspended possession order: current rent plus this much per period off the arrears. */
export interface OrderTerms {
  amountPence: number;
  frequency: RentFrequency;
  startDate: string;
}
