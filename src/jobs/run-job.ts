// Runs one job by name, as if the clock read `now`: what `rentline run <job> --at` and the durable runner
// both call. `daily` runs all four, sharing one sweep of the accounts: timeouts first (conversations that
// have run their course close, so today's outreach is not held up by them), then missed payments and the
// arrangement watch, and reminders last, so a tenant due an arrears text or a nudge gets that rather than a
// reminder (one conversation at a time per tenant). Missed payments are worked batch by batch as the sweep
// reads them, and reminders keep only the accounts due one, so memory stays flat however many tenancies
// the landlord has.
import { localDateOf } from '../rent/schedule.js';
import { sweepAccounts } from './account-sweep.js';
import { runArrangements } from './arrangements.js';
import { runMissedPayments, startMissedPayments } from './missed-payments.js';
import { recordDecisions } from './outreach.js';
import { runReminders, startReminders } from './reminders.js';
import { runTimeouts } from './timeouts.js';
import type { JobDeps, JobName, JobReport } from './types.js';

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
  }
}

/** The four jobs in their order, with one sweep feeding missed payments (as it goes) and reminders (after). */
async function runDaily(deps: JobDeps, now: Date): Promise<JobReport[]> {
  const shared: JobDeps = deps.dryRun ? { ...deps, plannedTenants: deps.plannedTenants ?? new Set() } : deps;
  // The sweep reads only the ledger, so timeouts may close conversations before it starts.
  const timeouts = await runTimeouts(shared, now);
  const missed = await startMissedPayments(shared, now);
  const reminders = startReminders(shared, now);
  try {
    await sweepAccounts(shared.sql, { today: localDateOf(now, deps.timeZone), policy: deps.policy }, async (batch) => {
      reminders.collect(batch);
      await missed.visit(batch);
    });
  } catch (error) {
    await missed.abandon();
    throw error;
  }
  const missedReport = await missed.finish();
  const arrangements = await runArrangements(shared, now);
  return [timeouts, missedReport, arrangements, await reminders.finish()];
}

/** Runs `job` at `now`, records its decisions, and returns one report per job run (daily gives four). */
export async function runJob(deps: JobDeps, job: JobName, now: Date): Promise<JobReport[]> {
  const reports = job === 'daily' ? await runDaily(deps, now) : [await runOne(deps, job, now)];
  // Decisions the jobs have not written as they went (timeouts and arrangements write theirs here).
  for (const report of reports) await recordDecisions(deps, report, now);
  return reports;
}
