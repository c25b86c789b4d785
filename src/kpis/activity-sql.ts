// What the income team did in a period, counted set-based from the records Rentline keeps: arrangements
// (their state machine stamps when each moved on), texts, replies, referrals, notices and evictions.
// `from` and `to` are instants: the start of the first local day and the start of the day after the last.
import type { Sql } from '../db/connect.js';
import { percent } from '../rent/kpis.js';
import { legalCounts, referralsByAgency, type LegalCountRules } from '../db/queries/contact-log.js';

export interface ActivityKpis {
  arrangements: { made: number; kept: number; broken: number; completed: number };
  texts: { sent: number; delivered: number };
  /** Tenants sent a first text in the period, and those who replied within 7 days of it. */
  response: {
    tenants_texted: number;
    tenants_replied: number;
    response_rate_pct: number | null;
    median_time_to_first_reply_minutes: number | null;
  };
  referrals_by_agency: Record<string, number>;
  notices_served: number;
  evictions: number;
}

/**
 * Officers record legal stages in the contact log. These are the events (and, for a general legal-stage
 * event, the stage in its detail) that count as a notice served and as an eviction.
 */
const LEGAL_COUNTS: LegalCountRules = {
  noticeEvents: ['notice_served', 'legal_notice_served'],
  evictionEvents: ['evicted', 'eviction', 'legal_evicted'],
  stageEvents: ['legal_stage_recorded', 'legal_stage'],
  noticeStages: ['notice_served', 'notice-served'],
  evictionStages: ['evicted', 'eviction'],
};

/** Statuses an arrangement reaches only after an officer (or the policy) agreed it. */
const AGREED = ['active', 'kept', 'broken', 'completed'];

export async function activityKpis(sql: Sql, period: { from: Date; to: Date }): Promise<ActivityKpis> {
  const { from, to } = period;
  const [arrangements] = await sql<{ made: number; kept: number; broken: number; completed: number }[]>`
    select
      count(*) filter (where decided_at >= ${from} and decided_at < ${to} and status = any(${AGREED}))::int as made,
      count(*) filter (where kept_at >= ${from} and kept_at < ${to})::int as kept,
      count(*) filter (where broken_at >= ${from} and broken_at < ${to})::int as broken,
      count(*) filter (where completed_at >= ${from} and completed_at < ${to})::int as completed
    from arrangements
    where (decided_at >= ${from} and decided_at < ${to}) or (kept_at >= ${from} and kept_at < ${to})
       or (broken_at >= ${from} and broken_at < ${to}) or (completed_at >= ${from} and completed_at < ${to})`;
  const [texts] = await sql<{ sent: number; delivered: number }[]>`
    select count(*)::int as sent, count(*) filter (where status in ('delivered', 'read'))::int as delivered
    from messages
    where direction = 'outbound' and tenancy_ref is not null and sent_at >= ${from} and sent_at < ${to}`;
  const [response] = await sql<{ texted: number; replied: number; median_minutes: number | null }[]>`
    with first_text as (
      select distinct on (tenancy_ref, tenant_no) tenancy_ref, tenant_no, sent_at
      from messages
      where direction = 'outbound' and tenancy_ref is not null and sent_at >= ${from} and sent_at < ${to}
      order by tenancy_ref, tenant_no, sent_at
    ), first_reply as (
      select f.tenancy_ref, f.tenant_no, f.sent_at,
        (select min(m.created_at) from messages m
          where m.direction = 'inbound' and m.tenancy_ref = f.tenancy_ref and m.tenant_no = f.tenant_no
            and m.created_at > f.sent_at and m.created_at <= f.sent_at + interval '7 days') as replied_at
      from first_text f
    )
    select count(*)::int as texted, count(replied_at)::int as replied,
      (percentile_cont(0.5) within group (order by extract(epoch from replied_at - sent_at) / 60))::float8 as median_minutes
    from first_reply`;
  const referrals = await referralsByAgency(sql, from, to);
  const legal = await legalCounts(sql, LEGAL_COUNTS, from, to);
  const texted = response?.texted ?? 0;
  const replied = response?.replied ?? 0;
  return {
    arrangements: arrangements ?? { made: 0, kept: 0, broken: 0, completed: 0 },
    texts: texts ?? { sent: 0, delivered: 0 },
    response: {
      tenants_texted: texted,
      tenants_replied: replied,
      response_rate_pct: percent(replied, texted),
      median_time_to_first_reply_minutes: response?.median_minutes == null ? null : Math.round(response.median_minutes),
    },
    referrals_by_agency: Object.fromEntries(referrals),
    notices_served: legal.notices,
    evictions: legal.evictions,
  };
}
