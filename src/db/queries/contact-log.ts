// The `contact_log` aggregate: the one writer of contact-log lines, the evidence of every contact with a
// tenant (docs/rules.md). Lines are appended, never changed (a trigger refuses updates and deletes). Two
// set-based forms serve one line and a batch alike: lines given in full (`appendContactLogs`, or
// `insertContactLogs` inside a writer's own CTE), and one line per row of a CTE the same statement wrote
// (`insertContactLogsFrom`: the messages a job withdrew, the escalations a sweep marked), so a state change
// and its evidence stay one statement. The kinds of line are the vocabulary below; nothing else is logged.
import type postgres from 'postgres';
import type { Queryable } from '../connect.js';

type AnySql = Queryable | postgres.ReservedSql;
type Fragment = postgres.PendingQuery<postgres.Row[]>;

/** Every kind of contact-log line (`contact_log.event`). Readers (evidence, KPIs, the worklist) match these. */
export const CONTACT_LOG_KINDS = [
  // Texts, in and out (the outbox and Twilio's status callbacks).
  'message_received',
  'message_from_unknown_number',
  'message_queued',
  'message_held',
  'message_blocked',
  'message_kept',
  'message_sent',
  'message_failed',
  'message_status',
  // What a tenant's conversation recorded.
  'conversation_ended',
  'identity_verified',
  'offer_recorded',
  'counter_offer_accepted',
  'counter_offer_declined',
  'balance_disputed',
  'opted_out',
  'opted_in',
  'benefit_help_offered',
  'rent_statement_sent',
  'affordability_assessed',
  'affordability_check_texted',
  // Hand-offs to officers and holds.
  'escalated',
  'contact_held',
  'automated_replies_paused',
  'hand_off_overdue',
  'crisis_resolved',
  'vulnerability_marked',
  'vulnerability_cleared',
  'dispute_cleared',
  'benefit_claim_pending',
  'benefit_claim_cleared',
  // Officers' decisions and their own contact.
  'officer_accepted',
  'officer_countered',
  'officer_referred',
  'officer_took_over',
  'officer_handed_back',
  'officer_texted_tenant',
  'contact_call',
  'contact_visit',
  'contact_letter',
  'contact_email',
  // Arrangements and the legal case.
  'arrangement_kept',
  'arrangement_broken',
  'arrangement_completed',
  'legal_notice_served',
  'legal_claim_issued',
  'legal_hearing',
  'legal_order_outright',
  'legal_order_suspended',
  'legal_warrant',
  'legal_evicted',
  'legal_order_breached',
  'legal_order_completed',
] as const;
export type ContactLogKind = (typeof CONTACT_LOG_KINDS)[number];

/** One line given in full. */
export interface LogEntry {
  at: Date;
  tenancyRef: string | null;
  tenantNo: number | null;
  event: ContactLogKind;
  /** Who acted: `rentline`, `tenant`, `twilio`, `officer:U123`, `cli:Sam`, `api:Sam`. */
  actor: string;
  channel?: string | null;
  messageId?: number | null;
  escalationId?: number | null;
  detail?: Record<string, unknown>;
}

/** The INSERT of lines given in full, in input order, returning each line's id (usable as a CTE). */
export function insertContactLogs(sql: AnySql, entries: readonly LogEntry[]) {
  return sql<{ id: number }[]>`
    insert into contact_log (at, tenancy_ref, tenant_no, event, actor, channel, message_id, escalation_id, detail)
    select l.at, l.tenancy_ref, l.tenant_no, l.event, l.actor, l.channel, l.message_id, l.escalation_id, l.detail
    from unnest(
      ${sql.array(entries.map((e) => e.at.toISOString()))}::timestamptz[], ${sql.array(entries.map((e) => e.tenancyRef))}::text[],
      ${sql.array(entries.map((e) => e.tenantNo))}::smallint[], ${entries.map((e) => e.event)}::text[],
      ${entries.map((e) => e.actor)}::text[], ${sql.array(entries.map((e) => e.channel ?? null))}::text[],
      ${sql.array(entries.map((e) => e.messageId ?? null))}::bigint[],
      ${sql.array(entries.map((e) => e.escalationId ?? null))}::bigint[],
      ${sql.array(entries.map((e) => JSON.stringify(e.detail ?? {})))}::jsonb[])
      with ordinality as l(at, tenancy_ref, tenant_no, event, actor, channel, message_id, escalation_id, detail, ord)
    order by l.ord
    returning id::int as id`;
}

/** Appends the lines in one statement (a step often logs two or three things; a job thousands). */
export async function appendContactLogs(sql: AnySql, entries: readonly LogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await insertContactLogs(sql, entries);
}

export async function appendContactLog(sql: AnySql, entry: LogEntry): Promise<void> {
  await appendContactLogs(sql, [entry]);
}

/** A line's kind chosen per row: `when` true gives `then`, otherwise `otherwise`. */
export interface KindChoice {
  when: Fragment;
  then: ContactLogKind;
  otherwise: ContactLogKind;
}

/**
 * One line per row of `from`: a CTE of the enclosing statement, or a from-list (and its where clause). Each column
 * is an expression over those rows; tenancy_ref and tenant_no default to the rows' own columns, the rest
 * to null (detail to `{}`). `event` is one kind, a choice of two, or a column whose kinds the caller typed.
 */
export interface LinesFrom {
  at: Date;
  from: Fragment;
  event: ContactLogKind | KindChoice | { column: Fragment };
  actor: string | { column: Fragment };
  tenancyRef?: Fragment;
  tenantNo?: Fragment;
  channel?: Fragment;
  messageId?: Fragment;
  escalationId?: Fragment;
  detail?: Fragment;
  orderBy?: Fragment;
}

/** The INSERT of one line per row of `lines.from`, returning each line's id (usable as a CTE). */
export function insertContactLogsFrom(sql: AnySql, lines: LinesFrom) {
  const event =
    typeof lines.event === 'string'
      ? sql`${lines.event}::text`
      : 'column' in lines.event
        ? lines.event.column
        : sql`case when ${lines.event.when} then ${lines.event.then}::text else ${lines.event.otherwise}::text end`;
  const actor = typeof lines.actor === 'string' ? sql`${lines.actor}::text` : lines.actor.column;
  return sql<{ id: number }[]>`
    insert into contact_log (at, tenancy_ref, tenant_no, event, actor, channel, message_id, escalation_id, detail)
    select ${lines.at}::timestamptz, ${lines.tenancyRef ?? sql`tenancy_ref`}, ${lines.tenantNo ?? sql`tenant_no`}, ${event}, ${actor},
           ${lines.channel ?? sql`null::text`}, ${lines.messageId ?? sql`null::bigint`}, ${lines.escalationId ?? sql`null::bigint`},
           ${lines.detail ?? sql`'{}'::jsonb`}
    from ${lines.from}
    ${lines.orderBy ? sql`order by ${lines.orderBy}` : sql``}
    returning id::int as id`;
}
