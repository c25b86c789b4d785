// Benchmark: the `daily` job (reminders, missed payments, arrangements, timeouts) on 150,000 tenancies with
// about 15 million transactions from the demo generator. Loading is not timed: tenancies go through the
// importer, transactions straight in with COPY. Target (issue 5): under 15 s, peak RSS under 300 MB.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { Sql } from '../src/db/connect.js';
import { generateTenancies, generateTransactions, type GenerateOptions } from '../src/demo/generate.js';
import { TENANCY_COLUMNS, writeCsvFile } from '../src/demo/write-csv.js';
import { loadFlows } from '../src/engine/load.js';
import { importCsvFiles } from '../src/imports/index.js';
import { runJob } from '../src/jobs/run-job.js';
import { silentLogger } from '../src/lib/logger.js';
import { parsePoundsToPence } from '../src/rent/money.js';
import { DEFAULT_POLICY } from '../src/rent/policy.js';
import { localDateAt } from '../src/rent/schedule.js';
import { benchDatabase, machine, rssSampler, seconds } from './support.js';

const FLOWS_DIR = fileURLToPath(new URL('../flows', import.meta.url));

function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** The generator's ledgers as COPY text lines, in ~1 MB chunks. */
function* copyChunks(options: GenerateOptions): Generator<string> {
  let chunk = '';
  for (const t of generateTransactions(options)) {
    const pence = parsePoundsToPence(t.amount) ?? 0;
    chunk += `${t.transaction_id}\t${t.tenancy_ref}\t${t.date}\t${t.type}\t${pence}\t${t.account || 'rent'}\t${copyText(t.description)}\n`;
    if (chunk.length > 1_000_000) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

async function load(sql: Sql, options: GenerateOptions): Promise<{ tenancyRows: number; transactions: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'rentline-bench-daily-'));
  try {
    const file = join(dir, 'tenancies.csv');
    await writeCsvFile(file, TENANCY_COLUMNS, generateTenancies(options));
    await importCsvFiles(sql, [file]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const writable = await sql`copy transactions (transaction_id, tenancy_ref, date, type, amount_pence, account, description) from stdin`.writable();
  await pipeline(Readable.from(copyChunks(options)), writable);
  await sql`analyze`;
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from transactions`;
  const [tenancies] = await sql<{ n: number }[]>`select count(*)::int as n from tenancies`;
  return { tenancyRows: tenancies?.n ?? 0, transactions: row?.n ?? 0 };
}

export async function benchDaily(options: { tenancies?: number; years?: number } = {}): Promise<Record<string, unknown>> {
  const today = '2026-11-20';
  const generate: GenerateOptions = { tenancies: options.tenancies ?? 150_000, seed: 7, today, years: options.years ?? 1.8, refPrefix: 'D' };
  const db = await benchDatabase('daily');
  try {
    console.log(`loading ${generate.tenancies} tenancies with ${generate.years} years of ledger (not timed)…`);
    const loadStarted = performance.now();
    const loaded = await load(db.sql, generate);
    console.log(`  ${loaded.tenancyRows} tenancies, ${loaded.transactions} transactions in ${seconds(performance.now() - loadStarted)}`);

    const deps = { sql: db.sql, flows: loadFlows(FLOWS_DIR), policy: DEFAULT_POLICY, timeZone: 'Europe/London', logger: silentLogger(), dryRun: false, concurrency: 16 };
    const runs: Record<string, unknown>[] = [];
    // A dry run first (decides everything, starts nothing); then the first real day, when every account
    // already in arrears starts its first conversation at once; then the next day, the steady state.
    const plan = [
      { label: 'dry run (first day)', day: today, dryRun: true },
      { label: 'first day (cold: every current arrears case starts)', day: today, dryRun: false },
      { label: 'next day (steady state)', day: '2026-11-21', dryRun: false },
    ];
    for (const { label, day, dryRun } of plan) {
      const now = localDateAt(day, '10:00', 'Europe/London');
      if (global.gc) global.gc();
      const rss = rssSampler();
      const started = performance.now();
      const reports = await runJob({ ...deps, dryRun }, 'daily', now);
      const ms = performance.now() - started;
      runs.push({
        label,
        at: now.toISOString(),
        time: seconds(ms),
        ms: Math.round(ms),
        peakRssMb: rss.stop(),
        counts: Object.fromEntries(reports.map((r) => [r.job, r.counts])),
      });
      console.log(`  ${label}, daily at ${now.toISOString()}: ${seconds(ms)}`);
    }
    const [queued] = await db.sql<{ n: number }[]>`select count(*)::int as n from messages where direction = 'outbound'`;
    const first = runs[0] as { ms: number; peakRssMb: number };
    return {
      machine: machine(),
      tenancies: loaded.tenancyRows,
      transactions: loaded.transactions,
      runs,
      messagesQueued: queued?.n ?? 0,
      target: 'daily < 15 s, peak RSS < 300 MB, set-based SQL',
      met: runs.map((r) => (r as { ms: number }).ms < 15_000 && (r as { peakRssMb: number }).peakRssMb < 300 && first.ms > 0),
    };
  } finally {
    await db.close();
  }
}
