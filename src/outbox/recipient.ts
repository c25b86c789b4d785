// The recipient's contact state as it is NOW, read at send time (never when the message was queued), and
// its translation into the pure send guards' input. Loaded inside the dispatcher's guard transaction with
// the tenant row locked, so two sends to one tenant cannot both pass the frequency cap.
import type { TransactionSql } from '../db/connect.js';
import type { MessageKind, SendGuardInput } from '../rent/guards.js';
import type { MessagePurpose, OutboundChannel } from './types.js';

export interface RecipientState {
  /** False when the message names a tenant whose row no longer exists. */
  found: boolean;
  /** The tenant's textable mobile now; null for a landline/invalid number, or when no tenant is named. */
  mobileE164: string | null;
  optedOutChannels: OutboundChannel[];
  vulnerable: boolean;
  doNotContact: boolean;
  breathingSpace: { start: string; end: string | null; mentalHealth: boolean } | null;
  disputed: boolean;
  pausedUntil: Date | null;
  lastInboundAt: Date | null;
  lastWhatsappInboundAt: Date | null;
  lastArrearsMessageAt: Date | null;
}

/** The fields of a claimed message the guards need. */
export interface GuardedMessage {
  id: number;
  tenancy_ref: string | null;
  tenant_no: number | null;
  to_address: string;
  purpose: MessagePurpose;
  created_at: Date;
  unconfirmed_since: Date | null;
}

interface TenantRow {
  mobile_e164: string | null;
  vulnerable: boolean;
  do_not_contact: boolean;
  breathing_space_start: string | null;
  breathing_space_end: string | null;
  breathing_space_mental_health: boolean;
  sms_opted_out_at: Date | null;
  whatsapp_opted_out_at: Date | null;
  disputed_at: Date | null;
  contact_paused_until: Date | null;
  last_inbound_at: Date | null;
  last_whatsapp_inbound_at: Date | null;
  last_arrears_message_at: Date | null;
}

const NOBODY: Omit<RecipientState, 'lastInboundAt' | 'lastWhatsappInboundAt'> = {
  found: true,
  mobileE164: null,
  optedOutChannels: [],
  vulnerable: false,
  doNotContact: false,
  breathingSpace: null,
  disputed: false,
  pausedUntil: null,
  lastArrearsMessageAt: null,
};

/** Reads (and locks, for a named tenant) the recipient's state. Call inside a transaction. */
export async function loadRecipientState(tx: TransactionSql, message: GuardedMessage): Promise<RecipientState> {
  if (message.tenancy_ref === null || message.tenant_no === null) {
    // A reply to a number we could not match: its only history is what that number sent us.
    const [row] = await tx<{ last_inbound_at: Date | null; last_whatsapp_inbound_at: Date | null }[]>`
      select max(created_at) as last_inbound_at,
             max(created_at) filter (where channel = 'whatsapp') as last_whatsapp_inbound_at
      from messages where direction = 'inbound' and from_address = ${message.to_address}`;
    return { ...NOBODY, lastInboundAt: row?.last_inbound_at ?? null, lastWhatsappInboundAt: row?.last_whatsapp_inbound_at ?? null };
  }
  const [tenant] = await tx<TenantRow[]>`
    select mobile_e164, vulnerable, do_not_contact, breathing_space_start, breathing_space_end,
           breathing_space_mental_health, sms_opted_out_at, whatsapp_opted_out_at, disputed_at,
           contact_paused_until, last_inbound_at, last_whatsapp_inbound_at, last_arrears_message_at
    from tenants where tenancy_ref = ${message.tenancy_ref} and tenant_no = ${message.tenant_no}
    for update`;
  if (!tenant) return { ...NOBODY, found: false, lastInboundAt: null, lastWhatsappInboundAt: null };
  return {
    found: true,
    mobileE164: tenant.mobile_e164,
    optedOutChannels: [
      ...(tenant.sms_opted_out_at ? (['sms'] as const) : []),
      ...(tenant.whatsapp_opted_out_at ? (['whatsapp'] as const) : []),
    ],
    vulnerable: tenant.vulnerable,
    doNotContact: tenant.do_not_contact,
    breathingSpace: tenant.breathing_space_start
      ? { start: tenant.breathing_space_start, end: tenant.breathing_space_end, mentalHealth: tenant.breathing_space_mental_health }
      : null,
    disputed: tenant.disputed_at !== null,
    pausedUntil: tenant.contact_paused_until,
    lastInboundAt: tenant.last_inbound_at,
    lastWhatsappInboundAt: tenant.last_whatsapp_inbound_at,
    lastArrearsMessageAt: await effectiveLastArrearsMessageAt(tx, message, tenant.last_arrears_message_at),
  };
}

/**
 * The last arrears contact that should count against this message's frequency cap. Messages queued in
 * one go (same tenant, same created_at: one flow step saying two lines) are one contact, not several;
 * and after an unconfirmed attempt, the mark that attempt itself left does not hold the message back.
 */
async function effectiveLastArrearsMessageAt(tx: TransactionSql, message: GuardedMessage, last: Date | null): Promise<Date | null> {
  if (last === null || message.purpose !== 'arrears') return last;
  if (message.unconfirmed_since !== null && last >= message.unconfirmed_since) return null;
  const [sibling] = await tx`
    select 1 from messages
    where direction = 'outbound' and purpose = 'arrears' and id <> ${message.id}
      and tenancy_ref = ${message.tenancy_ref} and tenant_no = ${message.tenant_no}
      and created_at = ${message.created_at}
      and status in ('sending', 'sent', 'delivered', 'read', 'undelivered')
    limit 1`;
  return sibling ? null : last;
}

export function messageKindOf(purpose: MessagePurpose): MessageKind {
  // System messages (e.g. "we can't match this number") answer something the person just sent.
  return purpose === 'system' ? 'reply' : purpose;
}

export function guardInputFor(purpose: MessagePurpose, channel: OutboundChannel, state: RecipientState, now: Date): SendGuardInput {
  return {
    kind: messageKindOf(purpose),
    channel,
    optedOutChannels: state.optedOutChannels,
    flags: { vulnerable: state.vulnerable, doNotContact: state.doNotContact, breathingSpace: state.breathingSpace },
    disputed: state.disputed,
    pausedUntil: state.pausedUntil,
    lastArrearsMessageAt: state.lastArrearsMessageAt,
    tenantLastMessageAt: state.lastInboundAt,
    now,
  };
}
