// A tenant's text arrives: deduplicated on MessageSid, serialised per phone number, matched to a tenant,
// stepped through their conversation, and everything it causes written in ONE transaction.
import type { Sql, TransactionSql } from '../db/connect.js';
import { startSession, step } from '../engine/index.js';
import type { Channel, Effect, FlowSet } from '../engine/index.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { enqueueMessage } from '../outbox/queue.js';
import type { Policy } from '../rent/policy.js';
import { buildContext } from './context.js';
import { applyEffects } from './effects.js';
import { matchGlobalKeyword } from '../engine/parsers/index.js';
import { isBreathingSpaceActive } from '../rent/guards.js';
import { localDateOf } from '../rent/schedule.js';
import { appendContactLog, insertConversation, openConversation, saveSession, tenantsByMobile, type ContactTenant, type ConversationRow } from './store.js';

export interface ConversationDeps {
  sql: Sql;
  flows: FlowSet;
  policy: Policy;
  clock: Clock;
  logger: Logger;
  timeZone: string;
}

export interface InboundText {
  messageSid: string;
  /** E.164, without any `whatsapp:` prefix. */
  from: string;
  to: string;
  body: string;
  channel: Channel;
}

export type ReceiveOutcome = 'duplicate' | 'unknown_number' | 'stepped' | 'started' | 'taken_over' | 'human_only';

/**
 * Tenants whom no script may answer: vulnerable, do-not-contact, in Breathing Space (every reply in an
 * arrears conversation is about the debt), or with a disputed balance. Their texts go to officers.
 */
export function humanOnlyReason(tenant: ContactTenant, now: Date, timeZone: string): string | null {
  const today = localDateOf(now, timeZone);
  if (tenant.vulnerable) return 'vulnerable';
  if (tenant.do_not_contact) return 'do_not_contact';
  const space = tenant.breathing_space_start === null ? null : { start: tenant.breathing_space_start, end: tenant.breathing_space_end, mentalHealth: tenant.breathing_space_mental_health };
  if (isBreathingSpaceActive(space, today)) return 'breathing_space';
  if (tenant.disputed_at !== null) return 'disputed';
  return null;
}

async function handOverToPeople(
  tx: TransactionSql,
  m: { ref: string; no: number; channel: Channel; text: string; reason: string; conversationId: number | null; now: Date },
): Promise<void> {
  // Consent still works without a script: a bare opt-out or opt-in keyword is honoured at once.
  const keyword = matchGlobalKeyword(m.text);
  if (keyword === 'opt_out' || keyword === 'opt_in') {
    const at = keyword === 'opt_out' ? m.now : null;
    if (m.channel === 'whatsapp') await tx`update tenants set whatsapp_opted_out_at = ${at} where tenancy_ref = ${m.ref} and tenant_no = ${m.no}`;
    else await tx`update tenants set sms_opted_out_at = ${at} where tenancy_ref = ${m.ref} and tenant_no = ${m.no}`;
    await appendContactLog(tx, { at: m.now, tenancyRef: m.ref, tenantNo: m.no, event: keyword === 'opt_out' ? 'opted_out' : 'opted_in', actor: 'tenant', channel: m.channel });
  }
  // One open hand-off per tenant: later texts join it (and its Slack thread) instead of raising more.
  const [pending] = await tx`select 1 from escalations where tenancy_ref = ${m.ref} and tenant_no = ${m.no} and status = 'pending' limit 1`;
  if (pending) return;
  const [row] = await tx<{ id: number }[]>`
    insert into escalations (tenancy_ref, tenant_no, conversation_id, reason, urgency, summary, created_at, updated_at)
    values (${m.ref}, ${m.no}, ${m.conversationId}, 'human_only', 'urgent',
      ${`The tenant texted us, but automated replies are off for them (${m.reason.replace(/_/g, ' ')}). Please reply yourself or call.`}, ${m.now}, ${m.now})
    returning id::int as id`;
  await appendContactLog(tx, { at: m.now, tenancyRef: m.ref, tenantNo: m.no, event: 'escalated', actor: 'rentline', escalationId: row?.id ?? null, detail: { reason: 'human_only', because: m.reason } });
}

/** The reply to a number we do not know: polite, and it discloses nothing about anyone's account. */
export function unknownNumberReply(policy: Policy): string {
  return `Thanks for your message. We can't match this number to a tenancy, so we can't discuss any account by text. Please contact ${policy.landlord.name} on the number on your rent letters.`;
}

async function lockSender(tx: TransactionSql, from: string): Promise<void> {
  // Two texts from one number in the same second are processed one after the other, in arrival order.
  await tx`select pg_advisory_xact_lock(hashtextextended(${`inbound:${from}`}, 0))`;
}

export interface ReceiveResult {
  outcome: ReceiveOutcome;
  /** The tenant's offer is inside policy and the landlord auto-accepts those: the caller settles it. */
  autoAcceptEscalationId: number | null;
}

export async function receiveInboundText(deps: ConversationDeps, inbound: InboundText): Promise<ReceiveResult> {
  const now = deps.clock.now();
  let autoAcceptEscalationId: number | null = null;
  const outcome = await deps.sql.begin(async (tx): Promise<ReceiveOutcome> => {
    await lockSender(tx, inbound.from);
    const [stored] = await tx<{ id: number }[]>`
      insert into messages (direction, channel, to_address, from_address, body, purpose, status, twilio_sid, created_at, updated_at)
      values ('inbound', ${inbound.channel}, ${inbound.to}, ${inbound.from}, ${inbound.body}, 'reply', 'received', ${inbound.messageSid}, ${now}, ${now})
      on conflict (twilio_sid) do nothing
      returning id::int as id`;
    if (!stored) return 'duplicate';

    const [tenant] = await tenantsByMobile(tx, inbound.from);
    if (!tenant) {
      await appendContactLog(tx, { at: now, tenancyRef: null, tenantNo: null, event: 'message_from_unknown_number', actor: 'unknown', channel: inbound.channel, messageId: stored.id });
      // One polite reply a day at most, so an auto-responder cannot start a loop with us.
      const [recent] = await tx`
        select 1 from messages where direction = 'outbound' and to_address = ${inbound.from} and tenancy_ref is null
          and created_at > ${new Date(now.getTime() - 24 * 3600 * 1000)} limit 1`;
      if (!recent) {
        await enqueueMessage(tx, { tenancyRef: null, tenantNo: null, conversationId: null, channel: inbound.channel, to: inbound.from, body: unknownNumberReply(deps.policy), purpose: 'system', now });
      }
      return 'unknown_number';
    }

    const ref = tenant.tenancy_ref;
    const no = tenant.tenant_no;
    await Promise.all([
      tx`update messages set tenancy_ref = ${ref}, tenant_no = ${no} where id = ${stored.id}`,
      inbound.channel === 'whatsapp'
        ? tx`update tenants set last_inbound_at = ${now}, last_whatsapp_inbound_at = ${now} where tenancy_ref = ${ref} and tenant_no = ${no}`
        : tx`update tenants set last_inbound_at = ${now} where tenancy_ref = ${ref} and tenant_no = ${no}`,
      appendContactLog(tx, { at: now, tenancyRef: ref, tenantNo: no, event: 'message_received', actor: 'tenant', channel: inbound.channel, messageId: stored.id }),
    ]);

    const open = await openConversation(tx, ref, no);
    const [crisis] = await tx`select 1 from escalations where tenancy_ref = ${ref} and tenant_no = ${no} and status = 'pending' and reason = 'crisis' limit 1`;
    // After a crisis hand-off no script answers again until an officer has dealt with it.
    const humanReason = crisis ? 'crisis_hand_off_open' : humanOnlyReason(tenant, now, deps.timeZone);
    if (humanReason && !open?.taken_over_by) {
      await handOverToPeople(tx, { ref, no, channel: inbound.channel, text: inbound.body, reason: humanReason, conversationId: open?.id ?? null, now });
      return 'human_only';
    }
    if (open?.taken_over_by) {
      await tx`update messages set conversation_id = ${open.id} where id = ${stored.id}`;
      return 'taken_over';
    }
    const ctx = await buildContext(tx, { ...tenant, last_whatsapp_inbound_at: inbound.channel === 'whatsapp' ? now : tenant.last_whatsapp_inbound_at }, {
      channel: inbound.channel,
      now,
      policy: deps.policy,
      timeZone: deps.timeZone,
    });

    const target = (conversationId: number) => ({
      tenancyRef: ref, tenantNo: no, conversationId, channel: inbound.channel, mobile: inbound.from, purpose: 'reply' as const, arrearsPence: ctx.account.arrearsPence,
    });
    let conversationId: number;
    let effects: Effect[];
    const continued = open ? step(deps.flows, open.session, { kind: 'text', text: inbound.body }, ctx) : null;
    if (open && continued) await saveSession(tx, open.id, continued.session, now);
    const resumed = open !== null && continued !== null && !isExpiryOnly(continued.effects);
    if (resumed) {
      conversationId = (open as ConversationRow).id;
      effects = (continued as { effects: Effect[] }).effects;
    } else {
      // No open conversation, or it had just expired: the text starts a fresh tenant-initiated one.
      if (open && continued) await applyEffects(tx, target(open.id), continued.effects, { policy: deps.policy, now });
      const started = startSession(deps.flows, 'tenant_initiated', ctx, { kind: 'text', text: inbound.body });
      conversationId = await insertConversation(tx, { tenancyRef: ref, tenantNo: no, channel: inbound.channel, session: started.session, now });
      effects = started.effects;
    }
    await tx`update messages set conversation_id = ${conversationId} where id = ${stored.id}`;
    const applied = await applyEffects(tx, target(conversationId), effects, { policy: deps.policy, now });
    autoAcceptEscalationId = applied.autoAcceptEscalationId;
    return resumed ? 'stepped' : 'started';
  });
  return { outcome, autoAcceptEscalationId };
}

function isExpiryOnly(effects: Effect[]): boolean {
  return effects.length === 1 && effects[0]?.type === 'end' && effects[0].outcome === 'expired';
}
