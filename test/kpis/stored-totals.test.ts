// The account KPI totals are kept per day so a view never waits for a pass over the ledger: the daily job
// leaves its day's, a request computed from the ledger leaves its own, and a write to the ledger or to a
// tenancy's schedule makes them stale, so the next request reads the ledger again.
import { describe, expect, it } from 'vitest';
import { computeKpis } from '../../src/kpis/index.js';
import { accountKpiTotalsBulk } from '../../src/kpis/account-sql.js';
import { runJob } from '../../src/jobs/run-job.js';
import { DEFAULT_POLICY } from '../support/policy.js';
import { useTestDatabase } from '../support/database.js';
import { jobDeps } from '../jobs/support.js';
import { KPI_LEDGER, KPI_TO } from './ledger-fixture.js';

const db = await useTestDatabase();
const sql = db.sql;
const options = { policy: DEFAULT_POLICY, timeZone: 'Europe/London' };
const period = { from: '2026-04-01', to: KPI_TO };

for (const t of KPI_LEDGER) {
  const s = t.schedule;
  await sql`insert into tenancies (tenancy_ref, tenure, start_date, end_date, rent_frequency, rent_amount_pence, rent_due_day, benefit)
    values (${t.ref}, 'secure', ${s.startDate}, ${s.endDate}, ${s.frequency}, ${s.amountPence}, ${String(s.dueDay)}, 'none')`;
  let i = 0;
  for (const e of t.entries) {
    await sql`insert into transactions (transaction_id, tenancy_ref, date, type, amount_pence, account, description)
      values (${`${t.ref}-${i++}`}, ${t.ref}, ${e.date}, ${e.type}, ${e.amountPence}, ${e.account}, '')`;
  }
}

/** Marks the kept row so a test can tell a read of it from a fresh pass over the ledger. */
async function markKept(asOf: string): Promise<void> {
  const updated = await sql`
    update kpi_account_totals set totals = jsonb_set(totals, '{tenanciesInArrears}', '99') where as_of = ${asOf}`;
  expect(updated.count).toBe(1);
}

describe('kept KPI totals', () => {
  it('a request leaves its totals, and the next request for that day reads them', async () => {
    const first = await computeKpis(sql, period, options);
    expect(first.current_arrears_pence).toBe(24_000);
    expect(first.tenancies_in_arrears).toBe(2);
    await markKept(KPI_TO);
    // Any period ending that day shares the account figures.
    expect((await computeKpis(sql, { from: '2026-11-01', to: KPI_TO }, options)).tenancies_in_arrears).toBe(99);
  });

  it('a write to the ledger makes them stale: the next request reads the ledger, with the new payment', async () => {
    await markKept(KPI_TO);
    await sql`insert into transactions (transaction_id, tenancy_ref, date, type, amount_pence, account, description)
      values ('KA-late', 'KA', '2026-11-30', 'payment', -4000, 'rent', '')`;
    const after = await computeKpis(sql, period, options);
    expect(after.tenancies_in_arrears).not.toBe(99);
    expect(after.current_arrears_pence).toBe(20_000);
    expect(after.rent_collected_pence).toBe(108_000);
    await sql`delete from transactions where transaction_id = 'KA-late'`;
    expect((await computeKpis(sql, period, options)).current_arrears_pence).toBe(24_000);
  });

  it('a change to a tenancy schedule or to the policy makes them stale too', async () => {
    await computeKpis(sql, period, options);
    await markKept(KPI_TO);
    await sql`update tenancies set rent_amount_pence = rent_amount_pence where tenancy_ref = 'KA'`;
    expect((await computeKpis(sql, period, options)).tenancies_in_arrears).toBe(2);
    await markKept(KPI_TO);
    const stricter = { ...DEFAULT_POLICY, arrears: { ...DEFAULT_POLICY.arrears, threshold_pence: 12_000 } };
    expect((await computeKpis(sql, period, { ...options, policy: stricter })).tenancies_in_arrears).toBe(1);
  });

  it('figures read while a write is in flight are not kept (it may commit after them)', async () => {
    await sql`delete from kpi_account_totals`;
    await sql
      .begin(async (tx) => {
        await tx`insert into transactions (transaction_id, tenancy_ref, date, type, amount_pence, account, description)
        values ('KA-pending', 'KA', '2026-11-30', 'payment', -4000, 'rent', '')`;
        expect((await computeKpis(sql, period, options)).current_arrears_pence).toBe(24_000);
        expect(await sql`select 1 from kpi_account_totals`).toHaveLength(0);
        throw new Error('roll back');
      })
      .catch((error: unknown) => expect(String(error)).toContain('roll back'));
    expect((await computeKpis(sql, period, options)).current_arrears_pence).toBe(24_000);
    expect(await sql`select 1 from kpi_account_totals`).toHaveLength(1);
  });

  it('the daily job leaves the totals for its day from its own sweep, equal to a fresh pass', async () => {
    await sql`delete from kpi_account_totals`;
    await runJob(jobDeps(sql), 'daily', new Date(`${KPI_TO}T10:00:00Z`));
    const [kept] = await sql<{ totals: unknown }[]>`select totals from kpi_account_totals where as_of = ${KPI_TO}`;
    expect(kept).toBeDefined();
    await sql`delete from kpi_account_totals`;
    expect(kept?.totals).toEqual(await accountKpiTotalsBulk(sql, { to: KPI_TO, policy: DEFAULT_POLICY }));
  });

  it('a dry run of the daily job keeps nothing', async () => {
    await sql`delete from kpi_account_totals`;
    await runJob(jobDeps(sql, { dryRun: true }), 'daily', new Date(`${KPI_TO}T10:00:00Z`));
    expect(await sql`select 1 from kpi_account_totals`).toHaveLength(0);
  });
});
