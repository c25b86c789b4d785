// Rent reminders: `reminders.days_before` days ahead of each due date on the charge calendar, to tenants
// in arrears, with an arrangement, or who asked for them; never to an account fully covered by HB or UC
// paid to the landlord. Once per tenant and due date (reminders_sent's key). A run that comes late still
// reminds about a due date that is yet to come, never about one that has arrived (the timeouts job also
// withdraws a queued reminder once its due date comes).
import { addDays } from '../rent/calendar-date.js';
import { nextContactOpening } from '../rent/contact-window.js';
import { localDateOf } from '../rent/schedule.js';
import { sweepAccounts, type AccountSnapshot } from './account-sweep.js';
import { latestArrangementStatuses, LIVE_ARRANGEMENT } from './arrangement-queries.js';
import { loadContactStates, outreachBlock } from './contact-state.js';
import { carryOut, recordDecisions, skip, type OutreachPlan } from './outreach.js';
import { emptyReport, type JobDeps, type JobReport } from './types.js';

/** Accounts whose next due date falls inside the reminder window (tomorrow to today + days_before). */
export function dueForReminder(snapshot: AccountSnapshot, today: string, daysBefore: number): boolean {
  const due = snapshot.nextDueDate;
  return due !== null && due > today && due <= addDays(today, Math.max(1, daysBefore)) && !snapshot.fullyCoveredByBenefit;
}

/** Accounts due a reminder handled per statement set: their tenants' contact states are loaded a chunk at a time. */
const REMINDER_CHUNK = 2000;

/** What a reminder needs of an account's snapshot. */
type DueAccount = Pick<AccountSnapshot, 'tenancyRef' | 'actionableArrearsPence' | 'balancePence' | 'arrearsPence'> & { nextDueDate: string };

/**
 * The accounts due a reminder, kept until the jobs before reminders have run. The Saturday before a Monday
 * has about 100,000 (every weekly tenancy), so they are held in parallel arrays with each due date stored
 * once, not as snapshot objects, and taken out a chunk at a time.
 */
class DueAccounts {
  private readonly refs: string[] = [];
  private readonly dueDates: string[] = [];
  /** actionable arrears, balance, arrears: three numbers per account. */
  private readonly figures: number[] = [];
  private readonly dates = new Map<string, string>();

  get length(): number {
    return this.refs.length;
  }

  add(s: AccountSnapshot): void {
    const due = s.nextDueDate as string;
    let date = this.dates.get(due);
    if (date === undefined) this.dates.set(due, (date = due));
    this.refs.push(s.tenancyRef);
    this.dueDates.push(date);
    this.figures.push(s.actionableArrearsPence, s.balancePence, s.arrearsPence);
  }

  slice(from: number, to: number): DueAccount[] {
    const accounts: DueAccount[] = [];
    for (let i = from; i < Math.min(to, this.refs.length); i += 1) {
      const figures = this.figures;
      accounts.push({
        tenancyRef: this.refs[i] as string,
        nextDueDate: this.dueDates[i] as string,
        actionableArrearsPence: figures[i * 3] as number,
        balancePence: figures[i * 3 + 1] as number,
        arrearsPence: figures[i * 3 + 2] as number,
      });
    }
    return accounts;
  }
}

/** One chunk of accounts due a reminder: judged, started, and their decisions written. */
async function remindersOfChunk(deps: JobDeps, now: Date, report: JobReport, due: readonly DueAccount[], firstChance: string): Promise<void> {
  const { policy, sql } = deps;
  const refs = due.map((s) => s.tenancyRef);
  const [tenants, arrangements, sent] = await Promise.all([
    loadContactStates(sql, refs),
    latestArrangementStatuses(sql, refs),
    sql<{ key: string }[]>`
      select r.tenancy_ref || '/' || r.tenant_no || '/' || r.due_date::text as key
      from reminders_sent r
      join unnest(${refs}::text[], ${due.map((s) => s.nextDueDate)}::date[]) as d(tenancy_ref, due_date)
        on r.tenancy_ref = d.tenancy_ref and r.due_date = d.due_date`,
  ]);
  const alreadySent = new Set(sent.map((r) => r.key));

  const plans: OutreachPlan[] = [];
  for (const account of due) {
    const dueDate = account.nextDueDate;
    if (firstChance >= dueDate) {
      skip(report, 'reminders', account.tenancyRef, null, 'rent_reminder', 'contact_window_closed_until_due_date');
      continue;
    }
    const arrangementLive = LIVE_ARRANGEMENT.has(arrangements.get(account.tenancyRef) ?? 'none');
    for (const tenant of tenants.get(account.tenancyRef) ?? []) {
      if (alreadySent.has(`${account.tenancyRef}/${tenant.tenant_no}/${dueDate}`)) continue;
      const why = arrangementLive ? 'has an arrangement' : account.actionableArrearsPence > 0 ? 'in arrears' : tenant.wants_reminders ? 'asked for reminders' : null;
      if (why === null) continue;
      // The instalment nudge already says "on top of your rent": a reminder as well would be two texts a week.
      if (arrangementLive && policy.arrangements.nudge_day_before) {
        skip(report, 'reminders', account.tenancyRef, tenant.tenant_no, 'rent_reminder', 'arrangement_nudges_instead');
        continue;
      }
      const block = outreachBlock(tenant, 'reminder', now, policy);
      if (block) {
        skip(report, 'reminders', account.tenancyRef, tenant.tenant_no, 'rent_reminder', block);
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
  await carryOut(deps, 'reminders', report, plans, now);
  await recordDecisions(deps, report, now);
}

/**
 * Reminders fed by a sweep: `collect` keeps the accounts due one (a few thousand on most days, every
 * weekly tenancy before a Monday), and `finish`, called once the jobs that take precedence have run,
 * works them a chunk at a time.
 */
export interface RemindersPass {
  collect(batch: readonly AccountSnapshot[]): void;
  finish(): Promise<JobReport>;
}

export function startReminders(deps: JobDeps, now: Date): RemindersPass {
  const today = localDateOf(now, deps.timeZone);
  const daysBefore = deps.policy.reminders.days_before;
  let due = new DueAccounts();
  return {
    collect(batch) {
      for (const s of batch) if (dueForReminder(s, today, daysBefore)) due.add(s);
    },
    async finish() {
      const report = emptyReport('reminders', now, deps.dryRun);
      // Texts wait for the contact window: a reminder that could only go out on its due date is not started.
      const firstChance = localDateOf(nextContactOpening(now, deps.policy), deps.timeZone);
      for (let i = 0; i < due.length; i += REMINDER_CHUNK) {
        await remindersOfChunk(deps, now, report, due.slice(i, i + REMINDER_CHUNK), firstChance);
      }
      report.counts.due = due.length;
      due = new DueAccounts();
      return report;
    },
  };
}

export async function runReminders(deps: JobDeps, now: Date): Promise<JobReport> {
  const pass = startReminders(deps, now);
  await sweepAccounts(deps.sql, { today: localDateOf(now, deps.timeZone), policy: deps.policy }, (batch) => pass.collect(batch));
  return pass.finish();
}
