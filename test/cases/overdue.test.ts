// An urgent hand-off nobody has picked up within 4 working hours (Monday to Friday, 09:00-17:00 London,
// no bank holidays) is raised again by the timeouts job, marked overdue, once; one an officer has taken
// over, or decided, is not.
import { describe, expect, it } from 'vitest';
import { runJob } from '../../src/jobs/run-job.js';
import { silentLogger } from '../../src/lib/logger.js';
import { loadFlows } from '../../src/engine/index.js';
import { DEFAULT_POLICY } from '../support/policy.js';
import { addWorkingHours } from '../../src/rent/working-hours.js';
import { useTestDatabase } from '../support/database.js';

const db = await useTestDatabase();
const deps = {
  sql: db.sql,
  flows: loadFlows('flows'),
  policy: DEFAULT_POLICY,
  timeZone: 'Europe/London',
  logger: silentLogger(),
  dryRun: false,
  concurrency: 2,
};

describe('working hours', () => {
  it.each([
    ['inside one day', '2026-11-24T10:00:00Z', '2026-11-24T14:00:00Z'],
    ['over a weekend: Friday 16:00 plus 4 hours is Monday 12:00', '2026-11-27T16:00:00Z', '2026-11-30T12:00:00Z'],
    ['raised at night: from the next opening', '2026-11-24T22:00:00Z', '2026-11-25T13:00:00Z'],
    ['over Christmas and the Boxing Day substitute holiday', '2026-12-24T15:00:00Z', '2026-12-29T11:00:00Z'],
    ['in British Summer Time (09:00 London is 08:00 UTC)', '2026-06-02T07:00:00Z', '2026-06-02T12:00:00Z'],
  ])('adds 4 working hours %s', (_what, from, to) => {
    expect(addWorkingHours(new Date(from), 4, DEFAULT_POLICY).toISOString()).toBe(new Date(to).toISOString());
  });
});

async function tenancy(ref: string): Promise<void> {
  await db.sql`insert into tenancies (tenancy_ref, tenure, start_date, rent_frequency, rent_amount_pence, rent_due_day) values (${ref}, 'secure', '2024-04-01', 'weekly', 10000, 'monday')`;
  await db.sql`insert into tenants (tenancy_ref, tenant_no, first_name, last_name) values (${ref}, 1, 'Sam', 'T')`;
}

async function handOff(ref: string, urgency: 'urgent' | 'normal', at: string): Promise<number> {
  const [row] = await db.sql<{ id: number }[]>`
    insert into escalations (tenancy_ref, tenant_no, reason, urgency, summary, created_at, updated_at)
    values (${ref}, 1, 'crisis', ${urgency}, 'Crisis words', ${at}, ${at}) returning id::int as id`;
  return row?.id ?? 0;
}

describe('the timeouts job', () => {
  it('raises an urgent hand-off again once 4 working hours pass unpicked, marked overdue, once', async () => {
    await tenancy('OVER-1');
    const urgent = await handOff('OVER-1', 'urgent', '2026-11-27T16:00:00Z');
    const normal = await handOff('OVER-1', 'normal', '2026-11-27T16:00:00Z');
    expect((await runJob(deps, 'timeouts', new Date('2026-11-30T11:59:00Z')))[0]?.counts.hand_offs_overdue).toBe(0);
    const [report] = await runJob(deps, 'timeouts', new Date('2026-11-30T12:00:00Z'));
    expect(report?.counts.hand_offs_overdue).toBe(1);
    const rows =
      await db.sql`select id::int as id, overdue_at from escalations where tenancy_ref = 'OVER-1' order by id`;
    expect(rows).toEqual([
      { id: urgent, overdue_at: new Date('2026-11-30T12:00:00Z') },
      { id: normal, overdue_at: null },
    ]);
    const cards = await db.sql`select kind from slack_outbox where escalation_id = ${urgent} order by id`;
    expect(cards.map((c) => c.kind)).toEqual(['post_card', 'update_card']);
    const [log] = await db.sql`select event from contact_log where escalation_id = ${urgent}`;
    expect(log).toEqual({ event: 'hand_off_overdue' });
    expect((await runJob(deps, 'timeouts', new Date('2026-11-30T15:00:00Z')))[0]?.counts.hand_offs_overdue).toBe(0);
  });

  it('leaves a hand-off an officer has taken over or decided', async () => {
    await tenancy('OVER-2');
    const taken = await handOff('OVER-2', 'urgent', '2026-11-24T09:00:00Z');
    const decided = await handOff('OVER-2', 'urgent', '2026-11-24T09:00:00Z');
    const [conversation] = await db.sql<{ id: number }[]>`
      insert into conversations (tenancy_ref, tenant_no, flow_id, flow_version, channel, status, session, started_at, updated_at)
      values ('OVER-2', 1, 'tenant_initiated', '1', 'sms', 'active', '{}', now(), now()) returning id::int as id`;
    await db.sql`insert into slack_takeovers (escalation_id, conversation_id, officer_id, placeholder, started_at) values (${taken}, ${conversation?.id ?? 0}, 'U1', false, '2026-11-24T10:00:00Z')`;
    await db.sql`update escalations set status = 'closed' where id = ${decided}`;
    expect((await runJob(deps, 'timeouts', new Date('2026-11-24T16:00:00Z')))[0]?.counts.hand_offs_overdue).toBe(0);
  });
});
