// Rent reminders: `reminders.days_before` days ahead of each due date on the charge calendar, to tenants
// in arrears, with an arrangement, or who asked for them; never to an account fully covered by HB or UC
// paid to the landlord. Once per tenant and due date (reminders_sent's key). A run that comes late still
// reminds about a due date that is yet to come, never about one that has arrived (the timeouts job also
// withdraws a queued reminder once its due date comes).
import { addDays } from '../rent/calendar-date.js';
import { nextContactOpening } from '../rent/contact-window.js';
import { localDateOf } from '../rent/schedule.js';
import { sweepAccounts, SWEEP_BATCHES_AT_ONCE, type AccountSnapshot } from './account-sweep.js';
import { latestArrangementStatuses, LIVE_ARRANGEMENT } from './arrangement-queries.js';
import { loadContactStates, outreachBlock, type ContactStates } from './contact-state.js';
import { carryOut, flushDecisions, skip, type OutreachPlan } from './outreach.js';
import { untimed } from '../lib/phase-timer.js';
import { count, emptyReport, type JobDeps, type JobReport } from './types.js';
import { logHeldReminders, type HeldReminder } from '../cases/held-contact.js';

/** Accounts whose next due date falls inside the reminder window (tomorrow to today + days_before). */
export function dueForReminder(snapshot: AccountSnapshot, today: string, daysBefore: number): boolean {
  const due = snapshot.nextDueDate;
  return (
    due !== null && due > today && due <= addDays(today, Math.max(1, daysBefore)) && !snapshot.fullyCoveredByBenefit
  );
}

/**
 * One sweep batch: the reminders its accounts are due, started once per tenant and due date. `contact` is
 * the batch's contact states when the daily job has read them once for all its jobs.
 */
export async function remindersForBatch(
  deps: JobDeps,
  now: Date,
  report: JobReport,
  batch: readonly AccountSnapshot[],
  contact?: ContactStates,
): Promise<void> {
  const { policy, sql } = deps;
  const today = localDateOf(now, deps.timeZone);
  const due = batch.filter((s) => dueForReminder(s, today, policy.reminders.days_before));
  count(report, 'due', due.length);
  if (due.length === 0) return;

  const refs = due.map((s) => s.tenancyRef);
  const timer = deps.timer ?? untimed;
  const [tenants, arrangements, sent] = await timer.time('reminders: reads', () =>
    Promise.all([
      contact ?? loadContactStates(sql, refs, now, deps.timeZone),
      latestArrangementStatuses(sql, refs),
      sql<{ key: string }[]>`
      select r.tenancy_ref || '/' || r.tenant_no || '/' || r.due_date::text as key
      from reminders_sent r
      join unnest(${refs}::text[], ${due.map((s) => s.nextDueDate as string)}::date[]) as d(tenancy_ref, due_date)
        on r.tenancy_ref = d.tenancy_ref and r.due_date = d.due_date`,
    ]),
  );
  const alreadySent = new Set(sent.map((r) => r.key));

  // Texts wait for the contact window: a reminder that could only go out on its due date is not started.
  const firstChance = localDateOf(nextContactOpening(now, policy), deps.timeZone);
  const plans: OutreachPlan[] = [];
  const held: HeldReminder[] = [];
  for (const account of due) {
    const dueDate = account.nextDueDate as string;
    if (firstChance >= dueDate) {
      skip(report, 'reminders', account.tenancyRef, null, 'rent_reminder', 'contact_window_closed_until_due_date');
      continue;
    }
    const arrangementLive = LIVE_ARRANGEMENT.has(arrangements.get(account.tenancyRef) ?? 'none');
    for (const tenant of tenants.get(account.tenancyRef) ?? []) {
      if (alreadySent.has(`${account.tenancyRef}/${tenant.tenant_no}/${dueDate}`)) continue;
      const why = arrangementLive
        ? 'has an arrangement'
        : account.actionableArrearsPence > 0
          ? 'in arrears'
          : tenant.wants_reminders
            ? 'asked for reminders'
            : null;
      if (why === null) continue;
      // The instalment nudge already says "on top of your rent": a reminder as well would be two texts a week.
      if (arrangementLive && policy.arrangements.nudge_day_before) {
        skip(report, 'reminders', account.tenancyRef, tenant.tenant_no, 'rent_reminder', 'arrangement_nudges_instead');
        continue;
      }
      const block = outreachBlock(tenant, 'reminder', now, policy);
      if (block) {
        skip(report, 'reminders', account.tenancyRef, tenant.tenant_no, 'rent_reminder', block);
        if (block !== 'conversation_open')
          held.push({ tenancyRef: account.tenancyRef, tenantNo: tenant.tenant_no, dueDate, reason: block });
        continue;
      }
      plans.push({
        tenancyRef: account.tenancyRef,
        tenantNo: tenant.tenant_no,
        flowId: 'rent_reminder',
        purpose: 'reminder',
        action: 'rent_reminder',
        reason: `Rent due ${dueDate}; tenant ${why}`,
        once: { kind: 'reminder', dueDate },
        figures: { balancePence: account.balancePence, arrearsPence: account.arrearsPence },
      });
    }
  }
  if (!deps.dryRun)
    count(report, 'held_logged', await timer.time('reminders: held logged', () => logHeldReminders(sql, held, now)));
  await timer.time('reminders: starts', () => carryOut(deps, 'reminders', report, plans, now));
}

export async function runReminders(deps: JobDeps, now: Date): Promise<JobReport> {
  const report = emptyReport('reminders', now, deps.dryRun);
  await sweepAccounts(
    deps.sql,
    { today: localDateOf(now, deps.timeZone), policy: deps.policy, batchesAtOnce: SWEEP_BATCHES_AT_ONCE },
    async (batch) => {
      await remindersForBatch(deps, now, report, batch);
      await flushDecisions(deps, report, now);
    },
  );
  return report;
}
