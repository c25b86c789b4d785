// Delivery statuses from Twilio's callbacks. Every callback is stored once (sid + status); a message's
// status only ever moves FORWARD (queued < sending < sent < delivered/undelivered/failed < read), because
// callbacks arrive late, twice, and out of order. A callback can even beat the dispatcher's own record of
// the send: it is kept, and applied when the dispatcher records the sid.
import type { Queryable, TransactionSql } from '../db/connect.js';
import { appendContactLog } from '../db/queries/contact-log.js';

const RANK: Record<string, number> = {
  accepted: 0,
  scheduled: 0,
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
  canceled: 3,
  read: 4,
};

/** Position in the delivery order; -1 for statuses that never move a message (unknown ones). */
export function deliveryRank(status: string): number {
  return RANK[status] ?? -1;
}

export function isForwardMove(current: string, next: string): boolean {
  const to = deliveryRank(next);
  return to >= 0 && to > deliveryRank(current);
}

/** Serialises the dispatcher recording a sid with callbacks for that sid (see recordSent). */
export async function lockTwilioSid(tx: TransactionSql, sid: string): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtextextended(${`twilio_sid:${sid}`}, 0))`;
}

export type StatusEventOutcome = 'applied' | 'duplicate' | 'stale' | 'unknown_message';

interface OutboundRow {
  id: number;
  status: string;
  tenancy_ref: string | null;
  tenant_no: number | null;
  channel: string;
}

async function moveForward(
  tx: Queryable,
  message: OutboundRow,
  status: string,
  errorCode: number | null,
  now: Date,
): Promise<boolean> {
  if (!isForwardMove(message.status, status)) return false;
  await tx`update messages set status = ${status}, error_code = coalesce(${errorCode}, error_code), updated_at = ${now} where id = ${message.id}`;
  await appendContactLog(tx, {
    at: now,
    tenancyRef: message.tenancy_ref,
    tenantNo: message.tenant_no,
    event: 'message_status',
    actor: 'twilio',
    channel: message.channel,
    messageId: message.id,
    detail: { status, ...(errorCode ? { error_code: errorCode } : {}) },
  });
  return true;
}

async function outboundBySid(tx: Queryable, sid: string): Promise<OutboundRow | undefined> {
  const [row] = await tx<OutboundRow[]>`
    select id::int as id, status, tenancy_ref, tenant_no, channel from messages
    where twilio_sid = ${sid} and direction = 'outbound' for update`;
  return row;
}

/** Stores one status callback and moves its message forward if it is news. */
export async function recordStatusEvent(
  tx: TransactionSql,
  event: { sid: string; status: string; errorCode: number | null; now: Date },
): Promise<StatusEventOutcome> {
  await lockTwilioSid(tx, event.sid);
  const inserted = await tx`
    insert into message_status_events (twilio_sid, status, error_code, received_at)
    values (${event.sid}, ${event.status}, ${event.errorCode}, ${event.now})
    on conflict (twilio_sid, status) do nothing returning id`;
  if (inserted.length === 0) return 'duplicate';
  const message = await outboundBySid(tx, event.sid);
  if (!message) return 'unknown_message';
  return (await moveForward(tx, message, event.status, event.errorCode, event.now)) ? 'applied' : 'stale';
}

/** After the dispatcher records a sid: apply the furthest callback that arrived before it did. */
export async function applyStoredDeliveryStatus(tx: TransactionSql, sid: string, now: Date): Promise<void> {
  const events = await tx<{ status: string; error_code: number | null }[]>`
    select status, error_code from message_status_events where twilio_sid = ${sid}`;
  if (events.length === 0) return;
  const furthest = events.reduce((best, e) => (deliveryRank(e.status) > deliveryRank(best.status) ? e : best));
  const message = await outboundBySid(tx, sid);
  if (message) await moveForward(tx, message, furthest.status, furthest.error_code, now);
}
