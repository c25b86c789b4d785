// Bytes no housing system means: a NUL in a description once left its import's transaction open and aborted
// in `copy stage_transactions` for ever, and ten such requests took every pooled connection. They are
// refused by field, with what to do; over-long values likewise; and a COPY that Postgres refuses ends its
// transaction instead of hanging.
import { describe, expect, it } from 'vitest';
import { importCsvFiles } from '../../src/imports/index.js';
import { stageTransactions } from '../../src/imports/staging.js';
import { useTestDatabase } from '../support/database.js';
import { bearer, testApp } from '../support/app.js';
import { TENANCY_HEADER, TRANSACTION_HEADER, writeCsv } from '../support/files.js';

const db = await useTestDatabase();
const { app } = testApp(db.sql);

const payment = {
  transaction_id: 'NUL-1',
  tenancy_ref: 'NUL1',
  date: '2026-11-20',
  type: 'payment',
  amount: '-10.00',
  account: 'rent',
  description: 'Card',
};

async function openTransactionsOnThisDatabase(): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from pg_stat_activity where datname = ${db.name} and state like 'idle in transaction%'`;
  return row?.n ?? 0;
}

await db.sql`insert into tenancies (tenancy_ref, tenure, start_date, rent_frequency, rent_amount_pence, rent_due_day) values ('NUL1', 'secure', '2026-01-05', 'weekly', 10000, 'monday')`;

describe('control characters and lengths in imports', () => {
  it('refuses a NUL byte in a JSON record with 422 naming the index and field, and leaves no transaction open', async () => {
    for (let n = 0; n < 12; n++) {
      const res = await app.request('/api/transactions', {
        method: 'POST',
        headers: bearer(),
        body: JSON.stringify([payment, { ...payment, transaction_id: `NUL-${n + 2}`, description: 'a\u0000b' }]),
      });
      expect(res.status).toBe(422);
      const body = (await res.json()) as { error: { details: { index: number; field: string; message: string }[] } };
      expect(body.error.details.map((d) => `${d.index}:${d.field}`)).toEqual(['1:description']);
      expect(body.error.details[0]?.message).toMatch(/control character \(U\+0000\) at character 2: remove it/);
    }
    expect(await openTransactionsOnThisDatabase()).toBe(0);
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('refuses a NUL byte in a CSV by line and field, and imports nothing', async () => {
    const tenancies = await writeCsv('tenancies.csv', [
      TENANCY_HEADER,
      'NUL1,1,Sam,Jones,07700900123,sms,en,,,secure,2026-01-05,,weekly,100.00,monday,,,none,',
    ]);
    const transactions = await writeCsv('transactions.csv', [
      TRANSACTION_HEADER,
      'NUL-1,NUL1,2026-11-20,payment,-10.00,rent,Card',
      'NUL-2,NUL1,2026-11-20,payment,-10.00,rent,a\u0000b',
    ]);
    const report = await importCsvFiles(db.sql, [tenancies, transactions]);
    expect(report.imported).toBe(false);
    expect(report.errors.map((e) => `${e.line}:${e.field}`)).toEqual(['3:description']);
    const [row] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from transactions where transaction_id like 'NUL-%'`;
    expect(row?.n).toBe(0);
    expect(await openTransactionsOnThisDatabase()).toBe(0);
  });

  it('reads a line break inside a description as a space, and refuses an over-long value with the limit', async () => {
    const res = await app.request('/api/transactions', {
      method: 'POST',
      headers: bearer(),
      body: JSON.stringify([
        { ...payment, description: 'x'.repeat(501) },
        { ...payment, transaction_id: 'NUL-9', first_name: 'x' },
      ]),
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { details: { index: number; field: string; message: string }[] } };
    expect(body.error.details[0]).toMatchObject({
      index: 0,
      field: 'description',
      message: 'is 501 characters long; the most it may be is 500',
    });
  });

  it('ends the transaction when Postgres refuses what COPY sends, instead of waiting for ever', async () => {
    const staged = db.sql.begin(async (tx) => {
      await tx`create temporary table stage_transactions (source int, line int, transaction_id text, tenancy_ref text, date text, type text, amount_pence bigint, account text, description text) on commit drop`;
      const record = {
        transaction_id: 'X',
        tenancy_ref: 'Y',
        date: '2026-11-20',
        type: 'payment',
        amount_pence: -1,
        account: 'rent',
        description: 'a\u0000b',
      };
      await stageTransactions(
        tx,
        (async function* () {
          yield [{ source: 0, line: 2, record }];
        })(),
      );
    });
    await expect(staged).rejects.toThrow(/Postgres refused the rows copied into stage_transactions/);
    expect(await openTransactionsOnThisDatabase()).toBe(0);
    expect((await db.sql`select 1 as ok`)[0]).toEqual({ ok: 1 });
  });
});
