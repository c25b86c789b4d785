// Runs one job by name, as if the clock read `now`: what `rentline run <job> --at` and the durable runner
// both call. `daily` runs all four over one sweep of the accounts: timeouts first (conversations that have
// run their course close, so today's outreach is not held up by them), then the arrangement watch (a nudge
// or a warning is what a tenant with a plan should get), then, one sweep batch at a time, missed payments
// and reminders, so a tenant due an arrears text gets that rather than a reminder (one conversation at a
// time per tenant). A batch is decided, started and recorded before the next is read, so memory holds one
// batch of accounts and decisions however many tenancies there are.
import { dropEndedFromWorklist, refreshWorklistBatch, worklistInterest, worthAssessing } from '../casework/worklist.js';
import { watchSuspendedOrders } from '../casework/order-watch.js';
import { dailyKpiTotals } from '../kpis/account-sql.js';
import { settleKeptLedger } from '../accounts/kept-ledger.js';
import { localDateOf } from '../rent/schedule.js';
import { sweepAccounts, SWEEP_BATCHES_AT_ONCE } from './account-sweep.js';
import { runArrangements } from './arrangements.js';
import {
  beginMissedPayments,
  finishMissedPayments,
  missedPaymentsForBatch,
  runMissedPayments,
} from './missed-payments.js';
import { flushDecisions } from './outreach.js';
import { dueForReminder, remindersForBatch, runReminders } from './reminders.js';
import { loadContactStates } from './contact-state.js';
import { runTimeouts } from './timeouts.js';
import { runWeeklyDigest } from './weekly-digest.js';
import { untimed } from '../lib/phase-timer.js';
import { emptyReport, type JobDeps, type JobName, type JobReport } from './types.js';

async function runOne(deps: JobDeps, job: Exclude<JobName, 'daily'>, now: Date): Promise<JobReport> {
  switch (job) {
    case 'reminders':
      return runReminders(deps, now);
    case 'missed-payments':
      return runMissedPayments(deps, now);
    case 'arrangements':
      return runArrangements(deps, now);
    case 'timeouts':
      return runTimeouts(deps, now);
    case 'weekly-digest':
      return runWeeklyDigest(deps, now);
  }
}

async function runDaily(deps: JobDeps, now: Date): Promise<JobReport[]> {
  // A dry run remembers whom an earlier job would have started, so later ones list them as busy.
  const shared: JobDeps = deps.dryRun ? { ...deps, plannedTenants: deps.plannedTenants ?? new Set() } : deps;
  const timer = deps.timer ?? untimed;
  const timeouts = await timer.time('timeouts', () => runTimeouts(shared, now));
  const arrangements = await timer.time('arrangements', () => runArrangements(shared, now));
  // Suspended possession orders are watched like arrangements; a breach is raised to officers.
  if (!deps.dryRun)
    arrangements.counts.suspended_orders_broken = await timer.time('suspended orders', () =>
      watchSuspendedOrders(deps, now),
    );
  const missed = emptyReport('missed-payments', now, deps.dryRun);
  const reminders = emptyReport('reminders', now, deps.dryRun);
  const today = localDateOf(now, deps.timeZone);
  await timer.time('breathing space stops', () => beginMissedPayments(shared, now, missed));
  // The kept ledger's older lines join its settled sums, a day's worth each morning (accounts/kept-ledger.ts).
  if (!deps.dryRun) await timer.time('ledger settled', () => settleKeptLedger(deps.sql, today));
  const interest = await timer.time('worklist interest', () => worklistInterest(deps.sql, today));
  // Today's account KPIs come from the same pass, so a view of them need not read the ledger again.
  const kpis = deps.dryRun ? null : await dailyKpiTotals(deps.sql, today, deps.policy);
  const sweep = {
    today,
    policy: deps.policy,
    batchesAtOnce: SWEEP_BATCHES_AT_ONCE,
    yearSums: kpis?.yearSums,
    timer,
  };
  await sweepAccounts(deps.sql, sweep, async (batch) => {
    kpis?.visit(batch);
    // The batch's contact states, read once for missed payments, reminders and the worklist: every account
    // any of them looks at (the worklist's are a superset of those over the threshold).
    const assessing = worthAssessing(batch, interest, deps.policy);
    const reminding = batch.filter((s) => dueForReminder(s, today, deps.policy.reminders.days_before));
    const refs = new Set(
      [...assessing, ...reminding.filter((s) => s.actionableArrearsPence > 0)].map((s) => s.tenancyRef),
    );
    // Accounts due a reminder with no arrears are read only where someone could get it (contact-state.ts).
    const ifRemindable = reminding.map((s) => s.tenancyRef).filter((ref) => !refs.has(ref));
    const contact = await timer.time('contact states', () =>
      loadContactStates(deps.sql, [...refs], now, deps.timeZone, ifRemindable),
    );
    await timer.time('missed payments', () => missedPaymentsForBatch(shared, now, missed, batch, contact));
    await timer.time('reminders', () => remindersForBatch(shared, now, reminders, batch, contact));
    await timer.time('decisions written', async () => {
      await flushDecisions(deps, missed, now);
      await flushDecisions(deps, reminders, now);
    });
    // The officers' worklist for this batch, from the figures just assessed and what the batch's jobs did.
    if (!deps.dryRun)
      await timer.time('worklist refresh', () =>
        refreshWorklistBatch(deps.sql, assessing, {
          now,
          today,
          policy: deps.policy,
          settleMarks: true,
          contact,
        }),
      );
  });
  await timer.time('episodes of ended tenancies', () => finishMissedPayments(shared, now, missed));
  await timer.time('kpi totals', async () => kpis?.finish());
  if (!deps.dryRun) await timer.time('worklist ended', () => dropEndedFromWorklist(deps.sql, today));
  return [timeouts, missed, arrangements, reminders];
}

/** Runs `job` at `now`, records its decisions, and returns one report per job run (daily gives four). */
export async function runJob(deps: JobDeps, job: JobName, now: Date): Promise<JobReport[]> {
  const reports = job === 'daily' ? await runDaily(deps, now) : [await runOne(deps, job, now)];
  for (const report of reports) await flushDecisions(deps, report, now);
  return reports;
}
