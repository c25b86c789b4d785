// The daily job works one sweep batch at a time so its memory does not grow with the landlord: batches are
// visited two at a time (each tenancy once), a failure in one stops the sweep cleanly, decisions can be
// written and dropped batch by batch (the scheduler's way), and arrears episodes of tenancies that have
// ended are closed after the sweep, since the sweep no longer visits them. Batches in flight at once share
// one report, and each decision is written once, whichever batch's flush takes it.
import { describe, expect, it } from 'vitest';
import { sweepAccounts } from '../../src/jobs/account-sweep.js';
import { flushDecisions } from '../../src/jobs/outreach.js';
import { runJob } from '../../src/jobs/run-job.js';
import { emptyReport, type JobReport } from '../../src/jobs/types.js';
import { DEFAULT_POLICY } from '../support/policy.js';
import { useTestDatabase } from '../support/database.js';
import { insertTenancy, jobDeps, weeklyCharges } from './support.js';

const db = await useTestDatabase();
const now = new Date('2026-05-09T09:00:00Z'); // Saturday 9 May 2026, 10:00 in London
const today = '2026-05-09';

async function tenanciesInArrears(prefix: string, count: number): Promise<string[]> {
  const refs = Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`);
  for (const ref of refs) {
    await insertTenancy(db.sql, { ref });
    await weeklyCharges(db.sql, ref, '2026-04-06', '2026-05-04', 10_000);
  }
  return refs;
}

describe('the sweep, a batch at a time', () => {
  it('visits every running tenancy once, two batches at a time', async () => {
    const refs = await tenanciesInArrears('SWEEP', 7);
    const visited: string[] = [];
    let inFlight = 0;
    let most = 0;
    const seen = await sweepAccounts(
      db.sql,
      { today, policy: DEFAULT_POLICY, refs, batchSize: 2, batchesAtOnce: 2 },
      async (batch) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        visited.push(...batch.map((s) => s.tenancyRef));
        inFlight -= 1;
      },
    );
    expect(seen).toBe(7);
    expect(visited.sort()).toEqual(refs);
    expect(most).toBe(2);
  });

  it('fails with the first failing batch, after the batches already in flight have finished', async () => {
    const refs = await tenanciesInArrears('FAIL', 6);
    const finished: string[] = [];
    const sweep = sweepAccounts(
      db.sql,
      { today, policy: DEFAULT_POLICY, refs, batchSize: 2, batchesAtOnce: 2 },
      async (batch) => {
        if (batch.some((s) => s.tenancyRef === 'FAIL-03')) throw new Error('visit failed');
        await new Promise((resolve) => setTimeout(resolve, 20));
        finished.push(...batch.map((s) => s.tenancyRef));
      },
    );
    await expect(sweep).rejects.toThrow('visit failed');
    expect(finished).toEqual(['FAIL-01', 'FAIL-02']);
    // The sweep's transaction is over: the pool still answers.
    expect(await db.sql`select 1 as ok`).toEqual([{ ok: 1 }]);
  });
});

describe('the daily job, a batch at a time', () => {
  it('writes every decision to job_decisions and keeps none in memory when asked not to (the scheduler)', async () => {
    const refs = await tenanciesInArrears('DROP', 3);
    const reports = await runJob(jobDeps(db.sql, { keepDecisions: false }), 'daily', now);
    expect(reports.flatMap((r) => r.decisions)).toEqual([]);
    expect(reports.find((r) => r.job === 'missed-payments')?.counts.started).toBeGreaterThanOrEqual(3);
    const recorded = await db.sql<{ tenancy_ref: string; action: string; outcome: string }[]>`
      select tenancy_ref, action, outcome from job_decisions where tenancy_ref = any(${refs}::text[]) order by tenancy_ref, id`;
    // Each first text. The reminder it displaced (a tenant has one conversation at a time) is counted, not
    // written: the conversation just started is the record of why no reminder began.
    expect(recorded).toEqual(refs.map((ref) => ({ tenancy_ref: ref, action: 'first_text', outcome: 'started' })));
    const reminders = reports.find((r) => r.job === 'reminders');
    expect(reminders?.counts.skipped_conversation_open).toBeGreaterThanOrEqual(3);
  });

  it('closes the arrears episode of a tenancy that has ended', async () => {
    const [ref] = await tenanciesInArrears('ENDED', 1);
    await runJob(jobDeps(db.sql), 'missed-payments', now);
    const open = () =>
      db.sql`select id from arrears_episodes where tenancy_ref = ${ref as string} and closed_at is null`;
    expect(await open()).toHaveLength(1);
    await db.sql`update tenancies set end_date = '2026-05-10' where tenancy_ref = ${ref as string}`;
    const later = new Date('2026-05-12T09:00:00Z');
    const [report] = await runJob(jobDeps(db.sql), 'missed-payments', later);
    expect(await open()).toEqual([]);
    expect(report?.counts.episodes_closed).toBeGreaterThanOrEqual(1);
  });
  it('writes each decision once when the batches in flight flush one report at the same time', async () => {
    const at = new Date('2026-05-09T09:00:00Z');
    const decide = (report: JobReport, prefix: string, n: number) => {
      for (let i = 0; i < n; i++)
        report.decisions.push({
          job: 'missed-payments',
          tenancyRef: `${prefix}-${i}`,
          tenantNo: 1,
          action: 'first_text',
          outcome: 'started',
          reason: 'arrears over the threshold',
        });
    };
    for (const keepDecisions of [false, true]) {
      const prefix = `FLUSH-${keepDecisions}`;
      const report = emptyReport('missed-payments', at, false);
      const deps = { sql: db.sql, keepDecisions };
      // Batch A flushes; while its insert is in flight batch B adds and flushes, then batch C adds.
      decide(report, `${prefix}-A`, 100);
      const a = flushDecisions(deps, report, at);
      decide(report, `${prefix}-B`, 100);
      const b = flushDecisions(deps, report, at);
      decide(report, `${prefix}-C`, 50);
      await Promise.all([a, b]);
      await flushDecisions(deps, report, at);
      const [row] = await db.sql<{ n: number; distinct: number }[]>`
        select count(*)::int as n, count(distinct tenancy_ref)::int as distinct from job_decisions
        where tenancy_ref like ${`${prefix}-%`}`;
      expect(row).toEqual({ n: 250, distinct: 250 });
      expect(report.decisions).toHaveLength(keepDecisions ? 250 : 0);
    }
  });
});
