// Benchmark: import 150,000 tenancies and ~1,000,000 transactions from CSV, then the same files again.
// Target (issue 2): under 30 s with flat memory; the re-import adds 0 rows.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoCsv } from '../src/demo/write-csv.js';
import { importCsvFiles } from '../src/imports/index.js';
import { benchDatabase, machine, rssSampler, seconds } from './support.js';

export async function benchImport(options: { tenancies?: number } = {}): Promise<Record<string, unknown>> {
  const tenancies = options.tenancies ?? 150_000;
  const dir = await mkdtemp(join(tmpdir(), 'rentline-bench-csv-'));
  const db = await benchDatabase('import');
  try {
    console.log(`generating ${tenancies} tenancies with ~8 weeks of history…`);
    const files = await writeDemoCsv(dir, { tenancies, seed: 7, today: '2026-11-20', years: 0.13, refPrefix: 'B' });
    console.log(`  ${files.tenancyRows} tenancy rows, ${files.transactionRows} transaction rows`);

    const rss = rssSampler();
    const started = performance.now();
    const first = await importCsvFiles(db.sql, [files.tenanciesFile, files.transactionsFile]);
    const firstMs = performance.now() - started;
    const firstPeak = rss.stop();

    const rss2 = rssSampler();
    const again = performance.now();
    const second = await importCsvFiles(db.sql, [files.tenanciesFile, files.transactionsFile]);
    const secondMs = performance.now() - again;
    const secondPeak = rss2.stop();

    const result = {
      machine: machine(),
      tenancyRows: files.tenancyRows,
      transactionRows: files.transactionRows,
      firstImport: { time: seconds(firstMs), peakRssMb: firstPeak, tenancies: first.tenancies, transactions: first.transactions, errors: first.errorCount },
      reImport: { time: seconds(secondMs), peakRssMb: secondPeak, tenancies: second.tenancies, transactions: second.transactions },
      target: 'first import < 30 s, flat memory, re-import adds 0 rows',
      met: firstMs < 30_000 && second.transactions.inserted === 0 && second.tenancies.inserted === 0 && first.errorCount === 0,
    };
    return result;
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
