// Everything the database needs before Rentline runs: our numbered migrations, then the job queue's own.
import type { Sql } from './connect.js';
import { migrate } from './migrate.js';

export async function migrateAll(sql: Sql): Promise<string[]> {
  return migrate(sql);
}
