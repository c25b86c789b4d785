// `npm run schema:dump`: migrates a fresh, empty database and writes the schema it ends up with to
// migrations/schema/schema.sql (see src/db/schema-dump.ts). Uses the server in DATABASE_URL (a scratch
// database created and dropped on it) or, without one, a throwaway embedded Postgres.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createSql } from '../src/db/connect.js';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { migrate } from '../src/db/migrate.js';
import { SCHEMA_DUMP_FILE, dumpSchema } from '../src/db/schema-dump.js';
import { silentLogger } from '../src/lib/logger.js';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function main(): Promise<void> {
  const dataDir = process.env.DATABASE_URL ? null : await mkdtemp(join(tmpdir(), 'rentline-schema-dump-'));
  const embedded = dataDir ? await startEmbeddedPostgres({ dataDir, logger: silentLogger(), durable: false }) : null;
  const adminUrl = embedded ? embedded.adminUrl : withDatabase(process.env.DATABASE_URL ?? '', 'postgres');
  const name = `rentline_schema_dump_${randomBytes(6).toString('hex')}`;
  const admin = createSql(adminUrl, { max: 1 });
  try {
    await admin.unsafe(`create database ${name}`);
    const sql = createSql(withDatabase(adminUrl, name), { max: 1 });
    try {
      await migrate(sql);
      const text = await dumpSchema(sql);
      await mkdir(dirname(SCHEMA_DUMP_FILE), { recursive: true });
      await writeFile(SCHEMA_DUMP_FILE, text);
      console.log(`wrote ${relative(process.cwd(), SCHEMA_DUMP_FILE)} (${text.split('\n').length - 1} lines)`);
    } finally {
      await sql.end();
    }
  } finally {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
    if (embedded) await embedded.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
