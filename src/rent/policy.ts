// The landlord's policy file (flows/policy.yaml): every number income staff can change, validated with zod.
// Keys stay snake_case exactly as in the YAML so staff and engineers talk about the same names.
// Missing keys take the defaults below, which match the shipped file (a test keeps the two in step);
// unknown keys are errors, because a misspelt key would otherwise be silently ignored.

import { z } from 'zod';
import { isIsoDate, weekdayOf } from './calendar-date.js';
import { WEEKDAYS } from './types.js';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

function wholeNumber(min: number, max: number, what: string, fallback: number) {
  const error = `expects a whole number of ${what} from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error }).default(fallback);
}

function text(what: string, fallback: string) {
  const error = `expects ${what}`;
  return z.string({ error }).trim().min(1, { error }).default(fallback);
}

function yesNo(fallback: boolean) {
  return z.boolean({ error: 'expects true or false' }).default(fallback);
}

function clockTime(fallback: string) {
  const error = 'expects a 24-hour time in quotes, like "09:00"';
  return z.string({ error }).regex(HH_MM, { error }).default(fallback);
}

const isoDate = z
  .string({ error: 'expects a date like "2026-12-21"' })
  .refine(isIsoDate, { error: 'expects a real date like "2026-12-21"' });

const monday = isoDate.refine((d) => !isIsoDate(d) || weekdayOf(d) === 'monday', {
  error: 'expects the Monday that starts each rent-free week, like "2026-12-21"',
});

const weekday = z.enum(WEEKDAYS, { error: `expects a day of the week: ${WEEKDAYS.join(', ')}` });

const url = (fallback: string) => z.url({ error: 'expects a web address starting https://' }).default(fallback);

const agency = z.strictObject({
  id: z.string({ error: 'expects a short id like stepchange' }).regex(/^[a-z0-9_]+$/, {
    error: 'expects a short id of lower-case letters, digits and underscores',
  }),
  name: z.string({ error: 'expects the agency name' }).min(1, { error: 'expects the agency name' }),
  phone: z.string({ error: 'expects a phone number in quotes' }).min(1, { error: 'expects a phone number' }),
  url: z.url({ error: 'expects a web address starting https://' }).optional(),
});

const monthlyPence = z
  .number({ error: 'expects whole pence a month (45000 is £450.00)' })
  .int({ error: 'expects whole pence a month (45000 is £450.00)' })
  .min(0, { error: 'expects whole pence a month (45000 is £450.00)' });

const DEFAULT_AGENCIES: z.input<typeof agency>[] = [
  { id: 'stepchange', name: 'StepChange', phone: '0800 138 1111', url: 'https://www.stepchange.org' },
  {
    id: 'national_debtline',
    name: 'National Debtline',
    phone: '0808 808 4000',
    url: 'https://www.nationaldebtline.org',
  },
  { id: 'citizens_advice', name: 'Citizens Advice', phone: '0800 144 8848', url: 'https://www.citizensadvice.org.uk' },
  { id: 'landlord_money_advice', name: 'Demo Homes Money Advice Team', phone: '01632 960001' },
];

const policySchema = z.strictObject({
  landlord: z
    .strictObject({
      name: text('the landlord name', 'Demo Homes (demo landlord)'),
      money_advice_team: z
        .strictObject({
          name: text('the money-advice team name', 'Demo Homes Money Advice Team'),
          phone: text('a phone number in quotes', '01632 960001'),
        })
        .prefault({}),
      payment_link: url('https://pay.example.org/rent?ref={tenancy_ref}'),
    })
    .prefault({}),
  arrears: z
    .strictObject({
      grace_days: wholeNumber(0, 28, 'days', 3),
      threshold_pence: wholeNumber(0, 1_000_000, 'pence (1000 is £10.00)', 1000),
      legal_consider_nosp_weeks: wholeNumber(1, 104, 'weeks', 8),
    })
    .prefault({}),
  // Legal steps Rentline may recommend (a person always decides): a pound threshold beside the weeks one,
  // and how long before a notice lapses officers are told.
  legal: z
    .strictObject({
      consider_notice_min_pence: wholeNumber(0, 10_000_000, 'pence (30000 is £300.00)', 30000),
      notice_expiry_warning_days: wholeNumber(0, 180, 'days', 28),
    })
    .prefault({}),
  rent_calendar: z
    .strictObject({
      rent_free_weeks: z
        .array(monday, { error: 'expects a list of Mondays' })
        .default(['2026-12-21', '2026-12-28', '2027-03-22', '2027-03-29']),
      fifty_three_week_years: z
        .enum(['charge', 'rent_free'], { error: 'expects charge or rent_free' })
        .default('charge'),
    })
    .prefault({}),
  benefit_timing: z
    .strictObject({
      hb_period_days: wholeNumber(7, 62, 'days', 28),
      uc_period_days: wholeNumber(7, 62, 'days', 31),
      dd_period_days: wholeNumber(7, 62, 'days', 31),
      late_tolerance_days: wholeNumber(0, 28, 'days', 5),
    })
    .prefault({}),
  reminders: z
    .strictObject({
      days_before: wholeNumber(0, 14, 'days', 2),
      time: clockTime('10:00'),
      for_breathing_space: yesNo(false),
      for_vulnerable: yesNo(false),
    })
    .prefault({}),
  contact: z
    .strictObject({
      window_start: clockTime('09:00'),
      window_end: clockTime('20:00'),
      days: z
        .array(weekday, { error: 'expects a list of days of the week' })
        .min(1, { error: 'expects at least one day of the week' })
        .default(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']),
      min_days_between_arrears_messages: wholeNumber(0, 60, 'days', 3),
      extra_bank_holidays: z.array(isoDate, { error: 'expects a list of dates' }).default([]),
    })
    .refine((c) => c.window_start < c.window_end, {
      error: 'expects window_start to be earlier than window_end',
      path: ['window_end'],
    })
    .prefault({}),
  offers: z
    .strictObject({
      min_weekly_pence: wholeNumber(0, 1_000_000, 'pence a week (500 is £5.00)', 500),
      max_weeks: wholeNumber(1, 520, 'weeks', 104),
      auto_accept_within_policy: yesNo(false),
    })
    .prefault({}),
  affordability: z
    .strictObject({
      share_of_surplus: z
        .number({ error: 'expects a share of the surplus from 0.05 to 1, like 0.5' })
        .min(0.05, { error: 'expects a share of the surplus from 0.05 to 1, like 0.5' })
        .max(1, { error: 'expects a share of the surplus from 0.05 to 1, like 0.5' })
        .default(0.5),
      // The landlord's own monthly guideline figures for the three flexible categories (SFS guidelines are
      // licensed, so none ship); spending above them is flagged for the officer.
      spending_guidelines: z
        .strictObject({
          food_housekeeping: monthlyPence.optional(),
          personal: monthlyPence.optional(),
          communications_leisure: monthlyPence.optional(),
        })
        .default({}),
    })
    .prefault({}),
  referral: z
    .strictObject({
      pause_days: wholeNumber(0, 90, 'days', 14),
      agencies: z
        .array(agency, { error: 'expects a list of agencies, each with id, name and phone' })
        .min(1, { error: 'expects at least one free debt-advice agency' })
        .default(DEFAULT_AGENCIES as z.output<typeof agency>[]),
    })
    .prefault({}),
  // Links sent to tenants who tell us of hardship (lost job, UC late, benefits stopped...).
  benefit_help: z
    .strictObject({
      benefits_calculator_url: url('https://www.gov.uk/benefits-calculators'),
      discretionary_housing_payment_url: url('https://www.gov.uk/find-local-council'),
    })
    .prefault({}),
  arrangements: z
    .strictObject({
      tolerance_days: wholeNumber(0, 28, 'days', 5),
      nudge_day_before: yesNo(true),
    })
    .prefault({}),
  conversations: z
    .strictObject({
      max_reasks: wholeNumber(0, 10, 'times', 2),
      reply_timeout_hours: wholeNumber(1, 720, 'hours', 48),
      expiry_days: wholeNumber(1, 90, 'days', 7),
    })
    .prefault({}),
  // The per-sender limit on automated replies (docs/rules.md#reply-limit): the longest scripted exchange (identity,
  // the income and spending check, an offer) takes about 12 replies, so 15 in 10 minutes does not stop a tenant
  // answering quickly, while a phone's auto-responder (answering in seconds) is stopped within a minute.
  automated_replies: z
    .strictObject({
      max_per_sender: wholeNumber(1, 200, 'replies', 15),
      window_minutes: wholeNumber(1, 1440, 'minutes', 10),
    })
    .prefault({}),
  // Flow steps name a template key (whatsapp_template: rent_reminder); this maps each key to the Twilio
  // ContentSid of the approved template, used when the 24-hour WhatsApp window is closed.
  whatsapp_templates: z
    .record(
      z
        .string()
        .regex(/^[a-z][a-z0-9_]*$/, { error: 'expects template keys of lower-case letters, digits and underscores' }),
      z
        .string({ error: 'expects a Twilio ContentSid like HX0123…' })
        .regex(/^HX\w+$/, { error: 'expects a Twilio ContentSid starting HX' }),
      { error: 'expects a list of template_key: ContentSid pairs' },
    )
    .default({}),
});

/** The landlord's time zone when TIME_ZONE is not set (docs/contract.md). */
export const DEFAULT_TIME_ZONE = 'Europe/London';

/**
 * The policy as Rentline uses it: the file's settings plus the time zone, which is not a policy key but the
 * TIME_ZONE environment variable (docs/contract.md), filled in when the file is loaded so every reader of
 * `policy.time_zone` and of the configuration agrees.
 */
export type Policy = z.infer<typeof policySchema> & { readonly time_zone: string };

const TIME_ZONE_IN_FILE = 'time_zone is set by the TIME_ZONE environment variable; remove it from policy.yaml';

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'policy';
  if (issue.code === 'unrecognized_keys') {
    return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')} (check the spelling)`;
  }
  const got =
    'input' in issue && issue.input !== undefined ? ` (got ${JSON.stringify(issue.input)?.slice(0, 60)})` : '';
  return `${where}: ${issue.message}${got}`;
}

export type PolicyCheck = { policy: Policy; problems: [] } | { policy: null; problems: string[] };

/**
 * Validates a parsed policy file (the YAML already turned into plain data) and fills in defaults and the
 * time zone. Every problem is one line, `field.path: what it expects (got …)`, so staff can fix the file in
 * one go.
 */
export function checkPolicy(raw: unknown, timeZone: string = DEFAULT_TIME_ZONE): PolicyCheck {
  const input = raw ?? {};
  const problems: string[] = [];
  let settings: unknown = input;
  if (typeof input === 'object' && !Array.isArray(input) && 'time_zone' in input) {
    problems.push(TIME_ZONE_IN_FILE);
    settings = Object.fromEntries(Object.entries(input).filter(([key]) => key !== 'time_zone'));
  }
  const result = policySchema.safeParse(settings, { reportInput: true });
  if (!result.success) problems.push(...result.error.issues.map(describeIssue));
  if (problems.length > 0 || !result.success) return { policy: null, problems };
  return { policy: { ...result.data, time_zone: timeZone }, problems: [] };
}

/** checkPolicy, throwing one Error naming every bad key and what it expects. */
export function parsePolicy(raw: unknown, timeZone: string = DEFAULT_TIME_ZONE): Policy {
  const checked = checkPolicy(raw, timeZone);
  if (checked.policy) return checked.policy;
  const { problems } = checked;
  throw new Error(
    `The policy file has ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n- ${problems.join('\n- ')}`,
  );
}
