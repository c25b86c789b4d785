import { describe, expect, it } from 'vitest';
import { recordStatementSent } from '../../src/statements/index.js';
import { bearer, testApp } from '../support/app.js';
import { useTestDatabase } from '../support/database.js';
import { pdfPages } from '../support/pdf-text.js';

const db = await useTestDatabase();
const { app } = testApp(db.sql, { now: '2026-11-30T12:00:00Z' });

await app.request('/api/tenancies', {
  method: 'POST',
  headers: bearer(),
  body: JSON.stringify([
    {
      tenancy_ref: 'ST1',
      tenant_no: 1,
      first_name: 'Ann',
      last_name: 'Lee',
      mobile: '07700 900301',
      tenure: 'secure',
      start_date: '2026-01-05',
      rent_frequency: 'weekly',
      rent_amount: '100.00',
      rent_due_day: 'monday',
    },
    {
      tenancy_ref: 'ST1',
      tenant_no: 2,
      first_name: 'Bo',
      last_name: 'Lee',
      mobile: '07700 900302',
      tenure: 'secure',
      start_date: '2026-01-05',
      rent_frequency: 'weekly',
      rent_amount: '100.00',
      rent_due_day: 'monday',
    },
  ]),
});
const ledger = [];
// £100 rent every Monday from 5 Jan 2026 (rent-free weeks are not on this ledger); £90 paid each Friday.
for (let i = 0; i < 48; i++) {
  const monday = new Date(Date.UTC(2026, 0, 5 + 7 * i)).toISOString().slice(0, 10);
  const friday = new Date(Date.UTC(2026, 0, 9 + 7 * i)).toISOString().slice(0, 10);
  ledger.push({ transaction_id: `R${i}`, tenancy_ref: 'ST1', date: monday, type: 'rent', amount: '100.00' });
  ledger.push({
    transaction_id: `P${i}`,
    tenancy_ref: 'ST1',
    date: friday,
    type: 'payment',
    amount: '-90.00',
    description: 'Card',
  });
}
ledger.push({
  transaction_id: 'X1',
  tenancy_ref: 'ST1',
  date: '2026-11-10',
  type: 'charge',
  amount: '45.00',
  account: 'rechargeable_repair',
  description: 'Door',
});
await app.request('/api/transactions', { method: 'POST', headers: bearer(), body: JSON.stringify(ledger) });

describe('GET /api/tenancies/:ref/statement', () => {
  it('gives 13 weeks by default with a running balance from the balance brought forward', async () => {
    const res = await app.request('/api/tenancies/ST1/statement', { headers: bearer() });
    expect(res.status).toBe(200);
    const s = (await res.json()) as {
      from: string;
      to: string;
      weeks: number;
      brought_forward_pence: number;
      balance_pence: number;
      lines: { date: string; description: string; debit_pence: number; credit_pence: number; balance_pence: number }[];
    };
    expect(s).toMatchObject({ from: '2026-09-01', to: '2026-11-30', weeks: 13 });
    // Before 1 Sep: 35 Mondays (5 Jan–31 Aug) £3,500 less 34 Fridays (9 Jan–28 Aug) £3,060 → £440 brought forward.
    expect(s.brought_forward_pence).toBe(44_000);
    expect(s.lines[0]).toEqual({
      date: '2026-09-04',
      description: 'Payment: Card',
      debit_pence: 0,
      credit_pence: 9_000,
      balance_pence: 35_000,
    });
    expect(s.lines[1]).toEqual({
      date: '2026-09-07',
      description: 'Rent',
      debit_pence: 10_000,
      credit_pence: 0,
      balance_pence: 45_000,
    });
    expect(s.lines.every((l) => !l.description.includes('Door'))).toBe(true);
    const last = s.lines.at(-1);
    expect(last).toMatchObject({ date: '2026-11-30', balance_pence: s.balance_pence });
    // 48 weeks: £4,800 − 47 Fridays by 30 Nov (£4,230) = £570.
    expect(s.balance_pence).toBe(57_000);
  });

  it('takes any span in weeks, and refuses a bad one with what to send', async () => {
    const res = await app.request('/api/tenancies/ST1/statement?weeks=2', { headers: bearer() });
    expect(((await res.json()) as { lines: unknown[] }).lines).toHaveLength(4);
    const bad = await app.request('/api/tenancies/ST1/statement?weeks=0', { headers: bearer() });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/whole number from 1 to 520/);
    expect((await app.request('/api/tenancies/NOPE/statement', { headers: bearer() })).status).toBe(404);
  });

  it('answers Accept: application/pdf with a PDF whose text has the tenants and the statement lines', async () => {
    const res = await app.request('/api/tenancies/ST1/statement?weeks=13', {
      headers: { ...bearer(), accept: 'application/pdf' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pages = await pdfPages(new Uint8Array(await res.arrayBuffer()));
    const text = pages.join(' ');
    expect(text).toContain('Rent statement ST1');
    expect(text).toContain('Ann Lee, Bo Lee');
    expect(text).toContain('1 Sep 2026 Balance brought forward £440.00');
    expect(text).toContain('4 Sep 2026 Payment: Card £90.00 £350.00');
    expect(text).toContain('30 Nov 2026 Rent £100.00 £570.00');
    expect(pages.at(-1)).toMatch(new RegExp(`Page ${pages.length} of ${pages.length}`));
  });

  it('a statement sent to a tenant is logged as rent_statement_sent with its weeks', async () => {
    await recordStatementSent(db.sql, {
      tenancyRef: 'ST1',
      tenantNo: 2,
      weeks: 13,
      at: new Date('2026-11-30T12:00:00Z'),
      actor: 'officer:U1',
      via: 'officer',
    });
    const [row] =
      await db.sql`select event, tenant_no, detail from contact_log where tenancy_ref = 'ST1' and event = 'rent_statement_sent'`;
    expect(row).toMatchObject({ event: 'rent_statement_sent', tenant_no: 2, detail: { weeks: 13, via: 'officer' } });
  });
});
