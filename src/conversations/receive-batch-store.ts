// Set-based statements for a batch of inbound texts (receive-batch.ts): lock every sender, find the
// MessageSids already stored, read every sender's state, and write what the plain steps caused (the texts
// themselves included) — each as ONE statement for the whole batch instead of one per text. Each writes exactly the rows the one-text path (receive.ts with
// store.ts recordInbound, effects.ts applyEffects and outbox/queue.ts enqueueMessage) writes.
import { arrayParam } from '../db/params.js';
import type { PipelinedSql } from '../db/pipelined.js';
import type { Channel, Effect, Session } from '../engine/index.js';
import { OUTBOX_CHANNEL, assertValidOutbound } from '../outbox/queue.js';
import { insertOutbound, type OutboundRow } from '../db/queries/messages.js';
import { insertContactLogsFrom, type ContactLogKind } from '../db/queries/contact-log.js';
import { storedTimerId } from './effects.js';
import type { InboundText } from './receive.js';
import { PAUSED_TEXT_DETAIL } from './reply-activity.js';

/**
 * The per-number advisory locks of lockConversationsOf, for many numbers in one statement. They are taken
 * in the order of the lock keys themselves (not of the numbers), so two batches always queue for shared
 * keys in the same order and cannot deadlock, even when two numbers hash to one key.
 */
export function lockSenders(tx: PipelinedSql, mobiles: readonly string[]) {
  return tx`
    select pg_advisory_xact_lock(k.key)
    from (select distinct hashtextextended('conversation:' || m, 0) as key from unnest(${mobiles as string[]}::text[]) as m order by 1) as k`;
}

/**
 * The MessageSids already stored (texts delivered before). Read under the senders' locks, which every path
 * that stores a text takes first, so a text found new here cannot be stored by anyone else before this
 * transaction ends; the insert that follows has no ON CONFLICT, and a clash would fail the batch (retried
 * text by text) rather than answer a text twice.
 */
export function storedMessageSids(tx: PipelinedSql, sids: readonly string[]) {
  return tx<
    { twilio_sid: string }[]
  >`select twilio_sid from messages where twilio_sid = any(${sids as string[]}::text[])`;
}

/** Stores every new text as receive.ts does (one row each); a MessageSid already stored is skipped. */
export function insertInboundTexts(tx: PipelinedSql, texts: readonly InboundText[], now: Date) {
  return tx<{ id: number; twilio_sid: string }[]>`
    insert into messages (direction, channel, to_address, from_address, body, purpose, status, twilio_sid, created_at, updated_at)
    select 'inbound', t.channel, t.to_address, t.from_address, t.body, 'reply', 'received', t.sid, ${now}::timestamptz, ${now}::timestamptz
    from unnest(${texts.map((t) => t.channel)}::text[], ${texts.map((t) => t.to)}::text[], ${texts.map((t) => t.from)}::text[],
                ${texts.map((t) => t.body)}::text[], ${texts.map((t) => t.messageSid)}::text[])
      with ordinality as t(channel, to_address, from_address, body, sid, ord)
    order by t.ord
    on conflict (twilio_sid) do nothing
    returning id::int as id, twilio_sid`;
}

/** Effects written here in sets; a step causing anything else takes the one-text path (receive-batch.ts). */
export const SET_WRITTEN_EFFECTS: ReadonlySet<Effect['type']> = new Set(['send', 'set_timer', 'end', 'verified']);

/** One text already stepped in memory: what recordInbound and applyEffects would have written for it. */
export interface SteppedText {
  /** The text itself: stored by writeSteppedTexts, already linked to its tenant and conversation. */
  inbound: InboundText;
  tenancyRef: string;
  tenantNo: number;
  /** Null only for a text kept past the reply limit with no conversation open. */
  conversationId: number | null;
  channel: Channel;
  /** The sender's number, where replies go. */
  mobile: string;
  lastWhatsappInboundAt: Date | null;
  /** The session to save (null when an officer has taken the conversation over). */
  session: Session | null;
  /** Only SET_WRITTEN_EFFECTS. */
  effects: Effect[];
  /** Kept past the sender's reply limit (no session, no effects): its received line is not mirrored to Slack. */
  repliesPaused?: boolean;
}

interface LogLine {
  tenancyRef: string;
  tenantNo: number;
  event: ContactLogKind;
  actor: string;
  channel: Channel;
  /** 1-based position of the received text this line logs, whose id is known only once inserted. */
  receivedOrd: number | null;
  /** 1-based position of the queued text this line logs, likewise. */
  queuedOrd: number | null;
  detail: string;
}

/**
 * Writes the texts in order, as if one after the other: tenants' last-inbound times, each text linked to its
 * tenant and conversation, saved sessions, queued replies with their contact-log lines in the order the
 * one-text path logs them (received, queued…, then the effects' lines), one NOTIFY, and timers. A later
 * text's session, times or timer replace an earlier one's, as the one-at-a-time updates would. Throws before
 * sending anything if a reply is invalid; the statement is sent at once (execute).
 */
export function writeSteppedTexts(tx: PipelinedSql, texts: readonly SteppedText[], now: Date): Promise<unknown> {
  if (texts.length === 0) return Promise.resolve();
  const tenants = new Map<string, SteppedText>();
  const sessions = new Map<number, Session>();
  const timers = new Map<string, { conversationId: number; at: Date }>();
  const queued: { text: SteppedText; effect: Extract<Effect, { type: 'send' }> }[] = [];
  const lines: LogLine[] = [];
  texts.forEach((text, index) => {
    const { tenancyRef, tenantNo, channel } = text;
    tenants.set(`${tenancyRef}/${tenantNo}`, text);
    if (text.session && text.conversationId !== null) sessions.set(text.conversationId, text.session);
    lines.push({
      tenancyRef,
      tenantNo,
      event: 'message_received',
      actor: 'tenant',
      channel,
      receivedOrd: index + 1,
      queuedOrd: null,
      detail: text.repliesPaused ? JSON.stringify(PAUSED_TEXT_DETAIL) : '{}',
    });
    const effectLines: LogLine[] = [];
    const { conversationId } = text;
    if (conversationId === null && text.effects.length > 0)
      throw new Error('writeSteppedTexts: a text with effects needs its conversation');
    for (const effect of text.effects) {
      if (conversationId === null) break;
      if (effect.type === 'send') {
        assertValidOutbound({
          tenancyRef,
          tenantNo,
          conversationId: text.conversationId,
          channel,
          to: text.mobile,
          body: effect.text,
          purpose: 'reply',
          now,
        });
        queued.push({ text, effect });
        lines.push({
          tenancyRef,
          tenantNo,
          event: 'message_queued',
          actor: 'rentline',
          channel,
          receivedOrd: null,
          queuedOrd: queued.length,
          detail: JSON.stringify({ purpose: 'reply' }),
        });
      } else if (effect.type === 'set_timer') {
        timers.set(storedTimerId(conversationId, effect.timerId), { conversationId, at: effect.at });
      } else if (effect.type === 'verified') {
        effectLines.push({
          tenancyRef,
          tenantNo,
          event: 'identity_verified',
          actor: 'tenant',
          channel,
          receivedOrd: null,
          queuedOrd: null,
          detail: '{}',
        });
      } else if (effect.type === 'end') {
        effectLines.push({
          tenancyRef,
          tenantNo,
          event: 'conversation_ended',
          actor: 'rentline',
          channel,
          receivedOrd: null,
          queuedOrd: null,
          detail: JSON.stringify({ outcome: effect.outcome }),
        });
      } else {
        throw new Error(`writeSteppedTexts: effect ${effect.type} is not written in sets`);
      }
    }
    // applyEffects appends its own log lines after the texts it queued.
    lines.push(...effectLines);
  });

  const outbound: OutboundRow[] = queued.map((q) => ({
    tenancyRef: q.text.tenancyRef,
    tenantNo: q.text.tenantNo,
    conversationId: q.text.conversationId,
    channel: q.text.channel,
    to: q.text.mobile,
    body: q.effect.text,
    purpose: 'reply',
    templateKey: q.effect.templateKey ?? null,
    templateVariables: q.effect.templateVariables ?? null,
  }));
  const touched = [...tenants.values()];
  const saved = [...sessions];
  const timed = [...timers];
  // ONE statement: a batch's writes cost one statement's overhead, however many texts it holds. The CTEs
  // touch different rows, and the contact-log lines' foreign keys are checked at the statement's end.
  return tx`
    with touched as (
      update tenants t set last_inbound_at = ${now}::timestamptz, last_whatsapp_inbound_at = u.last_wa
      from unnest(${touched.map((t) => t.tenancyRef)}::text[], ${touched.map((t) => t.tenantNo)}::smallint[],
                  ${arrayParam(
                    tx,
                    touched.map((t) => t.lastWhatsappInboundAt?.toISOString() ?? null),
                  )}::timestamptz[]) as u(tenancy_ref, tenant_no, last_wa)
      where t.tenancy_ref = u.tenancy_ref and t.tenant_no = u.tenant_no
    ), received as (
      -- The texts themselves, linked to tenant and conversation as they are stored (ids in arrival order).
      insert into messages (direction, tenancy_ref, tenant_no, conversation_id, channel, to_address, from_address, body, purpose, status,
                            twilio_sid, created_at, updated_at)
      select 'inbound', r.tenancy_ref, r.tenant_no, r.conversation_id, r.channel, r.to_address, r.from_address, r.body, 'reply', 'received',
             r.sid, ${now}::timestamptz, ${now}::timestamptz
      from unnest(${texts.map((t) => t.tenancyRef)}::text[], ${texts.map((t) => t.tenantNo)}::smallint[], ${texts.map((t) => t.conversationId)}::bigint[],
                  ${texts.map((t) => t.inbound.channel)}::text[], ${texts.map((t) => t.inbound.to)}::text[], ${texts.map((t) => t.inbound.from)}::text[],
                  ${texts.map((t) => t.inbound.body)}::text[], ${texts.map((t) => t.inbound.messageSid)}::text[])
        with ordinality as r(tenancy_ref, tenant_no, conversation_id, channel, to_address, from_address, body, sid, ord)
      order by r.ord
      returning id
    ), received_numbered as (
      select id, row_number() over (order by id) as ord from received
    ), saved as (
      update conversations c set session = u.session, status = u.status, updated_at = ${now}::timestamptz,
        ended_at = case when u.status = 'ended' then ${now}::timestamptz else null end
      from unnest(${saved.map(([id]) => id)}::bigint[], ${tx.array(saved.map(([, s]) => JSON.stringify(s)))}::jsonb[], ${saved.map(([, s]) => s.status)}::text[])
        as u(id, session, status)
      where c.id = u.id
    ), timed as (
      insert into conversation_timers (timer_id, conversation_id, fire_at)
      select * from unnest(${timed.map(([id]) => id)}::text[], ${timed.map(([, t]) => t.conversationId)}::bigint[],
                           ${timed.map(([, t]) => t.at.toISOString())}::timestamptz[])
      on conflict (timer_id) do update set fire_at = excluded.fire_at, fired_at = null
    ), queued as (
      -- Outbound rows through the one outbound writer; ids are drawn in insertion order, so the n-th id is the n-th queued text.
      ${insertOutbound(tx, outbound, now)}
    ), numbered as (
      select id, row_number() over (order by id) as ord from queued
    ), logged as (
      -- Every contact-log line in the order the one-text path writes them.
      ${insertContactLogsFrom(tx, {
        at: now,
        from: tx`unnest(${lines.map((l) => l.tenancyRef)}::text[], ${lines.map((l) => l.tenantNo)}::smallint[], ${lines.map((l) => l.event)}::text[],
                  ${lines.map((l) => l.actor)}::text[], ${lines.map((l) => l.channel)}::text[],
                  ${arrayParam(
                    tx,
                    lines.map((l) => l.receivedOrd),
                  )}::int[],
                  ${arrayParam(
                    tx,
                    lines.map((l) => l.queuedOrd),
                  )}::int[], ${tx.array(lines.map((l) => l.detail))}::jsonb[])
          with ordinality as l(tenancy_ref, tenant_no, event, actor, channel, received_ord, queued_ord, detail, ord)
          left join received_numbered r on r.ord = l.received_ord
          left join numbered n on n.ord = l.queued_ord`,
        event: { column: tx`l.event` },
        actor: { column: tx`l.actor` },
        tenancyRef: tx`l.tenancy_ref`,
        tenantNo: tx`l.tenant_no`,
        channel: tx`l.channel`,
        messageId: tx`coalesce(r.id, n.id)`,
        detail: tx`l.detail`,
        orderBy: tx`l.ord`,
      })}
    )
    select pg_notify(${OUTBOX_CHANNEL}, '') from queued limit 1`.execute();
}
