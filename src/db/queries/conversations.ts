// Ending conversations that no tenant text or timer is stepping (they expired, or a hold stopped their
// outreach): one statement, the same for every such end. The session is marked ended with no timer, its
// timers are spent (they never fire), and each end is logged (`conversation_ended` with its outcome).
// A conversation the engine ends itself is saved with its session, through the same columns.
import type { Queryable } from '../connect.js';
import { insertContactLogsFrom } from './contact-log.js';

type Fragment = ReturnType<Queryable['unsafe']>;

/**
 * Draws `count` conversation ids from the table's identity, in order, for rows inserted later in the same
 * transaction (the daily job's once-keys name their conversation when they are claimed). An id drawn and not
 * used leaves a gap, as a rolled-back insert does.
 */
export async function drawConversationIds(sql: Queryable, count: number): Promise<number[]> {
  if (count === 0) return [];
  const rows = await sql<{ id: number }[]>`
    select nextval(pg_get_serial_sequence('conversations', 'id'))::int as id from generate_series(1, ${count}::int) order by 1`;
  return rows.map((r) => r.id);
}

/**
 * Ends the active conversations whose ids `which` selects (a subquery fragment returning one id column);
 * returns how many ended. Taken-over conversations are never ended here: an officer is writing.
 */
export async function endConversations(sql: Queryable, which: Fragment, outcome: string, now: Date): Promise<number> {
  const rows = await sql`
    with ended as (
      update conversations c set status = 'ended', ended_at = ${now}, updated_at = ${now},
        session = jsonb_set(jsonb_set(c.session, '{status}', '"ended"'), '{timerId}', 'null')
      where c.status = 'active' and c.taken_over_by is null and c.id in (${which})
      returning c.id, c.tenancy_ref, c.tenant_no, c.channel
    ), timers as (
      update conversation_timers set fired_at = ${now} where fired_at is null and conversation_id in (select id from ended)
    )
    ${insertContactLogsFrom(sql, {
      at: now,
      from: sql`ended`,
      event: 'conversation_ended',
      actor: 'rentline',
      channel: sql`channel`,
      detail: sql`jsonb_build_object('outcome', ${outcome}::text, 'conversationId', id)`,
    })}`;
  return rows.length;
}
