// The fast way in for a first load of tenancies files: each row is checked as it is read and COPYed
// straight into `tenants`, and each tenancy's own line into `tenancies`, with no staging table, no
// cross-row SQL and no INSERT … SELECT (staging, checking and merging 150,000 tenancies cost three times
// what writing them does). Like the ledger's way in (direct.ts) it is an attempt under a savepoint: it
// gives up at the first thing the staged path (staging.ts) would report or decide differently — a row
// that fails a check, joint tenants' rows that disagree on the tenancy fields, a tenant repeated or a
// tenancy or tenant already held (the primary keys refuse them) — and the caller rolls back and stages
// the files, which then says exactly what is wrong. Only a bulk load (bulk-load.ts) takes it: both
// tables' indexes and the keys between them are set aside while the rows go in and rebuilt at the end.
import { stat } from 'node:fs/promises';
import { isConnectionLoss } from '../db/errors.js';
import type { TransactionSql } from '../db/connect.js';
import { BENEFITS, PREFERRED_CHANNELS, RENT_FREQUENCIES, WEEKDAYS } from '../rent/types.js';
import { isBulkLoad, setAside } from './bulk-load.js';
import { openCsvRecords, rawRecord } from './csv.js';
import { quickPence } from './direct.js';
import { quickUkMobile } from './phone.js';
import { checkTenancyRecord, isCalendarDate, TENURES, type FieldProblem, type TenancyRecord } from './records.js';
import { copyText, copyValue, TENANCY_COLUMNS, TENANT_COLUMNS } from './staging.js';

type DirectTenancyOutcome =
  | {
      ok: true;
      rows: number;
      tenancies: number;
      /** The rows' warnings (landlines, numbers that cannot be texted), the first MAX_WARNINGS of them. */
      warnings: { source: number; line: number; problem: FieldProblem }[];
      warningCount: number;
    }
  | { ok: false; reason: string };

class GiveUp extends Error {}

/**
 * A short tenant line (a real one with a name, a number and a postcode is 110–130 bytes): a file's size
 * overstates its rows a little, never by the 2× that would make a re-import of the same file look like a
 * first load.
 */
const BYTES_PER_ROW = 96;
const MAX_WARNINGS = 1000;

// What the quick check accepts: values in the plain form checkTenancyRecord would leave as they are.
// Everything else goes through checkTenancyRecord, which decides (and is the definition).
const QUICK_REF = /^[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}$/;
const QUICK_TENANT_NO = /^(?:[1-9]|1\d|20)$/;
/** Printable ASCII but backslash, with no space at either end: nothing to trim, escape or refuse. */
const PLAIN = /^[!-[\]-~](?:[ -[\]-~]*[!-[\]-~])?$/;
const QUICK_LANGUAGE = /^[a-z]{2,3}$/;
const QUICK_POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$/;
const QUICK_MONTH_DAY = /^(?:[1-9]|1\d|2[0-8])$/;
const QUICK_SLACK_USER = /^[UW][A-Z0-9]{2,31}$/;
const CHANNELS = new Set<string>(PREFERRED_CHANNELS);
const TENURE_NAMES = new Set<string>(TENURES);
const FREQUENCIES = new Set<string>(RENT_FREQUENCIES);
const DAYS = new Set<string>(WEEKDAYS);
const BENEFIT_NAMES = new Set<string>(BENEFITS);

/** A header's column positions for the quick check (-1 for a column the file leaves out). */
type TenancyPositions = Record<
  | 'tenancy_ref'
  | 'tenant_no'
  | 'first_name'
  | 'last_name'
  | 'mobile'
  | 'channel'
  | 'language'
  | 'date_of_birth'
  | 'postcode'
  | 'tenure'
  | 'start_date'
  | 'end_date'
  | 'rent_frequency'
  | 'rent_amount'
  | 'rent_due_day'
  | 'patch'
  | 'officer_slack_id'
  | 'benefit'
  | 'flags',
  number
>;

export function tenancyPositions(columns: readonly string[]): TenancyPositions {
  const at = (name: string) => columns.indexOf(name);
  return {
    tenancy_ref: at('tenancy_ref'),
    tenant_no: at('tenant_no'),
    first_name: at('first_name'),
    last_name: at('last_name'),
    mobile: at('mobile'),
    channel: at('channel'),
    language: at('language'),
    date_of_birth: at('date_of_birth'),
    postcode: at('postcode'),
    tenure: at('tenure'),
    start_date: at('start_date'),
    end_date: at('end_date'),
    rent_frequency: at('rent_frequency'),
    rent_amount: at('rent_amount'),
    rent_due_day: at('rent_due_day'),
    patch: at('patch'),
    officer_slack_id: at('officer_slack_id'),
    benefit: at('benefit'),
    flags: at('flags'),
  };
}

/**
 * The record for a row whose values are all in their plain form, exactly as checkTenancyRecord would
 * build it with no warning; null when the row needs the full check (test/imports/direct-tenancies.test.ts
 * holds them equal).
 */
export function quickTenancyRecord(fields: readonly string[], at: TenancyPositions): TenancyRecord | null {
  const v = (position: number) => (position < 0 ? '' : (fields[position] as string));
  const ref = v(at.tenancy_ref);
  if (!QUICK_REF.test(ref)) return null;
  const tenantNoText = v(at.tenant_no);
  if (tenantNoText !== '' && !QUICK_TENANT_NO.test(tenantNoText)) return null;
  const firstName = v(at.first_name);
  const lastName = v(at.last_name);
  if (firstName.length > 100 || lastName.length > 100 || !PLAIN.test(firstName) || !PLAIN.test(lastName)) return null;
  const mobile = v(at.mobile);
  let e164: string | null = null;
  if (mobile !== '') {
    if (mobile.length > 32 || !PLAIN.test(mobile)) return null;
    // Only the everyday spellings: anything else (a landline to warn about, a foreign number) is the full check's.
    e164 = quickUkMobile(mobile);
    if (e164 === null) return null;
  }
  const channel = v(at.channel) || 'sms';
  const language = v(at.language) || 'en';
  if (!CHANNELS.has(channel) || !QUICK_LANGUAGE.test(language)) return null;
  const dob = v(at.date_of_birth);
  if (dob !== '' && !isCalendarDate(dob)) return null;
  const postcode = v(at.postcode);
  if (postcode !== '' && !QUICK_POSTCODE.test(postcode)) return null;
  const tenure = v(at.tenure);
  const startDate = v(at.start_date);
  const endDate = v(at.end_date);
  if (!TENURE_NAMES.has(tenure) || !isCalendarDate(startDate)) return null;
  if (endDate !== '' && (!isCalendarDate(endDate) || endDate < startDate)) return null;
  const frequency = v(at.rent_frequency);
  if (!FREQUENCIES.has(frequency)) return null;
  const rent = quickPence(v(at.rent_amount));
  if (rent === null || rent < 0) return null;
  const dueDay = v(at.rent_due_day);
  if (frequency === 'monthly' ? !QUICK_MONTH_DAY.test(dueDay) : !DAYS.has(dueDay)) return null;
  const patch = v(at.patch);
  if (patch !== '' && (patch.length > 64 || !PLAIN.test(patch))) return null;
  const officer = v(at.officer_slack_id);
  if (officer !== '' && !QUICK_SLACK_USER.test(officer)) return null;
  const benefit = v(at.benefit) || 'none';
  if (!BENEFIT_NAMES.has(benefit) || v(at.flags) !== '') return null;
  return {
    tenancy_ref: ref,
    tenant_no: tenantNoText === '' ? 1 : Number(tenantNoText),
    first_name: firstName,
    last_name: lastName,
    mobile_raw: mobile,
    mobile_e164: e164,
    channel,
    language,
    date_of_birth: dob === '' ? null : dob,
    postcode: postcode === '' ? null : postcode,
    tenure,
    start_date: startDate,
    end_date: endDate === '' ? null : endDate,
    rent_frequency: frequency,
    rent_amount_pence: rent,
    rent_due_day: dueDay,
    patch: patch === '' ? null : patch,
    officer_slack_id: officer === '' ? null : officer,
    benefit,
    vulnerable: false,
    do_not_contact: false,
    breathing_space_start: null,
    breathing_space_end: null,
    breathing_space_mental_health: false,
  };
}

function line(record: TenancyRecord, columns: readonly (keyof TenancyRecord)[]): string {
  let text = copyValue(record[columns[0] as keyof TenancyRecord]);
  for (let i = 1; i < columns.length; i++) text += `\t${copyValue(record[columns[i] as keyof TenancyRecord])}`;
  return text;
}

/**
 * Reads each tenancies file from its path and COPYs its rows into `tenants` and `tenancies`. Resolves with
 * the counts, or with why it gave up (the caller then rolls back to its savepoint). A lost connection rejects.
 * `sources` are the files' source numbers, for the warnings' places.
 */
export async function copyTenancies(
  tx: TransactionSql,
  files: { path: string; source: number }[],
  options: { demo: boolean },
): Promise<DirectTenancyOutcome> {
  // Each tenancy's line, from the first of its rows: every later row must build the same line.
  const tenancies = new Map<string, string>();
  const warnings: { source: number; line: number; problem: FieldProblem }[] = [];
  let warningCount = 0;
  let rows = 0;
  try {
    let bytes = 0;
    for (const { path } of files) bytes += (await stat(path)).size;
    const incoming = Math.floor(bytes / BYTES_PER_ROW);
    if (!(await isBulkLoad(tx, 'tenants', incoming)) || !(await isBulkLoad(tx, 'tenancies', incoming)))
      return { ok: false, reason: 'not a first load' };
    // Both tables' indexes go aside, with the keys that point at them (the tenants' own key to tenancies
    // among them, and the other tables' keys, whose locks the import then holds: a first load only):
    // 168,000 tenants COPY in 0.6 s with no index and 1.6 s into the primary key. Rebuilt at the end, the
    // primary keys refuse a repeated tenant or a tenancy already held, as insertions would have.
    const rebuildTenancies = await setAside(tx, 'tenancies', 'indexes');
    const rebuildTenants = await setAside(tx, 'tenants', 'indexes');
    const tenancyTail = `\t${copyValue(options.demo)}`;
    for (const { path, source } of files) {
      let out = '';
      let at: TenancyPositions | null = null;
      let width = 0;
      // Set by the line hook, which must not throw (the reader would call it a file it cannot read).
      let disagreed = false;
      const take = (record: TenancyRecord) => {
        out += `${line(record, TENANT_COLUMNS)}\n`;
        const tenancy = line(record, TENANCY_COLUMNS) + tenancyTail;
        const held = tenancies.get(record.tenancy_ref);
        if (held === undefined) tenancies.set(record.tenancy_ref, tenancy);
        else if (held !== tenancy) disagreed = true;
        rows++;
      };
      const quick = (body: string): boolean => {
        if (at === null) return false;
        const fields = body.split(',');
        if (fields.length !== width) return false;
        const record = quickTenancyRecord(fields, at);
        if (record === null) return false;
        take(record);
        return true;
      };
      const giveUpOnDisagreement = () => {
        if (disagreed) throw new GiveUp("joint tenants' rows disagree");
      };
      const { columns, batches } = await openCsvRecords(path, quick);
      at = tenancyPositions(columns);
      width = columns.length;
      async function* chunks(): AsyncGenerator<string> {
        for await (const batch of batches) {
          for (const { fields, position } of batch) {
            if (fields.length > width) throw new GiveUp('a row has more values than the header');
            const checked = checkTenancyRecord(rawRecord(columns, fields));
            if (!checked.ok) throw new GiveUp('a row needs reporting');
            for (const problem of checked.warnings) {
              warningCount++;
              if (warnings.length < MAX_WARNINGS) warnings.push({ source, line: position, problem });
            }
            take(checked.record);
          }
          giveUpOnDisagreement();
          if (out !== '') {
            const text = out;
            out = '';
            yield text;
          }
        }
        giveUpOnDisagreement();
      }
      await copyText(tx, 'tenants', TENANT_COLUMNS, chunks());
    }
    async function* tenancyChunks(): AsyncGenerator<string> {
      let out = '';
      for (const tenancy of tenancies.values()) {
        out += `${tenancy}\n`;
        if (out.length > 1 << 18) {
          yield out;
          out = '';
        }
      }
      if (out !== '') yield out;
    }
    await copyText(tx, 'tenancies', [...TENANCY_COLUMNS, 'demo'], tenancyChunks());
    await rebuildTenancies();
    await rebuildTenants();
  } catch (error) {
    if (error instanceof GiveUp) return { ok: false, reason: error.message };
    if (isConnectionLoss(error) || isConnectionLoss((error as { cause?: unknown }).cause)) throw error;
    const failure = error as { code?: unknown; cause?: { code?: unknown } };
    const code = failure.code ?? failure.cause?.code;
    if (code === '23505') return { ok: false, reason: 'a tenancy or tenant is already held or repeated' };
    return { ok: false, reason: `COPY refused: ${(error as Error).message}` };
  }
  return { ok: true, rows, tenancies: tenancies.size, warnings, warningCount };
}
