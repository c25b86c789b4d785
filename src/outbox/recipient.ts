// The recipient's contact state as it is NOW, read at send time (never when the message was queued): the
// tenant row (locked, so two sends to one tenant cannot both pass the frequency cap), every hold on their
// tenancy, and the message's conversation. Turned into the one contact rule's request (src/rent/contact-rule.ts).
import type { TransactionSql } from '../db/connect.js';
import { factsFromJson, holdFactsColumns } from '../db/queries/holds.js';
import type { ContactPurpose, ContactRequest } from '../rent/contact-rule.js';
import { holdsOf, type Hold } from '../rent/holds.js';
import type { MessagePurpose, OutboundChannel } from './types.js';

export interface RecipientState {
  /** False when the message names a tenant whose row no longer exists. */
  found: boolean;
  /** The tenant's textable mobile now; null for a landline/invalid number, or when no tenant is named. */
  mobileE164: string | null;
  textable: boolean;
  holds: Hold[];
  lastInboundAt: Date | null;
  lastWhatsappInboundAt: Date | null;
  lastArrearsMessageAt: Date | null;
  /** The message's conversation as it is now (null when the message has none). */
  conversation: { status: string; endedAt: Date | null; takenOver: boolean } | null;
}

/** The fields of a claimed message the guards need. */
export interface GuardedMessage {
  id: number;
  tenancy_ref: string | null;
  tenant_no: number | null;
  conversation_id: number | null;
  to_address: string;
  purpose: MessagePurpose;
  created_at: Date;
  unconfirmed_since: Date | null;
}

interface TenantRow {
  mobile_e164: string | null;
  channel: string;
  last_inbound_at: Date | null;
  last_whatsapp_inbound_at: Date | null;
  last_arrears_message_at: Date | null;
  tenants: Parameters<typeof factsFromJson>[0];
  crises: Parameters<typeof factsFromJson>[1];
  conversation_status: string | null;
  conversation_ended_at: Date | null;
  conversation_taken_over: boolean | null;
}

const NOBODY: Omit<RecipientState, 'lastInboundAt' | 'lastWhatsappInboundAt'> = {
  found: true,
  mobileE164: null,
  textable: true,
  holds: [],
  lastArrearsMessageAt: null,
  conversation: null,
};

/** Reads (and locks, for a named tenant) the recipient's state. Call inside a transaction. */
export async function loadRecipientState(
  tx: TransactionSql,
  message: GuardedMessage,
  now: Date,
  timeZone: string,
): Promise<RecipientState> {
  if (message.tenancy_ref === null || message.tenant_no === null) {
    // A reply to a number we could not match: its only history is what that number sent us.
    const [row] = await tx<{ last_inbound_at: Date | null; last_whatsapp_inbound_at: Date | null }[]>`
      select max(created_at) as last_inbound_at,
             max(created_at) filter (where channel = 'whatsapp') as last_whatsapp_inbound_at
      from messages where direction = 'inbound' and from_address = ${message.to_address}`;
    return {
      ...NOBODY,
      lastInboundAt: row?.last_inbound_at ?? null,
      lastWhatsappInboundAt: row?.last_whatsapp_inbound_at ?? null,
    };
  }
  // The lock first, then the read in a statement of its own (pipelined: one round trip). A statement that
  // waits for a row lock sees the locked row as its holder committed it, but everything else it reads (the
  // holds, the conversation) as it was before the wait: a flag set by the transaction waited for would be
  // missed. The read's own snapshot starts once the lock is ours.
  const lock = tx`select 1 from tenants where tenancy_ref = ${message.tenancy_ref} and tenant_no = ${message.tenant_no} for update`;
  const read = tx<TenantRow[]>`
    select ${tenantStateColumns(tx)}
    from tenants t
    cross join lateral (select t.tenancy_ref) as h(tenancy_ref)
    left join conversations c on c.id = ${message.conversation_id}
    where t.tenancy_ref = ${message.tenancy_ref} and t.tenant_no = ${message.tenant_no}`;
  const [, [tenant]] = await Promise.all([lock, read]);
  if (!tenant) return { ...NOBODY, found: false, lastInboundAt: null, lastWhatsappInboundAt: null };
  return stateOf(tx, message, tenant, now, timeZone);
}

function tenantStateColumns(tx: TransactionSql) {
  return tx`t.mobile_e164, t.channel, t.last_inbound_at, t.last_whatsapp_inbound_at, t.last_arrears_message_at,
           c.status as conversation_status, c.ended_at as conversation_ended_at, (c.taken_over_by is not null) as conversation_taken_over,
           ${holdFactsColumns(tx)}`;
}

async function stateOf(
  tx: TransactionSql,
  message: GuardedMessage,
  tenant: TenantRow,
  now: Date,
  timeZone: string,
): Promise<RecipientState> {
  const facts = factsFromJson(tenant.tenants, tenant.crises);
  return {
    found: true,
    mobileE164: tenant.mobile_e164,
    textable: tenant.mobile_e164 !== null && tenant.channel !== 'none',
    holds: holdsOf(facts.tenants, facts.crises, now, timeZone),
    lastInboundAt: tenant.last_inbound_at,
    lastWhatsappInboundAt: tenant.last_whatsapp_inbound_at,
    lastArrearsMessageAt: await effectiveLastArrearsMessageAt(tx, message, tenant.last_arrears_message_at),
    conversation:
      tenant.conversation_status === null
        ? null
        : {
            status: tenant.conversation_status,
            endedAt: tenant.conversation_ended_at,
            takenOver: tenant.conversation_taken_over === true,
          },
  };
}

function tenantKeys(messages: readonly GuardedMessage[]) {
  return {
    refs: messages.map((m) => m.tenancy_ref as string),
    nos: messages.map((m) => m.tenant_no as number),
  };
}

/**
 * loadRecipientState for many named tenants' messages (at most one message per tenant), in one statement,
 * each tenant row locked as there. A row another transaction holds is skipped, never waited for: waiting
 * for one while holding the others could deadlock with a writer that locks tenants in another order. A
 * message whose tenant was skipped, or not found, is missing from the map: the caller reads it on its own
 * (loadRecipientState, which waits for the lock and says "not found").
 */
export async function loadRecipientStates(
  tx: TransactionSql,
  messages: readonly GuardedMessage[],
  now: Date,
  timeZone: string,
): Promise<Map<number, RecipientState>> {
  const named = messages.filter((m) => m.tenancy_ref !== null && m.tenant_no !== null);
  const states = new Map<number, RecipientState>();
  if (named.length === 0) return states;
  const keys = tenantKeys(named);
  // As in loadRecipientState: the locks, then the read in its own statement (pipelined), which sees every
  // tenant as committed once locked. Only the rows locked here are used.
  const lock = tx<{ tenancy_ref: string; tenant_no: number }[]>`
    select t.tenancy_ref, t.tenant_no::int as tenant_no
    from tenants t join unnest(${keys.refs}::text[], ${keys.nos}::int[]) as x(tenancy_ref, tenant_no)
      on t.tenancy_ref = x.tenancy_ref and t.tenant_no = x.tenant_no
    order by t.tenancy_ref, t.tenant_no
    for update of t skip locked`;
  const read = tx<(TenantRow & { message_id: number })[]>`
    select x.message_id::int as message_id, ${tenantStateColumns(tx)}
    from unnest(${named.map((m) => m.id)}::bigint[], ${keys.refs}::text[], ${keys.nos}::int[],
                ${named.map((m) => m.conversation_id)}::bigint[]) as x(message_id, tenancy_ref, tenant_no, conversation_id)
    join tenants t on t.tenancy_ref = x.tenancy_ref and t.tenant_no = x.tenant_no
    cross join lateral (select t.tenancy_ref) as h(tenancy_ref)
    left join conversations c on c.id = x.conversation_id`;
  const [locked, rows] = await Promise.all([lock, read]);
  const ours = new Set(locked.map((r) => `${r.tenancy_ref}\u0000${r.tenant_no}`));
  const byId = new Map(named.map((m) => [m.id, m]));
  for (const row of rows) {
    const message = byId.get(row.message_id);
    if (message && ours.has(`${message.tenancy_ref}\u0000${message.tenant_no}`))
      states.set(message.id, await stateOf(tx, message, row, now, timeZone));
  }
  return states;
}

/**
 * The last arrears contact that should count against this message's frequency cap. Messages queued in
 * one go (same tenant, same created_at: one flow step saying two lines) are one contact, not several;
 * and after an unconfirmed attempt, the mark that attempt itself left does not hold the message back.
 */
async function effectiveLastArrearsMessageAt(
  tx: TransactionSql,
  message: GuardedMessage,
  last: Date | null,
): Promise<Date | null> {
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

/** The rule's purpose for an outbox row's purpose. */
export function contactPurposeOf(purpose: MessagePurpose): ContactPurpose {
  if (purpose === 'officer') return 'officer_decision';
  return purpose;
}

export function contactRequestFor(
  message: GuardedMessage,
  channel: OutboundChannel,
  state: RecipientState,
  now: Date,
): ContactRequest {
  return {
    purpose: contactPurposeOf(message.purpose),
    path: 'dispatcher',
    tenantNo: message.tenant_no,
    channel,
    holds: state.holds,
    textable: state.textable,
    now,
    queuedAt: message.created_at,
    tenantLastMessageAt: state.lastInboundAt,
    lastArrearsMessageAt: state.lastArrearsMessageAt,
  };
}

/**
 * Outreach (an opener or a follow-up Rentline started) that the conversation has overtaken since it was
 * queued: the conversation ended after it, an officer took it over, or the tenant texted after it. Such a
 * text would answer a question nobody is asking any more, so it is cancelled, with this reason.
 */
export function overtakenBy(
  message: GuardedMessage,
  state: RecipientState,
): 'conversation_ended' | 'taken_over' | 'tenant_texted_since' | null {
  if (message.purpose !== 'arrears' && message.purpose !== 'reminder' && message.purpose !== 'arrangement') return null;
  const c = state.conversation;
  if (c?.takenOver) return 'taken_over';
  if (c && c.status === 'ended' && c.endedAt !== null && c.endedAt > message.created_at) return 'conversation_ended';
  if (state.lastInboundAt !== null && state.lastInboundAt > message.created_at) return 'tenant_texted_since';
  return null;
}
