// Once per `vitest run`: a real Postgres (embedded unless DATABASE_URL is set) and a migrated template
// database that each test file clones into its own database.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createSql } from '../../src/db/connect.js';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded.js';
import { migrate } from '../../src/db/migrate.js';
import { rebuildKeptLedger } from '../../src/accounts/kept-ledger.js';
import { silentLogger } from '../../src/lib/logger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let embedded: EmbeddedServer | null = null;
  let dataDir: string | null = null;
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = withDatabase(process.env.DATABASE_URL, 'postgres');
  } else {
    dataDir = await mkdtemp(join(tmpdir(), 'rentline-test-pg-'));
    embedded = await startEmbeddedPostgres({ dataDir, logger: silentLogger(), durable: false });
    adminUrl = embedded.adminUrl;
  }
  const template = `rentline_template_${process.pid}_${Date.now().toString(36)}`;
  const admin = createSql(adminUrl, { max: 1 });
  await admin.unsafe(`create database ${template}`);
  const templateSql = createSql(withDatabase(adminUrl, template), { max: 1 });
  try {
    await migrate(templateSql);
    // Every test's ledger lines start in the kept ledger's recent part (the migration splits at 150 days
    // before the real date, and tests' dates are fixed), so whole-landlord sweeps read the kept ledger and
    // the daily job's settling moves lines into its settled part, as a service's daily runs do.
    await rebuildKeptLedger(templateSql, '2000-01-01');
  } finally {
    await templateSql.end();
  }
  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template);

  return async () => {
    await admin.unsafe(`drop database if exists ${template} with (force)`);
    await admin.end();
    if (embedded) await embedded.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}
