// Bulk loading: validated records stream into temporary staging tables with COPY, then a few set-based
// statements check what needs the whole file (agreeing rent fields, duplicates, unknown tenancies) and
// merge into the real tables. Everything happens inside the caller's transaction.
import { isConnectionLoss } from '../db/errors.js';
import { isBulkLoad, setAside } from './bulk-load.js';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TransactionSql } from '../db/connect.js';
import type { TenancyRecord, TransactionRecord } from './records.js';
import { TENANCY_LEVEL_FIELDS } from './records.js';

/** A tenancies-file row's columns in `tenants` (direct-tenancies.ts COPYs them straight in). */
export const TENANT_COLUMNS = [
  'tenancy_ref',
  'tenant_no',
  'first_name',
  'last_name',
  'mobile_raw',
  'mobile_e164',
  'channel',
  'language',
  'date_of_birth',
  'postcode',
  'vulnerable',
  'do_not_contact',
  'breathing_space_start',
  'breathing_space_end',
  'breathing_space_mental_health',
] as const;
/** Its tenancy's columns in `tenancies`. */
export const TENANCY_COLUMNS = [
  'tenancy_ref',
  'tenure',
  'start_date',
  'end_date',
  'rent_frequency',
  'rent_amount_pence',
  'rent_due_day',
  'patch',
  'officer_slack_id',
  'benefit',
] as const;

/** The staged row: where it came from, then both tables' columns (the tenancy's ref once). */
const TENANCY_STAGE_COLUMNS = [
  'source',
  'line',
  ...TENANT_COLUMNS,
  ...TENANCY_COLUMNS.filter((c) => c !== 'tenancy_ref'),
] as const;
/** A ledger line's columns, in `transactions` and (after where it came from) in its staging table. */
export const LEDGER_COLUMNS = [
  'transaction_id',
  'tenancy_ref',
  'date',
  'type',
  'amount_pence',
  'account',
  'description',
] as const;

export const TRANSACTION_STAGE_COLUMNS = ['source', 'line', ...LEDGER_COLUMNS] as const;

export async function createStagingTables(tx: TransactionSql): Promise<void> {
  // The cross-row checks and merges sort and hash a million staged rows: with the default 4 MB they spill
  // to disk, which was seconds of a 150,000-tenancy import. One import runs at a time (advisory lock).
  await tx`set local work_mem = '128MB'`;
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

const COPY_SPECIAL_ALL = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A value in COPY's text format. Almost no value needs escaping, so the test comes first. */
export function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  const text = String(value);
  return needsEscape(text) ? text.replace(COPY_SPECIAL_ALL, (c) => COPY_ESCAPES[c] as string) : text;
}

/** A backslash, tab or line break: a scan of char codes costs less than a regex on these short values. */
function needsEscape(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 || c === 9 || c === 10 || c === 13) return true;
  }
  return false;
}

type Staged<T> = { source: number; line: number; record: T };

/** Streams batches of staged rows into a table with COPY, with backpressure. */
async function copyInto<T>(
  tx: TransactionSql,
  table: string,
  columns: readonly string[],
  batches: AsyncIterable<Staged<T>[]>,
): Promise<void> {
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
  await copyText(tx, table, columns, chunks());
}

/**
 * Streams chunks of COPY text-format lines into a table, with backpressure. A refusal by Postgres rejects
 * (with the Postgres error as `cause`, so its code can be read) instead of leaving the COPY waiting.
 */
export async function copyText(
  tx: TransactionSql,
  table: string,
  columns: readonly string[],
  chunks: AsyncIterable<string>,
): Promise<void> {
  const writable = await tx.unsafe(`copy ${table} (${columns.join(', ')}) from stdin`).writable();
  const source = Readable.from(chunks);
  const sourceDone = new Promise((resolve) => source.once('close', resolve));
  const copied = pipeline(source, writable);
  // postgres.js finishes a COPY's stream only when Postgres reports the COPY done: if Postgres refuses the
  // data instead, the stream waits for ever and the transaction stays open, aborted, holding its connection.
  // A statement queued behind the COPY answers either way: it fails at once if the COPY failed.
  const refused = (async () => {
    await sourceDone;
    for (;;) {
      await new Promise((r) => setImmediate(r));
      try {
        await tx`select 1`;
        return;
      } catch (error) {
        if ((error as { code?: unknown }).code === 'COPY_IN_PROGRESS') continue;
        if (isConnectionLoss(error)) throw error;
        throw new Error(
          `Postgres refused the rows copied into ${table} (${(error as Error).message}); nothing was imported`,
          { cause: error },
        );
      }
    }
  })();
  await Promise.race([copied, refused.then(() => copied)]);
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

/** Problems only visible across rows: joint-tenant rows that disagree, and repeated tenants. */
export async function checkStagedTenancies(tx: TransactionSql): Promise<StagedProblem[]> {
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
    ...duplicates.map((d) => ({
      source: d.source,
      line: d.line,
      field: 'tenant_no',
      message: `tenant ${d.tenant_no} of this tenancy appears earlier in the import; give each tenant one row`,
    })),
  ];
}

/** Transactions for tenancies we do not know, and one id used for two different transactions. */
export async function checkStagedTransactions(tx: TransactionSql): Promise<StagedProblem[]> {
  await tx`analyze stage_transactions`;
  const unknown = await tx<{ source: number; line: number }[]>`
    select s.source, s.line from stage_transactions s
    where not exists (select 1 from tenancies t where t.tenancy_ref = s.tenancy_ref)
    order by s.source, s.line`;
  // Ids the file repeats, found once: the clash check and the merge both need them.
  await tx`
    create temp table stage_repeated_ids on commit drop as
    select transaction_id from stage_transactions group by transaction_id having count(*) > 1`;
  const clashes = await tx<{ source: number; line: number }[]>`
    with repeated as (
      select transaction_id from stage_repeated_ids
    ), ranked as (
      select s.source, s.line,
        row(s.tenancy_ref, s.date, s.type, s.amount_pence, s.account, s.description)::text as this_row,
        first_value(row(s.tenancy_ref, s.date, s.type, s.amount_pence, s.account, s.description)::text)
          over (partition by s.transaction_id order by s.source, s.line) as first_row
      from stage_transactions s join repeated using (transaction_id)
    )
    select source, line from ranked where this_row <> first_row order by source, line`;
  return [
    ...unknown.map((u) => ({
      source: u.source,
      line: u.line,
      field: 'tenancy_ref',
      message: 'no tenancy with this reference: import the tenancies file first (or in the same command)',
    })),
    ...clashes.map((c) => ({
      source: c.source,
      line: c.line,
      field: 'transaction_id',
      message: 'this id is used earlier in the import for a different transaction; ids must be unique',
    })),
  ];
}

/** Drops staged rows that failed a cross-row check (used with --skip-invalid). */
export async function discardStaged(
  tx: TransactionSql,
  table: 'stage_tenancies' | 'stage_transactions',
  problems: StagedProblem[],
): Promise<void> {
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

/**
 * Tenancies and their tenants: rows that changed are updated, new ones inserted, unchanged ones left alone.
 * Imports are serialised by an advisory lock and are the only writer of these tables, so an update then an
 * anti-join insert is safe, and it costs less than half what `insert … on conflict do update` does (its
 * speculative insertion was most of a 150,000-tenancy merge).
 */
export async function mergeTenancies(
  tx: TransactionSql,
  options: { demo: boolean },
): Promise<{ tenancies: MergeCounts; tenants: MergeCounts }> {
  await tx`
    create temp table incoming_tenancies on commit drop as
    select distinct on (tenancy_ref) * from stage_tenancies order by tenancy_ref, tenant_no, source, line`;
  const [tenancies] = await tx<{ inserted: number; updated: number; total: number }[]>`
    with updated as (
      update tenancies t set
        tenure = i.tenure, start_date = i.start_date, end_date = i.end_date, rent_frequency = i.rent_frequency,
        rent_amount_pence = i.rent_amount_pence, rent_due_day = i.rent_due_day, patch = i.patch,
        officer_slack_id = i.officer_slack_id, benefit = i.benefit, updated_at = now()
      from incoming_tenancies i
      where t.tenancy_ref = i.tenancy_ref
        and (t.tenure, t.start_date, t.end_date, t.rent_frequency, t.rent_amount_pence, t.rent_due_day, t.patch, t.officer_slack_id, t.benefit)
        is distinct from (i.tenure, i.start_date, i.end_date, i.rent_frequency, i.rent_amount_pence, i.rent_due_day, i.patch, i.officer_slack_id, i.benefit)
      returning 1
    ), inserted as (
      insert into tenancies (tenancy_ref, tenure, start_date, end_date, rent_frequency, rent_amount_pence, rent_due_day, patch, officer_slack_id, benefit, demo)
      select tenancy_ref, tenure, start_date, end_date, rent_frequency, rent_amount_pence, rent_due_day, patch, officer_slack_id, benefit, ${options.demo}
      from incoming_tenancies i
      where not exists (select 1 from tenancies t where t.tenancy_ref = i.tenancy_ref)
      returning 1
    )
    select (select count(*) from inserted)::int as inserted, (select count(*) from updated)::int as updated,
      (select count(*) from incoming_tenancies)::int as total`;
  // A first load checks the tenants' foreign key once at the end rather than row by row (bulk-load.ts).
  const [staged] = await tx<{ n: number }[]>`select count(*)::int as n from stage_tenancies`;
  const rebuild = (await isBulkLoad(tx, 'tenants', staged?.n ?? 0))
    ? await setAside(tx, 'tenants', 'foreign keys')
    : null;
  const [tenants] = await tx<{ inserted: number; updated: number; total: number }[]>`
    with incoming as (
      select distinct on (tenancy_ref, tenant_no) * from stage_tenancies order by tenancy_ref, tenant_no, source, line
    ), updated as (
      update tenants t set
        first_name = i.first_name, last_name = i.last_name, mobile_raw = i.mobile_raw, mobile_e164 = i.mobile_e164,
        channel = i.channel, language = i.language, date_of_birth = i.date_of_birth, postcode = i.postcode,
        -- An officer's decision on vulnerability outlives the housing system's flag (until the officer clears it).
        vulnerable = coalesce(t.vulnerable_by_officer, i.vulnerable), do_not_contact = i.do_not_contact, breathing_space_start = i.breathing_space_start,
        breathing_space_end = i.breathing_space_end, breathing_space_mental_health = i.breathing_space_mental_health,
        updated_at = now()
      from incoming i
      where t.tenancy_ref = i.tenancy_ref and t.tenant_no = i.tenant_no
        and (t.first_name, t.last_name, t.mobile_raw, t.mobile_e164, t.channel, t.language, t.date_of_birth, t.postcode,
             t.vulnerable, t.do_not_contact, t.breathing_space_start, t.breathing_space_end, t.breathing_space_mental_health)
        is distinct from (i.first_name, i.last_name, i.mobile_raw, i.mobile_e164, i.channel, i.language, i.date_of_birth, i.postcode,
             coalesce(t.vulnerable_by_officer, i.vulnerable), i.do_not_contact, i.breathing_space_start, i.breathing_space_end, i.breathing_space_mental_health)
      returning 1
    ), inserted as (
      insert into tenants (tenancy_ref, tenant_no, first_name, last_name, mobile_raw, mobile_e164, channel, language, date_of_birth, postcode,
        vulnerable, do_not_contact, breathing_space_start, breathing_space_end, breathing_space_mental_health)
      select tenancy_ref, tenant_no, first_name, last_name, mobile_raw, mobile_e164, channel, language, date_of_birth, postcode,
        vulnerable, do_not_contact, breathing_space_start, breathing_space_end, breathing_space_mental_health
      from incoming i
      where not exists (select 1 from tenants t where t.tenancy_ref = i.tenancy_ref and t.tenant_no = i.tenant_no)
      returning 1
    )
    select (select count(*) from inserted)::int as inserted, (select count(*) from updated)::int as updated,
      (select count(*) from incoming)::int as total`;
  if (rebuild) await rebuild();
  const counts = (r: { inserted: number; updated: number; total: number } | undefined): MergeCounts => ({
    inserted: r?.inserted ?? 0,
    updated: r?.updated ?? 0,
    unchanged: (r?.total ?? 0) - (r?.inserted ?? 0) - (r?.updated ?? 0),
  });
  return { tenancies: counts(tenancies), tenants: counts(tenants) };
}

interface TransactionCounts {
  inserted: number;
  alreadyPresent: number;
  /** Ids already imported with different details: the original is kept. */
  conflicting: { source: number; line: number }[];
}

export async function mergeTransactions(tx: TransactionSql): Promise<TransactionCounts> {
  // Imports are serialised by an advisory lock, so an anti-join is safe and avoids the cost of
  // speculative insertion. Sorting a million ids to keep one row per id costs seconds, so it is done
  // only when the file repeats an id (rare: the clash check has already refused differing repeats);
  // checkStagedTransactions has listed the repeated ids.
  const [repeat] = await tx`select 1 from stage_repeated_ids limit 1`;
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
