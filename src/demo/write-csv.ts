// Writes the demo tenancies and transactions as CSV files, streaming: rows are batched into ~64 KB
// chunks and the writer waits for 'drain' whenever the file stream's buffer is full, so even the
// 15-million-row scale set is written in constant memory.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { generateTenancies, generateTransactions, type GenerateOptions } from './generate.js';
import { TENANCY_COLUMNS, TRANSACTION_COLUMNS } from './rows.js';

export { TENANCY_COLUMNS, TRANSACTION_COLUMNS } from './rows.js';

const CHUNK_CHARS = 64 * 1024;
const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 quoting: only fields with a comma, quote, line break or edge space are quoted. */
export function csvField(value: string): string {
  if (value === '') return value;
  if (NEEDS_QUOTES.test(value) || value.charCodeAt(0) <= 32 || value.charCodeAt(value.length - 1) <= 32) {
    return `"${value.replaceAll('"', '""')}"`;
  }
  return value;
}

function csvLine<Row extends object>(columns: readonly (keyof Row & string)[], row: Row): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) line += ',';
    const value = row[columns[i] as keyof Row];
    line += csvField(typeof value === 'string' ? value : '');
  }
  return `${line}\n`;
}

/** Streams a header and rows to `path`; resolves with the number of data rows once the file is closed. */
export async function writeCsvFile<Row extends object>(
  path: string,
  columns: readonly (keyof Row & string)[],
  rows: Iterable<Row>,
): Promise<number> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  const write = async (chunk: string): Promise<void> => {
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
  };
  let count = 0;
  try {
    let chunk = `${columns.join(',')}\n`;
    for (const row of rows) {
      chunk += csvLine(columns, row);
      count++;
      if (chunk.length >= CHUNK_CHARS) {
        await write(chunk);
        chunk = '';
      }
    }
    if (chunk.length > 0) await write(chunk);
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
  } catch (error) {
    out.destroy();
    throw error;
  }
  return count;
}

/** Writes `tenancies.csv` and `transactions.csv` for the same tenancies into `dir` (created if missing). */
export async function writeDemoCsv(
  dir: string,
  opts: GenerateOptions,
): Promise<{ tenanciesFile: string; transactionsFile: string; tenancyRows: number; transactionRows: number }> {
  await mkdir(dir, { recursive: true });
  const tenanciesFile = join(dir, 'tenancies.csv');
  const transactionsFile = join(dir, 'transactions.csv');
  const tenancyRows = await writeCsvFile(tenanciesFile, TENANCY_COLUMNS, generateTenancies(opts));
  const transactionRows = await writeCsvFile(transactionsFile, TRANSACTION_COLUMNS, generateTransactions(opts));
  return { tenanciesFile, transactionsFile, tenancyRows, transactionRows };
}
