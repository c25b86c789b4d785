// Benchmark: import 150,000 tenancies and ~1,300,000 transactions from CSV, then the same files again,
// against the floor measured in the same run on the same database: a raw `COPY … (format csv)` of the
// same files into unindexed text tables. Target: floor / import ≥ 0.25, flat memory, re-import adds 0 rows.
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoCsv } from '../src/demo/write-csv.js';
import { importCsvFiles } from '../src/imports/index.js';
import { copyFloor } from './copy-floor.js';
import { benchDatabase, machine, rssSampler, seconds } from './support.js';

export async function benchImport(options: { tenancies?: number } = {}): Promise<Record<string, unknown>> {
  const tenancies = options.tenancies ?? 150_000;
  const dir = await mkdtemp(join(tmpdir(), 'rentline-bench-csv-'));
  const db = await benchDatabase('import');
  try {
    console.log(`generating ${tenancies} tenancies with ~8 weeks of history…`);
    const files = await writeDemoCsv(dir, { tenancies, seed: 7, today: '2026-11-20', years: 0.13, refPrefix: 'B' });
    console.log(`  ${files.tenancyRows} tenancy rows, ${files.transactionRows} transaction rows`);

    const paths = [files.tenanciesFile, files.transactionsFile];
    // The machine may be shared: the load says how much the absolute times are worth (the ratio travels).
    const loadBefore = loadavg().map((l) => +l.toFixed(1));
    const floorBefore = await copyFloor(db.sql, paths);
    console.log(`  floor (raw COPY of both files into unindexed tables): ${seconds(floorBefore)}`);
    const phases: Record<string, string>[] = [{}, {}];
    const onPhase = (pass: number) => (phase: string, ms: number) => {
      (phases[pass] as Record<string, string>)[phase] = seconds(ms);
    };
    const rss = rssSampler();
    const started = performance.now();
    const first = await importCsvFiles(db.sql, paths, { onPhase: onPhase(0) });
    const firstMs = performance.now() - started;
    const firstPeak = rss.stop();

    const rss2 = rssSampler();
    const again = performance.now();
    const second = await importCsvFiles(db.sql, paths, { onPhase: onPhase(1) });
    const secondMs = performance.now() - again;
    const secondPeak = rss2.stop();
    const floorAfter = await copyFloor(db.sql, paths);
    // The faster floor: on a shared machine the slower one says more about the neighbours than the disk.
    const floorMs = Math.min(floorBefore, floorAfter);
    const ratio = (ms: number) => +(floorMs / ms).toFixed(3);

    const result = {
      machine: machine(),
      loadAverage: { before: loadBefore, after: loadavg().map((l) => +l.toFixed(1)) },
      tenancyRows: files.tenancyRows,
      transactionRows: files.transactionRows,
      floor: {
        what: 'raw COPY (format csv) of the same two files into unindexed text tables, same database, same run',
        before: seconds(floorBefore),
        after: seconds(floorAfter),
        usedMs: Math.round(floorMs),
      },
      firstImport: {
        time: seconds(firstMs),
        ratio: `${ratio(firstMs)} (floor / import)`,
        peakRssMb: firstPeak,
        phases: phases[0],
        tenancies: first.tenancies,
        transactions: first.transactions,
        errors: first.errorCount,
      },
      reImport: {
        time: seconds(secondMs),
        ratio: `${ratio(secondMs)} (floor / import)`,
        peakRssMb: secondPeak,
        phases: phases[1],
        tenancies: second.tenancies,
        transactions: second.transactions,
      },
      target: 'floor / first import ≥ 0.25, flat memory, re-import adds 0 rows',
      met:
        ratio(firstMs) >= 0.25 &&
        second.transactions.inserted === 0 &&
        second.tenancies.inserted === 0 &&
        first.errorCount === 0,
    };
    return result;
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
