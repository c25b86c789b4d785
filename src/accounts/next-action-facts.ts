// The facts the next recommended action needs (first text, second text, officer call, consider NOSP),
// read in one query, and the recommendation from the declarative rules in rent/next-action.ts. Shown in
// `rentline account`, the API summary and the Slack card (through the account summary). Rentline only recommends: a
// person always decides, and Rentline never serves a notice.
import type { Queryable } from '../db/connect.js';
import { isBreathingSpaceActive } from '../rent/holds.js';
import type { LegalStage } from '../rent/legal.js';
import { arrangementStateOf, nextAction, type NextActionDecision, type NextActionInput } from '../rent/next-action.js';
import type { Policy } from '../rent/policy.js';

/** Message statuses that mean a text reached Twilio (or, without Twilio, passed its guards and was kept). */
const DELIVERED_STATUSES = ['sent', 'delivered', 'read', 'undelivered', 'kept'] as const;

/**
 * SQL: whether missed-payment text `et` of arrears episode `e` went out. Its messages are found through the
 * tenant's message index (they were written with the text, at its created_at or later), never by a scan
 * of every message for its conversation id.
 */
export function episodeTextDelivered(sql: Queryable) {
  return sql`exists (
    select 1 from messages m
    where m.tenancy_ref = e.tenancy_ref and m.tenant_no = et.tenant_no and m.created_at >= et.created_at
      and m.conversation_id = et.conversation_id and m.direction = 'outbound'
      and m.status = any(${[...DELIVERED_STATUSES]}))`;
}

interface RecommendedAction extends NextActionDecision {
  rule: string;
}

interface FactsRow {
  tenure: string | null;
  referral_pause: boolean;
  legal: { stage: LegalStage; earliest: string | null; expires: string | null; breached: boolean } | null;
  vulnerable: boolean;
  disputed: boolean;
  spaces: { start: string; end: string | null; mentalHealth: boolean }[] | null;
  arrangement_status: string | null;
  texts_sent: number;
  claim_pending: boolean;
}

/**
 * The facts the rules need beyond the account figures, read in one query: flags on any tenant, the latest
 * arrangement, an officer's benefit-claim-pending mark, and the most missed-payment texts any tenant has had in the open arrears episode.
 */
export async function nextActionFacts(
  sql: Queryable,
  tenancyRef: string,
  figures: { actionableArrearsPence: number; weeksInArrears: number },
  today: string,
  timeZone = 'Europe/London',
): Promise<NextActionInput> {
  const [row] = await sql<FactsRow[]>`
    select
      (select y.tenure from tenancies y where y.tenancy_ref = ${tenancyRef}) as tenure,
      -- A referral's pause on any tenant pauses the tenancy (it runs to the end of its last local day).
      coalesce(bool_or((t.contact_paused_until at time zone ${timeZone})::date >= ${today}::date), false) as referral_pause,
      (select json_build_object('stage', l.stage, 'earliest', l.earliest_proceedings_date::text, 'expires', l.expires_on::text, 'breached', l.order_breached_at is not null)
         from legal_stages l where l.tenancy_ref = ${tenancyRef} order by l.recorded_at desc, l.id desc limit 1) as legal,
      coalesce(bool_or(t.vulnerable), false) as vulnerable,
      coalesce(bool_or(t.disputed_at is not null), false) as disputed,
      json_agg(json_build_object('start', t.breathing_space_start::text, 'end', t.breathing_space_end::text,
               'mentalHealth', t.breathing_space_mental_health)) filter (where t.breathing_space_start is not null) as spaces,
      (select status from arrangements a where a.tenancy_ref = ${tenancyRef} order by created_at desc, id desc limit 1) as arrangement_status,
      coalesce((select y.benefit_claim_pending_since is not null from tenancies y where y.tenancy_ref = ${tenancyRef}), false) as claim_pending,
      coalesce((select max(n) from (
        select count(*) filter (where ${episodeTextDelivered(sql)}) as n
        from arrears_episodes e join episode_texts et on et.episode_id = e.id
        where e.tenancy_ref = ${tenancyRef} and e.closed_at is null
        group by et.tenant_no) per_tenant), 0)::int as texts_sent
    from tenants t where t.tenancy_ref = ${tenancyRef}`;
  return {
    actionableArrearsPence: figures.actionableArrearsPence,
    weeksInArrears: figures.weeksInArrears,
    messagesSentThisEpisode: row?.texts_sent ?? 0,
    arrangementStatus: arrangementStateOf(row?.arrangement_status),
    breathingSpaceActive: (row?.spaces ?? []).some((s) => isBreathingSpaceActive(s, today)),
    vulnerable: row?.vulnerable ?? false,
    benefitClaimPending: row?.claim_pending ?? false,
    disputed: row?.disputed ?? false,
    tenure: row?.tenure ?? 'secure',
    referralPauseActive: row?.referral_pause ?? false,
    legal: row?.legal
      ? {
          stage: row.legal.stage,
          earliestProceedingsDate: row.legal.earliest,
          expiresOn: row.legal.expires,
          orderBreached: row.legal.breached,
        }
      : null,
    today,
  };
}

/** The recommendation for one account, given its figures (from assessAccount) on `today`. */
export async function recommendNextAction(
  sql: Queryable,
  tenancyRef: string,
  figures: { actionableArrearsPence: number; weeksInArrears: number },
  options: { today: string; policy: Policy },
): Promise<RecommendedAction> {
  return nextAction(
    await nextActionFacts(sql, tenancyRef, figures, options.today, options.policy.time_zone),
    options.policy,
  );
}
