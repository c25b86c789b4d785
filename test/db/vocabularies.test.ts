// The escalation and contact-log vocabularies are defined once, as const arrays in their query modules.
// The database must agree with them: a CHECK constraint on one of their columns allows exactly the
// array's values, and every kind or reason the schema's own SQL (triggers, partial indexes) or the
// service's SQL names is one the array knows, so a typo in a query cannot silently match nothing.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTACT_LOG_KINDS } from '../../src/db/queries/contact-log.js';
import { ESCALATION_REASONS, ESCALATION_STATUSES, ESCALATION_URGENCIES } from '../../src/db/queries/escalations.js';
import { FLOW_ESCALATION_REASONS } from '../../src/engine/flow-schema.js';
import { useTestDatabase } from '../support/database.js';

const db = await useTestDatabase();

const VOCABULARIES: { table: string; column: string; values: readonly string[] }[] = [
  { table: 'escalations', column: 'reason', values: ESCALATION_REASONS },
  { table: 'escalations', column: 'status', values: ESCALATION_STATUSES },
  { table: 'escalations', column: 'urgency', values: ESCALATION_URGENCIES },
  { table: 'contact_log', column: 'event', values: CONTACT_LOG_KINDS },
];

/** The quoted values of a CHECK constraint such as `CHECK ((status = ANY (ARRAY['a'::text, 'b'::text])))`. */
function quoted(definition: string): string[] {
  return [...definition.matchAll(/'((?:[^']|'')*)'/g)].map((m) => (m[1] as string).replaceAll("''", "'"));
}

async function checksOn(table: string, column: string): Promise<string[]> {
  const rows = await db.sql<{ definition: string }[]>`
    select pg_get_constraintdef(c.oid) as definition
    from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
    where c.contype = 'c' and c.conrelid = ${table}::regclass and a.attname = ${column} and cardinality(c.conkey) = 1`;
  return rows.map((r) => r.definition);
}

/** `reason = 'x'`, `event <> 'x'`, `event in ('x', 'y')` in SQL text (not blocked_reason and the like). */
function namedValues(sqlText: string, column: 'reason' | 'event'): string[] {
  const single = new RegExp(`(?<![\\w])(?:\\w+\\.)?${column}\\s*(?:=|<>|!=)\\s*'([a-z_]+)'`, 'g');
  const list = new RegExp(`(?<![\\w])(?:\\w+\\.)?${column}\\s+(?:not\\s+)?in\\s*\\(([^)]*)\\)`, 'gi');
  return [
    ...[...sqlText.matchAll(single)].map((m) => m[1] as string),
    ...[...sqlText.matchAll(list)].flatMap((m) => quoted(m[1] as string)),
  ];
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

describe('escalation and contact-log vocabularies', () => {
  it('are each defined once, without repeats, the flows’ reasons among the escalation reasons', () => {
    for (const v of VOCABULARIES) expect(new Set(v.values).size, `${v.table}.${v.column}`).toBe(v.values.length);
    expect(ESCALATION_REASONS).toEqual(expect.arrayContaining([...FLOW_ESCALATION_REASONS]));
    // The service's own reasons, raised outside any flow.
    expect(ESCALATION_REASONS.filter((r) => !(FLOW_ESCALATION_REASONS as readonly string[]).includes(r))).toEqual([
      'human_only',
      'held_contact',
      'arrangement_broken',
      'suspended_order_breached',
    ]);
  });

  it('agree with every CHECK constraint the database has on their columns', async () => {
    const constrained: string[] = [];
    for (const v of VOCABULARIES) {
      for (const definition of await checksOn(v.table, v.column)) {
        constrained.push(`${v.table}.${v.column}`);
        expect(new Set(quoted(definition)), `${v.table}.${v.column}: ${definition}`).toEqual(new Set(v.values));
      }
    }
    // Status and urgency are constrained today; reason and event are not (yet): the arrays are their only list.
    expect(constrained).toEqual(expect.arrayContaining(['escalations.status', 'escalations.urgency']));
  });

  it('know every reason and kind the schema’s triggers and partial indexes name', async () => {
    const rows = await db.sql<{ text: string }[]>`
      select pg_get_functiondef(p.oid) as text from pg_trigger t join pg_proc p on p.oid = t.tgfoid
      where not t.tgisinternal and t.tgrelid in ('escalations'::regclass, 'contact_log'::regclass)
      union all
      select pg_get_indexdef(i.indexrelid) from pg_index i where i.indrelid in ('escalations'::regclass, 'contact_log'::regclass)`;
    const text = rows.map((r) => r.text).join('\n');
    const reasons = namedValues(text, 'reason');
    const kinds = namedValues(text, 'event');
    expect(reasons.length + kinds.length).toBeGreaterThan(0);
    expect(reasons.filter((r) => !(ESCALATION_REASONS as readonly string[]).includes(r))).toEqual([]);
    expect(kinds.filter((k) => !(CONTACT_LOG_KINDS as readonly string[]).includes(k))).toEqual([]);
  });

  it('know every reason and kind the service’s SQL names', async () => {
    const unknown: string[] = [];
    let named = 0;
    for (const file of await sourceFiles('src')) {
      const text = await readFile(file, 'utf8');
      for (const [column, values] of [
        ['reason', ESCALATION_REASONS],
        ['event', CONTACT_LOG_KINDS],
      ] as const) {
        for (const value of namedValues(text, column)) {
          named += 1;
          if (!(values as readonly string[]).includes(value)) unknown.push(`${file}: ${column} '${value}'`);
        }
      }
    }
    expect(named).toBeGreaterThan(5);
    expect(unknown).toEqual([]);
  });
});
