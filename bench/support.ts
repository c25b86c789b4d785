// Shared bench plumbing: a fresh database (embedded unless DATABASE_URL is set), peak-RSS sampling,
// and a note of the machine the figures came from.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createSql, type Sql } from '../src/db/connect.js';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { migrate } from '../src/db/migrate.js';
import { silentLogger } from '../src/lib/logger.js';

export interface BenchDatabase {
  sql: Sql;
  url: string;
  close(): Promise<void>;
}

export async function benchDatabase(name: string): Promise<BenchDatabase> {
  let adminUrl: string;
  let stopEmbedded: (() => Promise<void>) | null = null;
  let dataDir: string | null = null;
  if (process.env.DATABASE_URL) {
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = '/postgres';
    adminUrl = u.toString();
  } else {
    dataDir = await mkdtemp(join(tmpdir(), 'rentline-bench-pg-'));
    // Durable like production: fsync stays on, so the figures are honest.
    const embedded = await startEmbeddedPostgres({ dataDir, logger: silentLogger() });
    adminUrl = embedded.adminUrl;
    stopEmbedded = () => embedded.stop();
  }
  const database = `rentline_bench_${name}_${process.pid}`;
  const admin = createSql(adminUrl, { max: 1 });
  await admin.unsafe(`drop database if exists ${database} with (force)`);
  await admin.unsafe(`create database ${database}`);
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  const url = u.toString();
  const sql = createSql(url, { max: 20 });
  await migrate(sql);
  return {
    sql,
    url,
    async close() {
      await sql.end();
      await admin.unsafe(`drop database if exists ${database} with (force)`);
      await admin.end();
      if (stopEmbedded) await stopEmbedded();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Samples this process's RSS every 50 ms; returns the peak in MB when stopped. */
export function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return Math.round(peak / 1024 / 1024);
    },
  };
}

/** The CPU model as /proc/cpuinfo names it (os.cpus() elsewhere). */
function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1]) return match[1].trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown CPU';
}

export function machine(): string {
  const cpu = cpuModel();
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}, Postgres ${process.env.DATABASE_URL ? 'server (DATABASE_URL)' : 'embedded'}`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
