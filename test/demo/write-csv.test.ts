// writeDemoCsv: a header and the generated rows, quoted so a standard CSV parser reads them back exactly.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { generateTenancies, generateTransactions } from '../../src/demo/generate.js';
import { csvField, TENANCY_COLUMNS, TRANSACTION_COLUMNS, writeDemoCsv } from '../../src/demo/write-csv.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('csvField', () => {
  it('quotes only what needs quoting', () => {
    expect(csvField('Rent w/c 2026-11-16')).toBe('Rent w/c 2026-11-16');
    expect(csvField("O'Brien")).toBe("O'Brien");
    expect(csvField('lock change, lost keys')).toBe('"lock change, lost keys"');
    expect(csvField('"make good"')).toBe('"""make good"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField('')).toBe('');
  });
});

describe('writeDemoCsv', () => {
  it('writes both files with a header row, and they parse back to the generated rows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rentline-demo-'));
    dirs.push(dir);
    const opts = { tenancies: 400, seed: 5, today: '2026-11-16' };
    const result = await writeDemoCsv(join(dir, 'out'), opts);

    const tenancyText = await readFile(result.tenanciesFile, 'utf8');
    const transactionText = await readFile(result.transactionsFile, 'utf8');
    expect(tenancyText.split('\n')[0]).toBe(TENANCY_COLUMNS.join(','));
    expect(transactionText.split('\n')[0]).toBe(TRANSACTION_COLUMNS.join(','));

    const tenancies = parse(tenancyText, { columns: true }) as Record<string, string>[];
    const transactions = parse(transactionText, { columns: true }) as Record<string, string>[];
    expect(tenancies).toEqual([...generateTenancies(opts)]);
    expect(transactions).toEqual([...generateTransactions(opts)]);
    expect(result.tenancyRows).toBe(tenancies.length);
    expect(result.transactionRows).toBe(transactions.length);
    // The sample must exercise quoting, or the round trip proves little.
    expect(transactionText).toMatch(/"Rechargeable repair - [^"\n]*,/);
  });

  it('streams a larger set through backpressure without losing rows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rentline-demo-'));
    dirs.push(dir);
    const result = await writeDemoCsv(dir, { tenancies: 3000, seed: 8, today: '2026-11-16', years: 1 });
    const lines = (await readFile(result.transactionsFile, 'utf8')).split('\n').filter((line) => line !== '');
    expect(lines.length).toBe(result.transactionRows + 1);
    expect(result.transactionRows).toBeGreaterThan(100_000);
  });
});
