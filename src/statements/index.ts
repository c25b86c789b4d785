// Rent statements for one tenancy: GET /api/tenancies/:ref/statement (JSON, or PDF), `rentline statement`,
// and the record that a statement went to a tenant (rent_statement_sent in the contact log, which the
// pre-action checklist reads).
import { findLedger, findTenancy, findTenants } from '../accounts/queries.js';
import type { Queryable } from '../db/connect.js';
import { appendContactLog } from '../db/queries/contact-log.js';
import { AppError } from '../lib/errors.js';
import { formatDay } from '../rent/calendar-date.js';
import { formatPence } from '../rent/money.js';
import type { Policy } from '../rent/policy.js';
import {
  buildStatement,
  DEFAULT_STATEMENT_WEEKS,
  describeBalance,
  MAX_STATEMENT_WEEKS,
  statementSpan,
  type Statement,
} from '../rent/statement.js';
import { createPdfReport, keyValues, paragraph, table, title } from '../reports/pdf.js';

interface TenancyStatement extends Statement {
  tenancy_ref: string;
  weeks: number;
  tenants: { tenant_no: number; name: string }[];
}

/** `weeks` as given by a person or a query string: a whole number from 1 to 520; 13 when absent. */
export function statementWeeks(value: string | undefined | null): number {
  if (value === undefined || value === null || value === '') return DEFAULT_STATEMENT_WEEKS;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_STATEMENT_WEEKS) {
    throw new AppError(
      'bad_request',
      `weeks must be a whole number from 1 to ${MAX_STATEMENT_WEEKS} (13 when left out)`,
    );
  }
  return n;
}

export async function loadStatement(
  sql: Queryable,
  ref: string,
  options: { weeks: number; today: string },
): Promise<TenancyStatement | null> {
  const tenancy = await findTenancy(sql, ref);
  if (!tenancy) return null;
  const [tenants, entries] = await Promise.all([findTenants(sql, ref), findLedger(sql, ref)]);
  const statement = buildStatement(entries, statementSpan(options.weeks, options.today));
  return {
    tenancy_ref: tenancy.tenancy_ref,
    weeks: options.weeks,
    tenants: tenants.map((t) => ({ tenant_no: t.tenant_no, name: `${t.first_name} ${t.last_name}` })),
    ...statement,
  };
}

export const STATEMENT_COLUMNS = [
  { header: 'Date', share: 0.14 },
  { header: 'Description', share: 0.44 },
  { header: 'Debit', share: 0.14, align: 'right' as const },
  { header: 'Credit', share: 0.14, align: 'right' as const },
  { header: 'Balance', share: 0.14, align: 'right' as const },
];

/** The statement's lines as table cells, opening with the balance brought forward. */
export function statementRows(s: Statement): string[][] {
  return [
    [formatDay(s.from), 'Balance brought forward', '', '', describeBalance(s.brought_forward_pence)],
    ...s.lines.map((l) => [
      formatDay(l.date),
      l.description,
      l.debit_pence ? formatPence(l.debit_pence) : '',
      l.credit_pence ? formatPence(l.credit_pence) : '',
      describeBalance(l.balance_pence),
    ]),
    [
      '',
      'Totals and balance carried forward',
      formatPence(s.total_debit_pence),
      formatPence(s.total_credit_pence),
      describeBalance(s.balance_pence),
    ],
  ];
}

export async function statementPdf(s: TenancyStatement, options: { policy: Policy; now: Date }): Promise<Buffer> {
  const heading = `Rent statement ${s.tenancy_ref}`;
  const report = createPdfReport({
    title: heading,
    footer: `${options.policy.landlord.name} · ${heading} · ${formatDay(s.from)} to ${formatDay(s.to)}`,
    createdAt: options.now,
  });
  const { doc } = report;
  title(doc, heading);
  keyValues(doc, [
    ['Landlord', options.policy.landlord.name],
    ['Tenancy', s.tenancy_ref],
    ['Tenants', s.tenants.map((t) => t.name).join(', ') || 'none on record'],
    ['Period', `${formatDay(s.from)} to ${formatDay(s.to)} (${s.weeks} weeks)`],
    ['Balance now', describeBalance(s.balance_pence)],
  ]);
  paragraph(
    doc,
    'Rent account only: rechargeable repairs, court costs and other charges have their own statements. A positive balance is owed to the landlord.',
  );
  table(doc, STATEMENT_COLUMNS, statementRows(s));
  return report.finish();
}

/** Records that a statement went to a tenant (by text, post or email): evidence for the pre-action protocol. */
export async function recordStatementSent(
  sql: Queryable,
  entry: {
    tenancyRef: string;
    tenantNo: number | null;
    weeks: number;
    at: Date;
    actor: string;
    channel?: string | null;
    messageId?: number | null;
    via: string;
  },
): Promise<void> {
  await appendContactLog(sql, {
    at: entry.at,
    tenancyRef: entry.tenancyRef,
    tenantNo: entry.tenantNo,
    event: 'rent_statement_sent',
    actor: entry.actor,
    channel: entry.channel ?? null,
    messageId: entry.messageId ?? null,
    detail: { weeks: entry.weeks, via: entry.via },
  });
}
