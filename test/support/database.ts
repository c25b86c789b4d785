// A fresh database per test file, cloned from the migrated template and dropped afterwards.
import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { createSql, type Sql } from '../../src/db/connect.js';

export interface TestDatabase {
  sql: Sql;
  url: string;
  name: string;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Call at the top of a test file; the database is dropped when the file's tests finish. */
export async function useTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const template = inject('templateDatabase');
  const name = `rentline_test_${randomBytes(6).toString('hex')}`;
  const admin = createSql(adminUrl, { max: 1 });
  await admin.unsafe(`create database ${name} template ${template}`);
  const url = withDatabase(adminUrl, name);
  const sql = createSql(url, { max: 10 });
  afterAll(async () => {
    await sql.end({ timeout: 1 });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  return { sql, url, name };
}
