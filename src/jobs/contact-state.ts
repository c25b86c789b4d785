// Who may be approached at all, decided before a conversation starts: the tenants of a set of tenancies
// with their contact state and their tenancy's holds (loaded in one query), judged by the one contact rule
// (src/rent/contact-rule.ts) on the job's path. The dispatcher asks the same rule again when it sends (and
// applies the contact window and the frequency cap); this keeps Rentline from starting outreach it already
// knows must not go, and records why.
import type { Queryable } from '../db/connect.js';
import { loadOpenCrises, tenantFactColumns, tenantFactsOf, type TenantFactsRow } from '../db/queries/holds.js';
import { heldBy, type ContactPurpose, type ContactReason } from '../rent/contact-rule.js';
import { holdsOf, type Hold, type TenantHoldFacts } from '../rent/holds.js';
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
  /** This tenant's own hold facts, which the holds were worked out from (the worklist reads some directly). */
  facts: TenantHoldFacts;
}

type Row = Omit<TenantContactState, 'holds' | 'facts'> & TenantFactsRow;

/** Contact states by tenancy ref, each tenancy's tenants lead first. */
export type ContactStates = Map<string, TenantContactState[]>;

/** Records conversations just started in states read before them (the start itself checks again). */
export function markOpened(
  states: ContactStates,
  started: readonly { tenancyRef: string; tenantNo: number; purpose: string }[],
): void {
  for (const s of started) {
    const tenant = states.get(s.tenancyRef)?.find((t) => t.tenant_no === s.tenantNo);
    if (tenant) tenant.open_purpose = s.purpose;
  }
}

/**
 * Every tenant of the given tenancies, lead tenant first, each with the tenancy's holds at `now`. A row per
 * tenant with its hold facts as plain columns, and the few open crises beside: a sweep batch reads
 * thousands of tenancies, and building and parsing a JSON document per tenancy cost more than the reads.
 *
 * `ifRemindable` are tenancies wanted only for a reminder they could get only because a tenant asked for
 * reminders or an arrangement is in place (accounts due one with no arrears): they are read, all their
 * tenants, only when one of those holds, since no other tenancy's tenant gets a reminder (reminders.ts).
 * On a steady day that is half the accounts due a reminder. All the tenants, so joint tenants' holds count.
 */
export async function loadContactStates(
  sql: Queryable,
  refs: readonly string[],
  now: Date,
  timeZone: string,
  ifRemindable: readonly string[] = [],
): Promise<ContactStates> {
  const byRef: ContactStates = new Map();
  if (refs.length === 0 && ifRemindable.length === 0) return byRef;
  // Two selects, not one with OR: a row filter testing membership of two arrays costs a comparison per
  // element for every tenant read, where each index condition alone finds its rows.
  const columns = sql`
    o.tenancy_ref, o.mobile_e164, o.channel, o.wants_reminders,
    -- A lookup per tenant in conversations_one_open, whatever the statistics say: a job may have started
    -- 50,000 conversations since the table was last analysed, and a join planned for a few hundred reads them all.
    (select c.purpose from conversations c where c.tenancy_ref = o.tenancy_ref and c.tenant_no = o.tenant_no and c.status = 'active') as open_purpose,
    ${tenantFactColumns(sql)}`;
  const [rows, crises] = await Promise.all([
    sql<Row[]>`
      select ${columns} from tenants o where o.tenancy_ref = any(${refs as string[]}::text[])
      union all
      select ${columns} from tenants o where o.tenancy_ref = any(${ifRemindable as string[]}::text[])
        and (exists (select 1 from tenants w where w.tenancy_ref = o.tenancy_ref and w.wants_reminders)
          or exists (select 1 from arrangements a where a.tenancy_ref = o.tenancy_ref))
      order by tenancy_ref, tenant_no`,
    loadOpenCrises(sql, [...refs, ...ifRemindable]),
  ]);
  for (let i = 0; i < rows.length;) {
    const ref = (rows[i] as Row).tenancy_ref;
    let end = i;
    while (end < rows.length && (rows[end] as Row).tenancy_ref === ref) end += 1;
    const tenancyRows = rows.slice(i, end);
    const facts = tenancyRows.map(tenantFactsOf);
    const holds = holdsOf(facts, crises.get(ref) ?? [], now, timeZone);
    byRef.set(
      ref,
      tenancyRows.map((r, n) => ({
        tenancy_ref: r.tenancy_ref,
        tenant_no: r.tenant_no,
        mobile_e164: r.mobile_e164,
        channel: r.channel,
        wants_reminders: r.wants_reminders,
        open_purpose: r.open_purpose,
        holds,
        facts: facts[n] as TenantHoldFacts,
      })),
    );
    i = end;
  }
  return byRef;
}

type OutreachBlock = ContactReason | 'conversation_open';

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
