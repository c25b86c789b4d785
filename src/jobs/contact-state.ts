// Who may be approached at all, decided before a conversation starts: the tenants of a set of tenancies
// with their contact state and their tenancy's holds (loaded in one query), judged by the one contact rule
// (src/rent/contact-rule.ts) on the job's path. The dispatcher asks the same rule again when it sends (and
// applies the contact window and the frequency cap); this keeps Rentline from starting outreach it already
// knows must not go, and records why.
import type { Queryable } from '../db/connect.js';
import { factsFromJson, holdFactsColumns } from '../db/queries/holds.js';
import { heldBy, type ContactPurpose, type ContactReason } from '../rent/contact-rule.js';
import { holdsOf, type Hold } from '../rent/holds.js';
import type { Policy } from '../rent/policy.js';
import type { PreferredChannel } from '../rent/types.js';

export interface TenantContactState {
  tenancy_ref: string;
  tenant_no: number;
  mobile_e164: string | null;
  channel: PreferredChannel;
  wants_reminders: boolean;
  /** The purpose of the tenant's open conversation, or null when none is open. */
  open_purpose: string | null;
  /** Every hold on the tenant's tenancy (the same list for each of its tenants). */
  holds: Hold[];
}

type Row = Omit<TenantContactState, 'holds'> & {
  tenants: Parameters<typeof factsFromJson>[0] | null;
  crises: Parameters<typeof factsFromJson>[1];
};

/** Every tenant of the given tenancies, lead tenant first, each with the tenancy's holds at `now`. */
export async function loadContactStates(
  sql: Queryable,
  refs: readonly string[],
  now: Date,
  timeZone: string,
): Promise<Map<string, TenantContactState[]>> {
  const byRef = new Map<string, TenantContactState[]>();
  if (refs.length === 0) return byRef;
  const rows = await sql<Row[]>`
    with h as (
      -- The tenancy's hold facts once per tenancy; joint tenants share them.
      select h.tenancy_ref, ${holdFactsColumns(sql)} from unnest(${refs as string[]}::text[]) as h(tenancy_ref)
    )
    select t.tenancy_ref, t.tenant_no, t.mobile_e164, t.channel, t.wants_reminders,
      -- A lookup per tenant in conversations_one_open, whatever the statistics say: a job may have started
      -- 50,000 conversations since the table was last analysed, and a join planned for a few hundred reads them all.
      (select c.purpose from conversations c where c.tenancy_ref = t.tenancy_ref and c.tenant_no = t.tenant_no and c.status = 'active') as open_purpose,
      h.tenants, h.crises
    from h join tenants t on t.tenancy_ref = h.tenancy_ref
    order by t.tenancy_ref, t.tenant_no`;
  let holds: Hold[] = [];
  let holdsRef: string | null = null;
  for (const { tenants, crises, ...row } of rows) {
    if (row.tenancy_ref !== holdsRef) {
      const facts = factsFromJson(tenants, crises);
      holds = holdsOf(facts.tenants, facts.crises, now, timeZone);
      holdsRef = row.tenancy_ref;
    }
    const state = { ...row, holds };
    const list = byRef.get(row.tenancy_ref);
    if (list) list.push(state);
    else byRef.set(row.tenancy_ref, [state]);
  }
  return byRef;
}

export type OutreachBlock = ContactReason | 'conversation_open';

/**
 * Why this tenant must not be approached with a message of `purpose` now, or null when they may be.
 * The contact window and the frequency cap only delay a message, so they are left to the dispatcher.
 */
export function outreachBlock(
  tenant: TenantContactState,
  purpose: ContactPurpose,
  now: Date,
  policy: Policy,
): OutreachBlock | null {
  const textable = tenant.mobile_e164 !== null && tenant.channel !== 'none';
  const channel = tenant.channel === 'whatsapp' ? 'whatsapp' : 'sms';
  const held = heldBy(
    { purpose, path: 'job', tenantNo: tenant.tenant_no, channel, holds: tenant.holds, textable, now },
    policy,
  );
  if (held) return held;
  if (tenant.open_purpose !== null) return 'conversation_open';
  return null;
}
