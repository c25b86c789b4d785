// Applies what the flow engine asked for, inside the caller's transaction: queue texts (outbox), record
// offers as arrangements, raise escalations, opt-outs, disputes, timers. The engine decides; this writes.
import type { Queryable } from '../db/connect.js';
import type { Channel, Effect, RecordedOffer } from '../engine/types.js';
import { enqueueMessage, type NewOutboundMessage } from '../outbox/queue.js';
import { contactPurposeOf } from '../outbox/recipient.js';
import { decideContact, type ContactPath } from '../rent/contact-rule.js';
import type { Hold } from '../rent/holds.js';
import { assessOffer } from '../rent/offer-policy.js';
import type { Policy } from '../rent/policy.js';
import { recordAffordabilityCheck } from '../affordability/store.js';
import { raiseEscalations } from '../db/queries/escalations.js';
import { appendContactLog, appendContactLogs, type ContactLogKind, type LogEntry } from '../db/queries/contact-log.js';

export type MessagePurpose = NewOutboundMessage['purpose'];

/**
 * The engine names a timer by flow, step and time, which two conversations started at the same instant
 * share (a job starts hundreds at once); stored under its conversation, so one never overwrites another.
 */
export function storedTimerId(conversationId: number, engineTimerId: string): string {
  return `${conversationId}:${engineTimerId}`;
}

/** The engine's own timer id from a stored one (rows stored before the prefix are returned unchanged). */
export function engineTimerId(conversationId: number, storedId: string): string {
  const prefix = `${conversationId}:`;
  return storedId.startsWith(prefix) ? storedId.slice(prefix.length) : storedId;
}

interface EffectTarget {
  tenancyRef: string;
  tenantNo: number;
  conversationId: number;
  channel: Channel;
  mobile: string;
  /** Why the texts are being sent: a reply to the tenant, or something we started (arrears, reminder…). */
  purpose: MessagePurpose;
  arrearsPence: number;
  /**
   * The contact rule's inputs at queue time (the tenancy's holds, who asks). Given, every text is judged
   * as it is queued: a blocked one is kept as evidence and never sent; a held one waits (not_before).
   * The dispatcher judges it again when it sends.
   */
  contact?: QueueContact;
}

export interface QueueContact {
  path: ContactPath;
  holds: readonly Hold[];
  tenantLastMessageAt: Date | null;
}

/** The queue-time verdict as the columns a queued text carries. */
function queueVerdict(
  target: EffectTarget,
  policy: Policy,
  now: Date,
): { notBefore: Date | null; blockedReason: string | null } {
  if (!target.contact) return { notBefore: null, blockedReason: null };
  const verdict = decideContact(
    {
      purpose: contactPurposeOf(target.purpose),
      path: target.contact.path,
      tenantNo: target.tenantNo,
      channel: target.channel,
      holds: target.contact.holds,
      textable: true,
      now,
      queuedAt: now,
      tenantLastMessageAt: target.contact.tenantLastMessageAt,
      lastArrearsMessageAt: null,
    },
    policy,
  );
  if (verdict.verdict === 'hold') return { notBefore: verdict.until, blockedReason: null };
  if (verdict.verdict === 'block' || verdict.verdict === 'route_to_person')
    return { notBefore: null, blockedReason: verdict.reason };
  return { notBefore: null, blockedReason: null };
}

interface AppliedEffects {
  messageIds: number[];
  escalationIds: number[];
  arrangementId: number | null;
  ended: boolean;
  /** An offer inside policy, with auto-accept turned on: the caller settles it at once. */
  autoAcceptEscalationId: number | null;
}

async function insertOffer(
  tx: Queryable,
  target: EffectTarget,
  offer: RecordedOffer,
  policy: Policy,
  now: Date,
): Promise<{ id: number; withinPolicy: boolean }> {
  const verdict = assessOffer(
    { amountPence: offer.amountPence, frequency: offer.frequency, startDate: offer.startDate },
    target.arrearsPence,
    policy,
  );
  const [row] = await tx<{ id: number }[]>`
    insert into arrangements (tenancy_ref, tenant_no, amount_pence, frequency, start_date, reason, raw_text, status, start_arrears_pence, within_policy, created_at, updated_at,
      affordability_id)
    values (${target.tenancyRef}, ${target.tenantNo}, ${offer.amountPence}, ${offer.frequency}, ${offer.startDate}, ${offer.reason}, ${offer.raw},
      'proposed', ${target.arrearsPence}, ${verdict.withinPolicy}, ${now}, ${now},
      -- An offer made in the conversation that ran the affordability check carries that check.
      (select id from affordability_checks where conversation_id = ${target.conversationId} order by id desc limit 1))
    returning id::int as id`;
  await appendContactLog(tx, {
    at: now,
    tenancyRef: target.tenancyRef,
    tenantNo: target.tenantNo,
    event: 'offer_recorded',
    actor: 'tenant',
    channel: target.channel,
    detail: { arrangementId: row?.id, withinPolicy: verdict.withinPolicy, reasons: verdict.reasons },
  });
  return { id: (row as { id: number }).id, withinPolicy: verdict.withinPolicy };
}

/** The officer's counter-offer is the latest arrangement in status `countered`. */
async function settleCounter(
  tx: Queryable,
  target: EffectTarget,
  status: 'active' | 'declined',
  now: Date,
): Promise<number | null> {
  const [row] = await tx<{ id: number }[]>`
    update arrangements set status = ${status}, updated_at = ${now}
    where id = (select id from arrangements where tenancy_ref = ${target.tenancyRef} and status = 'countered' order by created_at desc, id desc limit 1)
    returning id::int as id`;
  return row?.id ?? null;
}

/**
 * Applies the effects in order. Writes are issued without waiting for each answer (postgres.js pipelines
 * them on the transaction's connection); queries are lazy, so each is sent with execute() to keep the issue
 * order. Only an id a later effect needs is awaited.
 */
export async function applyEffects(
  tx: Queryable,
  target: EffectTarget,
  effects: Effect[],
  deps: { policy: Policy; now: Date },
): Promise<AppliedEffects> {
  const { now, policy } = deps;
  const applied: AppliedEffects = {
    messageIds: [],
    escalationIds: [],
    arrangementId: null,
    ended: false,
    autoAcceptEscalationId: null,
  };
  const pending: Promise<unknown>[] = [];
  const messageIds: Promise<number>[] = [];
  const escalationIds: Promise<{ id: number; autoAccept: boolean }>[] = [];
  let offerWithinPolicy = false;
  const logs: LogEntry[] = [];
  const log = (event: ContactLogKind, detail: Record<string, unknown> = {}, actor = 'rentline') =>
    logs.push({
      at: now,
      tenancyRef: target.tenancyRef,
      tenantNo: target.tenantNo,
      event,
      actor,
      channel: target.channel,
      detail,
    });
  const tenantColumn = target.channel === 'whatsapp' ? 'whatsapp_opted_out_at' : 'sms_opted_out_at';

  for (const effect of effects) {
    switch (effect.type) {
      case 'send': {
        const verdict = queueVerdict(target, policy, now);
        messageIds.push(
          enqueueMessage(tx, {
            tenancyRef: target.tenancyRef,
            tenantNo: target.tenantNo,
            conversationId: target.conversationId,
            channel: target.channel,
            to: target.mobile,
            body: effect.text,
            purpose: target.purpose,
            templateKey: effect.templateKey ?? null,
            templateVariables: effect.templateVariables ?? null,
            now,
            ...verdict,
          }),
        );
        break;
      }
      case 'record_offer': {
        // The escalation that follows refers to this arrangement, so its id is awaited.
        const offer = await insertOffer(tx, target, effect.offer, policy, now);
        applied.arrangementId = offer.id;
        offerWithinPolicy = offer.withinPolicy;
        break;
      }
      case 'counter_accepted':
        applied.arrangementId = await settleCounter(tx, target, 'active', now);
        log('counter_offer_accepted', { arrangementId: applied.arrangementId }, 'tenant');
        break;
      case 'counter_declined':
        pending.push(settleCounter(tx, target, 'declined', now));
        log('counter_offer_declined', {}, 'tenant');
        if (effect.newOffer) applied.arrangementId = (await insertOffer(tx, target, effect.newOffer, policy, now)).id;
        break;
      case 'escalate': {
        const arrangementId =
          effect.reason === 'offer' || effect.reason === 'counter_reply' ? applied.arrangementId : null;
        const autoAccept = effect.reason === 'offer' && offerWithinPolicy && policy.offers.auto_accept_within_policy;
        escalationIds.push(
          raiseEscalations(
            tx,
            [
              {
                tenancyRef: target.tenancyRef,
                tenantNo: target.tenantNo,
                conversationId: target.conversationId,
                arrangementId,
                reason: effect.reason,
                urgency: effect.urgency,
                summary: effect.summary,
                logged: {
                  reason: effect.reason,
                  urgency: effect.urgency,
                  ...(effect.kind ? { kind: effect.kind } : {}),
                },
              },
            ],
            now,
          ).then(([id]) => ({ id: id as number, autoAccept })),
        );
        break;
      }
      case 'opt_out':
      case 'opt_in':
        pending.push(
          tx`update tenants set ${tx(tenantColumn)} = ${effect.type === 'opt_out' ? now : null} where tenancy_ref = ${target.tenancyRef} and tenant_no = ${target.tenantNo}`.execute(),
        );
        log(effect.type === 'opt_out' ? 'opted_out' : 'opted_in', {}, 'tenant');
        break;
      case 'dispute':
        pending.push(
          tx`update tenants set disputed_at = ${now} where tenancy_ref = ${target.tenancyRef} and tenant_no = ${target.tenantNo}`.execute(),
        );
        log('balance_disputed', {}, 'tenant');
        break;
      case 'verified':
        log('identity_verified', {}, 'tenant');
        break;
      case 'log': {
        // Evidence for the pre-action checklist: benefit help offered, a 13-week rent statement sent.
        const { event, ...detail } = effect.entry;
        log(event, detail);
        break;
      }
      case 'affordability_assessed':
        // Awaited: an offer later in the same effects links the check by its conversation.
        await recordAffordabilityCheck(tx, {
          tenancyRef: target.tenancyRef,
          tenantNo: target.tenantNo,
          conversationId: target.conversationId,
          assessedBy: 'tenant',
          at: now,
          answers: effect.answers,
          assessment: effect.assessment,
          channel: target.channel,
        });
        break;
      case 'set_timer':
        pending.push(
          tx`
          insert into conversation_timers (timer_id, conversation_id, fire_at) values (${storedTimerId(target.conversationId, effect.timerId)}, ${target.conversationId}, ${effect.at})
          on conflict (timer_id) do update set fire_at = excluded.fire_at, fired_at = null`.execute(),
        );
        break;
      case 'end':
        applied.ended = true;
        log('conversation_ended', { outcome: effect.outcome });
        break;
    }
  }
  pending.push(appendContactLogs(tx, logs));
  const [ids, escalations] = await Promise.all([
    Promise.all(messageIds),
    Promise.all(escalationIds),
    Promise.all(pending),
  ]);
  applied.messageIds = ids;
  applied.escalationIds = escalations.map((e) => e.id);
  applied.autoAcceptEscalationId = escalations.find((e) => e.autoAccept)?.id ?? null;
  return applied;
}
