// Outreach that must stop before it goes: open arrears and arrangement conversations of tenancies where a
// tenant has entered Breathing Space (every tenant of the tenancy) are closed (so their timers send nothing more) and their queued texts withdrawn,
// at once rather than when the dispatcher next meets them; and a queued rent reminder is withdrawn once
// its due date has come. Set-based updates; only rows no dispatcher has claimed (status `queued`).
import type { Queryable } from '../db/connect.js';
import { insertContactLogsFrom } from '../db/queries/contact-log.js';
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
  const messages = await sql`
    with withdrawn as (
      update messages m set status = 'blocked', blocked_reason = 'breathing_space', updated_at = ${now}
      from tenants t
      where m.tenancy_ref = t.tenancy_ref and m.tenant_no = t.tenant_no and m.direction = 'outbound'
        and m.status = 'queued' and m.purpose in ('arrears', 'arrangement') and ${sql.unsafe(IN_BREATHING_SPACE(today))}
      returning m.id, m.tenancy_ref, m.tenant_no, m.channel)
    ${withdrawnLogged(sql, now, { reason: 'breathing_space', by: 'job' })}`;
  return { conversations, messages: messages.length };
}

/** A `message_blocked` line for each message of the statement's `withdrawn` rows. */
function withdrawnLogged(sql: Queryable, now: Date, detail: Record<string, string>) {
  return insertContactLogsFrom(sql, {
    at: now,
    from: sql`withdrawn`,
    event: 'message_blocked',
    actor: 'rentline',
    channel: sql`channel`,
    messageId: sql`id`,
    detail: sql`${JSON.stringify(detail)}::text::jsonb`,
  });
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
    ${withdrawnLogged(sql, now, { reason: 'reminder_due_date_passed' })}`;
  return rows.length;
}
