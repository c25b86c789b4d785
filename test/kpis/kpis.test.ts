import { describe, expect, it } from 'vitest';
import { computeKpis, kpiPeriod, kpisCsv } from '../../src/kpis/index.js';
import { accountKpiTotalsBulk } from '../../src/kpis/account-sql.js';
import { assessAccount } from '../../src/rent/account.js';
import { addTotals, emptyTotals, tenancyKpiTotals } from '../../src/rent/kpis.js';
import { DEFAULT_POLICY } from '../support/policy.js';
import { useTestDatabase } from '../support/database.js';
import { bearer, testApp } from '../support/app.js';
import { KPI_LEDGER, KPI_TO } from './ledger-fixture.js';

const db = await useTestDatabase();
const sql = db.sql;

for (const t of KPI_LEDGER) {
  const s = t.schedule;
  await sql`insert into tenancies (tenancy_ref, tenure, start_date, end_date, rent_frequency, rent_amount_pence, rent_due_day, benefit)
    values (${t.ref}, 'secure', ${s.startDate}, ${s.endDate}, ${s.frequency}, ${s.amountPence}, ${String(s.dueDay)}, 'none')`;
  await sql`insert into tenants (tenancy_ref, tenant_no, first_name, last_name, mobile_e164) values (${t.ref}, 1, 'Ann', ${t.ref}, ${`+4477009000${KPI_LEDGER.indexOf(t)}1`})`;
  let i = 0;
  for (const e of t.entries) {
    await sql`insert into transactions (transaction_id, tenancy_ref, date, type, amount_pence, account, description)
      values (${`${t.ref}-${i++}`}, ${t.ref}, ${e.date}, ${e.type}, ${e.amountPence}, ${e.account}, '')`;
  }
}

const at = (iso: string) => new Date(iso);
async function message(ref: string, direction: 'inbound' | 'outbound', created: string, status: string) {
  await sql`insert into messages (direction, tenancy_ref, tenant_no, channel, to_address, body, status, created_at, sent_at, updated_at)
    values (${direction}, ${ref}, 1, 'sms', '+447700900001', 'x', ${status}, ${at(created)}, ${direction === 'outbound' ? at(created) : null}, ${at(created)})`;
}
// November 2026: KA texted on the 2nd, replied 90 minutes later; KB texted on the 3rd, replied after 8 days
// (too late to count); KC texted twice (the first text counts), replied 30 minutes after the first.
await message('KA', 'outbound', '2026-11-02T10:00:00Z', 'delivered');
await message('KA', 'inbound', '2026-11-02T11:30:00Z', 'received');
await message('KB', 'outbound', '2026-11-03T10:00:00Z', 'sent');
await message('KB', 'inbound', '2026-11-11T10:00:00Z', 'received');
await message('KC', 'outbound', '2026-11-04T10:00:00Z', 'delivered');
await message('KC', 'outbound', '2026-11-05T10:00:00Z', 'undelivered');
await message('KC', 'inbound', '2026-11-04T10:30:00Z', 'received');
await message('KA', 'outbound', '2026-10-30T10:00:00Z', 'delivered'); // before the period
const arrangement = async (status: string, stamps: Record<string, string>) => sql`
  insert into arrangements (tenancy_ref, tenant_no, amount_pence, frequency, start_date, status, decided_at, kept_at, broken_at, completed_at, created_at, updated_at)
  values ('KA', 1, 1000, 'weekly', '2026-11-09', ${status}, ${stamps.decided ? at(stamps.decided) : null}, ${stamps.kept ? at(stamps.kept) : null},
    ${stamps.broken ? at(stamps.broken) : null}, ${stamps.completed ? at(stamps.completed) : null}, ${at('2026-10-01T00:00:00Z')}, ${at('2026-10-01T00:00:00Z')})`;
await arrangement('active', { decided: '2026-11-10T12:00:00Z' });
await arrangement('kept', { decided: '2026-10-10T12:00:00Z', kept: '2026-11-12T12:00:00Z' });
await arrangement('broken', { decided: '2026-11-01T12:00:00Z', broken: '2026-11-20T12:00:00Z' });
await arrangement('declined', { decided: '2026-11-15T12:00:00Z' });
await arrangement('proposed', {});
for (const [agency, when] of [
  ['stepchange', '2026-11-05'],
  ['stepchange', '2026-11-06'],
  ['national_debtline', '2026-11-07'],
  ['stepchange', '2026-09-01'],
] as const) {
  await sql`insert into contact_log (at, tenancy_ref, tenant_no, event, actor, detail) values (${at(`${when}T12:00:00Z`)}, 'KA', 1, 'officer_referred', 'officer:U1', ${sql.json({ agencyId: agency })})`;
}

describe('KPIs from the database', () => {
  it('the set-based SQL gives the same totals as the pure per-tenancy rule', async () => {
    const pure = KPI_LEDGER.reduce((sum, t) => {
      const figures = assessAccount(
        { schedule: t.schedule, benefit: 'none', entries: t.entries, today: KPI_TO },
        DEFAULT_POLICY,
      );
      return addTotals(
        sum,
        tenancyKpiTotals({ schedule: t.schedule, entries: t.entries, arrears: figures }, KPI_TO, DEFAULT_POLICY),
      );
    }, emptyTotals());
    const bulk = await accountKpiTotalsBulk(sql, { to: KPI_TO, policy: DEFAULT_POLICY });
    expect(bulk).toEqual(pure);
    expect(bulk.tenanciesInArrears).toBe(2);
  });

  it('counts November activity: arrangements, texts, replies within 7 days, referrals by agency', async () => {
    const k = await computeKpis(
      sql,
      { from: '2026-11-01', to: KPI_TO },
      { policy: DEFAULT_POLICY, timeZone: 'Europe/London' },
    );
    expect(k.current_arrears_pct_of_debit).toBe(2.54);
    expect(k.collection_rate_pct).toBe(96.3);
    expect(k.arrangements).toEqual({ made: 2, kept: 1, broken: 1, completed: 0 });
    expect(k.texts).toEqual({ sent: 4, delivered: 2 });
    expect(k.response).toEqual({
      tenants_texted: 3,
      tenants_replied: 2,
      response_rate_pct: 66.67,
      median_time_to_first_reply_minutes: 60,
    });
    expect(k.referrals_by_agency).toEqual({ national_debtline: 1, stepchange: 2 });
    expect(k.notices_served).toBe(0);
    expect(kpisCsv(k)).toContain('collection_rate_pct,Collection rate (excl. arrears b/f),96.3');
  });

  it('defaults to the financial year to today, and refuses a bad date with what to send', () => {
    expect(kpiPeriod({}, '2026-11-30')).toEqual({ from: '2026-04-01', to: '2026-11-30' });
    expect(kpiPeriod({ to: '2027-02-01' }, '2026-11-30')).toEqual({ from: '2026-04-01', to: '2027-02-01' });
    expect(() => kpiPeriod({ from: '1/4/2026' }, '2026-11-30')).toThrow(/YYYY-MM-DD/);
  });

  it('GET /api/kpis answers with the KPI keys; a bad date is a 400 saying what to send', async () => {
    const { app } = testApp(sql, { now: '2026-11-30T12:00:00Z' });
    const res = await app.request('/api/kpis?from=2026-11-01&to=2026-11-30', { headers: bearer() });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      current_arrears_pct_of_debit: 2.54,
      collection_rate_pct: 96.3,
      tenancies_in_arrears: 2,
    });
    const bad = await app.request('/api/kpis?from=yesterday', { headers: bearer() });
    expect(bad.status).toBe(400);
  });
});
