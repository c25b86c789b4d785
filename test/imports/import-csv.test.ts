import { describe, expect, it } from 'vitest';
import { importCsvFiles } from '../../src/imports/index.js';
import { useTestDatabase } from '../support/database.js';
import { TENANCY_HEADER, TRANSACTION_HEADER, writeCsv } from '../support/files.js';

const db = await useTestDatabase();

const tenancyLines = [
  TENANCY_HEADER,
  'T100,1,Sam,Jones,07700 900123,sms,en,1985-03-12,sw1a1aa,secure,2020-04-06,,weekly,103.50,monday,N1,U0OFFICER1,hb,',
  'T100,2,Alex,Jones,+447700900124,whatsapp,cy,1987-01-02,SW1A 1AA,secure,2020-04-06,,weekly,103.50,monday,N1,U0OFFICER1,hb,vulnerable',
  'T200,1,Priya,Shah,020 7946 0123,sms,en,,,assured,2021-01-01,,monthly,450.00,1,N2,,uc,breathing_space:2026-11-01..',
];
const transactionLines = [
  TRANSACTION_HEADER,
  'X1,T100,2026-11-02,rent,103.50,rent,Weekly rent',
  'X2,T100,2026-11-03,payment,-50.00,rent,Cash',
  'X3,T100,2026-11-04,charge,25.00,rechargeable_repair,Broken door',
  'X4,T200,2026-11-01,rent,450.00,,Monthly rent',
];

async function counts() {
  const [row] = await db.sql<{ tenancies: number; tenants: number; transactions: number }[]>`
    select (select count(*) from tenancies)::int as tenancies, (select count(*) from tenants)::int as tenants,
           (select count(*) from transactions)::int as transactions`;
  return row;
}

describe('importing CSV files', () => {
  it('rejects a file with bad rows, listing every line and field, and leaves the database unchanged', async () => {
    const tenancies = await writeCsv('tenancies.csv', [
      TENANCY_HEADER,
      'B1,1,Ann,Lee,07700900001,sms,en,1990-13-01,,secure,2020-01-01,,weekly,100.00,monday,,,none,',
      'B2,1,Bob,Ray,07700900002,pigeon,en,,,castle,2020-01-01,,weekly,abc,funday,,,none,',
      'B3,1,Cat,Moe,07700900003,sms,en,,,secure,2020-01-01,,weekly,100.00,monday,,,none,',
    ]);
    const report = await importCsvFiles(db.sql, [tenancies]);
    expect(report.imported).toBe(false);
    expect(report.errors.map((e) => `${e.line}:${e.field}`)).toEqual([
      '2:date_of_birth',
      '3:channel',
      '3:tenure',
      '3:rent_amount',
      '3:rent_due_day',
    ]);
    expect(report.errors[0]?.message).toMatch(/YYYY-MM-DD/);
    expect(await counts()).toEqual({ tenancies: 0, tenants: 0, transactions: 0 });
  });

  it('imports tenancies with joint tenants, normalising mobiles and warning about a landline', async () => {
    const report = await importCsvFiles(db.sql, [await writeCsv('t.csv', tenancyLines)]);
    expect(report.imported).toBe(true);
    expect(report.tenancies).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    expect(report.tenants).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
    expect(report.warnings).toEqual([
      expect.objectContaining({ line: 4, field: 'mobile', message: expect.stringMatching(/landline/) }),
    ]);
    const tenants =
      await db.sql`select tenancy_ref, tenant_no, mobile_e164, postcode, vulnerable, breathing_space_start, breathing_space_end from tenants order by 1, 2`;
    expect(tenants).toEqual([
      {
        tenancy_ref: 'T100',
        tenant_no: 1,
        mobile_e164: '+447700900123',
        postcode: 'SW1A 1AA',
        vulnerable: false,
        breathing_space_start: null,
        breathing_space_end: null,
      },
      {
        tenancy_ref: 'T100',
        tenant_no: 2,
        mobile_e164: '+447700900124',
        postcode: 'SW1A 1AA',
        vulnerable: true,
        breathing_space_start: null,
        breathing_space_end: null,
      },
      {
        tenancy_ref: 'T200',
        tenant_no: 1,
        mobile_e164: null,
        postcode: null,
        vulnerable: false,
        breathing_space_start: '2026-11-01',
        breathing_space_end: null,
      },
    ]);
    const [rent] =
      await db.sql`select rent_amount_pence, rent_due_day, benefit from tenancies where tenancy_ref = 'T100'`;
    expect(rent).toEqual({ rent_amount_pence: 10350, rent_due_day: 'monday', benefit: 'hb' });
  });

  it('imports transactions in pence and adds nothing when the same file comes again', async () => {
    const path = await writeCsv('x.csv', transactionLines);
    const first = await importCsvFiles(db.sql, [path]);
    expect(first.transactions).toEqual({ inserted: 4, alreadyPresent: 0 });
    const again = await importCsvFiles(db.sql, [path]);
    expect(again.transactions).toEqual({ inserted: 0, alreadyPresent: 4 });
    const rows = await db.sql`select transaction_id, amount_pence, account from transactions order by 1`;
    expect(rows).toEqual([
      { transaction_id: 'X1', amount_pence: 10350, account: 'rent' },
      { transaction_id: 'X2', amount_pence: -5000, account: 'rent' },
      { transaction_id: 'X3', amount_pence: 2500, account: 'rechargeable_repair' },
      { transaction_id: 'X4', amount_pence: 45000, account: 'rent' },
    ]);
  });

  it('updates changed tenancy fields on re-import and counts the rest unchanged', async () => {
    const changed = tenancyLines.map((l) =>
      l.replace('T200,1,Priya,Shah,020 7946 0123', 'T200,1,Priya,Shah,07700 900200'),
    );
    const report = await importCsvFiles(db.sql, [await writeCsv('t2.csv', changed)]);
    expect(report.tenants).toEqual({ inserted: 0, updated: 1, unchanged: 2 });
    expect(report.tenancies).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    const [t] = await db.sql`select mobile_e164 from tenants where tenancy_ref = 'T200'`;
    expect(t?.mobile_e164).toBe('+447700900200');
  });

  it('refuses joint-tenant rows whose rent fields disagree, naming the field', async () => {
    const report = await importCsvFiles(db.sql, [
      await writeCsv('j.csv', [
        TENANCY_HEADER,
        'J1,1,Ann,Lee,07700900001,sms,en,,,secure,2020-01-01,,weekly,100.00,monday,,,none,',
        'J1,2,Ben,Lee,07700900002,sms,en,,,secure,2020-01-01,,weekly,110.00,monday,,,none,',
      ]),
    ]);
    expect(report.imported).toBe(false);
    expect(report.errors).toEqual([expect.objectContaining({ line: 3, field: 'rent_amount' })]);
    const [row] = await db.sql`select count(*)::int as n from tenancies where tenancy_ref = 'J1'`;
    expect(row?.n).toBe(0);
  });

  it('refuses transactions for an unknown tenancy, telling the operator to import tenancies first', async () => {
    const report = await importCsvFiles(db.sql, [
      await writeCsv('u.csv', [TRANSACTION_HEADER, 'U1,NOPE,2026-11-02,rent,10.00,rent,']),
    ]);
    expect(report.imported).toBe(false);
    expect(report.errors).toEqual([
      expect.objectContaining({
        line: 2,
        field: 'tenancy_ref',
        message: expect.stringMatching(/import the tenancies file first/),
      }),
    ]);
  });

  it('imports only the valid rows with skipInvalid and reports the rest', async () => {
    const report = await importCsvFiles(
      db.sql,
      [
        await writeCsv('s.csv', [
          TRANSACTION_HEADER,
          'S1,T100,2026-11-09,rent,103.50,rent,',
          'S2,T100,not-a-date,rent,103.50,rent,',
          'S3,NOPE,2026-11-09,rent,1.00,rent,',
        ]),
      ],
      { skipInvalid: true },
    );
    expect(report.imported).toBe(true);
    expect(report.transactions.inserted).toBe(1);
    expect(report.errors.map((e) => `${e.line}:${e.field}`)).toEqual(['3:date', '4:tenancy_ref']);
    const ids = await db.sql`select transaction_id from transactions where transaction_id like 'S%'`;
    expect(ids).toEqual([{ transaction_id: 'S1' }]);
  });

  it('reads tenancies before transactions when both files come in one command, in either order', async () => {
    const report = await importCsvFiles(db.sql, [
      await writeCsv('x.csv', [TRANSACTION_HEADER, 'N1,NEW1,2026-11-02,rent,90.00,rent,']),
      await writeCsv('t.csv', [
        TENANCY_HEADER,
        'NEW1,1,Dee,Fox,07700900301,sms,en,,,secure,2024-01-01,,weekly,90.00,monday,,,none,',
      ]),
    ]);
    expect(report.imported).toBe(true);
    expect(report.transactions.inserted).toBe(1);
  });

  it('refuses a file whose header is neither kind, naming line 1', async () => {
    await expect(importCsvFiles(db.sql, [await writeCsv('bad.csv', ['foo,bar', '1,2'])])).rejects.toThrow(
      /line 1: the header row is neither/,
    );
  });

  it('reports a row with more values than the header', async () => {
    const report = await importCsvFiles(db.sql, [
      await writeCsv('e.csv', [TRANSACTION_HEADER, 'E1,T100,2026-11-02,rent,1,000.00,rent,']),
    ]);
    expect(report.errors).toEqual([
      expect.objectContaining({ line: 2, field: 'row', message: expect.stringMatching(/unquoted comma/) }),
    ]);
  });

  it('counts lines exactly across blank lines and quoted fields that span lines', async () => {
    const report = await importCsvFiles(db.sql, [
      await writeCsv('m.csv', [
        TRANSACTION_HEADER,
        'M1,T100,2026-11-02,rent,y,rent,"two',
        'lines"',
        '',
        'M2,T100,2026-11-02,rent,x,rent,',
      ]),
    ]);
    // Line 1 header; M1 on lines 2-3; line 4 blank; M2 on line 5.
    expect(report.errors.map((e) => `${e.line}:${e.field}`)).toEqual(['2:amount', '5:amount']);
  });

  it('imports a transaction repeated identically within one file once', async () => {
    const report = await importCsvFiles(db.sql, [
      await writeCsv('r.csv', [
        TRANSACTION_HEADER,
        'RP1,T100,2026-11-16,rent,103.50,rent,',
        'RP1,T100,2026-11-16,rent,103.50,rent,',
      ]),
    ]);
    expect(report.transactions).toEqual({ inserted: 1, alreadyPresent: 1 });
  });
});
