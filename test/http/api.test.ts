import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { bearer, testApp } from '../support/app.js';

const db = await useTestDatabase();
const { app } = testApp(db.sql, { now: '2026-11-25T10:00:00Z' });

const lead = {
  tenancy_ref: 'API1',
  tenant_no: 1,
  first_name: 'Sam',
  last_name: 'Jones',
  mobile: '07700 900123',
  tenure: 'secure',
  start_date: '2026-01-05',
  rent_frequency: 'weekly',
  rent_amount: '100.00',
  rent_due_day: 'monday',
  benefit: 'none',
};

describe('GET /healthz', () => {
  it('answers ok while the database answers', async () => {
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});

describe('/api authentication', () => {
  it('answers 503 with a message saying how to turn the API on when API_TOKEN is unset', async () => {
    const { app: off } = testApp(db.sql, { apiToken: null });
    const res = await off.request('/api/tenancies/API1');
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/set API_TOKEN/);
  });

  it('refuses a wrong bearer token with 401', async () => {
    const res = await app.request('/api/tenancies/API1', { headers: bearer('wrong-token-wrong-token') });
    expect(res.status).toBe(401);
  });
});

describe('POST /api/tenancies and /api/transactions', () => {
  it('returns 422 with every error by index and field, importing nothing', async () => {
    const res = await app.request('/api/tenancies', {
      method: 'POST',
      headers: bearer(),
      body: JSON.stringify([lead, { ...lead, tenancy_ref: 'API2', rent_amount: 'lots', tenure: 'castle' }]),
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; details: { index: number; field: string }[] } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.map((d) => `${d.index}:${d.field}`)).toEqual(['1:tenure', '1:rent_amount']);
    const [row] = await db.sql`select count(*)::int as n from tenancies`;
    expect(row?.n).toBe(0);
  });

  it('imports valid arrays and the summary reflects them', async () => {
    const t = await app.request('/api/tenancies', { method: 'POST', headers: bearer(), body: JSON.stringify([lead]) });
    expect(t.status).toBe(200);
    expect(await t.json()).toMatchObject({ imported: true, tenancies: { inserted: 1 } });
    const ledger = [];
    // Rent of £100 every Monday from 5 Jan 2026; paid every week except the last three.
    for (let i = 0; i < 47; i++) {
      const date = new Date(Date.UTC(2026, 0, 5 + 7 * i)).toISOString().slice(0, 10);
      ledger.push({ transaction_id: `R${i}`, tenancy_ref: 'API1', date, type: 'rent', amount: '100.00' });
      if (i < 44)
        ledger.push({
          transaction_id: `P${i}`,
          tenancy_ref: 'API1',
          date,
          type: 'payment',
          amount: '-100.00',
          description: 'Card',
        });
    }
    const x = await app.request('/api/transactions', {
      method: 'POST',
      headers: bearer(),
      body: JSON.stringify(ledger),
    });
    expect(x.status).toBe(200);
    expect(await x.json()).toMatchObject({ transactions: { inserted: 91, alreadyPresent: 0 } });

    const res = await app.request('/api/tenancies/API1', { headers: bearer() });
    expect(res.status).toBe(200);
    const summary = (await res.json()) as Record<string, unknown>;
    // Due dates to 23 Nov: 47 charges of £100; 44 payments; the 23 Nov charge is within the 3-day grace.
    expect(summary).toMatchObject({
      tenancy_ref: 'API1',
      balance_pence: 30000,
      arrears_pence: 20000,
      weeks_in_arrears: 2,
      last_payment_date: '2026-11-02',
      arrangement: null,
      sub_accounts: {},
    });
    expect((summary.reasons as Record<string, string>).last_payment).toMatch(/2 Nov/);
  });

  it('answers 404 with what to do for an unknown tenancy', async () => {
    const res = await app.request('/api/tenancies/NOPE', { headers: bearer() });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/import the tenancies file/);
  });

  it('answers 400 to a body that is not a JSON array', async () => {
    const res = await app.request('/api/transactions', {
      method: 'POST',
      headers: bearer(),
      body: '{"not":"an array"}',
    });
    expect(res.status).toBe(400);
  });
});
