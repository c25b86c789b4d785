// An officer takes a tenant's conversation over from the script, writes to them from the card's thread,
// and hands back. Each runs inside the caller's transaction, with the contact-log entry and the card
// re-render queued alongside the change. Texts go through the outbox as purpose `takeover`, so the contact
// rule still applies at send time (an opted-out channel or a do-not-contact tenant gets nothing).
import type { TransactionSql } from '../db/connect.js';
import { findFlow, newSession, type FlowSet, type Session } from '../engine/index.js';
import { insertConversation, openConversation, saveSession } from '../conversations/store.js';
import { findTenant } from '../db/queries/tenants.js';
import { appendContactLog } from '../db/queries/contact-log.js';
import { closePendingEscalations } from '../db/queries/escalations.js';
import { enqueueMessage } from '../outbox/queue.js';
import { loadHolds } from '../db/queries/holds.js';
import { decideContact } from '../rent/contact-rule.js';
import type { Policy } from '../rent/policy.js';
import { SLACK_OUTBOX_CHANNEL } from '../slack/ids.js';

export interface TakeoverCase {
  /** The root escalation of the card's thread. */
  escalationId: number;
  tenancyRef: string;
  tenantNo: number;
}

/** The contact-log line of an officer's step in a takeover, on the case's escalation. */
function logTakeover(
  tx: TransactionSql,
  c: TakeoverCase,
  event: 'officer_took_over' | 'officer_handed_back' | 'officer_texted_tenant',
  officerId: string,
  now: Date,
  messageId: number | null = null,
): Promise<void> {
  return appendContactLog(tx, {
    at: now,
    tenancyRef: c.tenancyRef,
    tenantNo: c.tenantNo,
    event,
    actor: `officer:${officerId}`,
    messageId,
    escalationId: c.escalationId,
  });
}

/** Re-renders the card after a change no trigger sees (a takeover starting or ending). */
export async function queueCardUpdate(tx: TransactionSql, escalationId: number, now: Date): Promise<void> {
  await tx`insert into slack_outbox (kind, escalation_id, created_at) values ('update_card', ${escalationId}, ${now})`;
  await tx`select pg_notify(${SLACK_OUTBOX_CHANNEL}, '')`;
}

async function activeTakeover(
  tx: TransactionSql,
  escalationId: number,
): Promise<{ id: number; conversation_id: number; officer_id: string; placeholder: boolean } | null> {
  const [row] = await tx<{ id: number; conversation_id: number; officer_id: string; placeholder: boolean }[]>`
    select id::int as id, conversation_id::int as conversation_id, officer_id, placeholder from slack_takeovers
    where escalation_id = ${escalationId} and ended_at is null for update`;
  return row ?? null;
}

/** A conversation that exists only to hold the pause: the tenant had no script running. */
function placeholderSession(flows: FlowSet, now: Date): Session {
  return newSession(findFlow(flows, 'tenant_initiated'), now, new Date(now.getTime() + 30 * 86_400_000));
}

type TakeOverResult =
  { outcome: 'taken_over'; conversationId: number } | { outcome: 'already'; officerId: string; conversationId: number };

/** Pauses the script for this tenant: conversations.taken_over_by is set on their open conversation. */
export async function takeOver(
  tx: TransactionSql,
  flows: FlowSet,
  c: TakeoverCase,
  officerId: string,
  now: Date,
): Promise<TakeOverResult> {
  // One takeover per case at a time, even if two officers click together.
  await tx`select pg_advisory_xact_lock(hashtextextended(${`takeover:${c.tenancyRef}:${c.tenantNo}`}, 0))`;
  const existing = await activeTakeover(tx, c.escalationId);
  if (existing) return { outcome: 'already', officerId: existing.officer_id, conversationId: existing.conversation_id };
  const open = await openConversation(tx, c.tenancyRef, c.tenantNo);
  let conversationId: number;
  let placeholder = false;
  if (open) {
    conversationId = open.id;
    await tx`update conversations set taken_over_by = ${officerId}, updated_at = ${now} where id = ${open.id}`;
  } else {
    const tenant = await findTenant(tx, c.tenancyRef, c.tenantNo);
    const channel = tenant?.channel === 'whatsapp' ? 'whatsapp' : 'sms';
    conversationId = await insertConversation(tx, {
      tenancyRef: c.tenancyRef,
      tenantNo: c.tenantNo,
      channel,
      session: placeholderSession(flows, now),
      now,
    });
    await tx`update conversations set taken_over_by = ${officerId} where id = ${conversationId}`;
    placeholder = true;
  }
  await tx`
    insert into slack_takeovers (escalation_id, conversation_id, officer_id, placeholder, started_at)
    values (${c.escalationId}, ${conversationId}, ${officerId}, ${placeholder}, ${now})`;
  await logTakeover(tx, c, 'officer_took_over', officerId, now);
  await queueCardUpdate(tx, c.escalationId, now);
  return { outcome: 'taken_over', conversationId };
}

type HandBackResult = { outcome: 'handed_back'; closedEscalation: boolean } | { outcome: 'not_taken_over' };

/**
 * Resumes automation. A conversation Rentline opened only to hold the pause is ended, so the tenant's next
 * text starts afresh; a hand-off with no offer to decide (crisis, "a person please") counts as dealt with.
 */
export async function handBack(
  tx: TransactionSql,
  c: TakeoverCase,
  officerId: string,
  now: Date,
): Promise<HandBackResult> {
  const takeover = await activeTakeover(tx, c.escalationId);
  if (!takeover) return { outcome: 'not_taken_over' };
  await tx`update slack_takeovers set ended_at = ${now}, ended_by = ${officerId} where id = ${takeover.id}`;
  await tx`update conversations set taken_over_by = null, updated_at = ${now} where id = ${takeover.conversation_id}`;
  if (takeover.placeholder) {
    const [row] = await tx<
      { session: Session }[]
    >`select session from conversations where id = ${takeover.conversation_id} and status = 'active'`;
    if (row) await saveSession(tx, takeover.conversation_id, { ...row.session, status: 'ended', timerId: null }, now);
  }
  const closed = await closePendingEscalations(tx, { id: c.escalationId, withoutArrangement: true }, officerId, now);
  await logTakeover(tx, c, 'officer_handed_back', officerId, now);
  await queueCardUpdate(tx, c.escalationId, now);
  return { outcome: 'handed_back', closedEscalation: closed.length > 0 };
}

type OfficerTextResult =
  | { outcome: 'queued'; messageId: number }
  | { outcome: 'not_textable' }
  | { outcome: 'blocked'; reason: string }
  | { outcome: 'warning'; warning: string };

/** The rule's view, when the officer writes. `confirmed`: they have seen its warning and send anyway. */
interface OfficerTextRule {
  policy: Policy;
  timeZone: string;
  confirmed: boolean;
}

/**
 * The officer's own words to the tenant (a reply in the card's thread). Taking over first pauses the script.
 * The contact rule is asked first: an opted-out channel or a do-not-contact tenant gets nothing, and during
 * a mental-health Breathing Space the officer is warned and must confirm before anything is sent.
 */
export async function textTenantAsOfficer(
  tx: TransactionSql,
  flows: FlowSet,
  c: TakeoverCase,
  officerId: string,
  text: string,
  now: Date,
  rule?: OfficerTextRule,
): Promise<OfficerTextResult> {
  const tenant = await findTenant(tx, c.tenancyRef, c.tenantNo);
  if (!tenant || tenant.mobile_e164 === null || tenant.channel === 'none') return { outcome: 'not_textable' };
  const open = await openConversation(tx, c.tenancyRef, c.tenantNo);
  const channel = open?.channel ?? (tenant.channel === 'whatsapp' ? 'whatsapp' : 'sms');
  if (rule) {
    const holds = (await loadHolds(tx, [c.tenancyRef], now, rule.timeZone)).get(c.tenancyRef) ?? [];
    const verdict = decideContact(
      {
        purpose: 'takeover',
        path: 'takeover',
        tenantNo: c.tenantNo,
        channel,
        holds,
        textable: true,
        now,
        tenantLastMessageAt: null,
        lastArrearsMessageAt: null,
      },
      rule.policy,
    );
    if (verdict.verdict === 'block' || verdict.verdict === 'route_to_person')
      return { outcome: 'blocked', reason: verdict.reason };
    if (verdict.verdict === 'send' && verdict.warning && !rule.confirmed)
      return { outcome: 'warning', warning: verdict.warning };
  }
  const taken = await takeOver(tx, flows, c, officerId, now);
  const [conversation] = await tx<
    { channel: 'sms' | 'whatsapp' }[]
  >`select channel from conversations where id = ${taken.conversationId}`;
  const messageId = await enqueueMessage(tx, {
    tenancyRef: c.tenancyRef,
    tenantNo: c.tenantNo,
    conversationId: taken.conversationId,
    channel: conversation?.channel ?? 'sms',
    to: tenant.mobile_e164,
    body: text,
    purpose: 'takeover',
    now,
  });
  await logTakeover(tx, c, 'officer_texted_tenant', officerId, now, messageId);
  return { outcome: 'queued', messageId };
}
