// Starting the conversations a job chose, each in its own transaction together with the unique key that
// makes it happen once (a reminder per tenant and due date, a text per episode attempt, a nudge per
// instalment). Two runs racing for one key: the second waits on the unique index, then finds it taken
// and starts nothing. A start that cannot go ahead rolls its key back, so a later run may try again.
import type { Queryable, TransactionSql } from '../db/connect.js';
import { startConversation } from '../conversations/start.js';
import type { MessagePurpose } from '../conversations/effects.js';
import { forEachLimited } from '../outbox/rate-limit.js';
import type { JobDecision, JobDeps, JobName, JobReport } from './types.js';
import { count } from './types.js';

export interface OutreachPlan {
  tenancyRef: string;
  tenantNo: number;
  flowId: string;
  purpose: MessagePurpose;
  vars?: Record<string, string | number>;
  /** Recorded as the decision's action (first_text, rent_reminder...). */
  action: string;
  reason: string;
  /** Inserts the plan's unique key; false when it already exists (done by another run). */
  claim(tx: TransactionSql): Promise<boolean>;
  /** Links the started conversation to the key. */
  attach(tx: TransactionSql, conversationId: number): Promise<void>;
}

class NotStarted extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Starts every plan (at most `deps.concurrency` at once), or in a dry run only lists them. */
export async function carryOut(deps: JobDeps, job: JobName, report: JobReport, plans: readonly OutreachPlan[], now: Date): Promise<void> {
  const decide = (plan: OutreachPlan, outcome: JobDecision['outcome'], reason: string) =>
    report.decisions.push({ job, tenancyRef: plan.tenancyRef, tenantNo: plan.tenantNo, action: plan.action, outcome, reason });
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
    return;
  }
  await forEachLimited(plans, deps.concurrency ?? 8, async (plan) => {
    try {
      const started = await deps.sql.begin(async (tx) => {
        if (!(await plan.claim(tx))) return false;
        const result = await startConversation(tx, deps, {
          tenancyRef: plan.tenancyRef, tenantNo: plan.tenantNo, flowId: plan.flowId, purpose: plan.purpose, now,
          ...(plan.vars ? { vars: plan.vars } : {}),
        });
        if (!result.started) throw new NotStarted(result.reason);
        await plan.attach(tx, result.conversationId);
        return true;
      });
      if (started) {
        decide(plan, 'started', plan.reason);
        count(report, 'started');
      } else count(report, 'already_done');
    } catch (error) {
      if (!(error instanceof NotStarted)) throw error;
      decide(plan, 'skipped', error.reason);
      count(report, `skipped_${error.reason}`);
    }
  });
}

/** Writes the report's decisions in one statement (kept for dry runs and for officers' "why not?"). */
export async function recordDecisions(sql: Queryable, report: JobReport, now: Date): Promise<void> {
  const rows = report.decisions;
  if (rows.length === 0) return;
  await sql`
    insert into job_decisions (job, at, tenancy_ref, tenant_no, action, outcome, reason, dry_run)
    select job, ${now}::timestamptz, tenancy_ref, tenant_no, action, outcome, reason, ${report.dryRun}
    from unnest(${rows.map((r) => r.job)}::text[], ${rows.map((r) => r.tenancyRef)}::text[],
                ${rows.map((r) => r.tenantNo) as never}::smallint[], ${rows.map((r) => r.action)}::text[],
                ${rows.map((r) => r.outcome)}::text[], ${rows.map((r) => r.reason)}::text[])
      as d(job, tenancy_ref, tenant_no, action, outcome, reason)`;
}

/** Adds a skip to the report (no conversation is started for this tenant). */
export function skip(report: JobReport, job: JobName, tenancyRef: string, tenantNo: number | null, action: string, reason: string): void {
  report.decisions.push({ job, tenancyRef, tenantNo, action, outcome: 'skipped', reason });
  count(report, `skipped_${reason}`);
}
