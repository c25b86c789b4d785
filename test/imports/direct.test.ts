// The direct way in for transactions files (direct.ts) must never decide differently from the staged
// path: its quick check accepts only what checkTransactionRecord accepts, and builds the same row; a
// first load that sets the ledger's indexes aside puts back exactly what was there; and whatever it
// gives up on (a repeated id, an id already imported, an unknown tenancy, a bad row) ends as the staged
// path would end it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importCsvFiles } from '../../src/imports/index.js';
import { quickLedgerLine, quickPence } from '../../src/imports/direct.js';
import { checkTransactionRecord, isCalendarDate, TRANSACTION_FIELDS } from '../../src/imports/records.js';
import { LEDGER_COLUMNS, copyValue } from '../../src/imports/staging.js';
import { parsePoundsToPence } from '../../src/rent/money.js';
import { useTestDatabase } from '../support/database.js';
import { TENANCY_HEADER, TRANSACTION_HEADER, writeCsv } from '../support/files.js';

const db = await useTestDatabase();

const at = { transaction_id: 0, tenancy_ref: 1, date: 2, type: 3, amount: 4, account: 5, description: 6 };

const value = (plain: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 4, arbitrary: plain },
    { weight: 1, arbitrary: plain.map((v) => ` ${v}`) },
    { weight: 1, arbitrary: plain.map((v) => `${v}\u2003`) },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
    { weight: 1, arbitrary: fc.constantFrom('', '\\', 'a\u0000b', 'x\ty', 'é', '\u00a0') },
  );
const row = fc.tuple(
  value(fc.oneof(fc.stringMatching(/^[A-Z0-9-]{1,12}$/), fc.constant('x'.repeat(101)))),
  value(fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9/_.-]{0,8}$/), fc.constant('R'.repeat(65)))),
  value(
    fc.oneof(
      fc
        .tuple(fc.integer({ min: 0, max: 2100 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
        .map(
          ([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
        ),
      fc.constantFrom('2024-02-29', '2023-02-29', '1900-02-29', '2000-02-29', '26-11-01'),
    ),
  ),
  value(fc.constantFrom('rent', 'payment', 'hb', 'Rent', 'PAYMENT', 'refund', 'gift')),
  value(
    fc.oneof(
      fc.stringMatching(/^-?\d{1,10}(\.\d{0,3})?$/),
      fc.constantFrom('£12.50', '(3.00)', '1,234.56', '-0.00', '1000000.01', '-1000000.00', '+5', '1e3', '.5'),
    ),
  ),
  value(fc.constantFrom('', 'rent', 'service_charge', 'Rent', 'loan', 'bank')),
  value(fc.oneof(fc.string({ maxLength: 20 }), fc.constant('d'.repeat(501)))),
);

describe('the quick check on plain transaction rows', () => {
  it('accepts only rows checkTransactionRecord accepts, and builds the same ledger row', () => {
    fc.assert(
      fc.property(row, (fields) => {
        const line = quickLedgerLine(fields, at, new Set());
        const raw = Object.fromEntries(TRANSACTION_FIELDS.map((f, i) => [f, fields[i]]));
        const checked = checkTransactionRecord(raw);
        if (line === null) return;
        expect(checked.ok).toBe(true);
        if (!checked.ok) return;
        expect(line).toBe(LEDGER_COLUMNS.map((c) => copyValue(checked.record[c])).join('\t'));
      }),
      { numRuns: 3000 },
    );
  });

  it('escapes what COPY text format needs escaped, and only that', () => {
    expect(copyValue('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyValue('plain £ text')).toBe('plain £ text');
    expect([copyValue(null), copyValue(-12), copyValue(true)]).toEqual(['\\N', '-12', 't']);
  });

  it('takes the everyday rows quickly', () => {
    expect(quickLedgerLine(['T1', 'B000001', '2026-11-02', 'rent', '512.37', '', 'Rent November'], at, new Set())).toBe(
      'T1\tB000001\t2026-11-02\trent\t51237\trent\tRent November',
    );
  });

  it('reads plain amounts as parsePoundsToPence does', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^-?\d{1,9}(\.\d{1,2})?$/), (amount) => {
        expect(quickPence(amount)).toBe(parsePoundsToPence(amount));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads by char code exactly the amounts the plain pattern allowed, and nothing else', () => {
    const pattern = /^-?\d{1,9}(?:\.\d{1,2})?$/;
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('0', '1', '9', '-', '.', '+', 'e', ' ', '\u0660'), maxLength: 14 }),
        (amount) => {
          expect(quickPence(amount)).toBe(pattern.test(amount) ? parsePoundsToPence(amount) : null);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('knows calendar dates as the Date object does (years before 100 refused)', () => {
    const reference = (v: string) => {
      const [y, m, d] = v.split('-').map(Number) as [number, number, number];
      const date = new Date(Date.UTC(y, m - 1, d));
      return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const v = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          expect(isCalendarDate(v)).toBe(reference(v));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

async function ledgerShape() {
  const [row] = await db.sql<{ indexes: string[]; constraints: string[] }[]>`
    select
      (select array_agg(indexdef order by indexname) from pg_indexes where tablename in ('transactions', 'tenants', 'tenancies')) as indexes,
      (select array_agg(conname || ' ' || pg_get_constraintdef(oid) order by conname) from pg_constraint
        where conrelid in ('transactions'::regclass, 'tenants'::regclass, 'tenancies'::regclass)) as constraints`;
  return row;
}

describe('a first load straight into the ledger', () => {
  const tenancyCount = 26_000;
  const perTenancy = 3;
  const tenancyLines = () => {
    const lines = [TENANCY_HEADER];
    for (let t = 1; t <= tenancyCount; t++) {
      const ref = `F${String(t).padStart(6, '0')}`;
      lines.push(
        `${ref},1,Ann,Lee,07700900${String(t % 1000).padStart(3, '0')},sms,en,,,secure,2020-01-06,,weekly,100.00,monday,,,none,`,
      );
      lines.push(`${ref},2,Ben,Lee,,sms,en,,,secure,2020-01-06,,weekly,100.00,monday,,,none,`);
    }
    return lines;
  };
  const transactionLines = (extra: string[] = []) => {
    const lines = [TRANSACTION_HEADER];
    for (let t = 1; t <= tenancyCount; t++)
      for (let n = 1; n <= perTenancy; n++)
        lines.push(`X${t}-${n},F${String(t).padStart(6, '0')},2026-11-0${n + 1},rent,100.00,rent,Weekly rent`);
    return [...lines, ...extra];
  };

  it('gives up on a repeated id, sets nothing aside for good, and ends as the staged path does', async () => {
    const before = await ledgerShape();
    const phases: string[] = [];
    const report = await importCsvFiles(
      db.sql,
      [
        await writeCsv('tenancies.csv', tenancyLines()),
        // The same id twice with the same details: imported once, as the staged path does.
        await writeCsv('transactions.csv', transactionLines(['X1-1,F000001,2026-11-02,rent,100.00,rent,Weekly rent'])),
      ],
      { onPhase: (phase) => phases.push(phase) },
    );
    expect(phases).toContain('direct copy (gave up: an id is already imported or repeated)');
    expect(report.errorCount).toBe(0);
    expect(report.tenants.inserted).toBe(tenancyCount * 2);
    expect(report.transactions).toEqual({ inserted: tenancyCount * perTenancy, alreadyPresent: 1 });
    expect(await ledgerShape()).toEqual(before);
  });

  it('puts back every index and constraint after a first load, and the rebuilt primary key still refuses a repeat', async () => {
    await db.sql`delete from transactions`;
    const before = await ledgerShape();
    const onPhase: string[] = [];
    const report = await importCsvFiles(db.sql, [await writeCsv('transactions.csv', transactionLines())], {
      onPhase: (phase) => onPhase.push(phase),
    });
    expect(onPhase).toContain('read and copy transactions into the ledger');
    expect(report.transactions).toEqual({ inserted: tenancyCount * perTenancy, alreadyPresent: 0 });
    expect(await ledgerShape()).toEqual(before);
    await expect(
      db.sql`insert into transactions (transaction_id, tenancy_ref, date, type, amount_pence) values ('X1-1', 'F000001', '2026-11-02', 'rent', 1)`,
    ).rejects.toThrow(/duplicate key/);
    // Again: every id is already there, so the direct attempt gives up at once and nothing is added.
    const again = await importCsvFiles(db.sql, [await writeCsv('transactions.csv', transactionLines())]);
    expect(again.transactions).toEqual({ inserted: 0, alreadyPresent: tenancyCount * perTenancy });
  });

  it('reports a bad row and an unknown tenancy by line, as the staged path does, and writes nothing', async () => {
    await db.sql`delete from transactions`;
    const lines = transactionLines([
      'BAD-1,F000001,2026-13-02,rent,100.00,rent,',
      'BAD-2,NOPE,2026-11-02,rent,100.00,rent,',
    ]);
    const report = await importCsvFiles(db.sql, [await writeCsv('transactions.csv', lines)]);
    expect(report.imported).toBe(false);
    expect(report.errors.map((e) => `${e.line}:${e.field}`)).toEqual([
      `${lines.length - 1}:date`,
      `${lines.length}:tenancy_ref`,
    ]);
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from transactions`;
    expect(row?.n).toBe(0);
    const unknown = await importCsvFiles(db.sql, [
      await writeCsv('transactions.csv', lines.slice(0, -2).concat(lines.slice(-1))),
    ]);
    expect(unknown.errors.map((e) => `${e.line}:${e.field}`)).toEqual([`${lines.length - 1}:tenancy_ref`]);
  });

  it('names the line of a clashing repeat read the quick way, counting quoted line breaks and blank lines', async () => {
    const report = await importCsvFiles(db.sql, [
      await writeCsv('clash.csv', [
        TRANSACTION_HEADER,
        'C1,F000001,2026-11-02,rent,100.00,rent,"two',
        'lines"',
        '',
        'C2,F000001,2026-11-02,rent,100.00,rent,plain',
        'C1,F000001,2026-11-02,rent,999.00,rent,two lines',
      ]),
    ]);
    expect(report.imported).toBe(false);
    expect(report.errors).toEqual([
      expect.objectContaining({ line: 6, field: 'transaction_id', message: expect.stringMatching(/used earlier/) }),
    ]);
  });
});
