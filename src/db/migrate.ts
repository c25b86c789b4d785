// Forward-only numbered migrations (migrations/NNNN_name.sql), applied in one transaction under an
// advisory lock, so two instances starting at once apply each file exactly once.
import { readdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Sql } from './connect.js';

const MIGRATION_LOCK = 72_646_001; // any constant; shared by every Rentline instance
const FILE_PATTERN = /^(\d{4})_[a-z0-9_]+\.sql$/;

interface Migration {
  version: number;
  name: string;
  text: string;
}

export const MIGRATIONS_DIR = resolve(import.meta.dirname, '../../migrations');

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const name of files) {
    const match = FILE_PATTERN.exec(name);
    if (!match) throw new Error(`migrations/${name}: rename it NNNN_lower_snake_name.sql`);
    migrations.push({ version: Number(match[1]), name, text: await readFile(resolve(dir, name), 'utf8') });
  }
  // Gaps are allowed (parallel work takes ranges of numbers); two files with one number are not.
  migrations.forEach((m, i) => {
    const previous = migrations[i - 1];
    if (previous && m.version === previous.version) {
      throw new Error(
        `migrations/${m.name}: number ${m.name.slice(0, 4)} is already used by ${previous.name}; give it the next free number`,
      );
    }
  });
  return migrations;
}

/** Applies pending migrations; returns the names applied. */
export async function migrate(sql: Sql, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await readMigrations(dir);
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`create table if not exists schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`;
    const done = new Set(
      (await tx<{ version: number }[]>`select version from schema_migrations`).map((r) => r.version),
    );
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.unsafe(m.text);
      await tx`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`;
      applied.push(m.name);
    }
    return applied;
  });
}
