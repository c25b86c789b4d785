// The fast way in for a transactions file: its rows are checked as they are read and COPYed straight into
// `transactions`, with no staging table and no INSERT … SELECT (a staged merge wrote every row twice and
// logged each one alone; COPY writes them once, a page at a time). It is an attempt, made under a
// savepoint: it gives up, and the caller rolls back to the savepoint and takes the staged path
// (staging.ts), at the first thing that path would report or decide differently — a row that fails a
// check, an id already imported or repeated in the file (the primary key refuses it), a tenancy that
// does not exist. The staged path then reads the file again and says exactly what is wrong, so the
// result of an import never depends on which path it took; only its speed does.
import { isConnectionLoss } from '../db/errors.js';
import type { TransactionSql } from '../db/connect.js';
import { openCsvRecords, rawRecord } from './csv.js';
import { checkTransactionRecord, isCalendarDate, type TransactionRecord } from './records.js';
import { copyText, copyValue } from './staging.js';
import { ACCOUNTS, TRANSACTION_TYPES } from '../rent/types.js';
import { parsePoundsToPence } from '../rent/money.js';

export const LEDGER_COLUMNS = [
  'transaction_id',
  'tenancy_ref',
  'date',
  'type',
  'amount_pence',
  'account',
  'description',
] as const;

/** Why the direct attempt gave up: for the phase log only, the staged path reports the detail. */
export type DirectOutcome = { ok: true; rows: number } | { ok: false; reason: string };

class GiveUp extends Error {}

const TYPES = new Set<string>(TRANSACTION_TYPES);
const ACCOUNT_NAMES = new Set<string>(ACCOUNTS);
// What the quick check accepts: values that need no trimming, lower-casing, escaping or second look.
// Everything else goes through checkTransactionRecord, which decides (and is the definition).
const QUICK_ID = /^[!-[\]-~]{1,100}$/; // printable ASCII but space and backslash
const QUICK_REF = /^[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}$/;
const QUICK_DATE = /^\d{4}-\d{2}-\d{2}$/;
const QUICK_AMOUNT = /^-?\d{1,9}(?:\.\d{1,2})?$/;
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
  if (!QUICK_AMOUNT.test(amount)) return null;
  const pence = parsePoundsToPence(amount);
  if (pence === null || Math.abs(pence) > 100_000_000) return null;
  if (description.length > 500 || NEEDS_LOOK.test(description) || description.trim() !== description) return null;
  return `${id}\t${ref}\t${date}\t${type}\t${pence}\t${account || 'rent'}\t${description}`;
}

function ledgerLine(r: TransactionRecord): string {
  return LEDGER_COLUMNS.map((c) => copyValue(r[c])).join('\t');
}

/**
 * Reads each file again from its path and COPYs its rows into `transactions`. Resolves with the rows
 * written, or with why it gave up (the caller then rolls back to its savepoint). A lost connection rejects.
 */
export async function copyIntoLedger(tx: TransactionSql, paths: string[]): Promise<DirectOutcome> {
  const refs = new Set<string>();
  let rows = 0;
  try {
    for (const path of paths) {
      const { columns, batches } = await openCsvRecords(path);
      const index = (name: string) => columns.indexOf(name);
      const at: Positions = {
        transaction_id: index('transaction_id'),
        tenancy_ref: index('tenancy_ref'),
        date: index('date'),
        type: index('type'),
        amount: index('amount'),
        account: index('account'),
        description: index('description'),
      };
      const width = columns.length;
      const dates = new Set<string>();
      async function* chunks(): AsyncGenerator<string> {
        let lastRef = '';
        for await (const batch of batches) {
          let text = '';
          for (const { fields } of batch) {
            if (fields.length > width) throw new GiveUp('a row has more values than the header');
            let line = fields.length === width ? quickLedgerLine(fields, at, dates) : null;
            let ref = fields[at.tenancy_ref] as string;
            if (line === null) {
              const checked = checkTransactionRecord(rawRecord(columns, fields));
              if (!checked.ok) throw new GiveUp('a row needs reporting');
              line = ledgerLine(checked.record);
              ref = checked.record.tenancy_ref;
            }
            if (ref !== lastRef) {
              refs.add(ref);
              lastRef = ref;
            }
            text += `${line}\n`;
            rows++;
          }
          if (text !== '') yield text;
        }
      }
      await copyText(tx, 'transactions', LEDGER_COLUMNS, chunks());
    }
  } catch (error) {
    if (error instanceof GiveUp) return { ok: false, reason: error.message };
    if (isConnectionLoss(error) || isConnectionLoss((error as { cause?: unknown }).cause)) throw error;
    const failure = error as { code?: unknown; cause?: { code?: unknown } };
    const code = failure.code ?? failure.cause?.code;
    if (code === '23505') return { ok: false, reason: 'an id is already imported or repeated' };
    return { ok: false, reason: `COPY refused: ${(error as Error).message}` };
  }
  const [unknown] = await tx`
    select 1 from unnest(${tx.array([...refs])}::text[]) as r(ref)
    where not exists (select 1 from tenancies t where t.tenancy_ref = r.ref) limit 1`;
  if (unknown) return { ok: false, reason: 'a tenancy is not known' };
  return { ok: true, rows };
}
