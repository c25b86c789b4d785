// The worklist's ORDER BY is the SQL twin of rent/worklist.ts's compareWorkItems: the same rows come back
// from the database in the order the pure rule sorts them.
import { describe, expect, it } from 'vitest';
import { readWorklist } from '../../src/casework/worklist.js';
import { DEFAULT_POLICY } from '../support/policy.js';
import { compareWorkItems, type WorkItem } from '../../src/rent/worklist.js';
import { useTestDatabase } from '../support/database.js';
import { insertTenancy } from '../jobs/support.js';

const db = await useTestDatabase();

describe('worklist order', () => {
  it('matches compareWorkItems, with the tenancy reference breaking exact ties', async () => {
    const rows = [
      { ref: 'WO-A', priority: 4, depth: 40, since: '2026-10-01T00:00:00Z' },
      { ref: 'WO-B', priority: 4, depth: 120, since: '2026-11-01T00:00:00Z' },
      { ref: 'WO-C', priority: 4, depth: 120, since: '2026-09-01T00:00:00Z' },
      { ref: 'WO-D', priority: 3, depth: 0, since: '2026-11-24T00:00:00Z' },
      { ref: 'WO-E', priority: 2, depth: 0, since: '2026-11-20T00:00:00Z' },
      { ref: 'WO-F', priority: 1, depth: 0, since: '2026-11-25T09:00:00Z' },
      { ref: 'WO-G', priority: 1, depth: 0, since: '2026-11-25T08:00:00Z' },
      { ref: 'WO-H', priority: 4, depth: 120, since: '2026-09-01T00:00:00Z' },
    ];
    for (const r of rows) {
      await insertTenancy(db.sql, { ref: r.ref });
      await db.sql`
        insert into worklist (tenancy_ref, tenant_no, patch, action, reason, priority, depth, since, refreshed_at)
        values (${r.ref}, 1, 'east', 'call_tenant', 'test', ${r.priority}, ${r.depth}, ${r.since}, now())`;
    }
    const view = await readWorklist(
      { sql: db.sql, policy: DEFAULT_POLICY, timeZone: 'Europe/London' },
      { now: new Date('2026-11-25T10:00:00Z') },
    );
    const expected = [...rows]
      .map((r) => ({ ...r, priority: r.priority as WorkItem['priority'], since: new Date(r.since) }))
      .sort((a, b) => compareWorkItems(a, b) || a.ref.localeCompare(b.ref))
      .map((r) => r.ref);
    expect(view.items.map((i) => i.tenancy_ref)).toEqual(expected);
    expect(expected).toEqual(['WO-G', 'WO-F', 'WO-E', 'WO-D', 'WO-C', 'WO-H', 'WO-B', 'WO-A']);
  });
});
