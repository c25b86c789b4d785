// No hold is silent: a tenancy whose arrears would have been texted but is held (vulnerable, Breathing
// Space, do-not-contact, opted out, no textable number, a dispute, an open crisis) becomes an officer task
// (an escalation with reason `held_contact`, whose card goes to Slack), once per arrears episode, and the
// skip is logged in the contact log as evidence. Set-based: one statement for a whole sweep batch.
import type { Queryable } from '../db/connect.js';
import { heldReminderLogged, insertContactLogsFrom } from '../db/queries/contact-log.js';
import { insertEscalations } from '../db/queries/escalations.js';

export interface HeldContact {
  tenancyRef: string;
  episodeId: number;
  /** Each held tenant with the rule's reason. */
  tenants: { tenantNo: number; reason: string }[];
}

const WHY: Record<string, string> = {
  vulnerable: 'marked vulnerable',
  breathing_space: 'in Breathing Space',
  breathing_space_mental_health: 'in a mental health crisis Breathing Space',
  do_not_contact: 'flagged do-not-contact',
  opted_out: 'opted out of texts',
  not_textable: 'without a textable mobile number',
  dispute: 'disputing the balance',
  crisis: 'under an open crisis hand-off',
};

function heldContactSummary(held: HeldContact): string {
  const who = held.tenants
    .map((t) => `tenant ${t.tenantNo} ${WHY[t.reason] ?? t.reason.replace(/_/g, ' ')}`)
    .join('; ');
  return `Arrears would have been texted, but contact is held (${who}). Please make the early contact yourself (call, visit or letter).`;
}

/** Raises the tasks not yet raised this episode; returns how many were raised. */
export async function raiseHeldContactTasks(sql: Queryable, items: readonly HeldContact[], now: Date): Promise<number> {
  if (items.length === 0) return 0;
  const tasks = items.map((i) => ({
    tenancyRef: i.tenancyRef,
    tenantNo: i.tenants[0]?.tenantNo ?? 1,
    arrearsEpisodeId: i.episodeId,
    reason: 'held_contact' as const,
    urgency: 'normal' as const,
    summary: heldContactSummary(i),
  }));
  // One `contact_held` line per held tenant, for each task raised (a task raised before logs nothing again).
  const rows = await sql<{ id: number }[]>`
    with raised as (${insertEscalations(sql, tasks, now)}),
    held as (
      select * from unnest(${items.map((i) => i.episodeId)}::bigint[], ${sql.array(items.map((i) => JSON.stringify(i.tenants)))}::jsonb[]) as h(episode_id, tenants)
    ), logged as (${insertContactLogsFrom(sql, {
      at: now,
      from: sql`raised r join held h on h.episode_id = r.arrears_episode_id cross join lateral jsonb_array_elements(h.tenants) as t`,
      event: 'contact_held',
      actor: 'rentline',
      tenancyRef: sql`r.tenancy_ref`,
      tenantNo: sql`(t->>'tenantNo')::smallint`,
      escalationId: sql`r.id`,
      detail: sql`jsonb_build_object('reason', t->>'reason', 'purpose', 'arrears', 'episodeId', r.arrears_episode_id)`,
    })})
    select id::int as id from raised`;
  return rows.length;
}

export interface HeldReminder {
  tenancyRef: string;
  tenantNo: number;
  dueDate: string;
  reason: string;
}

/**
 * Evidence of a rent reminder a hold stopped: one `contact_held` line per tenant and due date, however
 * often the job runs (the reminder is not used up: it goes at a later run if the hold lifts in time).
 */
export async function logHeldReminders(sql: Queryable, items: readonly HeldReminder[], now: Date): Promise<number> {
  if (items.length === 0) return 0;
  const rows = await insertContactLogsFrom(sql, {
    at: now,
    from: sql`
      unnest(${items.map((i) => i.tenancyRef)}::text[], ${items.map((i) => i.tenantNo)}::smallint[],
             ${items.map((i) => i.dueDate)}::text[], ${items.map((i) => i.reason)}::text[]) as h(ref, tenant_no, due_date, reason)
      where not ${heldReminderLogged(sql, { tenancyRef: sql`h.ref`, tenantNo: sql`h.tenant_no`, dueDate: sql`h.due_date` })}`,
    event: 'contact_held',
    actor: 'rentline',
    tenancyRef: sql`h.ref`,
    tenantNo: sql`h.tenant_no`,
    detail: sql`jsonb_build_object('reason', h.reason, 'purpose', 'reminder', 'dueDate', h.due_date)`,
  });
  return rows.length;
}
