// Benchmark: the `daily` job (reminders, missed payments, arrangements, timeouts) on 150,000 tenancies with
// about 15 million transactions from the demo generator. Loading is not timed: tenancies go through the
// importer, transactions straight in with COPY. Target (issue 5): under 15 s, peak RSS under 300 MB.
//
// Loading takes minutes, so with a server (DATABASE_URL set) the loaded data is kept in a cache database,
// `rentline_bench_daily_cache`, and every run works on a clone of it (CREATE DATABASE … TEMPLATE), dropped
// afterwards:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench -- daily
// The cache is rebuilt when the generator options change or BENCH_DAILY_FRESH=1 is set; new migrations are
// applied to it before it is cloned (BENCH_DAILY_LOAD_ONLY=1 only builds it). Without DATABASE_URL an
// embedded server is loaded afresh each run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { keptLedgerSplit, rebuildKeptLedger, SETTLE_AFTER_DAYS } from '../src/accounts/kept-ledger.js';
import { createSql, type Sql } from '../src/db/connect.js';
import { addDays } from '../src/rent/calendar-date.js';
import type { GenerateOptions } from '../src/demo/generate.js';
import { migrate } from '../src/db/migrate.js';
import { loadFlows } from '../src/engine/load.js';
import { runJob } from '../src/jobs/run-job.js';
import { silentLogger } from '../src/lib/logger.js';
import { phaseTimer } from '../src/lib/phase-timer.js';
import { DEFAULT_POLICY } from '../test/support/policy.js';
import { localDateAt } from '../src/rent/schedule.js';
import { benchDatabase, machine, rssSampler, seconds } from './support.js';

const FLOWS_DIR = fileURLToPath(new URL('../flows', import.meta.url));

function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** The generator's ledgers as COPY text lines, in ~1 MB chunks. */
async function* copyChunks(options: GenerateOptions): AsyncGenerator<string> {
  const { generateTransactions } = await import('../src/demo/generate.js');
  const { parsePoundsToPence } = await import('../src/rent/money.js');
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
  // Imported here, so the process the daily runs are measured in holds only what the service would.
  const { generateTenancies } = await import('../src/demo/generate.js');
  const { TENANCY_COLUMNS, writeCsvFile } = await import('../src/demo/write-csv.js');
  const { importCsvFiles } = await import('../src/imports/index.js');
  const dir = await mkdtemp(join(tmpdir(), 'rentline-bench-daily-'));
  try {
    const file = join(dir, 'tenancies.csv');
    await writeCsvFile(file, TENANCY_COLUMNS, generateTenancies(options));
    await importCsvFiles(sql, [file]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const writable =
    await sql`copy transactions (transaction_id, tenancy_ref, date, type, amount_pence, account, description) from stdin`.writable();
  await pipeline(Readable.from(copyChunks(options)), writable);
  await placeKeptLedger(sql, options);
  await sql`vacuum analyze`;
  return counts(sql);
}

/**
 * The kept ledger as a service that has run its daily job up to the data set's day would have it (split
 * SETTLE_AFTER_DAYS before it), whatever the real date was when the cache was built or migrated.
 */
async function placeKeptLedger(sql: Sql, options: GenerateOptions): Promise<void> {
  const splitAt = addDays(options.today, -SETTLE_AFTER_DAYS);
  if ((await keptLedgerSplit(sql, { lock: false })) === splitAt) return;
  await rebuildKeptLedger(sql, splitAt);
  await sql`vacuum analyze ledger_recent, ledger_settled`;
}

/** BENCH_CACHE_DATABASE names another cache (a smaller data set, or one kept apart from others' runs). */
const CACHE_DATABASE = process.env.BENCH_CACHE_DATABASE ?? 'rentline_bench_daily_cache';

async function counts(sql: Sql): Promise<{ tenancyRows: number; transactions: number }> {
  const [row] = await sql<{ tenancies: number; transactions: number }[]>`
    select (select count(*) from tenancies)::int as tenancies, (select count(*) from transactions)::int as transactions`;
  return { tenancyRows: row?.tenancies ?? 0, transactions: row?.transactions ?? 0 };
}

/** A loaded database: a clone of the server's cache (built first if missing or stale), or a fresh embedded one. */
export async function loadedDatabase(
  generate: GenerateOptions,
): Promise<{ sql: Sql; loaded: { tenancyRows: number; transactions: number }; close(): Promise<void> }> {
  const announce = () =>
    console.log(`loading ${generate.tenancies} tenancies with ${generate.years} years of ledger (not timed)…`);
  if (!process.env.DATABASE_URL) {
    const db = await benchDatabase('daily');
    announce();
    const loaded = await load(db.sql, generate);
    return { sql: db.sql, loaded, close: () => db.close() };
  }
  const urlOf = (database: string) => {
    const u = new URL(process.env.DATABASE_URL as string);
    u.pathname = `/${database}`;
    return u.toString();
  };
  const admin = createSql(urlOf('postgres'), { max: 1 });
  const key = JSON.stringify(generate);
  const [exists] = await admin`select 1 from pg_database where datname = ${CACHE_DATABASE}`;
  let fresh = !exists || process.env.BENCH_DAILY_FRESH === '1';
  if (!fresh) {
    const cache = createSql(urlOf(CACHE_DATABASE), { max: 1 });
    try {
      const [row] = await cache<{ options: string }[]>`select options from bench_cache`.catch(() => []);
      fresh = row?.options !== key;
      if (!fresh) {
        await migrate(cache);
        await placeKeptLedger(cache, generate);
      }
    } finally {
      await cache.end();
    }
  }
  if (fresh) {
    await admin.unsafe(`drop database if exists ${CACHE_DATABASE} with (force)`);
    await admin.unsafe(`create database ${CACHE_DATABASE}`);
    const cache = createSql(urlOf(CACHE_DATABASE), { max: 4 });
    try {
      await migrate(cache);
      announce();
      const started = performance.now();
      await load(cache, generate);
      await cache`create table bench_cache (options text not null)`;
      await cache`insert into bench_cache values (${key})`;
      console.log(`  cached as ${CACHE_DATABASE} in ${seconds(performance.now() - started)}`);
    } finally {
      await cache.end();
    }
  }
  const database = `rentline_bench_daily_${process.pid}`;
  await admin.unsafe(`drop database if exists ${database} with (force)`);
  // From Postgres 15 a clone is written to the WAL block by block by default: 2.6 GB of WAL whose
  // checkpoints would land in the timed run. Copying the files skips that.
  const [version] = await admin<{ n: number }[]>`select current_setting('server_version_num')::int as n`;
  const strategy = (version?.n ?? 0) >= 150000 ? ' strategy = file_copy' : '';
  await admin.unsafe(`create database ${database} template ${CACHE_DATABASE}${strategy}`);
  // The pool the service gives its jobs (src/db/connect.ts): statements planned afresh each time.
  const sql = createSql(urlOf(database), { max: 6, prepare: false });
  return {
    sql,
    loaded: await counts(sql),
    async close() {
      await sql.end();
      await admin.unsafe(`drop database if exists ${database} with (force)`);
      await admin.end();
    },
  };
}

/**
 * The floor the daily job is compared with: one grouped scan of the rent ledger (every tenancy's balance),
 * in the jobs' pool with the sweep's settings. Nothing the job does can be cheaper than reading the ledger
 * once, so `daily / floor` says how close the job is to the machine, whatever the machine.
 */
async function ledgerScanMs(sql: Sql, today: string): Promise<number> {
  const started = performance.now();
  await sql.begin(async (tx) => {
    await tx`set local work_mem = '64MB'`;
    await tx`
      select count(*) from (
        select tenancy_ref, sum(amount_pence) from transactions where account = 'rent' and date <= ${today} group by tenancy_ref
      ) balances`;
  });
  return performance.now() - started;
}

/** The 150,000-tenancy data set every whole-landlord bench runs on (one cache for all of them). */
export function landlordDataSet(options: { tenancies?: number; years?: number } = {}): GenerateOptions {
  return {
    tenancies: options.tenancies ?? 150_000,
    seed: 7,
    today: '2026-11-20',
    years: options.years ?? 1.8,
    refPrefix: 'D',
  };
}

export async function benchDaily(
  options: { tenancies?: number; years?: number } = {},
): Promise<Record<string, unknown>> {
  const today = '2026-11-20';
  const generate: GenerateOptions = landlordDataSet(options);
  const db = await loadedDatabase(generate);
  try {
    const loaded = db.loaded;
    console.log(`  ${loaded.tenancyRows} tenancies, ${loaded.transactions} transactions`);
    if (process.env.BENCH_DAILY_LOAD_ONLY === '1')
      return { ...loaded, note: 'BENCH_DAILY_LOAD_ONLY: cache built, daily not run' };

    const deps = {
      sql: db.sql,
      flows: loadFlows(FLOWS_DIR),
      policy: DEFAULT_POLICY,
      timeZone: 'Europe/London',
      logger: silentLogger(),
      dryRun: false,
      concurrency: 16,
      keepDecisions: false,
    };
    const runs: Record<string, unknown>[] = [];
    // The process before any run: code, flows and the pool, which the service holds all day anyway.
    const baselineRssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
    // A dry run first (decides everything, starts nothing); then the first real day, when every account
    // already in arrears starts its first conversation at once; then the next day, the steady state.
    const floorBefore = await ledgerScanMs(db.sql, today);
    console.log(`  floor (one grouped scan of the rent ledger): ${seconds(floorBefore)}`);
    const plan = [
      { label: 'dry run (first day)', day: today, dryRun: true },
      { label: 'first day (cold: every current arrears case starts)', day: today, dryRun: false },
      { label: 'next day (steady state)', day: '2026-11-21', dryRun: false },
    ];
    for (const { label, day, dryRun } of plan) {
      const now = localDateAt(day, '10:00', 'Europe/London');
      if (global.gc) global.gc();
      const rss = rssSampler();
      const timer = phaseTimer();
      const started = performance.now();
      const reports = await runJob({ ...deps, dryRun, timer }, 'daily', now);
      const ms = performance.now() - started;
      runs.push({
        label,
        at: now.toISOString(),
        time: seconds(ms),
        ms: Math.round(ms),
        peakRssMb: rss.stop(),
        // Milliseconds per phase; phases of the two batches in flight at once add up.
        phasesMs: timer.totals(),
        counts: Object.fromEntries(reports.map((r) => [r.job, r.counts])),
      });
      console.log(`  ${label}, daily at ${now.toISOString()}: ${seconds(ms)}`);
    }
    const floorAfter = await ledgerScanMs(db.sql, today);
    const floorMs = Math.min(floorBefore, floorAfter);
    const [queued] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from messages where direction = 'outbound'`;
    const first = runs[0] as { ms: number; peakRssMb: number };
    const ratios = runs.map((r) => +((r as { ms: number }).ms / floorMs).toFixed(2));
    return {
      machine: machine(),
      floor: {
        what: 'one grouped scan of the rent ledger (sum per tenancy), same database, same run',
        before: seconds(floorBefore),
        after: seconds(floorAfter),
        usedMs: Math.round(floorMs),
      },
      ratios: Object.fromEntries(runs.map((r, i) => [(r as { label: string }).label, `${ratios[i]}× the floor`])),
      tenancies: loaded.tenancyRows,
      transactions: loaded.transactions,
      baselineRssMb,
      runs,
      messagesQueued: queued?.n ?? 0,
      target: 'daily ≤ 5× the grouped ledger scan, peak RSS < 300 MB, set-based SQL',
      met: runs.map(
        (r, i) => (ratios[i] as number) <= 5 && (r as { peakRssMb: number }).peakRssMb < 300 && first.ms > 0,
      ),
    };
  } finally {
    await db.close();
  }
}
