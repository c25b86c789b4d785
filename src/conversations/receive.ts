// A tenant's text arrives: deduplicated on MessageSid, serialised per phone number, matched to a tenant,
// stepped through their conversation, and everything it causes written in ONE transaction. The reads are
// one query and the writes are pipelined: a webhook costs a handful of round trips, not one per row.
import { decideInTransaction } from '../cases/decisions.js';
import type { Queryable, Sql, TransactionSql } from '../db/connect.js';
import { pipelinedTransaction } from '../db/pipelined.js';
import { startSession, step } from '../engine/index.js';
import type { Channel, Effect, FlowSet, Session } from '../engine/index.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { enqueueMessage } from '../outbox/queue.js';
import type { Policy } from '../rent/policy.js';
import {
  decideAutomatedReply,
  replyWindowStart,
  type ReplyLimitVerdict,
  type SenderActivity,
} from '../rent/reply-limit.js';
import { contextFrom } from './context.js';
import { applyEffects } from './effects.js';
import { handOverToPeople, humanOnlyReason, recordConsentWord } from './hand-off.js';
import { NO_ACTIVITY, PAUSE_TOLD_EVENT, readSendersActivity, recordPausedText } from './reply-activity.js';
import {
  insertConversation,
  loadSenderState,
  lockConversationsOf,
  recordInbound,
  saveSession,
  type SenderState,
} from './store.js';
import { appendContactLog } from '../db/queries/contact-log.js';

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
  /** When the webhook took it (the application's clock): orders a sender's parked texts before later ones. */
  receivedAt?: Date;
}

export type ReceiveOutcome =
  | 'duplicate'
  | 'unknown_number'
  | 'stepped'
  | 'started'
  | 'taken_over'
  | 'human_only'
  /** Kept, not answered: the sender reached the limit on automated replies (docs/rules.md#reply-limit). */
  | 'paused';

export interface ReceiveResult {
  outcome: ReceiveOutcome;
  /** The tenant's offer is inside policy and the landlord auto-accepts those: the caller settles it. */
  autoAcceptEscalationId: number | null;
}

/** The reply to a number we do not know: polite, and it discloses nothing about anyone's account. */
function unknownNumberReply(policy: Policy): string {
  return `Thanks for your message. We can't match this number to a tenancy, so we can't discuss any account by text. Please contact ${policy.landlord.name} on the number on your rent letters.`;
}

async function answerUnknownNumber(
  tx: Queryable,
  deps: ConversationDeps,
  inbound: InboundText,
  messageId: number,
  now: Date,
): Promise<void> {
  await appendContactLog(tx, {
    at: now,
    tenancyRef: null,
    tenantNo: null,
    event: 'message_from_unknown_number',
    actor: 'unknown',
    channel: inbound.channel,
    messageId,
  });
  // One polite reply a day at most, so an auto-responder cannot start a loop with us.
  const [recent] = await tx`
    select 1 from messages where direction = 'outbound' and to_address = ${inbound.from} and tenancy_ref is null
      and created_at > ${new Date(now.getTime() - 24 * 3600 * 1000)} limit 1`;
  if (!recent) {
    await enqueueMessage(tx, {
      tenancyRef: null,
      tenantNo: null,
      conversationId: null,
      channel: inbound.channel,
      to: inbound.from,
      body: unknownNumberReply(deps.policy),
      purpose: 'system',
      now,
    });
  }
}

export function isExpiryOnly(effects: Effect[]): boolean {
  return effects.length === 1 && effects[0]?.type === 'end' && effects[0].outcome === 'expired';
}

/** The automated replies a step's effects would queue. */
export function repliesIn(effects: readonly Effect[]): number {
  return effects.filter((e) => e.type === 'send').length;
}

/** The sender's activity in the reply-limit window, read under their lock (pipelined behind it). */
export function readSenderActivity(tx: Queryable, mobile: string, now: Date, policy: Policy): Promise<SenderActivity> {
  return readSendersActivity(tx, [mobile], replyWindowStart(now, policy)).then((a) => a.get(mobile) ?? NO_ACTIVITY);
}

/**
 * A text past the sender's reply limit: kept and linked like any text, the session left as it was, nothing
 * answered. STOP and START still count. The first paused text of a window tells officers, once, with a
 * hand-off card of its own (beside any card already waiting: that one says nothing of the pause).
 */
async function pauseAutomatedReplies(
  tx: Queryable,
  m: {
    inbound: InboundText;
    messageId: number;
    ref: string;
    no: number;
    conversationId: number | null;
    lastWhatsappInboundAt: Date | null;
    verdict: Extract<ReplyLimitVerdict, { verdict: 'pause' }>;
    now: Date;
  },
): Promise<void> {
  const { inbound, ref, no, now, verdict } = m;
  await recordPausedText(tx, {
    tenancyRef: ref,
    tenantNo: no,
    messageId: m.messageId,
    conversationId: m.conversationId,
    channel: inbound.channel,
    now,
    lastWhatsappInboundAt: m.lastWhatsappInboundAt,
    mirrored: verdict.tellOfficer,
  });
  const consent = { ref, no, channel: inbound.channel, text: inbound.body, now };
  if (!verdict.tellOfficer) return recordConsentWord(tx, consent);
  await appendContactLog(tx, {
    at: now,
    tenancyRef: ref,
    tenantNo: no,
    event: PAUSE_TOLD_EVENT,
    actor: 'rentline',
    channel: inbound.channel,
    messageId: m.messageId,
    detail: { reason: verdict.reason },
  });
  await handOverToPeople(tx, {
    ...consent,
    reason: verdict.reason,
    conversationId: m.conversationId,
    alongsidePending: true,
  });
}

export async function receiveInboundText(deps: ConversationDeps, inbound: InboundText): Promise<ReceiveResult> {
  const now = deps.clock.now();
  return pipelinedTransaction(deps.sql, async (tx): Promise<ReceiveResult> => {
    // Pipelined: the lock, the dedupe insert and the read go out together and run in that order.
    // postgres.js queries are lazy, so each is sent explicitly (execute) in the order it must run: the
    // read must come after the lock, or two texts could read the same session.
    const locked = lockConversationsOf(tx, inbound.from).execute();
    const inserted = tx<{ id: number }[]>`
      insert into messages (direction, channel, to_address, from_address, body, purpose, status, twilio_sid, created_at, updated_at)
      values ('inbound', ${inbound.channel}, ${inbound.to}, ${inbound.from}, ${inbound.body}, 'reply', 'received', ${inbound.messageSid}, ${now}, ${now})
      on conflict (twilio_sid) do nothing
      returning id::int as id`.execute();
    const [, [stored], state, activity] = await Promise.all([
      locked,
      inserted,
      loadSenderState(tx, inbound.from, now, deps.timeZone),
      readSenderActivity(tx, inbound.from, now, deps.policy),
    ]);
    if (!stored) return { outcome: 'duplicate', autoAcceptEscalationId: null };
    return processStoredText(tx, deps, inbound, stored.id, state, activity, now);
  });
}

/**
 * Everything after a text is stored, with its sender's lock held and their state and reply-limit activity
 * read: hand-offs, the step, the reply limit, and the writes. Shared by the one-text path above and by
 * batches (receive-batch.ts).
 */
export async function processStoredText(
  tx: TransactionSql,
  deps: ConversationDeps,
  inbound: InboundText,
  messageId: number,
  state: SenderState | null,
  activity: SenderActivity,
  now: Date,
): Promise<ReceiveResult> {
  const done = (outcome: ReceiveOutcome, autoAcceptEscalationId: number | null = null): ReceiveResult => ({
    outcome,
    autoAcceptEscalationId,
  });
  if (!state) {
    await answerUnknownNumber(tx, deps, inbound, messageId, now);
    return done('unknown_number');
  }

  const { tenant, open } = state;
  const ref = tenant.tenancy_ref;
  const no = tenant.tenant_no;
  const lastWhatsappInboundAt = inbound.channel === 'whatsapp' ? now : tenant.last_whatsapp_inbound_at;
  const record = (conversationId: number | null, save: { id: number; session: Session } | null) =>
    recordInbound(tx, {
      tenancyRef: ref,
      tenantNo: no,
      messageId,
      conversationId,
      channel: inbound.channel,
      now,
      lastWhatsappInboundAt,
      save,
    });

  const humanReason = humanOnlyReason(tenant.tenant_no, inbound.channel, state.holds, now, deps.policy);
  if (open?.taken_over_by) {
    // An officer is writing to this tenant: the script stays quiet; the text reaches their thread. A STOP
    // is still an opt-out, from the officer's texts too.
    await record(open.id, null);
    await recordConsentWord(tx, { ref, no, channel: inbound.channel, text: inbound.body, now });
    return done('taken_over');
  }
  if (humanReason) {
    await record(open?.id ?? null, null);
    await handOverToPeople(tx, {
      ref,
      no,
      channel: inbound.channel,
      text: inbound.body,
      reason: humanReason,
      conversationId: open?.id ?? null,
      now,
    });
    return done('human_only');
  }

  const ctx = contextFrom({ ...tenant, last_whatsapp_inbound_at: lastWhatsappInboundAt }, state.tenancy, state.ledger, {
    channel: inbound.channel,
    now,
    policy: deps.policy,
    timeZone: deps.timeZone,
  });
  const target = (conversationId: number) => ({
    tenancyRef: ref,
    tenantNo: no,
    conversationId,
    channel: inbound.channel,
    mobile: inbound.from,
    purpose: 'reply' as const,
    arrearsPence: ctx.account.arrearsPence,
    // Opt-outs are left to send time: this very text may be START (or STOP), changing consent in this step.
    contact: {
      path: 'conversation_reply' as const,
      holds: state.holds.filter((h) => h.kind !== 'opted_out'),
      tenantLastMessageAt: now,
    },
  });

  const continued = open ? step(deps.flows, open.session, { kind: 'text', text: inbound.body }, ctx) : null;
  // No open conversation, or it had just expired: the text starts a fresh tenant-initiated one.
  const plan =
    open && continued && !isExpiryOnly(continued.effects)
      ? { steps: { open, continued }, started: null }
      : {
          steps: null,
          started: startSession(deps.flows, 'tenant_initiated', ctx, { kind: 'text', text: inbound.body }),
        };
  const wanted = repliesIn(continued?.effects ?? []) + repliesIn(plan.started?.effects ?? []);
  const limit = decideAutomatedReply(activity, wanted, deps.policy);
  if (limit.verdict === 'pause') {
    await pauseAutomatedReplies(tx, {
      inbound,
      messageId,
      ref,
      no,
      conversationId: open?.id ?? null,
      lastWhatsappInboundAt,
      verdict: limit,
      now,
    });
    return done('paused');
  }
  if (plan.steps) {
    const { id } = plan.steps.open;
    const { session, effects } = plan.steps.continued;
    // The received line is issued first so the contact log reads in order.
    const [, applied] = await Promise.all([
      record(id, { id, session }),
      applyEffects(tx, target(id), effects, { policy: deps.policy, now }),
    ]);
    await settleAutoAccept(tx, deps, applied.autoAcceptEscalationId);
    return done('stepped', applied.autoAcceptEscalationId);
  }
  const { started } = plan;
  const writes: Promise<unknown>[] = [];
  if (open && continued) {
    writes.push(
      saveSession(tx, open.id, continued.session, now),
      applyEffects(tx, target(open.id), continued.effects, { policy: deps.policy, now }),
    );
  }
  const conversationId = await insertConversation(tx, {
    tenancyRef: ref,
    tenantNo: no,
    channel: inbound.channel,
    session: started.session,
    now,
  });
  const [, applied] = await Promise.all([
    record(conversationId, null),
    applyEffects(tx, target(conversationId), started.effects, { policy: deps.policy, now }),
    ...writes,
  ]);
  await settleAutoAccept(tx, deps, applied.autoAcceptEscalationId);
  return done('started', applied.autoAcceptEscalationId);
}

/**
 * An offer inside policy, when the landlord auto-accepts those (policy `offers.auto_accept_within_policy`),
 * is settled as an officer's Accept would settle it, in the same transaction that recorded it: the offer
 * is never left accepted in the conversation but pending on the card, whatever fails in between.
 */
async function settleAutoAccept(
  tx: TransactionSql,
  deps: ConversationDeps,
  escalationId: number | null,
): Promise<void> {
  if (escalationId === null) return;
  await decideInTransaction(tx, deps, {
    escalationId,
    officerId: 'rentline:auto-accept',
    officerName: 'Rentline (inside policy)',
    decision: { kind: 'accept' },
  });
}
