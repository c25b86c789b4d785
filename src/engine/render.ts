// Turns a flow message into the text a tenant receives: picks the language and fills placeholders such
// as {first_name} or {offer} from the conversation context and the session. The list of placeholders is
// fixed here so the checker can reject a typo before a tenant ever sees "{frist_name}".
import { format } from 'date-fns/format';
import { cy } from 'date-fns/locale/cy';
import { formatPence } from '../rent/money.js';
import { localToday } from './parsers/index.js';
import type { ConversationContext, Frequency, Session, SessionValue } from './types.js';
import type { Flow } from './flow-schema.js';

/** Placeholders every flow may use, with what they show (shown to staff by `rentline flows check`). */
export const BUILTIN_PLACEHOLDERS: Record<string, string> = {
  first_name: "the tenant's first name",
  landlord: "the landlord's name",
  tenancy_ref: 'the tenancy reference',
  balance: 'the account balance (only after identity is confirmed)',
  arrears: 'the arrears (only after identity is confirmed)',
  weekly_rent: 'the weekly rent',
  next_due_date: 'the next rent due date',
  payment_link: 'the payment link for this tenancy',
  money_advice_team: "the landlord's money advice team",
  money_advice_phone: "the money advice team's phone number",
  debt_advice: 'the free debt advice agencies, one a line',
  offer: "the tenant's offer, e.g. £15.00 a week from Fri 27 Nov",
  officer_offer: "the officer's offer, e.g. £10.00 a week from Fri 4 Dec",
  officer_name: 'the name of the officer who decided',
  agency: 'the agency an officer referred the tenant to, with its number',
  pause_days: 'how many days texts pause after a referral',
  rejected_date: 'a start date the tenant gave that is more than a year away, with its year',
  last_payment: "the tenant's last payment and its date (only after identity is confirmed)",
  statement_weeks: 'how many weeks the short rent statement covers',
  statement_from: 'the first day the short rent statement covers',
  statement_due: 'rent due over the statement weeks (only after identity is confirmed)',
  statement_paid: 'paid over the statement weeks (only after identity is confirmed)',
  benefits_calculator: 'the benefits calculator link (policy benefit_help)',
  discretionary_housing_payment: "the council's Discretionary Housing Payment link (policy benefit_help)",
  affordability_surplus: 'what the affordability check left each month (income minus outgoings)',
  suggested_offer: 'the instalment the affordability check suggests, e.g. £15.00 a week',
};

/** Placeholders that reveal money owed; never allowed before the tenant has confirmed who they are. */
export const DISCLOSING_PLACEHOLDERS = new Set([
  'balance',
  'arrears',
  'offer',
  'officer_offer',
  'last_payment',
  'statement_due',
  'statement_paid',
]);

const NO_PAYMENT: Record<string, string> = { en: 'none recorded', cy: "dim wedi'i gofnodi" };

const FREQUENCY_WORDS: Record<string, Record<Frequency, string>> = {
  en: { weekly: 'a week', fortnightly: 'a fortnight', four_weekly: 'every four weeks', monthly: 'a month' },
  cy: { weekly: 'yr wythnos', fortnightly: 'bob pythefnos', four_weekly: 'bob pedair wythnos', monthly: 'y mis' },
};

export function pickLanguage(flowLanguages: readonly string[], wanted: string): string {
  return flowLanguages.includes(wanted) ? wanted : (flowLanguages[0] ?? 'en');
}

/**
 * "2026-11-27" → "Fri 27 Nov" (English) or "27 Tachwedd" (Welsh, where the weekday would need a mutation).
 * Given `today` ('YYYY-MM-DD'), a date in another year shows its year ("Tue 29 Feb 2028"), so nobody agrees
 * to a date they read as this year's; `withYear` always shows it.
 */
function formatDay(isoDate: string, language: string, today?: string | null, withYear = false): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  if (y === undefined || m === undefined || d === undefined) return isoDate;
  const noon = new Date(y, m - 1, d, 12);
  const showYear = withYear || (today != null && today.slice(0, 4) !== isoDate.slice(0, 4));
  if (language === 'cy') return format(noon, showYear ? 'd MMMM yyyy' : 'd MMMM', { locale: cy });
  return format(noon, showYear ? 'EEE d MMM yyyy' : 'EEE d MMM');
}

export function describeOffer(
  amountPence: number,
  frequency: Frequency,
  startDate: string,
  language: string,
  today?: string | null,
): string {
  const words = (FREQUENCY_WORDS[language] ?? FREQUENCY_WORDS.en)!;
  const from = language === 'cy' ? 'o' : 'from';
  return `${formatPence(amountPence)} ${words[frequency]} ${from} ${formatDay(startDate, language, today)}`;
}

function offerFromVars(
  vars: Record<string, SessionValue>,
  prefix: string,
  language: string,
  today: string | null,
): string {
  const amount = vars[`${prefix}_amount`];
  const frequency = vars[`${prefix}_frequency`];
  const start = vars[`${prefix}_start`];
  if (typeof amount !== 'number' || typeof frequency !== 'string' || typeof start !== 'string') return '';
  return describeOffer(amount, frequency as Frequency, start, language, today);
}

/** The value of one placeholder, or undefined when the name is not known. */
function placeholderValue(
  name: string,
  flow: Flow,
  session: Session,
  ctx: ConversationContext,
  language: string,
): string | undefined {
  const { policy } = ctx;
  const today = localToday(ctx.now, ctx.timeZone);
  switch (name) {
    case 'first_name':
      return ctx.tenant.firstName;
    case 'landlord':
      return policy.landlord.name;
    case 'tenancy_ref':
      return ctx.tenancyRef;
    case 'balance':
      return formatPence(ctx.account.balancePence);
    case 'arrears':
      return formatPence(ctx.account.arrearsPence);
    case 'weekly_rent':
      return formatPence(ctx.account.weeklyRentPence);
    case 'next_due_date':
      return ctx.account.nextDueDate ? formatDay(ctx.account.nextDueDate, language, today) : '';
    case 'payment_link':
      return policy.landlord.payment_link.replaceAll('{tenancy_ref}', encodeURIComponent(ctx.tenancyRef));
    case 'money_advice_team':
      return policy.landlord.money_advice_team.name;
    case 'money_advice_phone':
      return policy.landlord.money_advice_team.phone;
    case 'debt_advice':
      return policy.referral.agencies.map((a) => `${a.name}: ${a.phone || a.url}`).join('\n');
    case 'offer':
      return offerFromVars(session.vars, 'offer', language, today);
    case 'officer_offer':
      return offerFromVars(session.vars, 'officer_offer', language, today);
    case 'rejected_date': {
      const rejected = session.vars.offer_start_rejected;
      return typeof rejected === 'string' ? formatDay(rejected, language, today, true) : '';
    }
    case 'officer_name':
      return String(session.vars.officer_name ?? '');
    case 'agency': {
      const agency = policy.referral.agencies.find((a) => a.id === session.vars.agency_id);
      return agency
        ? `${agency.name} (${agency.phone || agency.url})`
        : policy.referral.agencies.map((a) => a.name).join(', ');
    }
    case 'pause_days':
      return String(policy.referral.pause_days);
    case 'last_payment': {
      const paid = ctx.account.lastPayment;
      if (!paid) return NO_PAYMENT[language] ?? NO_PAYMENT.en!;
      return `${formatPence(paid.pence)} ${language === 'cy' ? 'ar' : 'on'} ${formatDay(paid.date, language, today)}`;
    }
    case 'statement_weeks':
      return String(ctx.account.statement?.weeks ?? '');
    case 'statement_from':
      return ctx.account.statement ? formatDay(ctx.account.statement.fromDate, language, today) : '';
    case 'statement_due':
      return ctx.account.statement ? formatPence(ctx.account.statement.duePence) : '';
    case 'statement_paid':
      return ctx.account.statement ? formatPence(ctx.account.statement.paidPence) : '';
    case 'benefits_calculator':
      return policy.benefit_help.benefits_calculator_url;
    case 'discretionary_housing_payment':
      return policy.benefit_help.discretionary_housing_payment_url;
    case 'affordability_surplus':
      return typeof session.vars.affordability_surplus === 'number'
        ? formatPence(session.vars.affordability_surplus)
        : '';
    case 'suggested_offer': {
      const amount = session.vars.affordability_suggested;
      const words = (FREQUENCY_WORDS[language] ?? FREQUENCY_WORDS.en)!;
      return typeof amount === 'number'
        ? `${formatPence(amount)} ${words[(session.vars.affordability_frequency as Frequency) ?? 'weekly']}`
        : '';
    }
  }
  const kind = flow.needs?.[name];
  if (kind === undefined) return undefined;
  const value = session.vars[name];
  if (kind === 'money') return typeof value === 'number' ? formatPence(value) : String(value ?? '');
  if (kind === 'date') return typeof value === 'string' ? formatDay(value, language, today) : '';
  return String(value ?? '');
}

const PLACEHOLDER = /\{([a-z_][a-z0-9_]*)\}/g;

export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Fills a message; returns the text and the values used, which become WhatsApp template variables. */
export function renderText(
  template: string,
  flow: Flow,
  session: Session,
  ctx: ConversationContext,
  language: string,
): { text: string; variables: Record<string, string> } {
  const variables: Record<string, string> = {};
  const text = template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = placeholderValue(name, flow, session, ctx, language);
    if (value === undefined)
      throw new Error(`Flow ${flow.id}: unknown placeholder {${name}} (run \`rentline flows check\`)`);
    variables[name] = value;
    return value;
  });
  return { text: text.trim(), variables };
}
