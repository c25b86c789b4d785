// Conversations Rentline begins (missed payment, reminder, arrangement nudge) and the ones its timers
// move on. Both run inside the caller's transaction, so jobs can start many in one set-based sweep.
import type { TransactionSql } from '../db/connect.js';
import { startSession, step } from '../engine/index.js';
import type { Channel, Effect, FlowSet } from '../engine/index.js';
import type { Policy } from '../rent/policy.js';
import { buildContext } from './context.js';
import { applyEffects, engineTimerId, type MessagePurpose, type QueueContact } from './effects.js';
import { loadHolds } from '../db/queries/holds.js';
import { conversationById, insertConversation, openConversation, saveSession } from './store.js';
import { findTenant } from '../db/queries/tenants.js';

export interface StartDeps {
  flows: FlowSet;
  policy: Policy;
  timeZone: string;
}

export type StartResult =
  | { started: true; conversationId: number; messageIds: number[] }
  | { started: false; reason: 'not_textable' | 'conversation_open' | 'tenant_not_found' };

/** The contact rule's queue-time inputs for a text Rentline itself sends (a start, a timer). */
async function jobContact(tx: TransactionSql, tenancyRef: string, now: Date, timeZone: string): Promise<QueueContact> {
  return {
    path: 'job',
    holds: (await loadHolds(tx, [tenancyRef], now, timeZone)).get(tenancyRef) ?? [],
    tenantLastMessageAt: null,
  };
}

export async function startConversation(
  tx: TransactionSql,
  deps: StartDeps,
  request: {
    tenancyRef: string;
    tenantNo: number;
    flowId: string;
    purpose: MessagePurpose;
    vars?: Record<string, string | number>;
    now: Date;
  },
): Promise<StartResult> {
  const { now } = request;
  const tenant = await findTenant(tx, request.tenancyRef, request.tenantNo);
  if (!tenant) return { started: false, reason: 'tenant_not_found' };
  if (tenant.mobile_e164 === null || tenant.channel === 'none') return { started: false, reason: 'not_textable' };
  if (await openConversation(tx, request.tenancyRef, request.tenantNo))
    return { started: false, reason: 'conversation_open' };
  const channel: Channel = tenant.channel === 'whatsapp' ? 'whatsapp' : 'sms';
  const ctx = await buildContext(tx, tenant, { channel, now, policy: deps.policy, timeZone: deps.timeZone });
  const result = startSession(deps.flows, request.flowId, ctx, {
    kind: 'start',
    ...(request.vars ? { vars: request.vars } : {}),
  });
  const conversationId = await insertConversation(tx, {
    tenancyRef: request.tenancyRef,
    tenantNo: request.tenantNo,
    channel,
    session: result.session,
    now,
  });
  await tx`update conversations set purpose = ${request.purpose} where id = ${conversationId}`;
  const applied = await applyEffects(
    tx,
    {
      tenancyRef: request.tenancyRef,
      tenantNo: request.tenantNo,
      conversationId,
      channel,
      mobile: tenant.mobile_e164,
      purpose: request.purpose,
      arrearsPence: ctx.account.arrearsPence,
      contact: await jobContact(tx, request.tenancyRef, now, deps.timeZone),
    },
    result.effects,
    { policy: deps.policy, now },
  );
  return { started: true, conversationId, messageIds: applied.messageIds };
}

/**
 * A durable timer fired. The engine ignores a timer that is not the session's current one, so a stale
 * timer never acts on a newer step. Texts it sends are outreach of the conversation's own kind.
 */
export async function fireTimer(
  tx: TransactionSql,
  deps: StartDeps,
  request: { conversationId: number; timerId: string; now: Date },
): Promise<{ effects: number }> {
  const { now } = request;
  await tx`update conversation_timers set fired_at = ${now} where timer_id = ${request.timerId}`;
  const conversation = await conversationById(tx, request.conversationId);
  if (!conversation || conversation.session.status === 'ended' || conversation.taken_over_by) return { effects: 0 };
  const tenant = await findTenant(tx, conversation.tenancy_ref, conversation.tenant_no);
  if (!tenant || tenant.mobile_e164 === null) return { effects: 0 };
  const ctx = await buildContext(tx, tenant, {
    channel: conversation.channel,
    now,
    policy: deps.policy,
    timeZone: deps.timeZone,
  });
  const result = step(
    deps.flows,
    conversation.session,
    { kind: 'timeout', timerId: engineTimerId(conversation.id, request.timerId) },
    ctx,
  );
  if (result.effects.length === 0) return { effects: 0 };
  await saveSession(tx, conversation.id, result.session, now);
  const [row] = await tx<
    { purpose: MessagePurpose }[]
  >`select purpose from conversations where id = ${conversation.id}`;
  const purpose: MessagePurpose = row?.purpose && row.purpose !== 'reply' ? row.purpose : 'arrears';
  const effects: Effect[] = result.effects;
  await applyEffects(
    tx,
    {
      tenancyRef: conversation.tenancy_ref,
      tenantNo: conversation.tenant_no,
      conversationId: conversation.id,
      channel: conversation.channel,
      mobile: tenant.mobile_e164,
      purpose,
      arrearsPence: ctx.account.arrearsPence,
      contact: await jobContact(tx, conversation.tenancy_ref, now, deps.timeZone),
    },
    effects,
    { policy: deps.policy, now },
  );
  return { effects: effects.length };
}
