// Reading a tenancy's holds: the facts of every tenant of the tenancies asked for, and their open crisis
// hand-offs, in one statement; src/rent/holds.ts turns them into holds. Used by the dispatcher at send
// time, the jobs, the account summary and officers' commands, so all see the same holds.
import type { Queryable } from '../connect.js';
import { jsonTimestamp } from '../json.js';
import { holdsOf, type CrisisFacts, type Hold, type TenantHoldFacts } from '../../rent/holds.js';

interface TenancyHoldFacts {
  tenants: TenantHoldFacts[];
  crises: CrisisFacts[];
}

/** One tenant's hold facts as a row gives them: named alike in holdFactsColumns' JSON and tenantFactColumns. */
export interface TenantFactsRow {
  tenant_no: number;
  vulnerable: boolean;
  vulnerable_since: string | Date | null;
  vulnerable_review_on: string | null;
  do_not_contact: boolean;
  breathing_space_start: string | null;
  breathing_space_end: string | null;
  breathing_space_mental_health: boolean;
  disputed_at: string | Date | null;
  sms_opted_out_at: string | Date | null;
  whatsapp_opted_out_at: string | Date | null;
  contact_paused_until: string | Date | null;
  contact_pause_reason: string | null;
}

interface CrisisRow {
  tenant_no: number;
  since: string | Date;
  id: number | string;
}

interface Row {
  tenancy_ref: string;
  tenants: TenantFactsRow[];
  crises: CrisisRow[] | null;
}

/** The columns of TenantFactsRow (dates as text, as in the JSON), from the tenants row `o`. */
const TENANT_FACT_COLUMNS = `o.tenant_no, o.vulnerable, o.vulnerable_since, o.vulnerable_review_on::text as vulnerable_review_on,
  o.do_not_contact, o.breathing_space_start::text as breathing_space_start, o.breathing_space_end::text as breathing_space_end,
  o.breathing_space_mental_health, o.disputed_at, o.sms_opted_out_at, o.whatsapp_opted_out_at, o.contact_paused_until,
  o.contact_pause_reason`;

/**
 * A tenant's hold facts as plain columns of the tenants row aliased `o`: what a loader reading many tenancies
 * at once selects (a row per tenant, no JSON to build and parse), with the tenancy's open crises from
 * loadOpenCrises. Per-text paths take holdFactsColumns instead, which brings the whole tenancy in one row.
 */
export function tenantFactColumns(sql: Queryable) {
  return sql.unsafe(TENANT_FACT_COLUMNS);
}

/** The SQL select list both loaders share: one JSON array of tenant facts, one of open crises. */
/** Expects the tenancy's ref as `h.tenancy_ref` in the enclosing query. */
export function holdFactsColumns(sql: Queryable) {
  return sql`
    (select json_agg(json_build_object('tenant_no', o.tenant_no, 'vulnerable', o.vulnerable, 'vulnerable_since', o.vulnerable_since,
        'vulnerable_review_on', o.vulnerable_review_on, 'do_not_contact', o.do_not_contact,
        'breathing_space_start', o.breathing_space_start, 'breathing_space_end', o.breathing_space_end,
        'breathing_space_mental_health', o.breathing_space_mental_health, 'disputed_at', o.disputed_at,
        'sms_opted_out_at', o.sms_opted_out_at, 'whatsapp_opted_out_at', o.whatsapp_opted_out_at,
        'contact_paused_until', o.contact_paused_until, 'contact_pause_reason', o.contact_pause_reason) order by o.tenant_no)
      from tenants o where o.tenancy_ref = h.tenancy_ref) as tenants,
    (select json_agg(json_build_object('tenant_no', e.tenant_no, 'since', e.created_at, 'id', e.id) order by e.created_at)
      from escalations e where e.tenancy_ref = h.tenancy_ref and e.reason = 'crisis' and e.crisis_resolved_at is null) as crises`;
}

/** One tenant's facts in the shape the pure rule reads. */
export function tenantFactsOf(t: TenantFactsRow): TenantHoldFacts {
  return {
    tenantNo: t.tenant_no,
    vulnerable: t.vulnerable,
    vulnerableSince: jsonTimestamp(t.vulnerable_since),
    vulnerableReviewOn: t.vulnerable_review_on,
    doNotContact: t.do_not_contact,
    breathingSpace:
      t.breathing_space_start === null
        ? null
        : {
            start: t.breathing_space_start,
            end: t.breathing_space_end,
            mentalHealth: t.breathing_space_mental_health,
          },
    disputedAt: jsonTimestamp(t.disputed_at),
    smsOptedOutAt: jsonTimestamp(t.sms_opted_out_at),
    whatsappOptedOutAt: jsonTimestamp(t.whatsapp_opted_out_at),
    pausedUntil: jsonTimestamp(t.contact_paused_until),
    pauseReason: t.contact_pause_reason,
  };
}

function crisisFactsOf(c: CrisisRow): CrisisFacts {
  return { tenantNo: c.tenant_no, since: new Date(c.since), escalationId: Number(c.id) };
}

/** The facts in the shape the pure rule reads, from the JSON the query builds. */
export function factsFromJson(tenants: Row['tenants'] | null, crises: Row['crises']): TenancyHoldFacts {
  return { tenants: (tenants ?? []).map(tenantFactsOf), crises: (crises ?? []).map(crisisFactsOf) };
}

/** Open crisis hand-offs of these tenancies, oldest first (few: read by the partial index on open crises). */
export async function loadOpenCrises(sql: Queryable, refs: readonly string[]): Promise<Map<string, CrisisFacts[]>> {
  const byRef = new Map<string, CrisisFacts[]>();
  if (refs.length === 0) return byRef;
  const rows = await sql<(CrisisRow & { tenancy_ref: string })[]>`
    select e.tenancy_ref, e.tenant_no, e.created_at as since, e.id::int as id from escalations e
    where e.tenancy_ref = any(${refs as string[]}::text[]) and e.reason = 'crisis' and e.crisis_resolved_at is null
    order by e.tenancy_ref, e.created_at`;
  for (const row of rows) {
    const list = byRef.get(row.tenancy_ref);
    if (list) list.push(crisisFactsOf(row));
    else byRef.set(row.tenancy_ref, [crisisFactsOf(row)]);
  }
  return byRef;
}

/** Hold facts of each tenancy asked for (absent when the tenancy has no tenants). */
async function loadHoldFacts(sql: Queryable, refs: readonly string[]): Promise<Map<string, TenancyHoldFacts>> {
  const byRef = new Map<string, TenancyHoldFacts>();
  const unique = [...new Set(refs)];
  if (unique.length === 0) return byRef;
  const rows = await sql<Row[]>`
    select h.tenancy_ref, ${holdFactsColumns(sql)}
    from unnest(${unique}::text[]) as h(tenancy_ref)`;
  for (const row of rows) if (row.tenants) byRef.set(row.tenancy_ref, factsFromJson(row.tenants, row.crises));
  return byRef;
}

/** Every hold on each tenancy asked for, now. */
export async function loadHolds(
  sql: Queryable,
  refs: readonly string[],
  now: Date,
  timeZone: string,
): Promise<Map<string, Hold[]>> {
  const facts = await loadHoldFacts(sql, refs);
  return new Map([...facts].map(([ref, f]) => [ref, holdsOf(f.tenants, f.crises, now, timeZone)]));
}
