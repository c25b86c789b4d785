// A rent statement: every rent-account charge and credit in a span, with a running balance that starts
// from the balance brought forward (everything dated before the span). Pure; sub-accounts are left out
// because a statement of rent must never call a recharge or court costs rent (they have their own ledgers).
import { addDays, formatDay } from './calendar-date.js';
import { formatPence } from './money.js';
import type { LedgerEntry, Pence, TransactionType } from './types.js';

interface StatementLine {
  date: string;
  description: string;
  debit_pence: Pence;
  credit_pence: Pence;
  balance_pence: Pence;
}

export interface Statement {
  from: string;
  to: string;
  brought_forward_pence: Pence;
  lines: StatementLine[];
  total_debit_pence: Pence;
  total_credit_pence: Pence;
  /** The balance at the end of `to` (positive: owed). */
  balance_pence: Pence;
}

export const DEFAULT_STATEMENT_WEEKS = 13;
/** A statement may cover up to ten years; longer spans belong in the housing system's own export. */
export const MAX_STATEMENT_WEEKS = 520;

const TYPE_WORDS: Record<TransactionType, string> = {
  rent: 'Rent',
  charge: 'Charge',
  payment: 'Payment',
  hb: 'Housing Benefit',
  uc: 'Universal Credit',
  adjustment: 'Adjustment',
  write_off: 'Write-off',
  refund: 'Refund',
  court_costs: 'Court costs',
};

/** The span of an N-week statement ending on `to` (inclusive): 13 weeks to Monday ends on that Monday. */
export function statementSpan(weeks: number, to: string): { from: string; to: string } {
  return { from: addDays(to, 1 - weeks * 7), to };
}

function describe(e: LedgerEntry): string {
  const word = TYPE_WORDS[e.type];
  const text = e.description.trim();
  return text === '' || text.toLowerCase() === word.toLowerCase() ? word : `${word}: ${text}`;
}

/** Entries must be in ledger order (date, then the order they were posted). */
export function buildStatement(entries: readonly LedgerEntry[], span: { from: string; to: string }): Statement {
  let balance = 0;
  const lines: StatementLine[] = [];
  let debit = 0;
  let credit = 0;
  for (const e of entries) {
    if (e.account !== 'rent' || e.date > span.to) continue;
    balance += e.amountPence;
    if (e.date < span.from) continue;
    const line = {
      date: e.date,
      description: describe(e),
      debit_pence: e.amountPence > 0 ? e.amountPence : 0,
      credit_pence: e.amountPence < 0 ? -e.amountPence : 0,
      balance_pence: balance,
    };
    debit += line.debit_pence;
    credit += line.credit_pence;
    lines.push(line);
  }
  const broughtForward = balance - debit + credit;
  return {
    from: span.from,
    to: span.to,
    brought_forward_pence: broughtForward,
    lines,
    total_debit_pence: debit,
    total_credit_pence: credit,
    balance_pence: balance,
  };
}

/** A balance as people read it on a statement: "£12.00" owed, "£5.00 in credit". */
export function describeBalance(pence: Pence): string {
  return pence < 0 ? `${formatPence(-pence)} in credit` : formatPence(pence);
}

/** The statement in one short paragraph (a text message, or the top of the CLI output). */
export function statementSummary(s: Statement, weeks: number): string {
  return (
    `Rent statement, ${weeks} week${weeks === 1 ? '' : 's'} from ${formatDay(s.from)} to ${formatDay(s.to)}: ` +
    `balance brought forward ${describeBalance(s.brought_forward_pence)}, rent and charges ${formatPence(s.total_debit_pence)}, ` +
    `paid ${formatPence(s.total_credit_pence)}, balance now ${describeBalance(s.balance_pence)}.`
  );
}
