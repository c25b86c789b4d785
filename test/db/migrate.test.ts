import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSql } from '../../src/db/connect.js';
import { migrate, readMigrations } from '../../src/db/migrate.js';
import { useTestDatabase } from '../support/database.js';

const db = await useTestDatabase();

describe('migrations', () => {
  it('numbers the shipped migrations in increasing order, each number once (gaps are fine)', async () => {
    const versions = (await readMigrations()).map((m) => m.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
  });

  it('applies nothing twice: the template database is already up to date', async () => {
    expect(await migrate(db.sql)).toEqual([]);
  });

  it('applies a new migration exactly once when two instances start at the same moment', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rentline-migrations-'));
    for (const m of await readMigrations()) await writeFile(join(dir, m.name), m.text);
    const renumbered = Math.max(...(await readMigrations()).map((m) => m.version)) + 1;
    await writeFile(join(dir, `${String(renumbered).padStart(4, '0')}_probe.sql`), 'create table probe (id int)');
    const second = createSql(db.url, { max: 1 });
    const [a, b] = await Promise.all([migrate(db.sql, dir), migrate(second, dir)]);
    await second.end();
    expect([...a, ...b]).toEqual([`${String(renumbered).padStart(4, '0')}_probe.sql`]);
    const [row] = await db.sql`select count(*)::int as n from schema_migrations where name like '%probe%'`;
    expect(row?.n).toBe(1);
  });

  it('refuses two migration files with the same number, naming both', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rentline-migrations-'));
    await writeFile(join(dir, '0001_a.sql'), 'select 1');
    await writeFile(join(dir, '0003_b.sql'), 'select 1');
    await writeFile(join(dir, '0003_c.sql'), 'select 1');
    await expect(readMigrations(dir)).rejects.toThrow(/0003_c\.sql: number 0003 is also used by 0003_b\.sql/);
  });
});
