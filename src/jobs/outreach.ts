// Starting the conversations a job chose, together with the unique key that makes each happen once (a
// reminder per tenant and due date, a text per episode attempt, a nudge per instalment). Keyed plans go in
// batches: one transaction per batch draws the conversations' ids, claims the keys (each naming its
// conversation), starts the conversations with the set-based startConversations under those ids and
// releases the keys of starts that could not go ahead (what a rollback did when each start had its own
// transaction), so ~50,000 texts on one morning cost a few statements per 2,000. Two runs racing for one
// key: the second waits on the unique index, then finds it taken. Plans with a claim of their own (an
// arrangement's warning) still start one at a time in their own transaction.
import { arrayParam } from '../db/params.js';
import type { TransactionSql } from '../db/connect.js';
import { startConversations, type StartFigures } from '../conversations/bulk-start.js';
import { startConversation } from '../conversations/start.js';
import type { MessagePurpose } from '../conversations/effects.js';
import { forEachLimited } from '../outbox/rate-limit.js';
import { claimKeys, releaseKeys, type OutreachKey } from './outreach-keys.js';
import { drawConversationIds } from '../db/queries/conversations.js';
import type { JobDecision, JobDeps, JobName, JobReport } from './types.js';
import { count } from './types.js';

/** A claim that needs more than a key (it ends other conversations first): started one at a time. */
interface CustomClaim {
  kind: 'custom';
  /** Inserts the plan's key (or makes its change); false when another run has done it. */
  claim(tx: TransactionSql): Promise<boolean>;
  /** Links the started conversation to the key. */
  attach(tx: TransactionSql, conversationId: number): Promise<void>;
}

export interface OutreachPlan {
  tenancyRef: string;
  tenantNo: number;
  flowId: string;
  purpose: MessagePurpose;
  vars?: Record<string, string | number>;
  /** Recorded as the decision's action (first_text, rent_reminder...). */
  action: string;
  reason: string;
  /** What makes this outreach happen once. */
  once: OutreachKey | CustomClaim;
  /** The account's balance and arrears from today's sweep, when the job has them (saves a ledger read). */
  figures?: StartFigures;
}

/** Keyed plans started per transaction, and batches in flight at once. */
const START_BATCH_SIZE = 2000;
const BATCHES_AT_ONCE = 2;

class NotStarted extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

type KeyedOutreachPlan = OutreachPlan & { once: OutreachKey };

/**
 * Rounds of batches in (tenancy, tenant) order. A tenant has one conversation at a time, so a tenant planned
 * twice (which today's jobs never do) waits for a later round, as the second of two one-at-a-time starts did.
 */
function roundsOf(plans: KeyedOutreachPlan[]): KeyedOutreachPlan[][][] {
  const sorted = [...plans].sort((a, b) =>
    a.tenancyRef < b.tenancyRef ? -1 : a.tenancyRef > b.tenancyRef ? 1 : a.tenantNo - b.tenantNo,
  );
  const rounds: KeyedOutreachPlan[][] = [];
  const seen = new Map<string, number>();
  for (const plan of sorted) {
    const tenant = `${plan.tenancyRef}/${plan.tenantNo}`;
    const round = seen.get(tenant) ?? 0;
    seen.set(tenant, round + 1);
    (rounds[round] ??= []).push(plan);
  }
  return rounds.map((round) =>
    Array.from({ length: Math.ceil(round.length / START_BATCH_SIZE) }, (_, i) =>
      round.slice(i * START_BATCH_SIZE, (i + 1) * START_BATCH_SIZE),
    ),
  );
}

/** Starts every plan, or in a dry run only lists them; returns the plans started (none in a dry run). */
export async function carryOut(
  deps: JobDeps,
  job: JobName,
  report: JobReport,
  plans: readonly OutreachPlan[],
  now: Date,
): Promise<OutreachPlan[]> {
  const startedPlans: OutreachPlan[] = [];
  const decide = (plan: OutreachPlan, outcome: JobDecision['outcome'], reason: string) =>
    report.decisions.push({
      job,
      tenancyRef: plan.tenancyRef,
      tenantNo: plan.tenantNo,
      action: plan.action,
      outcome,
      reason,
    });
  if (deps.dryRun) {
    for (const plan of plans) {
      const key = `${plan.tenancyRef}/${plan.tenantNo}`;
      if (deps.plannedTenants?.has(key)) {
        decide(plan, 'skipped', 'conversation_open');
        count(report, 'skipped_conversation_open');
        continue;
      }
      deps.plannedTenants?.add(key);
      decide(plan, 'would_start', plan.reason);
      count(report, 'would_start');
    }
    return startedPlans;
  }
  const keyed = plans.filter((p): p is KeyedOutreachPlan => p.once.kind !== 'custom');
  for (const round of roundsOf(keyed))
    await forEachLimited(round, BATCHES_AT_ONCE, async (batch) => {
      const outcomes = await deps.sql.begin(async (tx) => {
        // Each plan's conversation id is drawn first, so its key names the conversation when it is claimed.
        const ids = await drawConversationIds(tx, batch.length);
        const claimed = await claimKeys(tx, batch, ids, now);
        const toStart = batch.flatMap((plan, i) => (claimed[i] ? [{ plan, conversationId: ids[i] as number }] : []));
        const results = await startConversations(
          tx,
          deps,
          toStart.map(({ plan: p, conversationId }) => ({
            tenancyRef: p.tenancyRef,
            tenantNo: p.tenantNo,
            flowId: p.flowId,
            purpose: p.purpose,
            conversationId,
            ...(p.vars ? { vars: p.vars } : {}),
            ...(p.figures ? { figures: p.figures } : {}),
          })),
          now,
        );
        await releaseKeys(
          tx,
          toStart.flatMap(({ plan }, i) => (results[i]?.started ? [] : [plan])),
        );
        return new Map(toStart.map(({ plan }, i) => [plan, results[i]]));
      });
      for (const plan of batch) {
        const result = outcomes.get(plan);
        if (!result) count(report, 'already_done');
        else if (result.started) {
          decide(plan, 'started', plan.reason);
          count(report, 'started');
          startedPlans.push(plan);
        } else {
          decide(plan, 'skipped', result.reason);
          count(report, `skipped_${result.reason}`);
        }
      }
    });
  const custom = plans.filter((p): p is OutreachPlan & { once: CustomClaim } => p.once.kind === 'custom');
  await forEachLimited(custom, deps.concurrency ?? 8, async (plan) => {
    try {
      const started = await deps.sql.begin(async (tx) => {
        if (!(await plan.once.claim(tx))) return false;
        const result = await startConversation(tx, deps, {
          tenancyRef: plan.tenancyRef,
          tenantNo: plan.tenantNo,
          flowId: plan.flowId,
          purpose: plan.purpose,
          now,
          ...(plan.vars ? { vars: plan.vars } : {}),
        });
        if (!result.started) throw new NotStarted(result.reason);
        await plan.once.attach(tx, result.conversationId);
        return true;
      });
      if (started) {
        decide(plan, 'started', plan.reason);
        count(report, 'started');
        startedPlans.push(plan);
      } else count(report, 'already_done');
    } catch (error) {
      if (!(error instanceof NotStarted)) throw error;
      decide(plan, 'skipped', error.reason);
      count(report, `skipped_${error.reason}`);
    }
  });
  return startedPlans;
}

/** Decisions per insert: a day of 150,000 tenancies is written in a few statements, none of them huge. */
const DECISIONS_PER_INSERT = 5000;
/** How many of a report's decisions are already in job_decisions (when they are kept in the report too). */
const recordedCount = new WeakMap<JobReport, number>();

/**
 * A decision the table need not hold: the tenant was already in a conversation. The conversation's own row
 * (its start, purpose and end) is the record of why nothing new began, and writing "busy" again for every
 * such tenant every day was five rows in six of a steady day's decisions. The report still counts them
 * (`skipped_conversation_open`) and a dry run's listing still shows them.
 */
const alreadyRecorded = (d: JobDecision) => d.outcome === 'skipped' && d.reason === 'conversation_open';

/**
 * Writes the report's decisions not yet written (kept for dry runs and for officers' "why not?"). Unless
 * the caller keeps them (the CLI lists them), they are then dropped from the report, so a sweep holds one
 * batch's decisions at a time.
 *
 * The daily sweep visits several batches at once, all adding to one report: the decisions to write are
 * taken (and marked taken) before the first await, so a flush never writes what another flush has taken,
 * nor drops what a batch added while it was writing (both happened: 56,025 "started" rows for 49,991 starts,
 * 4,266 tenants missing).
 */
export async function flushDecisions(
  deps: Pick<JobDeps, 'sql' | 'keepDecisions'>,
  report: JobReport,
  now: Date,
): Promise<void> {
  const from = recordedCount.get(report) ?? 0;
  let taken: JobDecision[];
  if (deps.keepDecisions === false) {
    taken = report.decisions.splice(from);
    recordedCount.delete(report);
  } else {
    taken = report.decisions.slice(from);
    recordedCount.set(report, report.decisions.length);
  }
  const unwritten = taken.filter((d) => !alreadyRecorded(d));
  for (let start = 0; start < unwritten.length; start += DECISIONS_PER_INSERT) {
    const rows = unwritten.slice(start, start + DECISIONS_PER_INSERT);
    await deps.sql`
      insert into job_decisions (job, at, tenancy_ref, tenant_no, action, outcome, reason, dry_run)
      select job, ${now}::timestamptz, tenancy_ref, tenant_no, action, outcome, reason, ${report.dryRun}
      from unnest(${rows.map((r) => r.job)}::text[], ${rows.map((r) => r.tenancyRef)}::text[],
                  ${arrayParam(
                    deps.sql,
                    rows.map((r) => r.tenantNo),
                  )}::smallint[], ${rows.map((r) => r.action)}::text[],
                  ${rows.map((r) => r.outcome)}::text[], ${rows.map((r) => r.reason)}::text[])
        as d(job, tenancy_ref, tenant_no, action, outcome, reason)`;
  }
}

/** Adds a skip to the report (no conversation is started for this tenant). */
export function skip(
  report: JobReport,
  job: JobName,
  tenancyRef: string,
  tenantNo: number | null,
  action: string,
  reason: string,
): void {
  report.decisions.push({ job, tenancyRef, tenantNo, action, outcome: 'skipped', reason });
  count(report, `skipped_${reason}`);
}
