// Runs one job by name, as if the clock read `now`: what `rentline run <job> --at` and the durable runner
// both call. `daily` runs all four, sharing one sweep of the accounts: timeouts first (conversations that
// have run their course close, so today's outreach is not held up by them), then missed payments and the
// arrangement watch, and reminders last, so a tenant due an arrears text or a nudge gets that rather than a
// reminder (one conversation at a time per tenant).
import { localDateOf } from '../rent/schedule.js';
import { sweepAccounts, type AccountSnapshot } from './account-sweep.js';
import { runArrangements } from './arrangements.js';
import { runMissedPayments } from './missed-payments.js';
import { recordDecisions } from './outreach.js';
import { dueForReminder, runReminders } from './reminders.js';
import { runTimeouts } from './timeouts.js';
import type { JobDeps, JobName, JobReport } from './types.js';

async function runOne(deps: JobDeps, job: Exclude<JobName, 'daily'>, now: Date, snapshots?: readonly AccountSnapshot[]): Promise<JobReport> {
  switch (job) {
    case 'reminders':
      return runReminders(deps, now, snapshots);
    case 'missed-payments':
      return runMissedPayments(deps, now, snapshots);
    case 'arrangements':
      return runArrangements(deps, now);
    case 'timeouts':
      return runTimeouts(deps, now);
  }
}

/** Runs `job` at `now`, records its decisions, and returns one report per job run (daily gives four). */
export async function runJob(deps: JobDeps, job: JobName, now: Date): Promise<JobReport[]> {
  const reports: JobReport[] = [];
  if (job === 'daily') {
    const today = localDateOf(now, deps.timeZone);
    const snapshots: AccountSnapshot[] = [];
    // Only accounts some job may act on are kept: those with arrears, or with rent due soon.
    const daysBefore = deps.policy.reminders.days_before;
    await sweepAccounts(deps.sql, { today, policy: deps.policy }, (batch) => {
      for (const s of batch) if (s.actionableArrearsPence > 0 || dueForReminder(s, today, daysBefore)) snapshots.push(s);
    });
    const shared: JobDeps = deps.dryRun ? { ...deps, plannedTenants: deps.plannedTenants ?? new Set() } : deps;
    reports.push(await runOne(shared, 'timeouts', now));
    reports.push(await runOne(shared, 'missed-payments', now, snapshots));
    reports.push(await runOne(shared, 'arrangements', now));
    reports.push(await runOne(shared, 'reminders', now, snapshots));
  } else {
    reports.push(await runOne(deps, job, now));
  }
  for (const report of reports) await recordDecisions(deps.sql, report, now);
  return reports;
}
