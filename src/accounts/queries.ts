// Reading one rent account: tenancy, tenants, ledger and latest arrangement.
import type { Queryable } from '../db/connect.js';
import type {
  Account,
  Benefit,
  LedgerEntry,
  PreferredChannel,
  RentFrequency,
  TransactionType,
  Weekday,
} from '../rent/types.js';

/** The columns of a tenancy that say what rent is charged when, and what benefit pays it. */
export type TenancyScheduleColumns = Pick<
  TenancyRow,
  'rent_frequency' | 'rent_amount_pence' | 'rent_due_day' | 'start_date' | 'end_date' | 'benefit'
>;

export interface TenancyRow {
  tenancy_ref: string;
  tenure: string;
  start_date: string;
  end_date: string | null;
  rent_frequency: RentFrequency;
  rent_amount_pence: number;
  rent_due_day: string;
  patch: string | null;
  officer_slack_id: string | null;
  benefit: Benefit;
  demo: boolean;
  /** An officer has marked the tenant's benefit claim pending (docs/rules.md#benefit-claim-pending): no notice is recommended. */
  benefit_claim_pending: boolean;
}

export interface TenantRow {
  tenancy_ref: string;
  tenant_no: number;
  first_name: string;
  last_name: string;
  mobile_e164: string | null;
  channel: PreferredChannel;
  language: string;
  date_of_birth: string | null;
  postcode: string | null;
  vulnerable: boolean;
  do_not_contact: boolean;
  breathing_space_start: string | null;
  breathing_space_end: string | null;
  breathing_space_mental_health: boolean;
}

interface ArrangementRow {
  id: number;
  amount_pence: number;
  frequency: RentFrequency;
  start_date: string;
  status: string;
  reason: string | null;
}

/** A TenancyRow's columns and the SQL each is read by, from the tenancies row aliased `y`. */
const TENANCY_COLUMNS: readonly (readonly [keyof TenancyRow, string])[] = [
  ['tenancy_ref', 'y.tenancy_ref'],
  ['tenure', 'y.tenure'],
  ['start_date', 'y.start_date'],
  ['end_date', 'y.end_date'],
  ['rent_frequency', 'y.rent_frequency'],
  ['rent_amount_pence', 'y.rent_amount_pence'],
  ['rent_due_day', 'y.rent_due_day'],
  ['patch', 'y.patch'],
  ['officer_slack_id', 'y.officer_slack_id'],
  ['benefit', 'y.benefit'],
  ['demo', 'y.demo'],
  ['benefit_claim_pending', 'y.benefit_claim_pending_since is not null'],
];

/**
 * `json_build_object(...)`: one TenancyRow as JSON, from the tenancies row aliased `y` (for a loader that
 * reads it inside one query; it has no timestamps, so the JSON is the row as it stands).
 */
export function tenancyJson(sql: Queryable) {
  return sql.unsafe(`json_build_object(${TENANCY_COLUMNS.map(([name, expr]) => `'${name}', ${expr}`).join(', ')})`);
}

export async function findTenancy(sql: Queryable, ref: string): Promise<TenancyRow | null> {
  const [row] = await sql<TenancyRow[]>`
    select ${sql.unsafe(TENANCY_COLUMNS.map(([name, expr]) => `${expr} as ${name}`).join(', '))}
    from tenancies y where y.tenancy_ref = ${ref}`;
  return row ?? null;
}

export async function findTenants(sql: Queryable, ref: string): Promise<TenantRow[]> {
  return sql<TenantRow[]>`
    select tenancy_ref, tenant_no, first_name, last_name, mobile_e164, channel, language, date_of_birth, postcode, vulnerable,
      do_not_contact, breathing_space_start, breathing_space_end, breathing_space_mental_health
    from tenants where tenancy_ref = ${ref} order by tenant_no`;
}

export async function findLedger(sql: Queryable, ref: string): Promise<LedgerEntry[]> {
  const rows = await sql<
    { date: string; type: TransactionType; amount_pence: number; account: Account; description: string }[]
  >`
    select date, type, amount_pence, account, description from transactions where tenancy_ref = ${ref} order by date, transaction_id`;
  return rows.map((r) => ({
    date: r.date,
    type: r.type,
    amountPence: r.amount_pence,
    account: r.account,
    description: r.description,
  }));
}

export async function findLatestArrangement(sql: Queryable, ref: string): Promise<ArrangementRow | null> {
  const [row] = await sql<ArrangementRow[]>`
    select id::int as id, amount_pence, frequency, start_date, status, reason from arrangements
    where tenancy_ref = ${ref} order by created_at desc, id desc limit 1`;
  return row ?? null;
}

export function dueDayOf(row: Pick<TenancyRow, 'rent_frequency' | 'rent_due_day'>): Weekday | number {
  return row.rent_frequency === 'monthly' ? Number(row.rent_due_day) : (row.rent_due_day as Weekday);
}
