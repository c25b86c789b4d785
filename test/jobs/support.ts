// Shared set-up for the job tests: tenancies and ledgers written straight into a test database, the jobs'
// capabilities on a fixed clock, and a day-by-day simulation that posts the ledger, runs the dispatcher
// at the contact window's opening and the daily job at 10:00 London time, exactly as the service would.
import { fileURLToPath } from 'node:url';
import type { Sql } from '../../src/db/connect.js';
import { loadFlows } from '../../src/engine/load.js';
import { runJob } from '../../src/jobs/run-job.js';
import type { JobDeps, JobReport } from '../../src/jobs/types.js';
import type { fixedClock } from '../support/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import type { Dispatcher } from '../../src/outbox/dispatcher.js';
import { addDays, weekdayOf } from '../../src/rent/calendar-date.js';
import { type Policy } from '../../src/rent/policy.js';
import { DEFAULT_POLICY } from '../support/policy.js';
import { localDateAt } from '../../src/rent/schedule.js';
import { nextMobile } from '../outbox/fixtures.js';

export const FLOWS_DIR = fileURLToPath(new URL('../../flows', import.meta.url));
export const TIME_ZONE = 'Europe/London';

export function jobDeps(sql: Sql, overrides: Partial<JobDeps> = {}): JobDeps {
  return {
    sql,
    flows: loadFlows(FLOWS_DIR),
    policy: DEFAULT_POLICY,
    timeZone: TIME_ZONE,
    logger: silentLogger(),
    dryRun: false,
    concurrency: 4,
    ...overrides,
  };
}

export interface TenancySpec {
  ref: string;
  frequency?: 'weekly' | 'monthly';
  rentPence?: number;
  /** A weekday for weekly rent, a day of the month for monthly rent. */
  dueDay?: string;
  benefit?: 'none' | 'hb' | 'uc' | 'uc_apa';
  startDate?: string;
  wantsReminders?: boolean;
  smsOptedOut?: boolean;
  tenants?: number;
}

/** A tenancy with its tenants (each with a unique mobile, date of birth and postcode). */
export async function insertTenancy(sql: Sql, spec: TenancySpec): Promise<{ ref: string; mobiles: string[] }> {
  await sql`
    insert into tenancies (tenancy_ref, tenure, start_date, rent_frequency, rent_amount_pence, rent_due_day, benefit, officer_slack_id)
    values (${spec.ref}, 'secure', ${spec.startDate ?? '2025-04-07'}, ${spec.frequency ?? 'weekly'}, ${spec.rentPence ?? 10_000},
            ${spec.dueDay ?? 'monday'}, ${spec.benefit ?? 'none'}, 'U0OFFICER1')`;
  const mobiles: string[] = [];
  for (let no = 1; no <= (spec.tenants ?? 1); no++) {
    const mobile = nextMobile();
    mobiles.push(mobile);
    await sql`
      insert into tenants (tenancy_ref, tenant_no, first_name, last_name, mobile_raw, mobile_e164, date_of_birth, postcode,
                           wants_reminders, sms_opted_out_at)
      values (${spec.ref}, ${no}, ${`Tenant${no}`}, 'Test', ${mobile}, ${mobile}, '1985-03-12', 'SW1A 1AA',
              ${spec.wantsReminders ?? false}, ${spec.smsOptedOut ? new Date('2026-01-01T00:00:00Z') : null})`;
  }
  return { ref: spec.ref, mobiles };
}

let transactionNo = 0;

export async function post(
  sql: Sql,
  ref: string,
  date: string,
  type: string,
  amountPence: number,
  description = '',
): Promise<void> {
  transactionNo += 1;
  await sql`
    insert into transactions (transaction_id, tenancy_ref, date, type, amount_pence, account, description)
    values (${`T${String(transactionNo).padStart(8, '0')}-${ref}`}, ${ref}, ${date}, ${type}, ${amountPence}, 'rent', ${description})`;
}

/** Weekly rent charges on every `weekday` from `from` to `to`. */
export async function weeklyCharges(
  sql: Sql,
  ref: string,
  from: string,
  to: string,
  pence: number,
  weekday = 'monday',
): Promise<string[]> {
  const dates: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (weekdayOf(d) === weekday) dates.push(d);
  for (const d of dates) await post(sql, ref, d, 'rent', pence);
  return dates;
}

export interface SentText {
  at: Date;
  to: string;
  body: string;
}

/** The dispatcher until nothing is left to do at this instant (one message per tenant per round). */
export async function drain(dispatcher: Dispatcher): Promise<void> {
  for (let round = 0; round < 20; round++) {
    const counts = await dispatcher.runOnce();
    if (Object.values(counts).every((n) => n === 0)) return;
  }
}

/**
 * Runs the service's day from `from` to `to`: overnight events, the dispatcher at 09:00 (held messages go
 * at the window's opening), the daily job at 10:00 then the dispatcher, and the dispatcher again at 20:00.
 */
export async function simulate(options: {
  deps: JobDeps;
  clock: ReturnType<typeof fixedClock>;
  dispatcher: Dispatcher;
  from: string;
  to: string;
  morning?: (date: string) => Promise<void>;
  policy?: Policy;
}): Promise<JobReport[]> {
  const reports: JobReport[] = [];
  for (let date = options.from; date <= options.to; date = addDays(date, 1)) {
    options.clock.set(localDateAt(date, '00:05', TIME_ZONE));
    if (options.morning) await options.morning(date);
    for (const time of ['09:00', '10:00', '20:00']) {
      options.clock.set(localDateAt(date, time, TIME_ZONE));
      if (time === '10:00') reports.push(...(await runJob(options.deps, 'daily', options.clock.now())));
      await drain(options.dispatcher);
    }
  }
  return reports;
}
