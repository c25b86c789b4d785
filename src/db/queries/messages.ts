// The outbound side of the `messages` aggregate: the one writer of outbound rows. One text (a webhook's
// reply, an officer's words) and a batch (the daily job's 50,000 openers, an inbound micro-batch) go
// through the same set-based insert, so the fast path and the simple path cannot disagree. Each row
// carries the contact rule's queue-time verdict: `queued` (with not_before when it must wait) or `blocked`
// (kept as evidence, never sent).
import { arrayParam } from '../params.js';
import type postgres from 'postgres';
import type { Queryable } from '../connect.js';
import { insertContactLogsFrom } from './contact-log.js';
import type { Channel } from '../../rent/types.js';

type AnySql = Queryable | postgres.ReservedSql;

export interface OutboundRow {
  tenancyRef: string | null;
  tenantNo: number | null;
  conversationId: number | null;
  channel: Channel;
  /** E.164, without any `whatsapp:` prefix. */
  to: string;
  body: string;
  purpose: string;
  templateKey?: string | null;
  templateVariables?: Record<string, string> | null;
  notBefore?: Date | null;
  blockedReason?: string | null;
}

/**
 * The INSERT of outbound rows, for a writer's own CTE (`queued as (${insertOutbound(...)})`): rows in
 * input order (ids drawn in insertion order), returning id, tenancy_ref, tenant_no, conversation_id,
 * channel, purpose, blocked_reason.
 */
export function insertOutbound(tx: AnySql, rows: readonly OutboundRow[], now: Date) {
  return tx`
    insert into messages (direction, tenancy_ref, tenant_no, conversation_id, channel, to_address, body, purpose,
                          template_key, template_variables, status, not_before, blocked_reason, created_at, updated_at)
    select 'outbound', m.tenancy_ref, m.tenant_no, m.conversation_id, m.channel, m.to_address, m.body, m.purpose,
           m.template_key, m.template_variables, case when m.blocked_reason is null then 'queued' else 'blocked' end, m.not_before,
           m.blocked_reason, ${now}::timestamptz, ${now}::timestamptz
    from unnest(${arrayParam(
      tx,
      rows.map((r) => r.tenancyRef),
    )}::text[], ${arrayParam(
      tx,
      rows.map((r) => r.tenantNo),
    )}::smallint[],
                ${arrayParam(
                  tx,
                  rows.map((r) => r.conversationId),
                )}::bigint[], ${rows.map((r) => r.channel)}::text[],
                ${rows.map((r) => r.to)}::text[], ${rows.map((r) => r.body)}::text[], ${rows.map((r) => r.purpose)}::text[],
                ${arrayParam(
                  tx,
                  rows.map((r) => r.templateKey ?? null),
                )}::text[],
                ${arrayParam(
                  tx,
                  rows.map((r) => (r.templateVariables ? JSON.stringify(r.templateVariables) : null)),
                )}::jsonb[],
                ${arrayParam(
                  tx,
                  rows.map((r) => r.notBefore?.toISOString() ?? null),
                )}::timestamptz[],
                ${arrayParam(
                  tx,
                  rows.map((r) => r.blockedReason ?? null),
                )}::text[])
      with ordinality as m(tenancy_ref, tenant_no, conversation_id, channel, to_address, body, purpose, template_key, template_variables, not_before, blocked_reason, ord)
    order by m.ord
    returning id, tenancy_ref, tenant_no, conversation_id, channel, purpose, blocked_reason`;
}

/**
 * Writes the rows with their contact-log lines (`message_queued`, or `message_blocked` with the reason)
 * and one NOTIFY that wakes the dispatcher at commit, in ONE statement; returns the ids in input order.
 */
export async function writeOutbound(
  tx: AnySql,
  channel: string,
  rows: readonly OutboundRow[],
  now: Date,
): Promise<{ id: number; conversation_id: number | null }[]> {
  if (rows.length === 0) return [];
  return tx<{ id: number; conversation_id: number | null }[]>`
    with queued as (${insertOutbound(tx, rows, now)}), logged as (${insertContactLogsFrom(tx, {
      at: now,
      from: tx`queued`,
      event: { when: tx`blocked_reason is null`, then: 'message_queued', otherwise: 'message_blocked' },
      actor: 'rentline',
      channel: tx`channel`,
      messageId: tx`id`,
      detail: tx`case when blocked_reason is null then jsonb_build_object('purpose', purpose)
                      else jsonb_build_object('purpose', purpose, 'reason', blocked_reason, 'by', 'queue') end`,
      orderBy: tx`id`,
    })}), woken as (
      select pg_notify(${channel}, '') from queued limit 1
    )
    select q.id::int as id, q.conversation_id::int as conversation_id from queued q left join woken on true order by q.id`;
}
