// The arrangement watch, daily: every active or kept arrangement is assessed against the ledger (expected
// balance with the tolerance) and moved on: active → kept, → broken, → completed, each move made once by a
// conditional UPDATE. A break raises an escalation (officers are told in the offer card's thread) and
// texts a warning with a clear deadline, never a legal step; completion texts a thank-you; and the day
// before each instalment a nudge goes (policy arrangements.nudge_day_before), once per instalment.
import type { TransactionSql } from '../db/connect.js';
import { appendContactLog } from '../db/queries/contact-log.js';
import { assessArrangement, type ArrangementAssessment } from '../rent/arrangement.js';
import { addDays } from '../rent/calendar-date.js';
import { localDateOf } from '../rent/schedule.js';
import { ledgersSince, liveArrangements, type LiveArrangement } from './arrangement-queries.js';
import { paymentsTowardArrangement } from '../rent/arrangement-progress.js';
import { endConversations } from '../db/queries/conversations.js';
import { raiseEscalations } from '../db/queries/escalations.js';
import { loadContactStates, outreachBlock, type TenantContactState } from './contact-state.js';
import { carryOut, skip, type OutreachPlan } from './outreach.js';
import { count, emptyReport, type JobDeps, type JobReport } from './types.js';

/** Days the tenant is given, after a break, to catch up before an officer takes it further. */
const WARNING_DEADLINE_DAYS = 7;

export function assessLive(
  a: LiveArrangement,
  lines: Parameters<typeof paymentsTowardArrangement>[0]['lines'],
  today: string,
  policy: JobDeps['policy'],
): ArrangementAssessment {
  const payments = paymentsTowardArrangement({
    openingPence: a.opening_pence,
    lines,
    baseline: a.baseline,
    startArrearsPence: a.start_arrears_pence,
    today,
    graceDays: policy.arrears.grace_days,
  });
  return assessArrangement(
    {
      startArrearsPence: a.start_arrears_pence,
      amountPence: a.amount_pence,
      frequency: a.frequency,
      startDate: a.start_date,
      payments,
      today,
    },
    policy,
  );
}

/** Moves the arrangement on if it is still in `from`; false when another run (or an officer) got there first. */
async function transition(
  tx: TransactionSql,
  a: LiveArrangement,
  to: 'kept' | 'broken' | 'completed',
  reason: string,
  now: Date,
  deadline: string | null,
): Promise<boolean> {
  const rows = await tx`
    update arrangements set status = ${to}, updated_at = ${now}, watch_reason = ${reason},
      kept_at = case when ${to} = 'kept' then ${now}::timestamptz else kept_at end,
      broken_at = case when ${to} = 'broken' then ${now}::timestamptz else broken_at end,
      completed_at = case when ${to} = 'completed' then ${now}::timestamptz else completed_at end,
      warning_deadline = coalesce(${deadline}::date, warning_deadline)
    where id = ${a.id} and status = ${a.status} returning id`;
  if (rows.length === 0) return false;
  await appendContactLog(tx, {
    at: now,
    tenancyRef: a.tenancy_ref,
    tenantNo: a.tenant_no,
    event: `arrangement_${to}`,
    actor: 'rentline',
    detail: { arrangementId: a.id, reason },
  });
  return true;
}

/** Officers are told of a break: an escalation tied to the arrangement, so Slack posts in its card's thread. */
async function alertOfficers(
  tx: TransactionSql,
  a: LiveArrangement,
  reason: string,
  deadline: string,
  now: Date,
): Promise<void> {
  await raiseEscalations(
    tx,
    [
      {
        tenancyRef: a.tenancy_ref,
        tenantNo: a.tenant_no,
        arrangementId: a.id,
        reason: 'arrangement_broken',
        urgency: 'normal',
        summary: `${a.tenancy_ref}: arrangement broken. ${reason}. Warning sent with a deadline of ${deadline}; no legal step recommended before it passes.`,
        logged: { reason: 'arrangement_broken', arrangementId: a.id },
      },
    ],
    now,
  );
}

function outreach(
  a: LiveArrangement,
  tenant: TenantContactState,
  flowId: string,
  action: string,
  reason: string,
  vars: Record<string, string> = {},
): Omit<OutreachPlan, 'once'> {
  return {
    tenancyRef: a.tenancy_ref,
    tenantNo: tenant.tenant_no,
    flowId,
    purpose: 'arrangement',
    action,
    reason,
    vars,
  };
}

export async function runArrangements(deps: JobDeps, now: Date): Promise<JobReport> {
  const report = emptyReport('arrangements', now, deps.dryRun);
  const { sql, policy } = deps;
  const today = localDateOf(now, deps.timeZone);
  const live = await liveArrangements(sql, deps.timeZone);
  report.counts.live = live.length;
  if (live.length === 0) return report;
  const refs = [...new Set(live.map((a) => a.tenancy_ref))];
  const earliest = live.map((a) => a.baseline).sort()[0] as string;
  const [ledgers, tenants] = await Promise.all([
    ledgersSince(sql, refs, addDays(earliest, -policy.arrears.grace_days), today),
    loadContactStates(sql, refs, now, deps.timeZone),
  ]);

  const plans: OutreachPlan[] = [];
  for (const a of live) {
    const assessment = assessLive(a, ledgers.get(a.tenancy_ref) ?? [], today, policy);
    // The arrangement's own tenant is the one who agreed it and hears about it.
    const tenant = (tenants.get(a.tenancy_ref) ?? []).find((t) => t.tenant_no === a.tenant_no);
    const next =
      assessment.status === 'active'
        ? null
        : assessment.status === 'kept'
          ? a.status === 'active'
            ? 'kept'
            : null
          : assessment.status;
    if (next !== null) {
      const deadline = next === 'broken' ? addDays(today, WARNING_DEADLINE_DAYS) : null;
      report.decisions.push({
        job: 'arrangements',
        tenancyRef: a.tenancy_ref,
        tenantNo: a.tenant_no,
        action: `arrangement_${next}`,
        outcome: deps.dryRun ? 'would_start' : 'changed',
        reason: assessment.reason,
      });
      count(report, next);
      if (!deps.dryRun) {
        const moved = await sql.begin(async (tx) => {
          if (!(await transition(tx, a, next, assessment.reason, now, deadline))) return false;
          if (next === 'broken' && deadline) await alertOfficers(tx, a, assessment.reason, deadline, now);
          return true;
        });
        if (!moved) continue;
      }
      if (next === 'kept') continue;
      if (!tenant) continue;
      const kind = next === 'broken' ? 'arrangement_warning' : 'arrangement_thank_you';
      const block = outreachBlock(tenant, 'arrangement', now, policy);
      if (block && block !== 'conversation_open') {
        skip(report, 'arrangements', a.tenancy_ref, tenant.tenant_no, kind, block);
        continue;
      }
      const flowId = next === 'broken' ? 'arrangement_broken' : 'arrangement_completed';
      plans.push({
        ...outreach(a, tenant, flowId, kind, assessment.reason, deadline ? { deadline } : {}),
        // The status change above is this message's key: it happens once. Ending our own outreach first
        // must roll back if the start cannot go ahead, so these (a few a day) start one at a time.
        once: {
          kind: 'custom',
          claim: async (tx) => {
            // Our own earlier outreach (a nudge or a reminder) gives way; a conversation the tenant began does not.
            const ours = tx`
            select id from conversations
            where tenancy_ref = ${a.tenancy_ref} and tenant_no = ${tenant.tenant_no} and status = 'active' and purpose in ('arrangement', 'reminder')`;
            await endConversations(tx, ours, 'superseded', now);
            return true;
          },
          attach: async () => {},
        },
      });
      continue;
    }
    // Still running: nudge the day before the next instalment.
    if (!policy.arrangements.nudge_day_before || !tenant || assessment.nextInstalmentDate !== addDays(today, 1))
      continue;
    const instalment = assessment.nextInstalmentDate;
    const block = outreachBlock(tenant, 'arrangement', now, policy);
    if (block) {
      skip(report, 'arrangements', a.tenancy_ref, tenant.tenant_no, 'arrangement_nudge', block);
      continue;
    }
    plans.push({
      ...outreach(a, tenant, 'arrangement_nudge', 'arrangement_nudge', `Instalment due ${instalment}`, {
        instalment_due: instalment,
      }),
      once: { kind: 'nudge', arrangementId: a.id, instalmentDate: instalment },
    });
  }
  await carryOut(deps, 'arrangements', report, plans, now);
  return report;
}
