// Missed payments, daily: genuine (actionable, not technical) arrears at or over the threshold after the
// grace period open an arrears episode, and the next-action rules say whether a tenant is due their first
// or second missed-payment text. Never while a conversation, a live arrangement or offer, a pause (a
// referral pauses contact), an officer's pending review, or a guard (Breathing Space, vulnerability,
// dispute, opt-out, do-not-contact) applies. Each text has a unique key (episode, tenant, attempt).
import { nextAction } from '../rent/next-action.js';
import { localDateOf } from '../rent/schedule.js';
import { sweepAccounts, SWEEP_BATCHES_AT_ONCE, type AccountSnapshot } from './account-sweep.js';
import { ARRANGEMENT_PAUSES_ARREARS, latestArrangementStatuses } from './arrangement-queries.js';
import { loadContactStates, markOpened, outreachBlock, type ContactStates } from './contact-state.js';
import { carryOut, flushDecisions, skip, type OutreachPlan } from './outreach.js';
import { episodeTextDelivered } from '../accounts/next-action-facts.js';
import { arrangementStateOf } from '../rent/next-action.js';
import { untimed } from '../lib/phase-timer.js';
import { count, emptyReport, type JobDeps, type JobReport } from './types.js';
import { raiseHeldContactTasks, type HeldContact } from '../cases/held-contact.js';

/** Holds under which a person must make the early contact the protocol asks for (a referral pause is not one). */
const PERSON_MUST_CONTACT: ReadonlySet<string> = new Set([
  'vulnerable',
  'breathing_space',
  'breathing_space_mental_health',
  'do_not_contact',
  'opted_out',
  'not_textable',
  'dispute',
  'crisis',
]);
import { stopOutreachInBreathingSpace } from './withdrawals.js';

const DAY_MS = 86_400_000;
const MAX_UNDELIVERED_ATTEMPTS = 3;

interface EpisodeText {
  episode_id: number;
  tenant_no: number;
  attempt: number;
  arrears_pence: number;
  created_at: Date;
  delivered: boolean;
}

interface TextDue {
  action: 'first_text' | 'second_text';
  reason: string;
}

/**
 * Whether this tenant is due a text now. The rules table picks first or second text from the texts that
 * actually went out this episode (one blocked at send time, say by Breathing Space, is tried again once the
 * guard lifts); a second text also needs the arrears to have grown by the threshold since the last one
 * (another payment missed) and the frequency cap to have passed.
 */
function textDue(
  account: AccountSnapshot,
  texts: readonly EpisodeText[],
  arrangementStatus: string | undefined,
  now: Date,
  policy: JobDeps['policy'],
): TextDue | null {
  const delivered = texts.filter((t) => t.delivered);
  // Texts that never went out (a number Twilio rejects, say) are not retried for ever: an officer follows up.
  if (texts.length - delivered.length >= MAX_UNDELIVERED_ATTEMPTS) return null;
  const decision = nextAction(
    {
      actionableArrearsPence: account.actionableArrearsPence,
      weeksInArrears: account.weeksInArrears,
      messagesSentThisEpisode: delivered.length,
      arrangementStatus: arrangementStateOf(arrangementStatus),
      breathingSpaceActive: false,
      vulnerable: false,
      // A pending benefit claim holds back legal steps only (docs/rules.md#benefit-claim-pending); a text offering help still goes.
      benefitClaimPending: false,
      disputed: false,
    },
    policy,
  );
  if (decision.action === 'first_text') return { action: 'first_text', reason: decision.reason };
  if (decision.action !== 'second_text') return null;
  const last = delivered.at(-1);
  if (!last) return null;
  const grown = account.actionableArrearsPence >= last.arrears_pence + policy.arrears.threshold_pence;
  const capPassed =
    now.getTime() - last.created_at.getTime() >= policy.contact.min_days_between_arrears_messages * DAY_MS;
  return grown && capPassed
    ? { action: 'second_text', reason: `${decision.reason}; another payment missed since` }
    : null;
}

/**
 * Before the sweep: conversations and queued texts of tenants now in Breathing Space stop at once, whatever
 * their arrears.
 */
export async function beginMissedPayments(deps: JobDeps, now: Date, report: JobReport): Promise<void> {
  if (deps.dryRun) return;
  const stopped = await stopOutreachInBreathingSpace(deps.sql, now, localDateOf(now, deps.timeZone));
  report.counts.breathing_space_conversations_closed = stopped.conversations;
  report.counts.breathing_space_messages_withdrawn = stopped.messages;
}

/**
 * One sweep batch: episodes of its accounts opened or closed, and the first or second text started for
 * every tenant due one. A handful of set-based statements per batch, each through an index on the batch's refs.
 * `contact` is the batch's contact states when the daily job has read them once for all its jobs; the
 * conversations started here are marked open in it, so a later job of the batch sees them.
 */
export async function missedPaymentsForBatch(
  deps: JobDeps,
  now: Date,
  report: JobReport,
  batch: readonly AccountSnapshot[],
  contact?: ContactStates,
): Promise<void> {
  const { policy, sql } = deps;
  const over = batch.filter((s) => s.actionableArrearsPence >= policy.arrears.threshold_pence);
  count(report, 'over_threshold', over.length);
  const overRefs = over.map((s) => s.tenancyRef);

  // Episodes: close those of this batch whose arrears fell below the threshold; open new ones.
  if (!deps.dryRun) {
    const [closed, opened] = await Promise.all([
      sql`
        update arrears_episodes set closed_at = ${now}, close_reason = 'arrears_below_threshold'
        where closed_at is null and tenancy_ref = any(${batch.map((s) => s.tenancyRef)}::text[])
          and not (tenancy_ref = any(${overRefs}::text[])) returning id`.execute(),
      sql`
        insert into arrears_episodes (tenancy_ref, opened_at, opened_arrears_pence)
        select ref, ${now}::timestamptz, pence from unnest(${overRefs}::text[], ${over.map((s) => s.actionableArrearsPence)}::int[]) as o(ref, pence)
        on conflict (tenancy_ref) where closed_at is null do nothing returning id`.execute(),
    ]);
    count(report, 'episodes_closed', closed.length);
    count(report, 'episodes_opened', opened.length);
  }
  if (over.length === 0) return;

  const timer = deps.timer ?? untimed;
  const [episodeRows, texts, arrangements, pendingReviews, tenants] = await timer.time('missed: reads', () =>
    Promise.all([
      sql<{ id: number; tenancy_ref: string }[]>`
      select id::int as id, tenancy_ref from arrears_episodes where closed_at is null and tenancy_ref = any(${overRefs}::text[])`,
      sql<(EpisodeText & { tenancy_ref: string })[]>`
      select e.tenancy_ref, et.episode_id::int as episode_id, et.tenant_no, et.attempt, et.arrears_pence, et.created_at,
        ${episodeTextDelivered(sql)} as delivered
      from arrears_episodes e join episode_texts et on et.episode_id = e.id
      where e.closed_at is null and e.tenancy_ref = any(${overRefs}::text[])
      order by et.episode_id, et.tenant_no, et.attempt`,
      latestArrangementStatuses(sql, overRefs),
      sql<
        { tenancy_ref: string }[]
      >`select distinct tenancy_ref from escalations where status = 'pending' and reason <> 'held_contact' and tenancy_ref = any(${overRefs}::text[])`,
      contact ?? loadContactStates(sql, overRefs, now, deps.timeZone),
    ]),
  );
  const episodes = new Map(episodeRows.map((e) => [e.tenancy_ref, e.id]));
  const reviewing = new Set(pendingReviews.map((r) => r.tenancy_ref));
  const textsOf = new Map<string, EpisodeText[]>();
  for (const t of texts) {
    const key = `${t.tenancy_ref}/${t.tenant_no}`;
    const list = textsOf.get(key);
    if (list) list.push(t);
    else textsOf.set(key, [t]);
  }

  const plans: OutreachPlan[] = [];
  const held: HeldContact[] = [];
  for (const account of over) {
    const ref = account.tenancyRef;
    const arrangement = arrangements.get(ref);
    if (arrangement !== undefined && ARRANGEMENT_PAUSES_ARREARS.has(arrangement)) {
      skip(report, 'missed-payments', ref, null, 'arrears_text', 'arrangement_in_place');
      continue;
    }
    if (arrangement === 'broken') {
      skip(report, 'missed-payments', ref, null, 'arrears_text', 'arrangement_broken_officer_follows_up');
      continue;
    }
    // A held-contact task does not count: once its hold lifts, the tenancy is treated afresh.
    if (reviewing.has(ref)) {
      skip(report, 'missed-payments', ref, null, 'arrears_text', 'officer_reviewing');
      continue;
    }
    const episodeId = episodes.get(ref) ?? null;
    const heldTenants: HeldContact['tenants'] = [];
    for (const tenant of tenants.get(ref) ?? []) {
      const history = textsOf.get(`${ref}/${tenant.tenant_no}`) ?? [];
      const due = textDue(account, history, arrangement, now, policy);
      if (!due) continue;
      const block = outreachBlock(tenant, 'arrears', now, policy);
      if (block) {
        skip(report, 'missed-payments', ref, tenant.tenant_no, due.action, block);
        if (PERSON_MUST_CONTACT.has(block)) heldTenants.push({ tenantNo: tenant.tenant_no, reason: block });
        continue;
      }
      const attempt = history.length + 1;
      plans.push({
        tenancyRef: ref,
        tenantNo: tenant.tenant_no,
        flowId: 'missed_payment',
        purpose: 'arrears',
        action: due.action,
        reason: due.reason,
        once: { kind: 'episode_text', episodeId, attempt, arrearsPence: account.actionableArrearsPence },
        figures: { balancePence: account.balancePence, arrearsPence: account.arrearsPence },
      });
    }
    if (heldTenants.length > 0 && episodeId !== null) held.push({ tenancyRef: ref, episodeId, tenants: heldTenants });
  }
  if (!deps.dryRun)
    count(
      report,
      'held_contact_tasks',
      await timer.time('missed: held tasks', () => raiseHeldContactTasks(sql, held, now)),
    );
  const started = await timer.time('missed: starts', () => carryOut(deps, 'missed-payments', report, plans, now));
  if (contact) markOpened(contact, started);
}

/** After the sweep: episodes of tenancies that are no longer running (ended, or gone) close too. */
export async function finishMissedPayments(deps: JobDeps, now: Date, report: JobReport): Promise<void> {
  if (deps.dryRun) return;
  const today = localDateOf(now, deps.timeZone);
  const closed = await deps.sql`
    update arrears_episodes e set closed_at = ${now}, close_reason = 'arrears_below_threshold'
    where e.closed_at is null and not exists (
      select 1 from tenancies t where t.tenancy_ref = e.tenancy_ref and (t.end_date is null or t.end_date >= ${today}))
    returning id`;
  count(report, 'episodes_closed', closed.length);
}

export async function runMissedPayments(deps: JobDeps, now: Date): Promise<JobReport> {
  const report = emptyReport('missed-payments', now, deps.dryRun);
  await beginMissedPayments(deps, now, report);
  await sweepAccounts(
    deps.sql,
    { today: localDateOf(now, deps.timeZone), policy: deps.policy, batchesAtOnce: SWEEP_BATCHES_AT_ONCE },
    async (batch) => {
      await missedPaymentsForBatch(deps, now, report, batch);
      await flushDecisions(deps, report, now);
    },
  );
  await finishMissedPayments(deps, now, report);
  return report;
}
