// The outbox rows' life after queueing, as SQL: claiming due messages, taking back claims a dead
// dispatcher left behind, and writing each outcome (sent, held, blocked, failed, retried, kept) together
// with its contact-log entry. Every outcome is conditional on the claim, so a claim taken over by another
// dispatcher is never overwritten.
import type { Queryable, Sql, TransactionSql } from '../db/connect.js';
import { appendContactLog, insertContactLogsFrom, type ContactLogKind } from '../db/queries/contact-log.js';
import { applyStoredDeliveryStatus, lockTwilioSid } from './delivery-status.js';
import { OUTBOX_CHANNEL } from './queue.js';
import type { Route } from './routing.js';
import { OUTREACH_PURPOSES } from '../rent/contact-rule.js';
import type { MessagePurpose, OutboundChannel } from './types.js';

export interface ClaimedMessage {
  id: number;
  tenancy_ref: string | null;
  tenant_no: number | null;
  conversation_id: number | null;
  channel: OutboundChannel;
  to_address: string;
  body: string;
  purpose: MessagePurpose;
  template_key: string | null;
  template_variables: Record<string, string> | null;
  attempts: number;
  created_at: Date;
  claimed_at: Date;
  unconfirmed_since: Date | null;
}

const SENT_STATUSES = ['sent', 'delivered', 'undelivered', 'read'];

export async function appendLog(
  sql: Queryable,
  entry: {
    at: Date;
    message: Pick<ClaimedMessage, 'id' | 'tenancy_ref' | 'tenant_no'>;
    event: ContactLogKind;
    channel: string | null;
    detail?: Record<string, unknown>;
  },
): Promise<void> {
  await appendContactLog(sql, {
    at: entry.at,
    tenancyRef: entry.message.tenancy_ref,
    tenantNo: entry.message.tenant_no,
    event: entry.event,
    actor: 'rentline',
    channel: entry.channel,
    messageId: entry.message.id,
    detail: entry.detail ?? {},
  });
}

/**
 * Claims that outlived their lease belong to a dispatcher that died (or hung) mid-send. They go back to
 * the queue marked unconfirmed, so the next claim asks Twilio whether the message already went out.
 */
export async function requeueExpiredClaims(sql: Sql, now: Date, leaseMs: number): Promise<number> {
  const rows = await sql`
    update messages
    set status = 'queued', unconfirmed_since = coalesce(unconfirmed_since, claimed_at), claimed_at = null, updated_at = ${now}
    where direction = 'outbound' and status = 'sending' and claimed_at < ${new Date(now.getTime() - leaseMs)}
    returning id`;
  return rows.length;
}

/**
 * Outreach (OUTREACH_PURPOSES, the contact rule's), claimed after every conversational text that is due (a
 * reply, an officer's words, a system notice): tens of thousands of openers queued by one daily run must
 * not hold back a reply to a tenant who has just written. The outbox index (migrations/0083) leads with
 * this expression.
 */
const bulk = (alias: string) => `(${alias}.purpose in (${OUTREACH_PURPOSES.map((p) => `'${p}'`).join(', ')}))`;

/**
 * Moves up to `limit` due messages to `sending` and commits, before anything is sent. SKIP LOCKED lets
 * several dispatchers claim side by side without ever sharing a row. Only a tenant's earliest due message
 * is claimable, and none while another is in flight, so one tenant's texts go out in the order queued
 * even across dispatchers (a flow's second line waits one round for its first). Conversational texts
 * first, then outreach, each in due order.
 */
export async function claimDueMessages(sql: Sql, now: Date, limit: number): Promise<ClaimedMessage[]> {
  const rows = await sql<ClaimedMessage[]>`
    with waiting as (
      -- Tenants with a conversational text due. A tenant's texts leave in order, so one of theirs queued
      -- earlier (an opener not yet sent when they wrote in) goes in that text's tier, not the bulk one.
      -- The order is then no index's, so a claim sorts every due text: with 60,000 queued about 0.26 s,
      -- once per 200 sent (ten seconds at 20 a second); with the few a quiet day holds, nothing.
      select distinct r.tenancy_ref, r.tenant_no from messages r
      where r.direction = 'outbound' and r.status = 'queued' and not ${sql.unsafe(bulk('r'))}
        and (r.not_before is null or r.not_before <= ${now}) and r.tenancy_ref is not null
    ),
    due as (
      select m.id from messages m
      where m.direction = 'outbound' and m.status = 'queued' and (m.not_before is null or m.not_before <= ${now})
        and not exists (
          select 1 from messages s
          where s.direction = 'outbound' and s.tenancy_ref = m.tenancy_ref and s.tenant_no = m.tenant_no and s.id <> m.id
            and (s.status = 'sending'
                 or (s.status = 'queued' and s.id < m.id and (s.not_before is null or s.not_before <= ${now}))))
      order by ${sql.unsafe(bulk('m'))}
          and not exists (select 1 from waiting w where w.tenancy_ref = m.tenancy_ref and w.tenant_no = m.tenant_no),
        m.not_before nulls first, m.id
      limit ${limit}
      for update skip locked
    )
    update messages m
    set status = 'sending', claimed_at = ${now}, updated_at = ${now}
    from due where m.id = due.id
    returning m.id::int as id, m.tenancy_ref, m.tenant_no, m.conversation_id::int as conversation_id, m.channel, m.to_address, m.body, m.purpose, m.template_key,
              m.template_variables, m.attempts, m.created_at, m.claimed_at, m.unconfirmed_since`;
  return [...rows].sort((a, b) => a.id - b.id);
}

/** Puts claimed messages that were never started back in the queue (a dispatcher stopping). */
export async function releaseClaims(sql: Sql, messages: ClaimedMessage[], now: Date): Promise<void> {
  if (messages.length === 0) return;
  await sql`update messages m set status = 'queued', claimed_at = null, updated_at = ${now}
            from unnest(${messages.map((m) => m.id)}::bigint[], ${messages.map((m) => m.claimed_at.toISOString())}::timestamptz[]) as x(id, claimed_at)
            where m.id = x.id and m.status = 'sending' and m.claimed_at = x.claimed_at`;
}

function ownClaim(sql: Queryable, m: ClaimedMessage) {
  return sql`id = ${m.id} and status = 'sending' and claimed_at = ${m.claimed_at}`;
}

/**
 * Moves a claimed message on (`set`, the claim released) with its contact-log line, in one statement;
 * false when the claim was no longer this dispatcher's (nothing is written then).
 */
async function settleClaim(
  tx: TransactionSql,
  m: ClaimedMessage,
  set: ReturnType<TransactionSql['unsafe']>,
  now: Date,
  line: { event: ContactLogKind; channel: string; detail: Record<string, unknown> },
): Promise<boolean> {
  const rows = await tx`
    with moved as (
      update messages set ${set}, claimed_at = null, updated_at = ${now} where ${ownClaim(tx, m)} returning id, tenancy_ref, tenant_no
    ), logged as (${insertContactLogsFrom(tx, {
      at: now,
      from: tx`moved`,
      event: line.event,
      actor: 'rentline',
      channel: tx`${line.channel}::text`,
      messageId: tx`id`,
      detail: tx`${JSON.stringify(line.detail)}::text::jsonb`,
    })})
    select id from moved`;
  return rows.length > 0;
}

/** Held by the contact window or the frequency cap: back to the queue until `until`. */
export async function markHeld(
  tx: TransactionSql,
  m: ClaimedMessage,
  reason: string,
  until: Date,
  now: Date,
): Promise<boolean> {
  return settleClaim(tx, m, tx`status = 'queued', not_before = ${until}, blocked_reason = ${reason}`, now, {
    event: 'message_held',
    channel: m.channel,
    detail: { reason, until: until.toISOString() },
  });
}

export async function markBlocked(
  tx: TransactionSql,
  m: ClaimedMessage,
  reason: string,
  now: Date,
  errorCode: number | null = null,
): Promise<boolean> {
  return settleClaim(tx, m, tx`status = 'blocked', blocked_reason = ${reason}, error_code = ${errorCode}`, now, {
    event: 'message_blocked',
    channel: m.channel,
    detail: { reason, ...(errorCode ? { error_code: errorCode } : {}) },
  });
}

/** No Twilio credentials: the message passed its guards and is kept for the CLI, never dropped. */
export async function markKept(tx: TransactionSql, m: ClaimedMessage, route: Route, now: Date): Promise<boolean> {
  return settleClaim(tx, m, tx`status = 'kept', channel = ${route.channel}, blocked_reason = null`, now, {
    event: 'message_kept',
    channel: route.channel,
    detail: { reason: 'no_twilio_credentials' },
  });
}

/**
 * The message passed its guards and is about to go: record the channel and sender actually used, count
 * the attempt, and (for arrears) mark the tenant contacted now, so a concurrent arrears message meets the
 * frequency cap. Returns the previous mark, to restore if the send fails.
 */
export async function markCleared(
  tx: TransactionSql,
  m: ClaimedMessage,
  route: Route,
  now: Date,
): Promise<{ previousArrearsAt: Date | null } | null> {
  const rows =
    await tx`update messages set channel = ${route.channel}, from_address = ${route.from}, attempts = attempts + 1, updated_at = ${now}
                        where ${ownClaim(tx, m)} returning id`;
  if (rows.length === 0) return null;
  if (m.purpose !== 'arrears' || m.tenancy_ref === null) return { previousArrearsAt: null };
  const [tenant] = await tx<{ previous: Date | null }[]>`
    update tenants t set last_arrears_message_at = ${now}
    from (select last_arrears_message_at as previous from tenants where tenancy_ref = ${m.tenancy_ref} and tenant_no = ${m.tenant_no}) old
    where t.tenancy_ref = ${m.tenancy_ref} and t.tenant_no = ${m.tenant_no}
    returning old.previous`;
  return { previousArrearsAt: tenant?.previous ?? null };
}

/** Undoes markCleared's contact mark when the message did not go after all (unless something newer replaced it). */
export async function restoreArrearsMark(
  tx: Queryable,
  m: ClaimedMessage,
  marked: Date,
  previous: Date | null,
): Promise<void> {
  if (m.purpose !== 'arrears' || m.tenancy_ref === null) return;
  await tx`update tenants set last_arrears_message_at = ${previous}
           where tenancy_ref = ${m.tenancy_ref} and tenant_no = ${m.tenant_no} and last_arrears_message_at = ${marked}`;
}

/**
 * Twilio accepted the message. Also accepted when a reconciler has put the row back in the queue
 * meanwhile: recording the sid then stops it being sent twice. Applies any status callback that raced ahead.
 */
export async function recordSent(
  sql: Sql,
  m: ClaimedMessage,
  sent: { sid: string; status: string },
  now: Date,
  detail: Record<string, unknown> = {},
): Promise<boolean> {
  return sql.begin(async (tx) => {
    await lockTwilioSid(tx, sent.sid);
    const initial = SENT_STATUSES.includes(sent.status) ? sent.status : 'sent';
    const rows = await tx`
      update messages set status = ${initial}, twilio_sid = ${sent.sid}, sent_at = ${now}, claimed_at = null,
                          unconfirmed_since = null, blocked_reason = null, error_code = null, updated_at = ${now}
      where id = ${m.id} and ((status = 'sending' and claimed_at = ${m.claimed_at}) or (status = 'queued' and unconfirmed_since is not null))
      returning channel`;
    const row = rows[0];
    if (!row) return false;
    await appendLog(tx, {
      at: now,
      message: m,
      event: 'message_sent',
      channel: row.channel as string,
      detail: { sid: sent.sid, ...detail },
    });
    await applyStoredDeliveryStatus(tx, sent.sid, now);
    return true;
  });
}

export async function markFailed(
  tx: TransactionSql,
  m: ClaimedMessage,
  now: Date,
  errorCode: number | null,
  reason: string,
): Promise<boolean> {
  return settleClaim(tx, m, tx`status = 'failed', error_code = ${errorCode}, blocked_reason = ${reason}`, now, {
    event: 'message_failed',
    channel: m.channel,
    detail: { reason, ...(errorCode ? { error_code: errorCode } : {}) },
  });
}

/** A temporary failure: back to the queue after a backoff; `unconfirmed` when Twilio may have it anyway. */
export async function markRetry(
  tx: TransactionSql,
  m: ClaimedMessage,
  now: Date,
  notBefore: Date,
  errorCode: number | null,
  unconfirmed: boolean,
): Promise<boolean> {
  const rows = await tx`
    update messages set status = 'queued', not_before = ${notBefore}, error_code = ${errorCode}, claimed_at = null,
                        unconfirmed_since = ${unconfirmed ? tx`coalesce(unconfirmed_since, claimed_at)` : tx`unconfirmed_since`},
                        updated_at = ${now}
    where ${ownClaim(tx, m)} returning id`;
  return rows.length > 0;
}

/** Twilio 21610: the person texted STOP to our sender. Record the opt-out on that channel. */
export async function markOptedOut(
  tx: TransactionSql,
  m: ClaimedMessage,
  channel: OutboundChannel,
  now: Date,
): Promise<void> {
  if (m.tenancy_ref === null) return;
  const column = channel === 'whatsapp' ? tx`whatsapp_opted_out_at` : tx`sms_opted_out_at`;
  const rows = await tx`update tenants set ${column} = ${now}
                        where tenancy_ref = ${m.tenancy_ref} and tenant_no = ${m.tenant_no} and ${column} is null returning tenant_no`;
  if (rows.length > 0)
    await appendLog(tx, { at: now, message: m, event: 'opted_out', channel, detail: { source: 'twilio_error_21610' } });
}

/** Sids already recorded for this recipient, so a reconciliation never claims another message's sid. */
export async function knownSidsFor(sql: Queryable, toAddress: string, since: Date): Promise<string[]> {
  const rows = await sql<{ twilio_sid: string }[]>`
    select twilio_sid from messages
    where direction = 'outbound' and to_address = ${toAddress} and twilio_sid is not null and sent_at >= ${since}`;
  return rows.map((r) => r.twilio_sid);
}

/**
 * The demo simulator's "send held texts now": the held texts of tenancies whose ref starts `prefix` become
 * due at once and the dispatcher is woken. Their ids are returned, so the caller can say which texts may
 * skip the contact window; every other guard is checked again as they go.
 */
export async function releaseHeldMessages(
  sql: Sql,
  options: { tenancyRefPrefix: string; now: Date },
): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    update messages set not_before = ${options.now}, updated_at = ${options.now}
    where direction = 'outbound' and status = 'queued' and not_before > ${options.now} and starts_with(tenancy_ref, ${options.tenancyRefPrefix})
    returning id::int as id`;
  if (rows.length > 0) await sql`select pg_notify(${OUTBOX_CHANNEL}, '')`;
  return rows.map((r) => r.id);
}
