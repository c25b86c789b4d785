// The worklist table, kept up to date from what changed: the daily sweep refreshes each batch of accounts
// it has just assessed, and every change that matters to a case (a contact-log line, an escalation raised
// or settled, a legal stage) marks its tenancy dirty by trigger, so a view refreshes only those first.
// Each refresh reads the facts of a set of tenancies in two statements, decides with the pure rule in
// rent/worklist.ts, and writes the set in one statement. Nothing here rescans every tenancy for a view.
import type { Queryable, Sql } from '../db/connect.js';
import { sweepAccounts, type AccountSnapshot } from '../jobs/account-sweep.js';
import { loadContactStates, outreachBlock, type ContactStates } from '../jobs/contact-state.js';
import { lastOfficerContactAt } from '../db/queries/contact-log.js';
import { episodeTextDelivered } from '../accounts/next-action-facts.js';
import { arrangementStateOf } from '../rent/next-action.js';
import { isBreathingSpaceActive } from '../rent/holds.js';
import type { LegalStage, Notice } from '../rent/legal.js';
import type { Policy } from '../rent/policy.js';
import { localDateOf } from '../rent/schedule.js';
import { workItemFor, type HoldKind, type PendingEscalation, type WorkFacts, type WorkItem } from '../rent/worklist.js';

interface WorklistDeps {
  sql: Sql;
  policy: Policy;
  timeZone: string;
}

interface CaseRow {
  tenancy_ref: string;
  tenure: string;
  patch: string | null;
  officer_slack_id: string | null;
  claim_pending: boolean;
  escalations:
    | { tenantNo: number; reason: string; urgency: 'normal' | 'urgent'; createdAt: string; overdueAt: string | null }[]
    | null;
  arrangement: { status: string; tenantNo: number; warningDeadline: string | null; changedAt: string } | null;
  episode_opened_at: Date | null;
  texts_sent: number;
  legal: {
    stage: LegalStage;
    notice: Notice | null;
    earliest: string | null;
    expires: string | null;
    breached: boolean;
    recordedAt: string;
  } | null;
  last_contact_at: Date | null;
}

/**
 * Everything but the ledger figures and the tenants' contact states (loadContactStates, the read every job
 * judges contact from), for a set of tenancies, in one statement (a lookup per tenancy by index).
 */
async function loadCases(sql: Queryable, refs: readonly string[]): Promise<CaseRow[]> {
  return sql<CaseRow[]>`
    select t.tenancy_ref, t.tenure, t.patch, t.officer_slack_id, t.benefit_claim_pending_since is not null as claim_pending,
      (select json_agg(json_build_object('tenantNo', e.tenant_no, 'reason', e.reason, 'urgency', e.urgency, 'createdAt', e.created_at, 'overdueAt', e.overdue_at))
         from escalations e where e.tenancy_ref = t.tenancy_ref and e.status = 'pending') as escalations,
      (select json_build_object('status', a.status, 'tenantNo', a.tenant_no, 'warningDeadline', a.warning_deadline::text, 'changedAt', a.updated_at)
         from arrangements a where a.tenancy_ref = t.tenancy_ref order by a.created_at desc, a.id desc limit 1) as arrangement,
      (select ep.opened_at from arrears_episodes ep where ep.tenancy_ref = t.tenancy_ref and ep.closed_at is null) as episode_opened_at,
      coalesce((select max(n) from (
        select count(*) filter (where ${episodeTextDelivered(sql)}) as n
        from arrears_episodes e join episode_texts et on et.episode_id = e.id
        where e.tenancy_ref = t.tenancy_ref and e.closed_at is null group by et.tenant_no) per_tenant), 0)::int as texts_sent,
      (select json_build_object('stage', l.stage, 'notice', l.notice, 'earliest', l.earliest_proceedings_date::text, 'expires', l.expires_on::text,
              'breached', l.order_breached_at is not null, 'recordedAt', l.recorded_at)
         from legal_stages l where l.tenancy_ref = t.tenancy_ref order by l.recorded_at desc, l.id desc limit 1) as legal,
      ${lastOfficerContactAt(sql, sql`t.tenancy_ref`)} as last_contact_at
    from tenancies t
    where t.tenancy_ref = any(${refs as string[]}::text[])`;
}

/** What the contact rule says stops arrears outreach, as the worklist names it (a referral pause is no hold here: it only waits). */
const HOLD_OF: Record<string, HoldKind> = {
  not_textable: 'not_textable',
  opted_out: 'opted_out',
  do_not_contact: 'do_not_contact',
  breathing_space: 'breathing_space',
  breathing_space_mental_health: 'breathing_space',
  vulnerable: 'vulnerable',
  dispute: 'disputed',
  crisis: 'crisis',
};

interface WorklistRow extends WorkItem {
  tenancyRef: string;
  patch: string | null;
  officerSlackId: string | null;
}

/** What deciding a batch's worklist items needs besides the snapshots. */
interface DecideOptions {
  now: Date;
  today: string;
  policy: Policy;
  /** The tenancies' contact states when the caller has read them (the daily job, once per batch). */
  contact?: ContactStates;
}

/** Decides the worklist item of each snapshot's tenancy (no writes). */
async function decideWorklist(
  sql: Queryable,
  snapshots: readonly AccountSnapshot[],
  options: DecideOptions,
): Promise<WorklistRow[]> {
  if (snapshots.length === 0) return [];
  const refs = snapshots.map((s) => s.tenancyRef);
  const { now, today, policy } = options;
  const [cases, contact] = await Promise.all([
    loadCases(sql, refs),
    options.contact ?? loadContactStates(sql, refs, now, policy.time_zone),
  ]);
  const caseOf = new Map(cases.map((c) => [c.tenancy_ref, c]));
  const rows: WorklistRow[] = [];
  for (const s of snapshots) {
    const c = caseOf.get(s.tenancyRef);
    if (!c) continue;
    const people = contact.get(s.tenancyRef) ?? [];
    const tenancyHolds = people[0]?.holds ?? [];
    const tenantFacts = people.map((p) => p.facts);
    const holds: { kind: HoldKind; tenantNo: number }[] = [];
    for (const t of people) {
      // Holds only: a conversation open does not make a case an officer's.
      const block = outreachBlock({ ...t, open_purpose: null }, 'arrears', now, policy);
      const kind = block ? HOLD_OF[block] : undefined;
      if (kind) holds.push({ kind, tenantNo: t.tenant_no });
    }
    const spaces = tenantFacts.flatMap((t) =>
      t.breathingSpace ? [{ tenantNo: t.tenantNo, ...t.breathingSpace }] : [],
    );
    const crisis = tenancyHolds.find((h) => h.kind === 'crisis');
    const escalations: PendingEscalation[] = (c.escalations ?? []).map((e) => ({
      ...e,
      createdAt: new Date(e.createdAt),
      overdueAt: e.overdueAt === null ? null : new Date(e.overdueAt),
    }));
    const facts: WorkFacts = {
      now,
      today,
      leadTenantNo: people[0]?.tenant_no ?? 1,
      actionableArrearsPence: s.actionableArrearsPence,
      weeksInArrears: s.weeksInArrears,
      arrearsSince: c.episode_opened_at,
      escalations,
      arrangement: c.arrangement ? { ...c.arrangement, changedAt: new Date(c.arrangement.changedAt) } : null,
      holds,
      breathingSpaceEnds: spaces.flatMap((t) =>
        t.end === null ? [] : [{ tenantNo: t.tenantNo, start: t.start, end: t.end }],
      ),
      legal: c.legal
        ? {
            stage: c.legal.stage,
            notice: c.legal.notice,
            earliestProceedingsDate: c.legal.earliest,
            expiresOn: c.legal.expires,
            orderBreached: c.legal.breached,
            recordedAt: new Date(c.legal.recordedAt),
          }
        : null,
      lastOfficerContactAt: c.last_contact_at,
      openCrisis: crisis ? { tenantNo: crisis.tenantNo, since: new Date(crisis.since) } : null,
      nextAction: {
        messagesSentThisEpisode: c.texts_sent,
        arrangementStatus: arrangementStateOf(c.arrangement?.status),
        breathingSpaceActive: spaces.some((t) => isBreathingSpaceActive(t, today)),
        vulnerable: tenantFacts.some((t) => t.vulnerable),
        benefitClaimPending: c.claim_pending,
        disputed: tenantFacts.some((t) => t.disputedAt !== null),
        tenure: c.tenure,
        // The same referral pause the contact rule holds outreach for.
        referralPauseActive: tenancyHolds.some((h) => h.kind === 'referral_pause'),
      },
    };
    const item = workItemFor(facts, policy);
    if (item) rows.push({ ...item, tenancyRef: s.tenancyRef, patch: c.patch, officerSlackId: c.officer_slack_id });
  }
  return rows;
}

/**
 * Refreshes the worklist rows of these snapshots' tenancies (and drops rows of `alsoDrop`, tenancies that
 * are no longer running): one read of their facts, one write for the whole set.
 */
export async function refreshWorklistBatch(
  sql: Queryable,
  snapshots: readonly AccountSnapshot[],
  options: DecideOptions & {
    alsoDrop?: readonly string[];
    /** The daily sweep: marks its own writes left on these tenancies (stamped at or before `now`) are settled. */
    settleMarks?: boolean;
  },
): Promise<number> {
  const rows = await decideWorklist(sql, snapshots, options);
  const scope = [...snapshots.map((s) => s.tenancyRef), ...(options.alsoDrop ?? [])];
  if (scope.length === 0) return 0;
  await sql`
    with items as (
      select * from unnest(${rows.map((r) => r.tenancyRef)}::text[], ${rows.map((r) => r.tenantNo)}::int[], ${rows.map((r) => r.patch) as string[]}::text[],
        ${rows.map((r) => r.officerSlackId) as string[]}::text[], ${rows.map((r) => r.action)}::text[], ${rows.map((r) => r.reason)}::text[],
        ${rows.map((r) => r.priority)}::int[], ${rows.map((r) => r.depth)}::int[], ${rows.map((r) => r.since.toISOString())}::timestamptz[])
        as i(tenancy_ref, tenant_no, patch, officer_slack_id, action, reason, priority, depth, since)
    ), gone as (
      delete from worklist w where w.tenancy_ref = any(${scope}::text[]) and not exists (select 1 from items i where i.tenancy_ref = w.tenancy_ref)
    )
    insert into worklist (tenancy_ref, tenant_no, patch, officer_slack_id, action, reason, priority, depth, since, refreshed_at)
    select tenancy_ref, tenant_no, patch, officer_slack_id, action, reason, priority, depth, since, ${options.now}::timestamptz from items
    on conflict (tenancy_ref) do update set tenant_no = excluded.tenant_no, patch = excluded.patch, officer_slack_id = excluded.officer_slack_id,
      action = excluded.action, reason = excluded.reason, priority = excluded.priority, depth = excluded.depth, since = excluded.since,
      refreshed_at = excluded.refreshed_at
    where (worklist.tenant_no, worklist.patch, worklist.officer_slack_id, worklist.action, worklist.reason, worklist.priority, worklist.depth, worklist.since)
      is distinct from (excluded.tenant_no, excluded.patch, excluded.officer_slack_id, excluded.action, excluded.reason, excluded.priority, excluded.depth, excluded.since)`;
  if (options.settleMarks)
    await sql`delete from worklist_dirty where tenancy_ref = any(${scope}::text[]) and marked_at <= ${options.now}`;
  return rows.length;
}

/**
 * Tenancies that may need a person whatever their arrears: a hand-off waiting, a legal stage, a broken
 * arrangement, a Breathing Space ending soon, or a row on the worklist now (it may have to go). Read once
 * per sweep, so a batch only looks further at these and at accounts with arrears over the threshold.
 */
export async function worklistInterest(sql: Queryable, today: string): Promise<Set<string>> {
  const rows = await sql<{ tenancy_ref: string }[]>`
    select tenancy_ref from escalations where status = 'pending'
    union select tenancy_ref from legal_stages
    union select tenancy_ref from arrangements where status = 'broken'
    union select tenancy_ref from tenants where breathing_space_end between ${today}::date and ${today}::date + 7
    union select tenancy_ref from escalations where reason = 'crisis' and crisis_resolved_at is null
    union select tenancy_ref from worklist`;
  return new Set(rows.map((r) => r.tenancy_ref));
}

/** The accounts of a sweep batch the worklist has to look at (the others cannot have an item, nor a row). */
export function worthAssessing(
  batch: readonly AccountSnapshot[],
  interest: ReadonlySet<string>,
  policy: Policy,
): AccountSnapshot[] {
  return batch.filter((s) => s.actionableArrearsPence >= policy.arrears.threshold_pence || interest.has(s.tenancyRef));
}

/** Refreshes some tenancies from scratch (their ledger figures included): what an event or a view needs. */
export async function refreshWorklistFor(deps: WorklistDeps, refs: readonly string[], now: Date): Promise<void> {
  if (refs.length === 0) return;
  const today = localDateOf(now, deps.timeZone);
  const snapshots: AccountSnapshot[] = [];
  await sweepAccounts(deps.sql, { today, policy: deps.policy, refs }, (batch) => void snapshots.push(...batch));
  const running = new Set(snapshots.map((s) => s.tenancyRef));
  await refreshWorklistBatch(deps.sql, snapshots, {
    now,
    today,
    policy: deps.policy,
    alsoDrop: refs.filter((r) => !running.has(r)),
  });
}

/** How many marked tenancies one view refreshes before reading (the rest wait for the next view or the sweep). */
const DIRTY_PER_VIEW = 5000;

/** Refreshes the tenancies marked since the last refresh, and clears their marks unless marked again meanwhile. */
async function refreshDirty(deps: WorklistDeps, now: Date): Promise<number> {
  // The mark's time goes round as text, so a mark stamped with microseconds still matches exactly.
  const dirty = await deps.sql<{ tenancy_ref: string; marked_at: string }[]>`
    select tenancy_ref, marked_at::text as marked_at from worklist_dirty order by marked_at limit ${DIRTY_PER_VIEW}`;
  if (dirty.length === 0) return 0;
  await refreshWorklistFor(
    deps,
    dirty.map((d) => d.tenancy_ref),
    now,
  );
  await deps.sql`
    delete from worklist_dirty d using unnest(${dirty.map((d) => d.tenancy_ref)}::text[], ${dirty.map((d) => d.marked_at)}::text[]) as seen(ref, marked)
    where d.tenancy_ref = seen.ref and d.marked_at = seen.marked::timestamptz`;
  return dirty.length;
}

/** After a whole sweep: rows of tenancies that are no longer running go. */
export async function dropEndedFromWorklist(sql: Queryable, today: string): Promise<void> {
  await sql`delete from worklist w using tenancies t where t.tenancy_ref = w.tenancy_ref and t.end_date is not null and t.end_date < ${today}`;
}

export interface WorklistEntry {
  tenancy_ref: string;
  tenant_no: number;
  patch: string | null;
  action: string;
  reason: string;
  priority: number;
  since: string;
}

export interface WorklistView {
  items: WorklistEntry[];
  /** Items matching the filter, however many are shown. */
  total: number;
  /** Items per action (same filter). */
  counts: Record<string, number>;
  /** Items per action on the officer's own patch, when an officer asked. */
  ownCounts?: Record<string, number>;
}

/**
 * The ranked worklist, most urgent first, after refreshing what changed. `patch` filters to one patch;
 * `officerSlackId` puts that officer's own tenancies first (App Home).
 */
export async function readWorklist(
  deps: WorklistDeps,
  options: { now: Date; patch?: string | null; officerSlackId?: string | null; limit?: number },
): Promise<WorklistView> {
  await refreshDirty(deps, options.now);
  const patch = options.patch ?? null;
  const own = options.officerSlackId ?? null;
  const limit = Math.max(1, Math.min(options.limit ?? 1000, 10_000));
  const where = patch === null ? deps.sql`` : deps.sql`where patch = ${patch}`;
  const [items, counts, ownCounts] = await Promise.all([
    deps.sql<WorklistEntry[]>`
      select tenancy_ref, tenant_no, patch, action, reason, priority, since from worklist ${where}
      order by ${own === null ? deps.sql`` : deps.sql`(officer_slack_id is not distinct from ${own}) desc,`} priority, depth desc, since, tenancy_ref
      limit ${limit}`,
    deps.sql<
      { action: string; n: number }[]
    >`select action, count(*)::int as n from worklist ${where} group by action order by action`,
    own === null
      ? Promise.resolve(null)
      : deps.sql<
          { action: string; n: number }[]
        >`select action, count(*)::int as n from worklist where officer_slack_id = ${own} group by action order by action`,
  ]);
  return {
    items: items.map((i) => ({ ...i, since: new Date(i.since).toISOString() })),
    total: counts.reduce((sum, c) => sum + c.n, 0),
    counts: Object.fromEntries(counts.map((c) => [c.action, c.n])),
    ...(ownCounts ? { ownCounts: Object.fromEntries(ownCounts.map((c) => [c.action, c.n])) } : {}),
  };
}
