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
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

export function createSql(url: string, options: { max?: number } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // Dates stay as strings: rent dates are calendar days, not instants.
    types: { date: { to: 1082, from: [1082], serialize: (v: string) => v, parse: (v: string) => v } },
    connection: { application_name: 'rentline' },
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
  const server = embedded;
  return {
    sql,
    url,
    embedded: server !== null,
    async close() {
      await sql.end({ timeout: 5 });
      if (server) await server.stop();
    },
  };
}
