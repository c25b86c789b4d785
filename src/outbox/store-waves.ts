// The outbox writes of a wave (messages decided and sent together, see dispatcher.ts), set-based: the
// "about to send" mark of every message that passed its guards in one statement, and the sends Twilio
// accepted recorded in one transaction. Each row's write is conditional on its claim exactly as the
// one-message writers in store.ts are, and writes the same columns and contact-log lines.
import type { Sql, TransactionSql } from '../db/connect.js';
import { insertContactLogsFrom } from '../db/queries/contact-log.js';
import { applyStoredDeliveryStatus } from './delivery-status.js';
import type { Route } from './routing.js';
import type { ClaimedMessage } from './store.js';

const SENT_STATUSES = ['sent', 'delivered', 'undelivered', 'read'];

/**
 * markCleared for many messages: channel and sender recorded, the attempt counted, and for arrears the
 * tenants marked contacted now. Returns, for each message still this dispatcher's, the tenant's previous
 * arrears mark (null when none, or not an arrears message), to restore if its send fails; a message
 * missing from the map was taken over by another dispatcher.
 */
export async function markClearedMany(
  tx: TransactionSql,
  items: readonly { m: ClaimedMessage; route: Route }[],
  now: Date,
): Promise<Map<number, { previousArrearsAt: Date | null }>> {
  const cleared = new Map<number, { previousArrearsAt: Date | null }>();
  if (items.length === 0) return cleared;
  const rows = await tx<{ id: number }[]>`
    update messages m set channel = x.channel, from_address = x.from_address, attempts = m.attempts + 1, updated_at = ${now}
    from unnest(${items.map((i) => i.m.id)}::bigint[], ${items.map((i) => i.m.claimed_at.toISOString())}::timestamptz[],
                ${items.map((i) => i.route.channel)}::text[], ${items.map((i) => i.route.from)}::text[])
         as x(id, claimed_at, channel, from_address)
    where m.id = x.id and m.status = 'sending' and m.claimed_at = x.claimed_at
    returning m.id::int as id`;
  for (const row of rows) cleared.set(row.id, { previousArrearsAt: null });
  const arrears = items.filter((i) => cleared.has(i.m.id) && i.m.purpose === 'arrears' && i.m.tenancy_ref !== null);
  if (arrears.length === 0) return cleared;
  // One message per tenant in a wave (the claim takes only a tenant's earliest), so each tenant is marked once.
  const marked = await tx<{ tenancy_ref: string; tenant_no: number; previous: Date | null }[]>`
    update tenants t set last_arrears_message_at = ${now}
    from (select o.tenancy_ref, o.tenant_no, o.last_arrears_message_at as previous
          from tenants o
          join unnest(${arrears.map((i) => i.m.tenancy_ref as string)}::text[], ${arrears.map((i) => i.m.tenant_no as number)}::int[])
               as x(tenancy_ref, tenant_no) on o.tenancy_ref = x.tenancy_ref and o.tenant_no = x.tenant_no) old
    where t.tenancy_ref = old.tenancy_ref and t.tenant_no = old.tenant_no
    returning t.tenancy_ref, t.tenant_no::int as tenant_no, old.previous`;
  const previous = new Map(marked.map((r) => [`${r.tenancy_ref}\u0000${r.tenant_no}`, r.previous]));
  for (const i of arrears)
    cleared.set(i.m.id, { previousArrearsAt: previous.get(`${i.m.tenancy_ref}\u0000${i.m.tenant_no}`) ?? null });
  return cleared;
}

export interface SentInWave {
  m: ClaimedMessage;
  sent: { sid: string; status: string };
  detail: Record<string, unknown>;
}

/**
 * recordSent for many accepted sends, in one transaction: each sid's lock (the one status callbacks take,
 * in key order so two writers never deadlock), the rows moved to sent with their contact-log lines in one
 * statement, then any status callback that raced ahead applied. Returns the ids recorded; a message
 * missing was taken over by another dispatcher. As recordSent, also accepted when a reconciler has put
 * the row back in the queue meanwhile: recording the sid then stops it being sent twice.
 */
export async function recordSentMany(sql: Sql, items: readonly SentInWave[], now: Date): Promise<Set<number>> {
  if (items.length === 0) return new Set();
  const sids = items.map((i) => i.sent.sid);
  return sql.begin(async (tx) => {
    const locked = tx`
      select pg_advisory_xact_lock(k.key)
      from (select distinct hashtextextended('twilio_sid:' || s, 0) as key from unnest(${sids}::text[]) as s order by 1) as k`;
    const moved = tx<{ id: number }[]>`
      with moved as (
        update messages m set status = x.status, twilio_sid = x.sid, sent_at = ${now}, claimed_at = null,
                              unconfirmed_since = null, blocked_reason = null, error_code = null, updated_at = ${now}
        from unnest(${items.map((i) => i.m.id)}::bigint[], ${items.map((i) => i.m.claimed_at.toISOString())}::timestamptz[], ${sids}::text[],
                    ${items.map((i) => (SENT_STATUSES.includes(i.sent.status) ? i.sent.status : 'sent'))}::text[],
                    ${items.map((i) => JSON.stringify({ sid: i.sent.sid, ...i.detail }))}::text[])
             as x(id, claimed_at, sid, status, detail)
        where m.id = x.id
          and ((m.status = 'sending' and m.claimed_at = x.claimed_at) or (m.status = 'queued' and m.unconfirmed_since is not null))
        returning m.id, m.tenancy_ref, m.tenant_no, m.channel, x.detail
      ), logged as (${insertContactLogsFrom(tx, {
        at: now,
        from: tx`moved`,
        event: 'message_sent',
        actor: 'rentline',
        channel: tx`channel`,
        messageId: tx`id`,
        detail: tx`detail::jsonb`,
      })})
      select id::int as id from moved`;
    // Usually none: a callback arrives after its send is recorded.
    const early = tx<{ twilio_sid: string }[]>`
      select distinct twilio_sid from message_status_events where twilio_sid = any(${sids}::text[])`;
    // Pipelined: the locks are taken first, on the same connection, before the update runs.
    const [, rows, raced] = await Promise.all([locked, moved, early]);
    for (const { twilio_sid } of raced) await applyStoredDeliveryStatus(tx, twilio_sid, now);
    return new Set(rows.map((r) => r.id));
  });
}
