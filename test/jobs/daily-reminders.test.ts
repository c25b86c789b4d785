// The daily job reads the contact states of an account due a reminder with no arrears only when someone
// there could get one (a tenant asked for reminders, or an arrangement), and then reads all its tenants, so
// a joint tenant's hold still holds the other's reminder (run-job.ts, contact-state.ts).
import { describe, expect, it } from 'vitest';
import { runJob } from '../../src/jobs/run-job.js';
import { useTestDatabase } from '../support/database.js';
import { insertTenancy, jobDeps, post, weeklyCharges } from './support.js';

const db = await useTestDatabase();
const saturday = new Date('2026-05-09T09:00:00Z'); // 10:00 in London; rent is due on Monday 11 May

/** A weekly tenancy with every charge paid: due a reminder on Saturday only if someone asked for them. */
async function paidUp(ref: string, tenants: number): Promise<void> {
  await insertTenancy(db.sql, { ref, tenants });
  await weeklyCharges(db.sql, ref, '2026-04-06', '2026-05-04', 10_000);
  for (const d of ['2026-04-06', '2026-04-13', '2026-04-20', '2026-04-27', '2026-05-04'])
    await post(db.sql, ref, d, 'payment', -10_000);
}

describe('reminders to accounts with no arrears, through the daily job', () => {
  it('go to the tenants who asked, are held by a joint tenant’s Breathing Space, and are not read otherwise', async () => {
    await paidUp('DR-ASKED', 2);
    await db.sql`update tenants set wants_reminders = (tenant_no = 2) where tenancy_ref = 'DR-ASKED'`;
    await paidUp('DR-HELD', 2);
    await db.sql`update tenants set wants_reminders = (tenant_no = 2) where tenancy_ref = 'DR-HELD'`;
    await db.sql`update tenants set breathing_space_start = '2026-05-01', breathing_space_end = '2026-06-30'
      where tenancy_ref = 'DR-HELD' and tenant_no = 1`;
    await paidUp('DR-NOBODY', 1);

    const [report] = (await runJob(jobDeps(db.sql), 'daily', saturday)).filter((r) => r.job === 'reminders');

    const queued = await db.sql<{ tenancy_ref: string; tenant_no: number }[]>`
      select tenancy_ref, tenant_no from messages where direction = 'outbound' and purpose = 'reminder'
      order by tenancy_ref, tenant_no`;
    expect(queued).toEqual([{ tenancy_ref: 'DR-ASKED', tenant_no: 2 }]);
    const held = await db.sql<{ tenancy_ref: string; tenant_no: number; reason: string }[]>`
      select tenancy_ref, tenant_no, detail->>'reason' as reason from contact_log
      where event = 'contact_held' and detail->>'purpose' = 'reminder' order by tenancy_ref, tenant_no`;
    expect(held).toEqual([{ tenancy_ref: 'DR-HELD', tenant_no: 2, reason: 'breathing_space' }]);
    expect(report?.counts).toMatchObject({ due: 3, started: 1, held_logged: 1, skipped_breathing_space: 1 });
  });
});
