// Opens the database: the configured DATABASE_URL, or an embedded Postgres when there is none.
import postgres from 'postgres';
import type { Logger } from '../lib/logger.js';
import { resolve } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded.js';
import {
  embeddedUrl,
  findRunningPostgres,
  processIsAlive,
  readOwner,
  removeOwner,
  writeOwner,
  type DatabaseRole,
} from './running-postgres.js';
import { createTransactionLanes, type SafeTransactionSql, type TransactionLanes } from './transactions.js';

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
  const max = options.max ?? 10;
  const shared: postgres.Options<Record<string, postgres.PostgresType>> = {
    prepare: options.prepare ?? true,
    onnotice: () => {},
    // Dates stay as strings: rent dates are calendar days, not instants.
    types: { date: { to: 1082, from: [1082], serialize: (v: string) => v, parse: (v: string) => v } },
    // An OLTP service: compiling a query (JIT) costs more than any of these statements saves by it.
    connection: { application_name: 'rentline', jit: 'off' },
  };
  const pool = postgres(url, { ...shared, max });
  // Transactions run on lanes of their own (see transactions.ts): a dropped connection cannot crash them.
  return withSafeTransactions(pool, createTransactionLanes(url, shared, { lanes: max }));
}

/** A transaction's work: the lanes hand it the safe handle. */
type Work<T> = (tx: SafeTransactionSql) => T | Promise<T>;

/** The lanes behind each pool createSql made (its `begin`), for the callers that need their typed handle. */
const lanesBySql = new WeakMap<Sql, TransactionLanes>();

/**
 * The transaction lanes of a pool createSql made: `begin` as it really is, its work given the safe handle
 * (with `commit()`), which postgres.js's own `begin` type does not name. Undefined for any other pool.
 */
export function transactionLanesOf(sql: Sql): TransactionLanes | undefined {
  return lanesBySql.get(sql);
}

/**
 * The pool, with `begin` running on transaction lanes and `reserve` refused (a reserved connection whose
 * backend is terminated crashes the process on its next statement). `end` closes both.
 */
function withSafeTransactions(pool: Sql, lanes: TransactionLanes): Sql {
  function begin<T>(work: Work<T>): Promise<T>;
  function begin<T>(options: string, work: Work<T>): Promise<T>;
  function begin<T>(a: string | Work<T>, b?: Work<T>): Promise<T> {
    if (typeof a === 'function') return lanes.run(a);
    if (b === undefined) return Promise.reject(new TypeError('sql.begin(options, work) needs the work to run'));
    return lanes.run(b, a);
  }
  const reserve = () => Promise.reject(new Error('sql.reserve() is not safe when a connection drops: use sql.begin()'));
  const end = async (endOptions?: { timeout?: number }) => {
    await Promise.all([pool.end(endOptions), lanes.end(endOptions)]);
  };
  const safe = new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'begin') return begin;
      if (prop === 'reserve') return reserve;
      if (prop === 'end') return end;
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  lanesBySql.set(safe, lanes);
  return safe;
}

/**
 * The embedded server for this data folder: the one already running there (the service's, while a command
 * runs beside it), or a new one. Only the server this process started is stopped by `stop()`.
 */
async function embeddedServerFor(dataDir: string, role: DatabaseRole, logger: Logger): Promise<EmbeddedServer> {
  const pgDir = resolve(dataDir, 'pg');
  const running = await findRunningPostgres(pgDir);
  if (running) {
    const owner = await readOwner(dataDir);
    if (role === 'service' && owner?.role === 'command' && owner.pid !== process.pid && processIsAlive(owner.pid)) {
      throw new Error(
        `a rentline command (process ${owner.pid}) is using the embedded database in ${pgDir}; let it finish, then start the service again`,
      );
    }
    logger.info({ port: running.port }, 'using the embedded Postgres already running on this data folder');
    return {
      adminUrl: embeddedUrl(running.port, 'postgres'),
      urlFor: (database) => embeddedUrl(running.port, database),
      stop: async () => {},
    };
  }
  let server: EmbeddedServer;
  try {
    server = await startEmbeddedPostgres({ dataDir, logger });
  } catch (error) {
    throw new Error(
      `no Rentline database is running on ${pgDir} and none could be started. ${(error as Error).message ?? String(error)}`,
    );
  }
  const port = Number(new URL(server.adminUrl).port);
  await writeOwner(dataDir, { pid: process.pid, role, port });
  return {
    ...server,
    async stop() {
      await removeOwner(dataDir);
      await server.stop();
    },
  };
}

/** Connects, and says plainly what to do when a server is there but does not answer (still starting). */
async function ensureDatabase(server: EmbeddedServer, dataDir: string): Promise<void> {
  const admin = createSql(server.adminUrl, { max: 1 });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = 'rentline'`;
    if (!exists) await admin`create database rentline`;
  } catch (error) {
    throw new Error(
      `the embedded Postgres in ${resolve(dataDir, 'pg')} does not answer (${(error as Error).message}); if Rentline is still starting, try again in a moment`,
    );
  } finally {
    await admin.end();
  }
}

export async function openDatabase(options: {
  databaseUrl: string | null;
  dataDir: string;
  logger: Logger;
  max?: number;
  role?: DatabaseRole;
}): Promise<Database> {
  let embedded: EmbeddedServer | null = null;
  let url = options.databaseUrl;
  if (!url) {
    embedded = await embeddedServerFor(options.dataDir, options.role ?? 'command', options.logger);
    try {
      await ensureDatabase(embedded, options.dataDir);
    } catch (error) {
      await embedded.stop();
      throw error;
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
