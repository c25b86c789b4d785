// Each message once: the same job run twice, two runs at once against one database (separate pools and
// separate operating-system processes running `rentline run daily --at`), and two schedulers ticking the
// same scheduled time. Also the dry run, which lists and starts nothing.
import { spawn } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSql } from '../../src/db/connect.js';
import { createJobRunner } from '../../src/jobs/scheduler.js';
import { runJob } from '../../src/jobs/run-job.js';
import { fixedClock } from '../support/clock.js';
import { useTestDatabase } from '../support/database.js';
import { useTwilioMock } from '../support/msw-twilio.js';
import { testDispatcher } from '../outbox/fixtures.js';
import { drain, insertTenancy, jobDeps, post, weeklyCharges } from './support.js';

const db = await useTestDatabase();
const clock = fixedClock('2026-05-09T09:00:00Z'); // Saturday 9 May 2026, 10:00 in London
const twilio = useTwilioMock({ now: () => clock.now() });
let prefix = 0;

/** Three tenancies due a text on Saturday 9 May: a reminder, a missed-payment text (joint: two tenants), a nudge. */
async function tenanciesDueATextOnSaturday(): Promise<string[]> {
  prefix += 1;
  const refs = [`R${prefix}-REMIND`, `R${prefix}-ARREARS`, `R${prefix}-NUDGE`];
  await insertTenancy(db.sql, { ref: refs[0] as string, wantsReminders: true });
  await weeklyCharges(db.sql, refs[0] as string, '2026-04-06', '2026-05-04', 10_000);
  for (const d of ['2026-04-06', '2026-04-13', '2026-04-20', '2026-04-27', '2026-05-04'])
    await post(db.sql, refs[0] as string, d, 'payment', -10_000);
  await insertTenancy(db.sql, { ref: refs[1] as string, tenants: 2 });
  await weeklyCharges(db.sql, refs[1] as string, '2026-04-06', '2026-05-04', 10_000);
  await insertTenancy(db.sql, { ref: refs[2] as string });
  await post(db.sql, refs[2] as string, '2026-04-01', 'charge', 5000, 'Old arrears');
  await db.sql`
    insert into arrangements (tenancy_ref, tenant_no, amount_pence, frequency, start_date, status, start_arrears_pence, created_at, updated_at)
    values (${refs[2] as string}, 1, 1000, 'weekly', '2026-05-10', 'active', 5000, '2026-05-01T10:00:00Z', '2026-05-01T10:00:00Z')`;
  return refs;
}

async function outbound(refs: string[]): Promise<{ tenancy_ref: string; tenant_no: number; purpose: string }[]> {
  return db.sql`
    select tenancy_ref, tenant_no, purpose from messages
    where direction = 'outbound' and tenancy_ref = any(${refs}::text[]) order by tenancy_ref, tenant_no`;
}

beforeEach(() => clock.set('2026-05-09T09:00:00Z'));

describe('each message once', () => {
  it('queues one text per tenant however many times the daily job runs', async () => {
    const refs = await tenanciesDueATextOnSaturday();
    const deps = jobDeps(db.sql);
    await runJob(deps, 'daily', clock.now());
    await runJob(deps, 'daily', clock.now());
    clock.set('2026-05-09T11:30:00Z');
    await runJob(deps, 'daily', clock.now());
    expect((await outbound(refs)).map((m) => `${m.tenancy_ref}/${m.tenant_no}:${m.purpose}`)).toEqual(
      [`${refs[1]}/1:arrears`, `${refs[1]}/2:arrears`, `${refs[2]}/1:arrangement`, `${refs[0]}/1:reminder`].sort(),
    );
    const { dispatcher } = testDispatcher(db.sql, { clock });
    await drain(dispatcher);
    expect(twilio.accepted).toHaveLength(4);
  });

  it('queues one text per tenant when two runs race against one database from separate connection pools', async () => {
    const refs = await tenanciesDueATextOnSaturday();
    const other = createSql(db.url, { max: 10 });
    try {
      await Promise.all([
        runJob(jobDeps(db.sql), 'daily', clock.now()),
        runJob(jobDeps(other), 'daily', clock.now()),
        runJob(jobDeps(other), 'daily', clock.now()),
      ]);
    } finally {
      await other.end();
    }
    expect(await outbound(refs)).toHaveLength(4);
  });

  it('queues one text per tenant when two processes run `rentline run daily --at` at once', async () => {
    const refs = await tenanciesDueATextOnSaturday();
    const runCli = () =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const { DATABASE_URL: _ignored, ...env } = process.env;
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', 'src/cli.ts', 'run', 'daily', '--at', '2026-05-09T09:00:00Z'],
          {
            env: { ...env, DATABASE_URL: db.url, LOG_LEVEL: 'silent', DEMO_SEED: 'off' },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let output = '';
        child.stdout.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr.on('data', (d: Buffer) => (output += d.toString()));
        child.on('exit', (code) => resolve({ code, output }));
      });
    const results = await Promise.all([runCli(), runCli()]);
    for (const r of results) expect(r.code, r.output).toBe(0);
    expect(results.map((r) => r.output).join('\n')).toMatch(/missed-payments at 2026-05-09T09:00:00.000Z/);
    expect(await outbound(refs)).toHaveLength(4);
  }, 60_000);

  it('runs a scheduled time once when two instances tick it and both try to run it', async () => {
    const refs = await tenanciesDueATextOnSaturday();
    const other = createSql(db.url, { max: 10 });
    try {
      const schedule = { job: 'daily' as const, kind: 'daily' as const, time: '10:00', maxLatenessMs: 20 * 3_600_000 };
      const a = createJobRunner({ ...jobDeps(db.sql), clock, schedules: [schedule], runnerId: 'a' });
      const b = createJobRunner({ ...jobDeps(other), clock, schedules: [schedule], runnerId: 'b' });
      await Promise.all([a.tick(schedule), b.tick(schedule)]);
      const ran = await Promise.all([a.runPending(), b.runPending()]);
      expect(ran[0] + ran[1]).toBe(1);
    } finally {
      await other.end();
    }
    const runs =
      await db.sql`select job, status, scheduled_for from job_runs where scheduled_for = '2026-05-09T09:00:00Z'`;
    expect(runs).toEqual([{ job: 'daily', status: 'done', scheduled_for: new Date('2026-05-09T09:00:00Z') }]);
    expect(await outbound(refs)).toHaveLength(4);
  });

  it('skips a scheduled run that comes too late to make sense, and runs nothing for it', async () => {
    await db.sql`insert into job_runs (job, scheduled_for, created_at) values ('daily', '2026-05-07T09:00:00Z', '2026-05-07T09:00:00Z')`;
    const runner = createJobRunner({ ...jobDeps(db.sql), clock });
    await runner.runPending();
    const [run] = await db.sql`select status, result from job_runs where scheduled_for = '2026-05-07T09:00:00Z'`;
    expect(run).toMatchObject({ status: 'skipped', result: { reason: 'too_late' } });
  });

  it('lists what it would send in a dry run, and starts and queues nothing', async () => {
    const refs = await tenanciesDueATextOnSaturday();
    const reports = await runJob(jobDeps(db.sql, { dryRun: true }), 'daily', clock.now());
    const wouldStart = reports
      .flatMap((r) => r.decisions)
      .filter((d) => refs.includes(d.tenancyRef) && d.outcome === 'would_start');
    expect(wouldStart.map((d) => `${d.tenancyRef}/${d.tenantNo}:${d.action}`).sort()).toEqual(
      [
        `${refs[0]}/1:rent_reminder`,
        `${refs[1]}/1:first_text`,
        `${refs[1]}/2:first_text`,
        `${refs[2]}/1:arrangement_nudge`,
      ].sort(),
    );
    expect(await outbound(refs)).toEqual([]);
    const [episodes] =
      await db.sql`select count(*)::int as n from arrears_episodes where tenancy_ref = any(${refs}::text[])`;
    expect(episodes?.n).toBe(0);
    const recorded = await db.sql`select distinct dry_run from job_decisions where tenancy_ref = any(${refs}::text[])`;
    expect(recorded).toEqual([{ dry_run: true }]);
  });
});
