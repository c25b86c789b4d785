// Bulk loading: validated records stream into temporary staging tables with COPY, then a few set-based
// statements check what needs the whole file (agreeing rent fields, duplicates, unknown tenancies) and
// merge into the real tables. Everything happens inside the caller's transaction.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TransactionSql } from '../db/connect.js';
import type { TenancyRecord, TransactionRecord } from './records.js';

export const TENANCY_STAGE_COLUMNS = [
  'source', 'line', 'tenancy_ref', 'tenant_no', 'first_name', 'last_name', 'mobile_raw', 'mobile_e164', 'channel',
  'language', 'date_of_birth', 'postcode', 'tenure', 'start_date', 'end_date', 'rent_frequency',
  'rent_amount_pence', 'rent_due_day', 'patch', 'officer_slack_id', 'benefit', 'vulnerable', 'do_not_contact',
  'breathing_space_start', 'breathing_space_end', 'breathing_space_mental_health',
] as const;
export const TRANSACTION_STAGE_COLUMNS = ['source', 'line', 'transaction_id', 'tenancy_ref', 'date', 'type', 'amount_pence', 'account', 'description'] as const;

export async function createStagingTables(tx: TransactionSql): Promise<void> {
  await tx`
    create temp table stage_tenancies (
      source int not null, line int not null, tenancy_ref text, tenant_no smallint, first_name text, last_name text,
      mobile_raw text, mobile_e164 text, channel text, language text, date_of_birth date, postcode text, tenure text,
      start_date date, end_date date, rent_frequency text, rent_amount_pence integer, rent_due_day text, patch text,
      officer_slack_id text, benefit text, vulnerable boolean, do_not_contact boolean, breathing_space_start date,
      breathing_space_end date, breathing_space_mental_health boolean
    ) on commit drop`;
  await tx`
    create temp table stage_transactions (
      source int not null, line int not null, transaction_id text, tenancy_ref text, date date, type text,
      amount_pence integer, account text, description text
    ) on commit drop`;
}

function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

type Staged<T> = { source: number; line: number; record: T };

/** Streams batches of staged rows into a table with COPY, with backpressure. */
async function copyInto<T>(tx: TransactionSql, table: string, columns: readonly string[], batches: AsyncIterable<Staged<T>[]>): Promise<void> {
  const fields = columns.slice(2) as (keyof T)[];
  async function* chunks(): AsyncGenerator<string> {
    for await (const batch of batches) {
      if (batch.length === 0) continue;
      const lines: string[] = new Array(batch.length);
      for (let i = 0; i < batch.length; i++) {
        const { source, line, record } = batch[i] as Staged<T>;
        let text = `${source}\t${line}`;
        for (const f of fields) text += `\t${copyValue(record[f])}`;
        lines[i] = text;
      }
      yield `${lines.join('\n')}\n`;
    }
  }
  const writable = await tx.unsafe(`copy ${table} (${columns.join(', ')}) from stdin`).writable();
  await pipeline(Readable.from(chunks()), writable);
}

export function stageTenancies(tx: TransactionSql, rows: AsyncIterable<Staged<TenancyRecord>[]>): Promise<void> {
  return copyInto(tx, 'stage_tenancies', TENANCY_STAGE_COLUMNS, rows);
}

export function stageTransactions(tx: TransactionSql, rows: AsyncIterable<Staged<TransactionRecord>[]>): Promise<void> {
  return copyInto(tx, 'stage_transactions', TRANSACTION_STAGE_COLUMNS, rows);
}

export interface StagedProblem {
  source: number;
  line: number;
  field: string;
  message: string;
}

const TENANCY_LEVEL_FIELDS = ['tenure', 'start_date', 'end_date', 'rent_frequency', 'rent_amount', 'rent_due_day', 'patch', 'officer_slack_id', 'benefit'] as const;

/** Problems only visible across rows: joint-tenant rows that disagree, and repeated tenants. */
export async function checkStagedTenancies(tx: TransactionSql): Promise<StagedProblem[]> {
  // Temporary tables have no statistics until analysed; without them the planner guesses badly.
  await tx`analyze stage_tenancies`;
  const disagreements = await tx<{ source: number; line: number; tenancy_ref: string; fields: string[] }[]>`
    with firsts as (
      select distinct on (tenancy_ref) * from stage_tenancies order by tenancy_ref, tenant_no, line
    )
    select s.source, s.line, s.tenancy_ref,
      array_remove(array[
        case when s.tenure is distinct from f.tenure then 'tenure' end,
        case when s.start_date is distinct from f.start_date then 'start_date' end,
        case when s.end_date is distinct from f.end_date then 'end_date' end,
        case when s.rent_frequency is distinct from f.rent_frequency then 'rent_frequency' end,
        case when s.rent_amount_pence is distinct from f.rent_amount_pence then 'rent_amount' end,
        case when s.rent_due_day is distinct from f.rent_due_day then 'rent_due_day' end,
        case when s.patch is distinct from f.patch then 'patch' end,
        case when s.officer_slack_id is distinct from f.officer_slack_id then 'officer_slack_id' end,
        case when s.benefit is distinct from f.benefit then 'benefit' end
      ], null) as fields
    from stage_tenancies s join firsts f using (tenancy_ref)
    where (s.source, s.line) <> (f.source, f.line)
      and (s.tenure, s.start_date, s.end_date, s.rent_frequency, s.rent_amount_pence, s.rent_due_day, s.patch, s.officer_slack_id, s.benefit)
      is distinct from (f.tenure, f.start_date, f.end_date, f.rent_frequency, f.rent_amount_pence, f.rent_due_day, f.patch, f.officer_slack_id, f.benefit)`;
  const duplicates = await tx<{ source: number; line: number; tenant_no: number }[]>`
    select source, line, tenant_no from (
      select source, line, tenant_no, row_number() over (partition by tenancy_ref, tenant_no order by source, line) as n
      from stage_tenancies
    ) d where n > 1`;
  return [
    ...disagreements
      .filter((d) => d.fields.length > 0)
      .map((d) => ({
        source: d.source,
        line: d.line,
        field: d.fields.join(', '),
        message: `tenancy ${d.tenancy_ref}: joint tenants' rows must agree on the tenancy and rent fields (${TENANCY_LEVEL_FIELDS.join(', ')}); this row differs from the lead tenant's in ${d.fields.join(', ')}`,
      })),
    ...duplicates.map((d) => ({ source: d.source, line: d.line, field: 'tenant_no', message: `tenant ${d.tenant_no} of this tenancy appears earlier in the import; give each tenant one row` })),
  ];
}

/** Transactions for tenancies we do not know, and one id used for two different transactions. */
export async function checkStagedTransactions(tx: TransactionSql): Promise<StagedProblem[]> {
  await tx`analyze stage_transactions`;
  const unknown = await tx<{ source: number; line: number }[]>`
    select s.source, s.line from stage_transactions s
    where not exists (select 1 from tenancies t where t.tenancy_ref = s.tenancy_ref)
    order by s.source, s.line`;
  const clashes = await tx<{ source: number; line: number }[]>`
    with repeated as (
      select transaction_id from stage_transactions group by transaction_id having count(*) > 1
    ), ranked as (
      select s.source, s.line,
        row(s.tenancy_ref, s.date, s.type, s.amount_pence, s.account, s.description)::text as this_row,
        first_value(row(s.tenancy_ref, s.date, s.type, s.amount_pence, s.account, s.description)::text)
          over (partition by s.transaction_id order by s.source, s.line) as first_row
      from stage_transactions s join repeated using (transaction_id)
    )
    select source, line from ranked where this_row <> first_row order by source, line`;
  return [
    ...unknown.map((u) => ({ source: u.source, line: u.line, field: 'tenancy_ref', message: 'no tenancy with this reference: import the tenancies file first (or in the same command)' })),
    ...clashes.map((c) => ({ source: c.source, line: c.line, field: 'transaction_id', message: 'this id is used earlier in the import for a different transaction; ids must be unique' })),
  ];
}

/** Drops staged rows that failed a cross-row check (used with --skip-invalid). */
export async function discardStaged(tx: TransactionSql, table: 'stage_tenancies' | 'stage_transactions', problems: StagedProblem[]): Promise<void> {
  if (problems.length === 0) return;
  await tx`
    delete from ${tx(table)} s using unnest(${tx.array(problems.map((p) => p.source))}::int[], ${tx.array(problems.map((p) => p.line))}::int[]) as bad(source, line)
    where s.source = bad.source and s.line = bad.line`;
}

export interface MergeCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export async function mergeTenancies(tx: TransactionSql, options: { demo: boolean }): Promise<{ tenancies: MergeCounts; tenants: MergeCounts }> {
  const [tenancies] = await tx<{ inserted: number; updated: number; total: number }[]>`
    with incoming as (
      select distinct on (tenancy_ref) * from stage_tenancies order by tenancy_ref, tenant_no, source, line
    ), merged as (
      insert into tenancies (tenancy_ref, tenure, start_date, end_date, rent_frequency, rent_amount_pence, rent_due_day, patch, officer_slack_id, benefit, demo)
      select tenancy_ref, tenure, start_date, end_date, rent_frequency, rent_amount_pence, rent_due_day, patch, officer_slack_id, benefit, ${options.demo}
      from incoming
      on conflict (tenancy_ref) do update set
        tenure = excluded.tenure, start_date = excluded.start_date, end_date = excluded.end_date,
        rent_frequency = excluded.rent_frequency, rent_amount_pence = excluded.rent_amount_pence,
        rent_due_day = excluded.rent_due_day, patch = excluded.patch, officer_slack_id = excluded.officer_slack_id,
        benefit = excluded.benefit, updated_at = now()
      where (tenancies.tenure, tenancies.start_date, tenancies.end_date, tenancies.rent_frequency, tenancies.rent_amount_pence,
             tenancies.rent_due_day, tenancies.patch, tenancies.officer_slack_id, tenancies.benefit)
        is distinct from (excluded.tenure, excluded.start_date, excluded.end_date, excluded.rent_frequency, excluded.rent_amount_pence,
             excluded.rent_due_day, excluded.patch, excluded.officer_slack_id, excluded.benefit)
      returning (xmax = 0) as inserted
    )
    select count(*) filter (where inserted)::int as inserted, count(*) filter (where not inserted)::int as updated,
      (select count(*) from incoming)::int as total
    from merged`;
  const [tenants] = await tx<{ inserted: number; updated: number; total: number }[]>`
    with incoming as (
      select distinct on (tenancy_ref, tenant_no) * from stage_tenancies order by tenancy_ref, tenant_no, source, line
    ), merged as (
      insert into tenants (tenancy_ref, tenant_no, first_name, last_name, mobile_raw, mobile_e164, channel, language, date_of_birth, postcode,
        vulnerable, do_not_contact, breathing_space_start, breathing_space_end, breathing_space_mental_health)
      select tenancy_ref, tenant_no, first_name, last_name, mobile_raw, mobile_e164, channel, language, date_of_birth, postcode,
        vulnerable, do_not_contact, breathing_space_start, breathing_space_end, breathing_space_mental_health
      from incoming
      on conflict (tenancy_ref, tenant_no) do update set
        first_name = excluded.first_name, last_name = excluded.last_name, mobile_raw = excluded.mobile_raw,
        mobile_e164 = excluded.mobile_e164, channel = excluded.channel, language = excluded.language,
        date_of_birth = excluded.date_of_birth, postcode = excluded.postcode, vulnerable = coalesce(tenants.vulnerable_by_officer, excluded.vulnerable),
        do_not_contact = excluded.do_not_contact, breathing_space_start = excluded.breathing_space_start,
        breathing_space_end = excluded.breathing_space_end, breathing_space_mental_health = excluded.breathing_space_mental_health,
        updated_at = now()
      where (tenants.first_name, tenants.last_name, tenants.mobile_raw, tenants.mobile_e164, tenants.channel, tenants.language,
             tenants.date_of_birth, tenants.postcode, tenants.vulnerable, tenants.do_not_contact, tenants.breathing_space_start,
             tenants.breathing_space_end, tenants.breathing_space_mental_health)
        is distinct from (excluded.first_name, excluded.last_name, excluded.mobile_raw, excluded.mobile_e164, excluded.channel,
             excluded.language, excluded.date_of_birth, excluded.postcode, excluded.vulnerable, excluded.do_not_contact,
             excluded.breathing_space_start, excluded.breathing_space_end, excluded.breathing_space_mental_health)
      returning (xmax = 0) as inserted
    )
    select count(*) filter (where inserted)::int as inserted, count(*) filter (where not inserted)::int as updated,
      (select count(*) from incoming)::int as total
    from merged`;
  const counts = (r: { inserted: number; updated: number; total: number } | undefined): MergeCounts => ({
    inserted: r?.inserted ?? 0,
    updated: r?.updated ?? 0,
    unchanged: (r?.total ?? 0) - (r?.inserted ?? 0) - (r?.updated ?? 0),
  });
  return { tenancies: counts(tenancies), tenants: counts(tenants) };
}

export interface TransactionCounts {
  inserted: number;
  alreadyPresent: number;
  /** Ids already imported with different details: the original is kept. */
  conflicting: { source: number; line: number }[];
}

export async function mergeTransactions(tx: TransactionSql): Promise<TransactionCounts> {
  // Imports are serialised by an advisory lock, so an anti-join is safe and avoids the cost of
  // speculative insertion. Sorting a million ids to keep one row per id costs seconds, so it is done
  // only when the file repeats an id (rare: the clash check has already refused differing repeats).
  const [repeat] = await tx`select 1 from stage_transactions group by transaction_id having count(*) > 1 limit 1`;
  const [result] = repeat
    ? await tx<{ inserted: number; staged: number }[]>`
        with merged as (
          insert into transactions (transaction_id, tenancy_ref, date, type, amount_pence, account, description)
          select distinct on (s.transaction_id) s.transaction_id, s.tenancy_ref, s.date, s.type, s.amount_pence, s.account, s.description
          from stage_transactions s
          where not exists (select 1 from transactions t where t.transaction_id = s.transaction_id)
          order by s.transaction_id, s.source, s.line
          returning 1
        )
        select (select count(*) from merged)::int as inserted, (select count(*) from stage_transactions)::int as staged`
    : await tx<{ inserted: number; staged: number }[]>`
        with merged as (
          insert into transactions (transaction_id, tenancy_ref, date, type, amount_pence, account, description)
          select s.transaction_id, s.tenancy_ref, s.date, s.type, s.amount_pence, s.account, s.description
          from stage_transactions s
          where not exists (select 1 from transactions t where t.transaction_id = s.transaction_id)
          returning 1
        )
        select (select count(*) from merged)::int as inserted, (select count(*) from stage_transactions)::int as staged`;
  const inserted = result?.inserted ?? 0;
  const staged = result?.staged ?? 0;
  let conflicting: { source: number; line: number }[] = [];
  if (inserted < staged) {
    conflicting = await tx<{ source: number; line: number }[]>`
      select s.source, s.line from stage_transactions s join transactions t using (transaction_id)
      where (t.tenancy_ref, t.date, t.type, t.amount_pence, t.account) is distinct from (s.tenancy_ref, s.date, s.type, s.amount_pence, s.account)
      order by s.source, s.line limit 1000`;
  }
  return { inserted, alreadyPresent: staged - inserted, conflicting };
}
