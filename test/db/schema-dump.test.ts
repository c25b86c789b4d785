// migrations/schema/schema.sql must be the schema the migrations produce, so a schema change shows in
// review as a diff of that file. Regenerated here from a clone of the migrated template database.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readMigrations } from '../../src/db/migrate.js';
import { SCHEMA_DUMP_FILE, dumpSchema } from '../../src/db/schema-dump.js';
import { useTestDatabase } from '../support/database.js';

const db = await useTestDatabase();

describe('schema dump', () => {
  it('matches what the migrations produce (after a schema change: run npm run schema:dump)', async () => {
    const checkedIn = await readFile(SCHEMA_DUMP_FILE, 'utf8').catch(() => '');
    const regenerated = await dumpSchema(db.sql);
    if (regenerated !== checkedIn) {
      expect.fail(
        'migrations/schema/schema.sql is not the schema the migrations produce: run npm run schema:dump and commit the file',
      );
    }
  });

  it('shows a table with its columns, constraints, indexes and triggers, and changes with the schema', async () => {
    const before = await dumpSchema(db.sql);
    expect(before).toContain('CREATE TABLE contact_log (\n    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,');
    expect(before).toContain('    CONSTRAINT contact_log_pkey PRIMARY KEY (id)');
    expect(before).toContain(
      'CREATE INDEX contact_log_by_tenancy ON public.contact_log USING btree (tenancy_ref, at);',
    );
    expect(before).toContain('CREATE TRIGGER contact_log_append_only BEFORE DELETE OR UPDATE ON public.contact_log');
    await db.sql`alter table contact_log add column probe_note text default 'x' not null`;
    try {
      expect(await dumpSchema(db.sql)).toContain(
        "    probe_note text DEFAULT 'x'::text NOT NULL,\n    CONSTRAINT contact_log_pkey",
      );
    } finally {
      await db.sql`alter table contact_log drop column probe_note`;
    }
    expect(await dumpSchema(db.sql)).toBe(before);
  });

  it('is never read as a migration: it lives in a folder of its own', async () => {
    expect(SCHEMA_DUMP_FILE).toMatch(/migrations\/schema\/schema\.sql$/);
    expect((await readMigrations()).map((m) => m.name)).not.toContain('schema.sql');
  });
});
