// The fast way in for a transactions file: its rows are checked as they are read and COPYed straight into
// `transactions`, with no staging table and no INSERT … SELECT (a staged merge wrote every row twice and
// logged each one alone; COPY writes them once, a page at a time). It is an attempt, made under a
// savepoint: it gives up, and the caller rolls back to the savepoint and takes the staged path
// (staging.ts), at the first thing that path would report or decide differently — a row that fails a
// check, an id already imported or repeated in the file (the primary key refuses it), a tenancy that
// does not exist. The staged path then reads the file again and says exactly what is wrong, so the
// result of an import never depends on which path it took; only its speed does.
import { stat } from 'node:fs/promises';
import { isConnectionLoss } from '../db/errors.js';
import { isBulkLoad, setAside } from './bulk-load.js';
import type { TransactionSql } from '../db/connect.js';
import { openCsvRecords, rawRecord } from './csv.js';
import { checkTransactionRecord, isCalendarDate, type TransactionRecord } from './records.js';
import { LEDGER_COLUMNS, TRANSACTION_STAGE_COLUMNS, copyText, copyValue } from './staging.js';
import { ACCOUNTS, TRANSACTION_TYPES } from '../rent/types.js';

/** Why the direct attempt gave up: for the phase log only, the staged path reports the detail. */
type DirectOutcome = { ok: true; rows: number } | { ok: false; reason: string };

class GiveUp extends Error {}

/** Shorter than a real ledger line, so a file's size never understates its rows by much. */
const BYTES_PER_ROW = 64;

const TYPES = new Set<string>(TRANSACTION_TYPES);
const ACCOUNT_NAMES = new Set<string>(ACCOUNTS);
// What the quick check accepts: values that need no trimming, lower-casing, escaping or second look.
// Everything else goes through checkTransactionRecord, which decides (and is the definition).
const QUICK_ID = /^[!-[\]-~]{1,100}$/; // printable ASCII but space and backslash
const QUICK_REF = /^[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}$/;
const QUICK_DATE = /^\d{4}-\d{2}-\d{2}$/;
// eslint-disable-next-line no-control-regex
const NEEDS_LOOK = /[\u0000-\u001f\u007f\\]/;

interface Positions {
  transaction_id: number;
  tenancy_ref: number;
  date: number;
  type: number;
  amount: number;
  account: number;
  description: number;
}

/**
 * The COPY line for a row whose values are all in their plain form, exactly as checkTransactionRecord
 * would build it; null when the row needs the full check (test/imports/direct.test.ts holds them equal).
 */
export function quickLedgerLine(fields: readonly string[], at: Positions, dates: Set<string>): string | null {
  const id = fields[at.transaction_id] as string;
  const ref = fields[at.tenancy_ref] as string;
  const date = fields[at.date] as string;
  const type = fields[at.type] as string;
  const amount = fields[at.amount] as string;
  const account = at.account < 0 ? '' : (fields[at.account] as string);
  const description = at.description < 0 ? '' : (fields[at.description] as string);
  if (!QUICK_ID.test(id) || !QUICK_REF.test(ref) || !TYPES.has(type)) return null;
  if (account !== '' && !ACCOUNT_NAMES.has(account)) return null;
  if (!dates.has(date)) {
    if (!QUICK_DATE.test(date) || !isCalendarDate(date)) return null;
    if (dates.size > 10_000) dates.clear();
    dates.add(date);
  }
  const pence = quickPence(amount);
  if (pence === null || Math.abs(pence) > 100_000_000) return null;
  if (description.length > 500 || NEEDS_LOOK.test(description) || !untrimmed(description)) return null;
  return `${id}\t${ref}\t${date}\t${type}\t${pence}\t${account || 'rent'}\t${description}`;
}

/**
 * Pence for a plain amount such as 103.50, -20 or 7.5 (an optional minus, 1–9 digits, then optionally a
 * point and 1–2 digits), as parsePoundsToPence reads it; null otherwise. Char codes, not a regex and
 * slices: a ledger import reads a million of these.
 */
export function quickPence(amount: string): number | null {
  const length = amount.length;
  let i = amount.charCodeAt(0) === 45 ? 1 : 0;
  const negative = i === 1;
  let whole = 0;
  const wholeStart = i;
  for (; i < length; i++) {
    const c = amount.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    whole = whole * 10 + c;
  }
  const wholeDigits = i - wholeStart;
  if (wholeDigits < 1 || wholeDigits > 9) return null;
  let fraction = 0;
  if (i < length) {
    if (amount.charCodeAt(i) !== 46 || length - i - 1 < 1 || length - i - 1 > 2) return null;
    for (let j = i + 1; j < length; j++) {
      const c = amount.charCodeAt(j) - 48;
      if (c < 0 || c > 9) return null;
      fraction = fraction * 10 + c;
    }
    if (length - i - 1 === 1) fraction *= 10;
  }
  const pence = whole * 100 + fraction;
  return negative && pence !== 0 ? -pence : pence;
}

/** True when trim() would leave the text as it is: printable ASCII at both ends (or nothing) needs no look. */
function untrimmed(text: string): boolean {
  if (text.length === 0) return true;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  if (first > 32 && first < 127 && last > 32 && last < 127) return true;
  return text.trim() === text;
}

function ledgerLine(r: TransactionRecord): string {
  return LEDGER_COLUMNS.map((c) => copyValue(r[c])).join('\t');
}

/**
 * Reads each file again from its path and COPYs its rows into `transactions`. Resolves with the rows
 * written, or with why it gave up (the caller then rolls back to its savepoint). A lost connection rejects.
 *
 * With `stage` (each path's source number) the same quick reading fills `stage_transactions` instead, with
 * each row's source and line, for the staged checks and merge: a file that repeats or re-sends ids is
 * still read at the quick path's speed. It gives up only on a row that needs reporting.
 */
export async function copyIntoLedger(
  tx: TransactionSql,
  paths: string[],
  stage?: { sources: number[] },
): Promise<DirectOutcome> {
  const refs = new Set<string>();
  let rows = 0;
  try {
    // A first load sets the ledger's indexes aside and builds them once the rows are in (bulk-load.ts);
    // the primary key's rebuild then refuses a repeated id, as its insertions would have.
    let bytes = 0;
    for (const path of paths) bytes += (await stat(path)).size;
    const bulk = !stage && (await isBulkLoad(tx, 'transactions', Math.floor(bytes / BYTES_PER_ROW)));
    const rebuild = bulk ? await setAside(tx, 'transactions', 'indexes') : null;
    // The kept ledger's recent part (migrations/0084) gains a line for each recent line loaded: its date
    // index is built once at the end too (about 1 s less for 1.3 million recent lines, 6 Dec).
    const rebuildKept = bulk ? await setAside(tx, 'ledger_recent', 'indexes') : null;
    for (const [p, path] of paths.entries()) {
      const source = stage ? `${stage.sources[p] ?? p}\t` : '';
      // Plain lines are checked as they are cut from the file (the hook), so most rows never become
      // records; the rest (quoted, short, or not in plain form) come through the batches.
      let out = '';
      let lastRef = '';
      let at: Positions | null = null;
      let width = 0;
      const dates = new Set<string>();
      const seen = (ref: string) => {
        if (ref !== lastRef) {
          refs.add(ref);
          lastRef = ref;
        }
      };
      const quick = (body: string, position: number): boolean => {
        if (at === null) return false;
        const fields = body.split(',');
        if (fields.length !== width) return false;
        const line = quickLedgerLine(fields, at, dates);
        if (line === null) return false;
        seen(fields[at.tenancy_ref] as string);
        out += stage ? `${source}${position}\t${line}\n` : `${line}\n`;
        rows++;
        return true;
      };
      const { columns, batches } = await openCsvRecords(path, quick);
      const index = (name: string) => columns.indexOf(name);
      at = {
        transaction_id: index('transaction_id'),
        tenancy_ref: index('tenancy_ref'),
        date: index('date'),
        type: index('type'),
        amount: index('amount'),
        account: index('account'),
        description: index('description'),
      };
      width = columns.length;
      async function* chunks(): AsyncGenerator<string> {
        for await (const batch of batches) {
          for (const { fields, position } of batch) {
            if (fields.length > width) throw new GiveUp('a row has more values than the header');
            const checked = checkTransactionRecord(rawRecord(columns, fields));
            if (!checked.ok) throw new GiveUp('a row needs reporting');
            seen(checked.record.tenancy_ref);
            out += stage ? `${source}${position}\t${ledgerLine(checked.record)}\n` : `${ledgerLine(checked.record)}\n`;
            rows++;
          }
          if (out !== '') {
            const text = out;
            out = '';
            yield text;
          }
        }
      }
      if (stage) await copyText(tx, 'stage_transactions', TRANSACTION_STAGE_COLUMNS, chunks());
      else await copyText(tx, 'transactions', LEDGER_COLUMNS, chunks());
    }
    if (rebuild) await rebuild();
    if (rebuildKept) await rebuildKept();
  } catch (error) {
    if (error instanceof GiveUp) return { ok: false, reason: error.message };
    if (isConnectionLoss(error) || isConnectionLoss((error as { cause?: unknown }).cause)) throw error;
    const failure = error as { code?: unknown; cause?: { code?: unknown } };
    const code = failure.code ?? failure.cause?.code;
    if (code === '23505') return { ok: false, reason: 'an id is already imported or repeated' };
    return { ok: false, reason: `COPY refused: ${(error as Error).message}` };
  }
  // Staged rows meet the staged checks, which name every unknown tenancy.
  if (stage) return { ok: true, rows };
  const [unknown] = await tx`
    select 1 from unnest(${tx.array([...refs])}::text[]) as r(ref)
    where not exists (select 1 from tenancies t where t.tenancy_ref = r.ref) limit 1`;
  if (unknown) return { ok: false, reason: 'a tenancy is not known' };
  return { ok: true, rows };
}
