// Ending conversations that no tenant text or timer is stepping (they expired, or a hold stopped their
// outreach): one statement, the same for every such end. The session is marked ended with no timer, its
// timers are spent (they never fire), and each end is logged (`conversation_ended` with its outcome).
// A conversation the engine ends itself is saved with its session, through the same columns.
import type { Queryable } from '../connect.js';
import { insertContactLogsFrom } from './contact-log.js';

type Fragment = ReturnType<Queryable['unsafe']>;

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
