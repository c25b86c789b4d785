// A tenant's text arrives: deduplicated on MessageSid, serialised per phone number, matched to a tenant,
// stepped through their conversation, and everything it causes written in ONE transaction.
import type { Sql, TransactionSql } from '../db/connect.js';
import { startSession, step } from '../engine/index.js';
import type { Channel, Effect, FlowSet, Session } from '../engine/index.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { enqueueMessage } from '../outbox/queue.js';
import type { Policy } from '../rent/policy.js';
import { buildContext } from './context.js';
import { applyEffects } from './effects.js';
import { appendContactLog, insertConversation, openConversation, saveSession, tenantsByMobile } from './store.js';

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

export type ReceiveOutcome = 'duplicate' | 'unknown_number' | 'stepped' | 'started' | 'taken_over';

/** The reply to a number we do not know: polite, and it discloses nothing about anyone's account. */
export function unknownNumberReply(policy: Policy): string {
  return `Thanks for your message. We can't match this number to a tenancy, so we can't discuss any account by text. Please contact ${policy.landlord.name} on the number on your rent letters.`;
}

async function lockSender(tx: TransactionSql, from: string): Promise<void> {
  // Two texts from one number in the same second are processed one after the other, in arrival order.
  await tx`select pg_advisory_xact_lock(hashtextextended(${`inbound:${from}`}, 0))`;
}

export async function receiveInboundText(deps: ConversationDeps, inbound: InboundText): Promise<ReceiveOutcome> {
  const now = deps.clock.now();
  return deps.sql.begin(async (tx) => {
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

    let conversationId: number;
    let result: { session: Session; effects: Effect[] };
    if (open) {
      result = step(deps.flows, open.session, { kind: 'text', text: inbound.body }, ctx);
      conversationId = open.id;
      await saveSession(tx, conversationId, result.session, now);
    } else {
      result = startSession(deps.flows, 'tenant_initiated', ctx, { kind: 'text', text: inbound.body });
      conversationId = await insertConversation(tx, { tenancyRef: ref, tenantNo: no, channel: inbound.channel, session: result.session, now });
    }
    await tx`update messages set conversation_id = ${conversationId} where id = ${stored.id}`;
    await applyEffects(
      tx,
      { tenancyRef: ref, tenantNo: no, conversationId, channel: inbound.channel, mobile: inbound.from, purpose: 'reply', arrearsPence: ctx.account.arrearsPence },
      result.effects,
      { policy: deps.policy, now },
    );
    return open ? 'stepped' : 'started';
  });
}
