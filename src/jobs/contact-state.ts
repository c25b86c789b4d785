// Who may be approached at all, decided before a conversation starts: the tenants of a set of tenancies
// with their contact state (loaded in one query), judged by the same pure guards the dispatcher applies
// at send time. The dispatcher still re-checks everything (and the contact window) when it sends; this
// only keeps Rentline from starting outreach it already knows must not go, and records why.
import type { Queryable } from '../db/connect.js';
import { checkSendGuards, type MessageKind } from '../rent/guards.js';
import type { Policy } from '../rent/policy.js';

export interface TenantContactState {
  tenancy_ref: string;
  tenant_no: number;
  mobile_e164: string | null;
  channel: 'sms' | 'whatsapp' | 'none';
  vulnerable: boolean;
  do_not_contact: boolean;
  breathing_space_start: string | null;
  breathing_space_end: string | null;
  breathing_space_mental_health: boolean;
  sms_opted_out_at: Date | null;
  whatsapp_opted_out_at: Date | null;
  disputed_at: Date | null;
  contact_paused_until: Date | null;
  wants_reminders: boolean;
  /** The purpose of the tenant's open conversation, or null when none is open. */
  open_purpose: string | null;
}

/** Every tenant of the given tenancies, lead tenant first. */
export async function loadContactStates(sql: Queryable, refs: readonly string[]): Promise<Map<string, TenantContactState[]>> {
  const byRef = new Map<string, TenantContactState[]>();
  if (refs.length === 0) return byRef;
  const rows = await sql<TenantContactState[]>`
    select t.tenancy_ref, t.tenant_no, t.mobile_e164, t.channel, t.vulnerable, t.do_not_contact,
      t.breathing_space_start::text as breathing_space_start, t.breathing_space_end::text as breathing_space_end,
      t.breathing_space_mental_health, t.sms_opted_out_at, t.whatsapp_opted_out_at, t.disputed_at, t.contact_paused_until,
      t.wants_reminders,
      -- A lookup per tenant in conversations_one_open, whatever the statistics say: a job may have started
      -- 50,000 conversations since the table was last analysed, and a join planned for a few hundred reads them all.
      (select c.purpose from conversations c where c.tenancy_ref = t.tenancy_ref and c.tenant_no = t.tenant_no and c.status = 'active') as open_purpose
    from tenants t
    where t.tenancy_ref = any(${refs as string[]}::text[])
    order by t.tenancy_ref, t.tenant_no`;
  for (const row of rows) {
    const list = byRef.get(row.tenancy_ref);
    if (list) list.push(row);
    else byRef.set(row.tenancy_ref, [row]);
  }
  return byRef;
}

export type OutreachBlock =
  | 'not_textable'
  | 'opted_out'
  | 'do_not_contact'
  | 'breathing_space'
  | 'vulnerable'
  | 'disputed'
  | 'paused'
  | 'conversation_open';

/**
 * Why this tenant must not be approached with a message of `kind` now, or null when they may be.
 * The contact window and the frequency cap only delay a message, so they are left to the dispatcher.
 */
export function outreachBlock(tenant: TenantContactState, kind: MessageKind, now: Date, policy: Policy): OutreachBlock | null {
  if (tenant.mobile_e164 === null || tenant.channel === 'none') return 'not_textable';
  const guard = checkSendGuards(
    {
      kind,
      channel: tenant.channel,
      optedOutChannels: [...(tenant.sms_opted_out_at ? ['sms'] : []), ...(tenant.whatsapp_opted_out_at ? ['whatsapp'] : [])],
      flags: {
        vulnerable: tenant.vulnerable,
        doNotContact: tenant.do_not_contact,
        breathingSpace: tenant.breathing_space_start
          ? { start: tenant.breathing_space_start, end: tenant.breathing_space_end, mentalHealth: tenant.breathing_space_mental_health }
          : null,
      },
      disputed: tenant.disputed_at !== null,
      pausedUntil: tenant.contact_paused_until,
      lastArrearsMessageAt: null,
      tenantLastMessageAt: null,
      now,
    },
    policy,
  );
  if (!guard.allowed && guard.reason !== 'outside_contact_window' && guard.reason !== 'frequency_cap') return guard.reason;
  if (tenant.open_purpose !== null) return 'conversation_open';
  return null;
}
