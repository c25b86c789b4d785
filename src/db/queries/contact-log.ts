// The `contact_log` aggregate: the one writer of contact-log lines, the evidence of every contact with a
// tenant (docs/rules.md). Lines are appended, never changed (a trigger refuses updates and deletes). Two
// set-based forms serve one line and a batch alike: lines given in full (`appendContactLogs`, or
// `insertContactLogs` inside a writer's own CTE), and one line per row of a CTE the same statement wrote
// (`insertContactLogsFrom`: the messages a job withdrew, the escalations a sweep marked), so a state change
// and its evidence stay one statement. The kinds of line are the vocabulary below; nothing else is logged.
import type postgres from 'postgres';
import type { Queryable } from '../connect.js';
import { OFFICER_CONTACT_EVENTS } from '../../rent/protocol.js';

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
interface KindChoice {
  when: Fragment;
  then: ContactLogKind;
  otherwise: ContactLogKind;
}

/**
 * One line per row of `from`: a CTE of the enclosing statement, or a from-list (and its where clause). Each column
 * is an expression over those rows; tenancy_ref and tenant_no default to the rows' own columns, the rest
 * to null (detail to `{}`). `event` is one kind, a choice of two, or a column whose kinds the caller typed.
 */
interface LinesFrom {
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

// Reads. Every read of the log is here, by what it asks, so a reader never depends on the table's columns.

/** A tenancy's line as readers take it, with the message it is about and, on an offer, the tenant's reason. */
interface ContactLogLine {
  id: number;
  at: Date;
  tenantNo: number | null;
  event: string;
  actor: string;
  channel: string | null;
  detail: Record<string, unknown>;
  /** The message the line is about, when it is the tenancy's own: its direction, delivery status now and text. */
  message: { id: number; direction: 'inbound' | 'outbound'; status: string; body: string } | null;
  /** On an `offer_recorded` line, the reason given with the offer (kept on the arrangement). */
  offerReason: string | null;
}

interface LineRow {
  id: number;
  at: Date;
  tenant_no: number | null;
  event: string;
  actor: string;
  channel: string | null;
  detail: Record<string, unknown>;
  message_id: number | null;
  direction: 'inbound' | 'outbound' | null;
  message_status: string | null;
  body: string | null;
  offer_reason: string | null;
}

/** Every line of a tenancy, oldest first: the evidence pack's timeline, the protocol checklist, the CLI's export. */
export async function tenancyContactLog(sql: Queryable, tenancyRef: string): Promise<ContactLogLine[]> {
  const rows = await sql<LineRow[]>`
    select l.id::int as id, l.at, l.tenant_no, l.event, l.actor, l.channel, l.detail,
      m.id::int as message_id, m.direction, m.status as message_status, m.body, a.reason as offer_reason
    from contact_log l
    left join messages m on m.id = l.message_id and m.tenancy_ref = l.tenancy_ref
    left join arrangements a on l.event = 'offer_recorded'
      and a.id = case when l.detail->>'arrangementId' ~ '^[0-9]+$' then (l.detail->>'arrangementId')::bigint end
    where l.tenancy_ref = ${tenancyRef}
    order by l.at, l.id`;
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    tenantNo: r.tenant_no,
    event: r.event,
    actor: r.actor,
    channel: r.channel,
    detail: r.detail,
    message:
      r.message_id !== null && r.direction !== null && r.message_status !== null && r.body !== null
        ? { id: r.message_id, direction: r.direction, status: r.message_status, body: r.body }
        : null,
    offerReason: r.offer_reason,
  }));
}

/** The detail of the latest officer's line on an escalation (their decision's offer or agency), if any. */
export async function latestOfficerLineDetail<D extends Record<string, unknown>>(
  sql: Queryable,
  tenancyRef: string,
  escalationId: number,
): Promise<D | null> {
  const [row] = await sql<{ detail: D }[]>`
    select detail from contact_log
    where tenancy_ref = ${tenancyRef} and escalation_id = ${escalationId} and event like 'officer\\_%' -- the tenancy's lines, by index
    order by id desc limit 1`;
  return row?.detail ?? null;
}

/** Referrals officers made in [from, to), counted by agency (`unknown` where none was named). */
export async function referralsByAgency(sql: Queryable, from: Date, to: Date): Promise<Map<string, number>> {
  const rows = await sql<{ agency: string; n: number }[]>`
    select coalesce(detail->>'agencyId', 'unknown') as agency, count(*)::int as n
    from contact_log where event = 'officer_referred' and at >= ${from} and at < ${to}
    group by 1 order by 1`;
  return new Map(rows.map((r) => [r.agency, r.n]));
}

/**
 * Which lines count as a notice served or an eviction: their own kinds, or a stage line naming the stage
 * (kinds as strings: older lines were logged under names the vocabulary has since replaced).
 */
export interface LegalCountRules {
  noticeEvents: string[];
  evictionEvents: string[];
  stageEvents: string[];
  noticeStages: string[];
  evictionStages: string[];
}

/** Notices served and evictions logged in [from, to). */
export async function legalCounts(
  sql: Queryable,
  rules: LegalCountRules,
  from: Date,
  to: Date,
): Promise<{ notices: number; evictions: number }> {
  const [row] = await sql<{ notices: number; evictions: number }[]>`
    select
      count(*) filter (where event = any(${rules.noticeEvents}) or (event = any(${rules.stageEvents}) and detail->>'stage' = any(${rules.noticeStages})))::int as notices,
      count(*) filter (where event = any(${rules.evictionEvents}) or (event = any(${rules.stageEvents}) and detail->>'stage' = any(${rules.evictionStages})))::int as evictions
    from contact_log
    where at >= ${from} and at < ${to}
      and event = any(${[...rules.noticeEvents, ...rules.evictionEvents, ...rules.stageEvents]})`;
  return row ?? { notices: 0, evictions: 0 };
}

/**
 * `exists (...)`: whether a line of kind `event` was logged for the tenant after `since`, as a condition over
 * the enclosing query's rows (`tenancyRef` and `tenantNo` are its column expressions). By the tenancy's index.
 */
export function loggedSince(
  sql: AnySql,
  where: { tenancyRef: Fragment; tenantNo: Fragment; event: ContactLogKind; since: Date },
): Fragment {
  return sql`exists (select 1 from contact_log c where c.tenancy_ref = ${where.tenancyRef} and c.at > ${where.since}::timestamptz
                  and c.tenant_no = ${where.tenantNo} and c.event = ${where.event})`;
}

/**
 * `exists (...)`: whether the rent reminder a hold stopped is already logged (`contact_held` for that tenant and
 * due date), as a condition over the enclosing query's rows (column expressions again).
 */
export function heldReminderLogged(
  sql: AnySql,
  where: { tenancyRef: Fragment; tenantNo: Fragment; dueDate: Fragment },
): Fragment {
  return sql`exists (
        select 1 from contact_log l
        where l.tenancy_ref = ${where.tenancyRef} and l.tenant_no = ${where.tenantNo} and l.event = 'contact_held'
          and l.detail->>'purpose' = 'reminder' and l.detail->>'dueDate' = ${where.dueDate})`;
}

/** The officers' contact events as an SQL list: constants of the code, never input. */
const OFFICER_CONTACT_LIST = OFFICER_CONTACT_EVENTS.map((e) => `'${e}'`).join(', ');

/**
 * `(select max(at) ...)`: when an officer last called, visited, wrote or emailed the tenancy (`tenancyRef` is
 * the enclosing query's column expression), or null. The events are written into the statement as the
 * literal list of the partial index `contact_log_officer_contact` (migration 0082), so the planner reads
 * that small index rather than every line of the tenancy, whatever the plan's parameters.
 */
export function lastOfficerContactAt(sql: AnySql, tenancyRef: Fragment): Fragment {
  return sql`(select max(c.at) from contact_log c where c.tenancy_ref = ${tenancyRef} and c.event in (${sql.unsafe(OFFICER_CONTACT_LIST)}))`;
}
