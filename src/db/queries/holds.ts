// Reading a tenancy's holds: the facts of every tenant of the tenancies asked for, and their open crisis
// hand-offs, in one statement; src/rent/holds.ts turns them into holds. Used by the dispatcher at send
// time, the jobs, the account summary and officers' commands, so all see the same holds.
import type { Queryable } from '../connect.js';
import { jsonTimestamp } from '../json.js';
import { holdsOf, type CrisisFacts, type Hold, type TenantHoldFacts } from '../../rent/holds.js';

export interface TenancyHoldFacts {
  tenants: TenantHoldFacts[];
  crises: CrisisFacts[];
}

interface Row {
  tenancy_ref: string;
  tenants: {
    tenant_no: number;
    vulnerable: boolean;
    vulnerable_since: string | null;
    vulnerable_review_on: string | null;
    do_not_contact: boolean;
    breathing_space_start: string | null;
    breathing_space_end: string | null;
    breathing_space_mental_health: boolean;
    disputed_at: string | null;
    sms_opted_out_at: string | null;
    whatsapp_opted_out_at: string | null;
    contact_paused_until: string | null;
    contact_pause_reason: string | null;
  }[];
  crises: { tenant_no: number; since: string; id: number }[] | null;
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

/** The facts in the shape the pure rule reads, from the JSON the query builds. */
export function factsFromJson(tenants: Row['tenants'] | null, crises: Row['crises']): TenancyHoldFacts {
  return {
    tenants: (tenants ?? []).map((t) => ({
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
    })),
    crises: (crises ?? []).map((c) => ({
      tenantNo: c.tenant_no,
      since: new Date(c.since),
      escalationId: Number(c.id),
    })),
  };
}

/** Hold facts of each tenancy asked for (absent when the tenancy has no tenants). */
export async function loadHoldFacts(sql: Queryable, refs: readonly string[]): Promise<Map<string, TenancyHoldFacts>> {
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
