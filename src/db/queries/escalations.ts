// The `escalations` aggregate: a hand-off to officers (an offer to decide, a crisis, a held account's task),
// with its Slack card. The one writer of escalation rows and the reader of one escalation: raising (one or a
// batch, in one statement with their contact-log lines), an officer's claim, closing, resolving a crisis,
// marking an urgent hand-off overdue, recording where its card was posted. Triggers on the table queue the
// card (slack_card_queue) and mark the worklist; writers need not.
import type postgres from 'postgres';
import type { Queryable } from '../connect.js';
import { FLOW_ESCALATION_REASONS } from '../../engine/flow-schema.js';
import { insertContactLogsFrom } from './contact-log.js';

type AnySql = Queryable | postgres.ReservedSql;

/**
 * Why officers are asked to act. A flow escalates with its own reasons (flows/*.yaml `escalate:`); the
 * service raises the rest itself.
 */
export const ESCALATION_REASONS = [
  ...FLOW_ESCALATION_REASONS,
  /** A tenant texted, but no script may answer them (a hold routes their words to a person). */
  'human_only',
  /** A held account in arrears (vulnerable, Breathing Space, a dispute…): the early contact is the officer's. */
  'held_contact',
  /** The arrangement watch found an arrangement broken. */
  'arrangement_broken',
  /** The order watch found a suspended possession order's terms broken. */
  'suspended_order_breached',
] as const;
type EscalationReason = (typeof ESCALATION_REASONS)[number];

/** `escalations.status`: pending until an officer decides, closes or it lapses. */
export const ESCALATION_STATUSES = [
  'pending',
  'accepted',
  'countered',
  'referred',
  'declined',
  'closed',
  'expired',
] as const;
type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

export const ESCALATION_URGENCIES = ['normal', 'urgent'] as const;
type EscalationUrgency = (typeof ESCALATION_URGENCIES)[number];

/** An escalation as read. `Offer` is the shape of the offer its card first showed (the Slack poster's). */
export interface Escalation<Offer = unknown> {
  id: number;
  tenancy_ref: string;
  tenant_no: number;
  conversation_id: number | null;
  arrangement_id: number | null;
  arrears_episode_id: number | null;
  /** Text as stored: rows older than the vocabulary keep theirs. */
  reason: string;
  urgency: EscalationUrgency;
  summary: string;
  status: EscalationStatus;
  decided_by: string | null;
  decided_at: Date | null;
  slack_channel: string | null;
  slack_ts: string | null;
  slack_thread_of: number | null;
  slack_offer: Offer | null;
  created_at: Date;
  updated_at: Date;
  crisis_resolved_at: Date | null;
  crisis_resolved_by: string | null;
  overdue_at: Date | null;
}

/** The row as Postgres returns it (bigint ids as text). */
type Row = Omit<
  Escalation,
  'id' | 'conversation_id' | 'arrangement_id' | 'arrears_episode_id' | 'slack_thread_of' | 'urgency' | 'status'
> & {
  id: string;
  conversation_id: string | null;
  arrangement_id: string | null;
  arrears_episode_id: string | null;
  slack_thread_of: string | null;
  urgency: string;
  status: string;
};

const id = (v: string | null) => (v === null ? null : Number(v));

function oneOf<T extends string>(values: readonly T[], value: string, column: string): T {
  if ((values as readonly string[]).includes(value)) return value as T;
  throw new Error(`escalations.${column} holds '${value}', which this version does not know: upgrade Rentline`);
}

/** The one mapper from a row to an Escalation. */
function escalationOf<Offer>(r: Row): Escalation<Offer> {
  return {
    ...r,
    id: Number(r.id),
    conversation_id: id(r.conversation_id),
    arrangement_id: id(r.arrangement_id),
    arrears_episode_id: id(r.arrears_episode_id),
    slack_thread_of: id(r.slack_thread_of),
    urgency: oneOf(ESCALATION_URGENCIES, r.urgency, 'urgency'),
    status: oneOf(ESCALATION_STATUSES, r.status, 'status'),
    slack_offer: r.slack_offer as Offer | null,
  };
}

const COLUMNS = (sql: AnySql) => sql`
  id, tenancy_ref, tenant_no, conversation_id, arrangement_id, arrears_episode_id, reason, urgency, summary, status, decided_by,
  decided_at, slack_channel, slack_ts, slack_thread_of, slack_offer, created_at, updated_at, crisis_resolved_at, crisis_resolved_by, overdue_at`;

export async function findEscalation<Offer = unknown>(
  sql: AnySql,
  escalationId: number,
): Promise<Escalation<Offer> | null> {
  const [row] = await sql<Row[]>`select ${COLUMNS(sql)} from escalations where id = ${escalationId}`;
  return row ? escalationOf<Offer>(row) : null;
}

interface NewEscalation {
  tenancyRef: string;
  tenantNo: number;
  conversationId?: number | null;
  arrangementId?: number | null;
  arrearsEpisodeId?: number | null;
  reason: EscalationReason;
  urgency: EscalationUrgency;
  summary: string;
}

/**
 * The INSERT of new escalations, for a writer's own CTE (`raised as (${insertEscalations(...)})`): in input
 * order (ids drawn in insertion order), a held account's task at most once per arrears episode, returning
 * id, tenancy_ref, tenant_no, reason, arrears_episode_id.
 */
export function insertEscalations(sql: AnySql, rows: readonly NewEscalation[], now: Date) {
  return sql`
    insert into escalations (tenancy_ref, tenant_no, conversation_id, arrangement_id, arrears_episode_id, reason, urgency, summary,
                             created_at, updated_at)
    select e.tenancy_ref, e.tenant_no, e.conversation_id, e.arrangement_id, e.arrears_episode_id, e.reason, e.urgency, e.summary,
           ${now}::timestamptz, ${now}::timestamptz
    from unnest(${rows.map((r) => r.tenancyRef)}::text[], ${rows.map((r) => r.tenantNo)}::smallint[],
                ${sql.array(rows.map((r) => r.conversationId ?? null))}::bigint[], ${sql.array(rows.map((r) => r.arrangementId ?? null))}::bigint[],
                ${sql.array(rows.map((r) => r.arrearsEpisodeId ?? null))}::bigint[], ${rows.map((r) => r.reason)}::text[],
                ${rows.map((r) => r.urgency)}::text[], ${rows.map((r) => r.summary)}::text[])
      with ordinality as e(tenancy_ref, tenant_no, conversation_id, arrangement_id, arrears_episode_id, reason, urgency, summary, ord)
    -- A held account's task already raised this episode is left out before the insert: every daily run offers
    -- them all again, and a conflicting row still costs a speculative insert and its row triggers.
    where e.reason <> 'held_contact' or not exists (
      select 1 from escalations x where x.reason = 'held_contact' and x.arrears_episode_id = e.arrears_episode_id)
    order by e.ord
    on conflict (arrears_episode_id) where reason = 'held_contact' do nothing
    returning id, tenancy_ref, tenant_no, reason, arrears_episode_id`;
}

/** An escalation raised with its `escalated` contact-log line (a held account's task logs its own lines). */
interface RaisedEscalation extends NewEscalation {
  reason: Exclude<EscalationReason, 'held_contact'>;
  /** The `escalated` line's detail. */
  logged: Record<string, unknown>;
}

/**
 * Raises the escalations with their `escalated` lines in ONE statement; resolves to their ids in input
 * order. The statement is sent at once (execute), so a caller pipelining writes keeps their order.
 */
export function raiseEscalations(sql: AnySql, rows: readonly RaisedEscalation[], now: Date): Promise<number[]> {
  if (rows.length === 0) return Promise.resolve([]);
  // Every row is inserted (none is a held account's task), so the n-th id is the n-th row's.
  return sql<{ id: number }[]>`
    with raised as (${insertEscalations(sql, rows, now)}),
    numbered as (select id, tenancy_ref, tenant_no, row_number() over (order by id) as ord from raised),
    logged as (${insertContactLogsFrom(sql, {
      at: now,
      from: sql`numbered join unnest(${sql.array(rows.map((r) => JSON.stringify(r.logged)))}::jsonb[]) with ordinality as d(detail, ord) using (ord)`,
      event: 'escalated',
      actor: 'rentline',
      escalationId: sql`id`,
      detail: sql`d.detail`,
      orderBy: sql`ord`,
    })})
    select id::int as id from numbered order by ord`
    .execute()
    .then((raised) => raised.map((r) => r.id));
}

/** An officer's claim on a pending escalation: exactly one claim wins; null when it was no longer pending. */
export async function claimEscalation<Offer = unknown>(
  sql: AnySql,
  escalationId: number,
  claim: { status: Exclude<EscalationStatus, 'pending'>; by: string; now: Date },
): Promise<Escalation<Offer> | null> {
  const [row] = await sql<Row[]>`
    update escalations set status = ${claim.status}, decided_by = ${claim.by}, decided_at = ${claim.now}, updated_at = ${claim.now}
    where id = ${escalationId} and status = 'pending' returning ${COLUMNS(sql)}`;
  return row ? escalationOf<Offer>(row) : null;
}

/** Which pending escalations to close: one (with no offer to decide, when asked), or a tenancy's of a reason. */
type PendingEscalations =
  { id: number; withoutArrangement?: boolean } | { tenancyRef: string; reason: EscalationReason };

/**
 * Closes the pending escalations selected, as dealt with by `by`; returns their ids. A query: await it, or
 * put it in a writer's own CTE to close them in the statement that settles them.
 */
export function closePendingEscalations(sql: AnySql, which: PendingEscalations, by: string, now: Date) {
  const where =
    'id' in which
      ? sql`id = ${which.id} ${which.withoutArrangement ? sql`and arrangement_id is null` : sql``}`
      : sql`tenancy_ref = ${which.tenancyRef} and reason = ${which.reason}`;
  return sql<{ id: number }[]>`
    update escalations set status = 'closed', decided_by = ${by}, decided_at = ${now}, updated_at = ${now}
    where ${where} and status = 'pending'
    returning id::int as id`;
}

/** Resolves every open crisis hand-off of the tenancy (closing those still pending); returns them. */
export function resolveCrises(sql: AnySql, tenancyRef: string, by: string, now: Date) {
  return sql<{ id: number; tenant_no: number }[]>`
    update escalations set crisis_resolved_at = ${now}, crisis_resolved_by = ${by},
      status = case when status = 'pending' then 'closed' else status end,
      decided_by = case when status = 'pending' then ${by} else decided_by end,
      decided_at = case when status = 'pending' then ${now}::timestamptz else decided_at end,
      updated_at = ${now}
    where tenancy_ref = ${tenancyRef} and reason = 'crisis' and crisis_resolved_at is null
    returning id::int as id, tenant_no`;
}

/**
 * Marks the urgent hand-offs overdue, once each and only while pending, for a writer's own CTE: returning
 * id, tenancy_ref, tenant_no, reason.
 */
export function markEscalationsOverdue(sql: AnySql, ids: readonly number[], now: Date) {
  return sql`
    update escalations set overdue_at = ${now}
    where id = any(${ids as number[]}::bigint[]) and overdue_at is null and status = 'pending'
    returning id, tenancy_ref, tenant_no, reason`;
}

/** Where the escalation's card was posted, and the offer as first shown; only the first post is recorded. */
export async function recordCardPosted(
  sql: AnySql,
  escalationId: number,
  posted: { channel: string; ts: string | null; offer: object | null },
): Promise<void> {
  await sql`
    update escalations set slack_channel = ${posted.channel}, slack_ts = ${posted.ts},
      slack_offer = ${posted.offer === null ? null : JSON.stringify(posted.offer)}::text::jsonb
    where id = ${escalationId} and slack_ts is null`;
}

/**
 * Countering a tenant's plain "no" (a reply in an offer card's thread) continues the plan they declined:
 * the reply takes its root's arrangement, so the tenant's "yes" to the counter can make it active.
 */
export async function continueDeclinedPlan(sql: AnySql, escalationId: number): Promise<void> {
  await sql`
    update escalations c set arrangement_id = r.arrangement_id from escalations r
    where c.id = ${escalationId} and c.status = 'pending' and c.arrangement_id is null and c.reason = 'counter_reply'
      and r.id = c.slack_thread_of`;
}
