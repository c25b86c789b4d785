// Validation of one import record (a CSV row or a JSON object), field by field, shared by the CLI and
// the API so both accept and refuse exactly the same things. Errors say what the field should be.
import { parsePoundsToPence } from '../rent/money.js';
import {
  ACCOUNTS,
  BENEFITS,
  PREFERRED_CHANNELS,
  RENT_FREQUENCIES,
  TRANSACTION_TYPES,
  WEEKDAYS,
} from '../rent/types.js';
import { checkMobile } from './phone.js';

export type ImportKind = 'tenancies' | 'transactions';

/** The fields of a tenancies file that describe the tenancy: every joint tenant's row must agree on them. */
export const TENANCY_LEVEL_FIELDS = [
  'tenure',
  'start_date',
  'end_date',
  'rent_frequency',
  'rent_amount',
  'rent_due_day',
  'patch',
  'officer_slack_id',
  'benefit',
] as const;
export const TENANCY_FIELDS = [
  'tenancy_ref',
  'tenant_no',
  'first_name',
  'last_name',
  'mobile',
  'channel',
  'language',
  'date_of_birth',
  'postcode',
  ...TENANCY_LEVEL_FIELDS,
  'flags',
] as const;
export const TRANSACTION_FIELDS = [
  'transaction_id',
  'tenancy_ref',
  'date',
  'type',
  'amount',
  'account',
  'description',
] as const;

const REQUIRED_FIELDS: Record<ImportKind, readonly string[]> = {
  tenancies: [
    'tenancy_ref',
    'first_name',
    'last_name',
    'tenure',
    'start_date',
    'rent_frequency',
    'rent_amount',
    'rent_due_day',
  ],
  transactions: ['transaction_id', 'tenancy_ref', 'date', 'type', 'amount'],
};

export const TENURES = [
  'secure',
  'introductory',
  'assured',
  'assured_shorthold',
  'flexible',
  'temporary',
  'licence',
] as const;

export interface FieldProblem {
  field: string;
  message: string;
}

/** A tenancy row ready for the database (one tenant of one tenancy). */
export interface TenancyRecord {
  tenancy_ref: string;
  tenant_no: number;
  first_name: string;
  last_name: string;
  mobile_raw: string;
  mobile_e164: string | null;
  channel: string;
  language: string;
  date_of_birth: string | null;
  postcode: string | null;
  tenure: string;
  start_date: string;
  end_date: string | null;
  rent_frequency: string;
  rent_amount_pence: number;
  rent_due_day: string;
  patch: string | null;
  officer_slack_id: string | null;
  benefit: string;
  vulnerable: boolean;
  do_not_contact: boolean;
  breathing_space_start: string | null;
  breathing_space_end: string | null;
  breathing_space_mental_health: boolean;
}

export interface TransactionRecord {
  transaction_id: string;
  tenancy_ref: string;
  date: string;
  type: string;
  amount_pence: number;
  account: string;
  description: string;
}

type Checked<T> = { ok: true; record: T; warnings: FieldProblem[] } | { ok: false; errors: FieldProblem[] };

type RawRecord = Record<string, unknown>;

const REF = /^[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}$/;
const POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$/;
const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;

/** Line breaks and tabs inside a value (a multi-line description) read as one space. */
function text(raw: RawRecord, field: string): string {
  const v = raw[field];
  if (v === undefined || v === null) return '';
  const s = typeof v === 'string' ? v : String(v);
  // Almost no value has a break or tab: looking first spares a new string per field.
  if (s.indexOf('\n') === -1 && s.indexOf('\r') === -1 && s.indexOf('\t') === -1) return s.trim();
  return s.replace(/[\t\r\n]+/g, ' ').trim();
}

/** The longest value each field may hold: longer is a mistake in the export, not a name. */
const FIELD_MAX_LENGTHS: Readonly<Record<string, number>> = {
  tenancy_ref: 64,
  tenant_no: 3,
  first_name: 100,
  last_name: 100,
  mobile: 32,
  channel: 16,
  language: 8,
  date_of_birth: 10,
  postcode: 10,
  tenure: 32,
  start_date: 10,
  end_date: 10,
  rent_frequency: 16,
  rent_amount: 20,
  rent_due_day: 16,
  patch: 64,
  officer_slack_id: 32,
  benefit: 16,
  flags: 200,
  transaction_id: 100,
  date: 10,
  type: 32,
  amount: 20,
  account: 32,
  description: 500,
};

// C0 controls but tab, line feed and carriage return, and DEL: no housing system means them, and Postgres
// refuses NUL outright.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127) return true;
  }
  return false;
}

/** Refuses control characters and over-long values in every field, naming the field and what to do. */
function checkCharacters(raw: RawRecord, fields: readonly string[], p: Problems): void {
  // A plain scan first (far cheaper than a regex per value): a row with no control character needs only
  // the lengths checked.
  let control = false;
  for (const field of fields) {
    const v = raw[field];
    if (typeof v === 'string' && hasControl(v)) control = true;
    else if (v !== undefined && v !== null && typeof v !== 'string') control = true; // String(v) decides below
  }
  if (!control) {
    for (const field of fields) {
      const v = raw[field] as string | undefined;
      const max = FIELD_MAX_LENGTHS[field];
      if (v === undefined || v === null || max === undefined) continue;
      if (v.length > max && v.trim().length > max)
        p.error(field, `is ${v.trim().length} characters long; the most it may be is ${max}`);
    }
    return;
  }
  for (const field of fields) {
    const v = raw[field];
    if (v === undefined || v === null) continue;
    const value = String(v);
    const control = CONTROL.exec(value);
    if (control) {
      const code = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      p.error(
        field,
        `contains a control character (${code}) at character ${control.index + 1}: remove it from the export (it is often left by a bad conversion) and import again`,
      );
      continue;
    }
    const max = FIELD_MAX_LENGTHS[field];
    if (max !== undefined && value.trim().length > max)
      p.error(field, `is ${value.trim().length} characters long; the most it may be is ${max}`);
  }
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The digit at `i` as a number, or NaN: a scan of char codes costs less than a regex and three slices. */
function digitAt(value: string, i: number): number {
  const c = value.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
}

/** A real day written YYYY-MM-DD (an import reads a few million of them, hence the char codes). */
export function isCalendarDate(value: string): boolean {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  const y = digitAt(value, 0) * 1000 + digitAt(value, 1) * 100 + digitAt(value, 2) * 10 + digitAt(value, 3);
  const mo = digitAt(value, 5) * 10 + digitAt(value, 6);
  const d = digitAt(value, 8) * 10 + digitAt(value, 9);
  if (Number.isNaN(y + mo + d)) return false;
  // Years before 100 are refused, as they always were (Date.UTC read them as 19xx).
  if (y < 100 || mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (mo === 2 && leap ? 29 : (DAYS_IN_MONTH[mo - 1] as number));
}

function oneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}

class Problems {
  readonly errors: FieldProblem[] = [];
  readonly warnings: FieldProblem[] = [];
  error(field: string, message: string): void {
    this.errors.push({ field, message });
  }
  warn(field: string, message: string): void {
    this.warnings.push({ field, message });
  }
  date(raw: RawRecord, field: string, required: boolean): string | null {
    const v = text(raw, field);
    if (v === '') {
      if (required) this.error(field, 'is required: a date as YYYY-MM-DD');
      return null;
    }
    if (!isCalendarDate(v)) {
      this.error(field, `"${v}" is not a date: write it as YYYY-MM-DD, e.g. 2026-04-06`);
      return null;
    }
    return v;
  }
  pounds(raw: RawRecord, field: string): number | null {
    const v = text(raw, field);
    if (v === '') {
      this.error(field, 'is required: an amount in pounds, e.g. 103.50');
      return null;
    }
    const pence = parsePoundsToPence(v);
    if (pence === null)
      this.error(field, `"${v}" is not an amount: write pounds with up to 2 decimals, e.g. 103.50 or -20.00`);
    return pence;
  }
}

interface Flags {
  vulnerable: boolean;
  do_not_contact: boolean;
  breathing_space_start: string | null;
  breathing_space_end: string | null;
  breathing_space_mental_health: boolean;
}

function parseFlags(value: string, p: Problems): Flags {
  const flags: Flags = {
    vulnerable: false,
    do_not_contact: false,
    breathing_space_start: null,
    breathing_space_end: null,
    breathing_space_mental_health: false,
  };
  for (const part of value
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const lower = part.toLowerCase();
    if (lower === 'vulnerable') flags.vulnerable = true;
    else if (lower === 'do_not_contact') flags.do_not_contact = true;
    else if (lower.startsWith('breathing_space:') || lower.startsWith('breathing_space_mh:')) {
      const [, range = ''] = lower.split(':');
      const [start = '', end = ''] = range.split('..');
      if (!isCalendarDate(start) || (end !== '' && !isCalendarDate(end)) || !range.includes('..')) {
        p.error(
          'flags',
          `"${part}" should be breathing_space:YYYY-MM-DD..YYYY-MM-DD (the end may be left open: breathing_space:2026-11-01..)`,
        );
      } else if (end !== '' && end < start) {
        p.error('flags', `"${part}": the Breathing Space ends before it starts`);
      } else {
        flags.breathing_space_start = start;
        flags.breathing_space_end = end === '' ? null : end;
        flags.breathing_space_mental_health = lower.startsWith('breathing_space_mh:');
      }
    } else {
      p.error(
        'flags',
        `unknown flag "${part}": use vulnerable, do_not_contact or breathing_space:START..END, separated by ;`,
      );
    }
  }
  return flags;
}

export function checkTenancyRecord(raw: RawRecord): Checked<TenancyRecord> {
  const p = new Problems();
  checkCharacters(raw, TENANCY_FIELDS, p);
  if (p.errors.length > 0) return { ok: false, errors: p.errors };
  const ref = text(raw, 'tenancy_ref');
  if (ref === '') p.error('tenancy_ref', 'is required');
  else if (!REF.test(ref)) p.error('tenancy_ref', 'use up to 64 letters, digits, / _ . or -');

  const tenantNoText = text(raw, 'tenant_no') || '1';
  const tenantNo = Number(tenantNoText);
  if (!Number.isInteger(tenantNo) || tenantNo < 1 || tenantNo > 20)
    p.error('tenant_no', `"${tenantNoText}" should be 1 for the lead tenant, 2, 3… for joint tenants`);

  const firstName = text(raw, 'first_name');
  const lastName = text(raw, 'last_name');
  if (firstName === '') p.error('first_name', 'is required');
  if (lastName === '') p.error('last_name', 'is required');

  const mobileRaw = text(raw, 'mobile');
  const phone = checkMobile(mobileRaw);
  if (!phone.textable && phone.reason !== 'missing') {
    p.warn(
      'mobile',
      phone.reason === 'landline'
        ? 'is a landline: kept, but this tenant cannot be texted'
        : 'is not a valid UK mobile: kept, but this tenant cannot be texted',
    );
  }

  const channel = (text(raw, 'channel') || 'sms').toLowerCase();
  if (!oneOf(channel, PREFERRED_CHANNELS)) p.error('channel', `"${channel}" should be sms, whatsapp or none`);
  const language = (text(raw, 'language') || 'en').toLowerCase();
  if (!/^[a-z]{2,3}$/.test(language)) p.error('language', `"${language}" should be a language code such as en or cy`);

  const dob = p.date(raw, 'date_of_birth', false);
  const postcodeText = text(raw, 'postcode').toUpperCase().replace(/\s+/g, ' ');
  let postcode: string | null = null;
  if (postcodeText !== '') {
    const m = POSTCODE.exec(postcodeText.replace(' ', '')) ?? POSTCODE.exec(postcodeText);
    if (m) postcode = `${m[1]} ${m[2]}`;
    else p.error('postcode', `"${postcodeText}" is not a UK postcode such as SW1A 1AA`);
  }

  const tenure = text(raw, 'tenure').toLowerCase();
  if (!oneOf(tenure, TENURES)) p.error('tenure', `"${tenure}" should be one of ${TENURES.join(', ')}`);
  const startDate = p.date(raw, 'start_date', true);
  const endDate = p.date(raw, 'end_date', false);
  if (startDate && endDate && endDate < startDate) p.error('end_date', 'is before start_date');

  const frequency = text(raw, 'rent_frequency').toLowerCase();
  if (!oneOf(frequency, RENT_FREQUENCIES))
    p.error('rent_frequency', `"${frequency}" should be one of ${RENT_FREQUENCIES.join(', ')}`);
  const rent = p.pounds(raw, 'rent_amount');
  if (rent !== null && rent < 0) p.error('rent_amount', 'cannot be negative');
  const dueDay = text(raw, 'rent_due_day').toLowerCase();
  if (frequency === 'monthly') {
    const day = Number(dueDay);
    if (!Number.isInteger(day) || day < 1 || day > 28)
      p.error('rent_due_day', `"${dueDay}" should be a day of the month from 1 to 28 for monthly rent`);
  } else if (oneOf(frequency, RENT_FREQUENCIES) && !oneOf(dueDay, WEEKDAYS)) {
    p.error('rent_due_day', `"${dueDay}" should be a weekday such as monday for ${frequency} rent`);
  }

  const officer = text(raw, 'officer_slack_id');
  if (officer !== '' && !SLACK_USER.test(officer))
    p.error('officer_slack_id', `"${officer}" should be a Slack user id such as U0123ABCD`);
  const benefit = (text(raw, 'benefit') || 'none').toLowerCase();
  if (!oneOf(benefit, BENEFITS)) p.error('benefit', `"${benefit}" should be one of ${BENEFITS.join(', ')}`);
  const flags = parseFlags(text(raw, 'flags'), p);

  if (p.errors.length > 0) return { ok: false, errors: p.errors };
  return {
    ok: true,
    warnings: p.warnings,
    record: {
      tenancy_ref: ref,
      tenant_no: tenantNo,
      first_name: firstName,
      last_name: lastName,
      mobile_raw: mobileRaw,
      mobile_e164: phone.e164,
      channel,
      language,
      date_of_birth: dob,
      postcode,
      tenure,
      start_date: startDate as string,
      end_date: endDate,
      rent_frequency: frequency,
      rent_amount_pence: rent as number,
      rent_due_day: dueDay,
      patch: text(raw, 'patch') || null,
      officer_slack_id: officer || null,
      benefit,
      ...flags,
    },
  };
}

export function checkTransactionRecord(raw: RawRecord): Checked<TransactionRecord> {
  const p = new Problems();
  checkCharacters(raw, TRANSACTION_FIELDS, p);
  if (p.errors.length > 0) return { ok: false, errors: p.errors };
  const id = text(raw, 'transaction_id');
  if (id === '') p.error('transaction_id', 'is required');
  const ref = text(raw, 'tenancy_ref');
  if (ref === '') p.error('tenancy_ref', 'is required');
  else if (!REF.test(ref)) p.error('tenancy_ref', 'use up to 64 letters, digits, / _ . or -');
  const date = p.date(raw, 'date', true);
  const type = text(raw, 'type').toLowerCase();
  if (!oneOf(type, TRANSACTION_TYPES)) p.error('type', `"${type}" should be one of ${TRANSACTION_TYPES.join(', ')}`);
  const amount = p.pounds(raw, 'amount');
  if (amount !== null && Math.abs(amount) > 100_000_000)
    p.error('amount', 'is over £1,000,000: check the units are pounds');
  const account = (text(raw, 'account') || 'rent').toLowerCase();
  if (!oneOf(account, ACCOUNTS)) p.error('account', `"${account}" should be one of ${ACCOUNTS.join(', ')}`);
  const description = text(raw, 'description');
  if (p.errors.length > 0) return { ok: false, errors: p.errors };
  return {
    ok: true,
    warnings: [],
    record: {
      transaction_id: id,
      tenancy_ref: ref,
      date: date as string,
      type,
      amount_pence: amount as number,
      account,
      description,
    },
  };
}

/** The kind of a file from its header row, or a message saying what the header lacks. */
export function kindFromHeader(header: readonly string[]): { kind: ImportKind } | { error: string } {
  const columns = new Set(header.map((h) => h.trim().toLowerCase()));
  const kind: ImportKind | null = columns.has('transaction_id')
    ? 'transactions'
    : columns.has('rent_frequency') || columns.has('tenant_no')
      ? 'tenancies'
      : null;
  if (!kind)
    return {
      error:
        'the header row is neither a tenancies file (tenancy_ref, first_name, … rent_frequency) nor a transactions file (transaction_id, tenancy_ref, date, type, amount)',
    };
  const known: readonly string[] = kind === 'tenancies' ? TENANCY_FIELDS : TRANSACTION_FIELDS;
  const unknown = [...columns].filter((c) => !known.includes(c));
  if (unknown.length > 0)
    return { error: `unknown column(s) ${unknown.join(', ')} in a ${kind} file; the columns are ${known.join(', ')}` };
  const missing = REQUIRED_FIELDS[kind].filter((f) => !columns.has(f));
  if (missing.length > 0) return { error: `the ${kind} file lacks the column(s) ${missing.join(', ')}` };
  return { kind };
}
