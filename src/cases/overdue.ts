// An urgent hand-off that no officer has picked up (decided, taken over or dealt with) within 4 working
// hours is raised again, marked overdue: its card is re-rendered with OVERDUE in the header, and the
// contact log records it. Once per hand-off. Run by the timeouts job (every few minutes).
import type { Queryable } from '../db/connect.js';
import { insertContactLogsFrom } from '../db/queries/contact-log.js';
import { markEscalationsOverdue } from '../db/queries/escalations.js';
import type { Policy } from '../rent/policy.js';
import { URGENT_PICK_UP_WORKING_HOURS, addWorkingHours } from '../rent/working-hours.js';

/** Marks the overdue urgent hand-offs at `now`; returns how many were raised again. */
export async function raiseOverdueHandOffs(sql: Queryable, policy: Policy, now: Date): Promise<number> {
  // Four working hours are at least four hours: only older hand-offs can be overdue.
  const candidates = await sql<{ id: number; created_at: Date }[]>`
    select e.id::int as id, e.created_at from escalations e
    where e.status = 'pending' and e.urgency = 'urgent' and e.overdue_at is null
      and e.created_at <= ${new Date(now.getTime() - URGENT_PICK_UP_WORKING_HOURS * 3_600_000)}
      and not exists (select 1 from slack_takeovers t where t.escalation_id = e.id and t.ended_at is null)`;
  const overdue = candidates
    .filter((c) => addWorkingHours(c.created_at, URGENT_PICK_UP_WORKING_HOURS, policy) <= now)
    .map((c) => c.id);
  if (overdue.length === 0) return 0;
  const rows = await sql`
    with marked as (${markEscalationsOverdue(sql, overdue, now)}), cards as (
      insert into slack_outbox (kind, escalation_id, created_at) select 'update_card', id, ${now}::timestamptz from marked
    ), logged as (${insertContactLogsFrom(sql, {
      at: now,
      from: sql`marked`,
      event: 'hand_off_overdue',
      actor: 'rentline',
      escalationId: sql`id`,
      detail: sql`jsonb_build_object('reason', reason, 'workingHours', ${URGENT_PICK_UP_WORKING_HOURS}::int)`,
    })})
    select id, pg_notify('rentline_slack', '') from marked`;
  return rows.length;
}
