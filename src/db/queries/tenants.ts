// The tenant a conversation reads (who they are, how to reach them, what holds them) in one place: its
// columns, the JSON object a one-query loader builds of them, and the mapper that turns that JSON back into
// the row. The driver returns a column read directly with its timestamps as Dates; JSON carries them as
// strings, so every JSON reader goes through contactTenantFromJson and none revives a date by hand.
import type { Queryable } from '../connect.js';
import { jsonTimestamp } from '../json.js';
import type { PreferredChannel } from '../../rent/types.js';

export interface ContactTenant {
  tenancy_ref: string;
  tenant_no: number;
  first_name: string;
  mobile_e164: string | null;
  channel: PreferredChannel;
  language: string;
  date_of_birth: string | null;
  postcode: string | null;
  last_whatsapp_inbound_at: Date | null;
  vulnerable: boolean;
  do_not_contact: boolean;
  breathing_space_start: string | null;
  breathing_space_end: string | null;
  breathing_space_mental_health: boolean;
  disputed_at: Date | null;
}

/** The columns that are timestamps: Dates in the row, ISO strings in JSON. */
type TimestampColumn = 'last_whatsapp_inbound_at' | 'disputed_at';

/** A ContactTenant as Postgres's JSON carries it. */
export type ContactTenantJson = Omit<ContactTenant, TimestampColumn> & Record<TimestampColumn, string | null>;

const COLUMNS = [
  'tenancy_ref',
  'tenant_no',
  'first_name',
  'mobile_e164',
  'channel',
  'language',
  'date_of_birth',
  'postcode',
  'last_whatsapp_inbound_at',
  'vulnerable',
  'do_not_contact',
  'breathing_space_start',
  'breathing_space_end',
  'breathing_space_mental_health',
  'disputed_at',
] as const satisfies readonly (keyof ContactTenant)[];

/** `t.tenancy_ref, t.tenant_no, ...`: the select list of a ContactTenant from the tenants row aliased `alias`. */
export function contactTenantColumns(sql: Queryable, alias: string) {
  return sql.unsafe(COLUMNS.map((c) => `${alias}.${c}`).join(', '));
}

/** `json_build_object(...)`: one ContactTenant as JSON, from the tenants row aliased `alias`. */
export function contactTenantJson(sql: Queryable, alias: string) {
  return sql.unsafe(`json_build_object(${COLUMNS.map((c) => `'${c}', ${alias}.${c}`).join(', ')})`);
}

/** The row from the JSON contactTenantJson built. */
export function contactTenantFromJson(json: ContactTenantJson): ContactTenant {
  return {
    ...json,
    last_whatsapp_inbound_at: jsonTimestamp(json.last_whatsapp_inbound_at),
    disputed_at: jsonTimestamp(json.disputed_at),
  };
}

export async function findTenant(sql: Queryable, tenancyRef: string, tenantNo: number): Promise<ContactTenant | null> {
  const [row] = await sql<ContactTenant[]>`
    select ${contactTenantColumns(sql, 't')} from tenants t where t.tenancy_ref = ${tenancyRef} and t.tenant_no = ${tenantNo}`;
  return row ?? null;
}

/** The tenant's first name (what an officer's form or message greets them by), or null if there is no such tenant. */
export async function tenantFirstName(sql: Queryable, tenancyRef: string, tenantNo: number): Promise<string | null> {
  const [row] = await sql<{ first_name: string }[]>`
    select first_name from tenants where tenancy_ref = ${tenancyRef} and tenant_no = ${tenantNo}`;
  return row?.first_name ?? null;
}
