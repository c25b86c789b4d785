// Opens the database: the configured DATABASE_URL, or an embedded Postgres when there is none.
import postgres from 'postgres';
import type { Logger } from '../lib/logger.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded.js';

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;
/** Either the pool or a transaction: query modules take this so they work inside a transaction. */
export type Queryable = Sql | TransactionSql;

export interface Database {
  sql: Sql;
  /** A small pool for the scheduled jobs: statements planned afresh each time (see createSql). */
  jobsSql: Sql;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * A connection pool. `prepare: false` plans every statement afresh with its values (an unnamed statement):
 * for the scheduled jobs, whose set-based statements run a few times a day against tables that grow
 * within one run, so a plan cached when a table was empty would be used when it holds 50,000 rows.
 */
/** Connections the jobs use at most: the sweep's cursor, a batch's reads and its starts. */
const JOBS_POOL_SIZE = 6;

export function createSql(url: string, options: { max?: number; prepare?: boolean } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    prepare: options.prepare ?? true,
    onnotice: () => {},
    // Dates stay as strings: rent dates are calendar days, not instants.
    types: { date: { to: 1082, from: [1082], serialize: (v: string) => v, parse: (v: string) => v } },
    // An OLTP service: compiling a query (JIT) costs more than any of these statements saves by it.
    connection: { application_name: 'rentline', jit: 'off' },
  });
}

export async function openDatabase(options: { databaseUrl: string | null; dataDir: string; logger: Logger; max?: number }): Promise<Database> {
  let embedded: EmbeddedServer | null = null;
  let url = options.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: options.dataDir, logger: options.logger });
    const admin = createSql(embedded.adminUrl, { max: 1 });
    try {
      const [exists] = await admin`select 1 from pg_database where datname = 'rentline'`;
      if (!exists) await admin`create database rentline`;
    } finally {
      await admin.end();
    }
    url = embedded.urlFor('rentline');
  }
  const sql = createSql(url, options.max === undefined ? {} : { max: options.max });
  const jobsSql = createSql(url, { max: JOBS_POOL_SIZE, prepare: false });
  const server = embedded;
  return {
    sql,
    jobsSql,
    url,
    embedded: server !== null,
    async close() {
      await Promise.all([sql.end({ timeout: 5 }), jobsSql.end({ timeout: 5 })]);
      if (server) await server.stop();
    },
  };
}
