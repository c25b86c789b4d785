// The worklist reads when an officer last made contact for every tenancy it refreshes, each day. That read
// must stay on the small partial index of officers' contact lines (migration 0082), not walk every line a
// tenancy has: the index's event list is the code's OFFICER_CONTACT_EVENTS, and the planner chooses it even
// for a tenancy with hundreds of automated lines.
import { describe, expect, it } from 'vitest';
import { lastOfficerContactAt } from '../../src/db/queries/contact-log.js';
import { OFFICER_CONTACT_EVENTS } from '../../src/rent/protocol.js';
import { useTestDatabase } from '../support/database.js';

const db = await useTestDatabase();

describe('contact_log_officer_contact', () => {
  it('indexes exactly the officers’ contact events', async () => {
    const [row] = await db.sql<{ predicate: string }[]>`
      select pg_get_expr(i.indpred, i.indrelid) as predicate
      from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = 'contact_log_officer_contact'`;
    const listed = [...(row?.predicate ?? '').matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...OFFICER_CONTACT_EVENTS].sort());
  });

  it('answers from that index, and finds the latest officer contact among many other lines', async () => {
    await db.sql`
      insert into tenancies (tenancy_ref, tenure, start_date, rent_frequency, rent_amount_pence, rent_due_day)
      values ('OC-1', 'secure', '2024-01-01', 'weekly', 10000, 'monday')`;
    await db.sql`
      insert into contact_log (at, tenancy_ref, event, actor, detail)
      select timestamptz '2026-01-01' + n * interval '1 hour', 'OC-1', 'message_queued', 'rentline', '{}'
      from generate_series(1, 600) n`;
    await db.sql`
      insert into contact_log (at, tenancy_ref, event, actor, detail) values
        ('2026-01-05T10:00:00Z', 'OC-1', 'contact_call', 'officer', '{}'),
        ('2026-01-09T10:00:00Z', 'OC-1', 'contact_letter', 'officer', '{}')`;
    await db.sql`analyze contact_log`;
    const query = db.sql`select ${lastOfficerContactAt(db.sql, db.sql`t.tenancy_ref`)} as at from tenancies t where t.tenancy_ref = 'OC-1'`;
    const [found] = await db.sql<{ at: Date }[]>`${query}`;
    expect(found?.at.toISOString()).toBe('2026-01-09T10:00:00.000Z');
    const plan = await db.sql<{ 'QUERY PLAN': string }[]>`explain ${query}`;
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('contact_log_officer_contact');
  });
});
