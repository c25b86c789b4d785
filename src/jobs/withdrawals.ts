// Outreach that must stop before it goes: open arrears and arrangement conversations of tenancies where a
// tenant has entered Breathing Space (every tenant of the tenancy) are closed (so their timers send nothing more) and their queued texts withdrawn,
// at once rather than when the dispatcher next meets them; and a queued rent reminder is withdrawn once
// its due date has come. Set-based updates; only rows no dispatcher has claimed (status `queued`).
import type { Queryable } from '../db/connect.js';
import { endConversations } from '../db/queries/conversations.js';
import { tenancyInBreathingSpaceSql } from '../rent/holds-sql.js';

/** The tenancy of tenant row `t` is in Breathing Space (any of its tenants): the rule's SQL twin. */
const IN_BREATHING_SPACE = (today: string) => tenancyInBreathingSpaceSql('t.tenancy_ref', today);

/** Closes arrears/arrangement conversations and withdraws queued arrears texts of tenants in Breathing Space. */
export async function stopOutreachInBreathingSpace(
  sql: Queryable,
  now: Date,
  today: string,
): Promise<{ conversations: number; messages: number }> {
  const held = sql`
    select c.id from conversations c join tenants t on t.tenancy_ref = c.tenancy_ref and t.tenant_no = c.tenant_no
    where c.status = 'active' and c.purpose in ('arrears', 'arrangement') and ${sql.unsafe(IN_BREATHING_SPACE(today))}`;
  const conversations = await endConversations(sql, held, 'breathing_space', now);
  const messages = await sql.unsafe(
    `with withdrawn as (
       update messages m set status = 'blocked', blocked_reason = 'breathing_space', updated_at = $1
       from tenants t
       where m.tenancy_ref = t.tenancy_ref and m.tenant_no = t.tenant_no and m.direction = 'outbound'
         and m.status = 'queued' and m.purpose in ('arrears', 'arrangement') and ${IN_BREATHING_SPACE(today)}
       returning m.id, m.tenancy_ref, m.tenant_no, m.channel)
     insert into contact_log (at, tenancy_ref, tenant_no, event, actor, channel, message_id, detail)
     select $1, tenancy_ref, tenant_no, 'message_blocked', 'rentline', channel, id, '{"reason":"breathing_space","by":"job"}'::jsonb
     from withdrawn returning id`,
    [now],
  );
  return { conversations, messages: messages.length };
}

/** Withdraws queued reminders whose due date has come: a reminder is never sent on or after its due date. */
export async function withdrawStaleReminders(sql: Queryable, now: Date, today: string): Promise<number> {
  const rows = await sql`
    with withdrawn as (
      update messages m set status = 'blocked', blocked_reason = 'reminder_due_date_passed', updated_at = ${now}
      from reminders_sent r
      where m.conversation_id = r.conversation_id and m.direction = 'outbound' and m.status = 'queued'
        and m.purpose = 'reminder' and r.due_date <= ${today}
      returning m.id, m.tenancy_ref, m.tenant_no, m.channel)
    insert into contact_log (at, tenancy_ref, tenant_no, event, actor, channel, message_id, detail)
    select ${now}, tenancy_ref, tenant_no, 'message_blocked', 'rentline', channel, id, '{"reason":"reminder_due_date_passed"}'::jsonb
    from withdrawn returning id`;
  return rows.length;
}
